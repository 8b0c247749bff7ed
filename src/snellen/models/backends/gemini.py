"""Google's Gemini API through the official `google-genai` SDK
(`genai.Client(...).aio.models.generate_content`).

    gemini:gemini-2.5-flash                     key from $GEMINI_API_KEY, else $GOOGLE_API_KEY

Images go out as lossless inline PNG parts at native size, before the prompt text. Option
media_resolution=low|medium|high sets the model's media token budget (unset: the API's default; either
way it is recorded in transmission()). Shared options (retries, timeout, rpm, max_side, base_url, ...)
are described in models/api.py.
"""

from __future__ import annotations

import math
import re
from typing import Any

from snellen.models.api import ApiBackend, ApiFailure, ImagePayload, Reply, malformed, status_failure
from snellen.models.base import Request, register_backend
from snellen.schema import SnellenError

MEDIA_RESOLUTIONS = ("low", "medium", "high")


def _import_genai():
    try:
        from google import genai
        from google.genai import errors, types
    except ImportError:  # pragma: no cover - depends on the environment
        raise SnellenError("the gemini backend needs the `google-genai` package: pip install 'snellen[api]'") from None
    return genai, types, errors


@register_backend("gemini")
class GeminiBackend(ApiBackend):
    sdk = "google-genai"
    key_envs = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    default_base_url = "https://generativelanguage.googleapis.com"

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        if self.endpoint is not None and self.endpoint.has_credentials:
            raise SnellenError(f"{self.spec}: credentials in the base URL are not supported by the Gemini SDK; "
                               "put the key in an environment variable (api_key_env option)")
        res = self.options.get("media_resolution")
        self.media_resolution = str(res).lower() if res else None
        if self.media_resolution is not None and self.media_resolution not in MEDIA_RESOLUTIONS:
            raise SnellenError(f"option media_resolution={res!r} for {self.spec}: choose one of "
                               f"{', '.join(MEDIA_RESOLUTIONS)}")

    def transmission(self) -> dict[str, Any]:
        return {**super().transmission(), "encoding": "inline-bytes", "media_resolution": self.media_resolution}

    def _make_client(self, api_key: str) -> Any:
        genai, types, _ = _import_genai()
        http = types.HttpOptions(
            base_url=self.base_url or self.default_base_url,
            timeout=max(1, int(self.policy.timeout_s * 1000)),  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),  # retries are ours, counted once
        )
        return genai.Client(api_key=api_key, vertexai=False, http_options=http)

    async def _close_client(self, client: Any) -> None:
        await client.aio.aclose()

    def image_tokens(self, size: tuple[int, int]) -> int:
        # Documented: 258 tokens when both sides <= 384 px, else 258 per 768 x 768 tile.
        w, h = size
        return 258 if max(w, h) <= 384 else 258 * math.ceil(w / 768) * math.ceil(h / 768)

    async def _call(self, client: Any, request: Request, image: ImagePayload) -> Reply:
        _, types, _ = _import_genai()
        s = request.settings
        config: dict[str, Any] = {"temperature": s.temperature, "max_output_tokens": s.max_tokens}
        if s.top_p is not None:
            config["top_p"] = s.top_p
        if s.seed is not None:
            config["seed"] = s.seed
        if s.system_prompt:
            config["system_instruction"] = s.system_prompt
        if self.media_resolution is not None:
            config["media_resolution"] = getattr(types.MediaResolution, f"MEDIA_RESOLUTION_{self.media_resolution.upper()}")
        response = await client.aio.models.generate_content(
            model=self.model,
            contents=[types.Part.from_bytes(data=image.png, mime_type="image/png"), request.prompt],
            config=types.GenerateContentConfig(**config),
        )
        return parse_generate_response(response)

    def _classify_sdk(self, exc: BaseException) -> ApiFailure | None:
        _, _, errors = _import_genai()
        if isinstance(exc, errors.APIError):
            headers = getattr(getattr(exc, "response", None), "headers", None)
            return status_failure(int(exc.code or 0), str(exc.message or exc.status or "error"), headers,
                                  retry_after=_retry_info_delay(getattr(exc, "details", None)))
        return None


def _retry_info_delay(details: Any) -> float | None:
    """Seconds from a google.rpc.RetryInfo detail ({"retryDelay": "27s"}), where the error carries one."""
    try:
        items = details.get("error", details).get("details") or []
    except AttributeError:
        return None
    for item in items:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("RetryInfo"):
            m = re.fullmatch(r"\s*([0-9.]+)s\s*", str(item.get("retryDelay", "")))
            if m:
                return float(m.group(1))
    return None


def parse_generate_response(response: Any) -> Reply:
    """A GenerateContentResponse as a Reply. No candidates is malformed unless the prompt was blocked (then
    the answer is empty and the block reason is the finish reason); a finished candidate without parts is
    an empty answer, one with neither parts nor a finish reason is malformed; thoughts are not the answer."""
    usage = getattr(response, "usage_metadata", None)
    tokens_in = getattr(usage, "prompt_token_count", None)
    tokens_out = getattr(usage, "candidates_token_count", None)
    thoughts = getattr(usage, "thoughts_token_count", None)
    if tokens_out is not None and thoughts:
        tokens_out += thoughts  # thinking tokens are billed as output
    model = getattr(response, "model_version", None)
    rid = getattr(response, "response_id", None)
    candidates = getattr(response, "candidates", None)
    if not candidates:
        feedback = getattr(response, "prompt_feedback", None)
        block = getattr(feedback, "block_reason", None)
        if block is None:
            raise malformed("response has no candidates")
        return Reply(text="", input_tokens=tokens_in, output_tokens=tokens_out, finish_reason=f"blocked:{_name(block)}",
                     model=model, id=rid)
    cand = candidates[0]
    finish = getattr(cand, "finish_reason", None)
    parts = getattr(getattr(cand, "content", None), "parts", None) or []
    if not parts and finish is None:
        raise malformed("candidate has no content and no finish_reason")
    text = "".join(p.text for p in parts if getattr(p, "text", None) is not None and not getattr(p, "thought", False))
    return Reply(text=text, input_tokens=tokens_in, output_tokens=tokens_out,
                 finish_reason=None if finish is None else _name(finish), model=model, id=rid)


def _name(value: Any) -> str:
    return str(getattr(value, "value", value))

"""OpenAI chat.completions through the official `openai` SDK (AsyncOpenAI), for OpenAI itself and for any
OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp server, LM Studio).

    openai:gpt-4o                                                  key from $OPENAI_API_KEY
    openai-compatible:http://127.0.0.1:8000/v1@Qwen/Qwen2.5-VL-7B-Instruct   base URL @ served model name

Images go out as lossless PNG data URLs at native size with detail "high" (option detail=low|high|auto).
For `openai-compatible`, the key is read from the variable named by api_key_env; without that option,
api.openai.com gets $OPENAI_API_KEY and every other server the placeholder key "EMPTY": an OpenAI key is
never sent to a third-party host unless the user names it. Credentials in the base URL (user:pass@host,
or a token in the query string) are sent with every request (Basic auth, query parameters) and stored
and printed only as <redacted>. Shared options (retries, timeout, rpm, max_side, ...) are described in models/api.py.
"""

from __future__ import annotations

import base64
import math
import os
from typing import Any
from urllib.parse import urlparse

from snellen.models.api import (
    ApiBackend, ApiFailure, ImagePayload, Reply, classify_sdk_error, malformed, openai_patch_size, openai_tile_size,
    scrub_urls,
)
from snellen.models.base import Request, register_backend
from snellen.schema import SnellenError

DETAILS = ("high", "low", "auto")
# Documented patch-based (32 px patches, 1536-patch budget) models; the rest of OpenAI's vision models tile.
_PATCH_MODELS = ("gpt-4.1-mini", "gpt-4.1-nano", "o4-mini")


def _import_openai():
    try:
        import openai
    except ImportError:  # pragma: no cover - depends on the environment
        raise SnellenError("the openai backends need the `openai` package: pip install 'snellen[api]'") from None
    return openai


class _OpenAIChat(ApiBackend):
    sdk = "openai"
    key_envs = ("OPENAI_API_KEY",)
    default_base_url = "https://api.openai.com/v1"

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        self.detail = str(self.options.get("detail") or "high").lower()
        if self.detail not in DETAILS:
            raise SnellenError(f"option detail={self.detail!r} for {self.spec}: choose one of {', '.join(DETAILS)}")

    def transmission(self) -> dict[str, Any]:
        return {**super().transmission(), "encoding": "data-url", "detail": self.detail}

    def _make_client(self, api_key: str) -> Any:
        return _import_openai().AsyncOpenAI(**self._client_options(api_key))

    def _token_limit_field(self) -> str:
        return "max_completion_tokens"

    def _messages(self, request: Request, image: ImagePayload) -> list[dict[str, Any]]:
        url = "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")
        messages: list[dict[str, Any]] = []
        if request.settings.system_prompt:
            messages.append({"role": "system", "content": request.settings.system_prompt})
        messages.append({"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url, "detail": self.detail}},
            {"type": "text", "text": request.prompt},
        ]})
        return messages

    async def _call(self, client: Any, request: Request, image: ImagePayload) -> Reply:
        s = request.settings
        kwargs: dict[str, Any] = {"model": self.model, "messages": self._messages(request, image),
                                  "temperature": s.temperature, self._token_limit_field(): s.max_tokens}
        if s.top_p is not None:
            kwargs["top_p"] = s.top_p
        if s.seed is not None:
            kwargs["seed"] = s.seed
        completion = await client.chat.completions.create(**kwargs)
        return parse_completion(completion)

    def _classify_sdk(self, exc: BaseException) -> ApiFailure | None:
        return classify_sdk_error(_import_openai(), exc, self.policy.timeout_s, self.display_url)


def split_url_model(target: str) -> tuple[str, str]:
    """'BASE_URL@MODEL' -> (BASE_URL, MODEL). The '@' that separates them is the first one after the URL's
    host, so user:pass@host stays part of the URL; with no path, the last '@' separates the model."""
    scheme, sep, rest = target.partition("://")
    if not sep:
        url, _, model = target.partition("@")
        return url, model
    cut = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    if tail:
        head, at, model = tail.partition("@")
    else:
        authority, at, model = authority.rpartition("@")
        head = ""
    return (f"{scheme}://{authority}{head}", model) if at else (target, "")


def parse_completion(completion: Any) -> Reply:
    """A chat.completion as a Reply; a body without choices or message is malformed, empty content that
    finished is an (empty) answer."""
    choices = getattr(completion, "choices", None)
    if not choices:
        raise malformed("response has no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    finish = getattr(choice, "finish_reason", None)
    if message is None:
        raise malformed("response choice has no message")
    text = message.content
    refusal = getattr(message, "refusal", None)
    if text is None:
        if refusal:
            text = refusal  # a refusal is an answer, scored as one
        elif finish is not None:
            text = ""  # an empty message that finished normally is an (empty) answer
        else:
            raise malformed("response message has no content and no finish_reason")
    if not isinstance(text, str):
        raise malformed(f"message content is {type(text).__name__}, not text")
    usage = getattr(completion, "usage", None)
    return Reply(text=text, input_tokens=getattr(usage, "prompt_tokens", None),
                 output_tokens=getattr(usage, "completion_tokens", None),
                 finish_reason=None if finish is None else str(finish),
                 model=getattr(completion, "model", None), id=getattr(completion, "id", None))


@register_backend("openai")
class OpenAIBackend(_OpenAIChat):
    """OpenAI's own API (or a proxy for it, via the base_url option)."""

    def encoder_size(self, sent: tuple[int, int]) -> tuple[int, int] | None:
        if self.detail != "high":
            return None  # low: a fixed small version whose exact resize is undocumented; auto: model decides
        if self.model.startswith(_PATCH_MODELS):
            return openai_patch_size(*sent)
        return openai_tile_size(*sent)

    def transmission(self) -> dict[str, Any]:
        rule = None
        if self.detail == "high":
            rule = "openai-patches-32px-1536" if self.model.startswith(_PATCH_MODELS) else "openai-tiles-2048-768"
        return {**super().transmission(), "encoder_rule": rule}

    def image_tokens(self, size: tuple[int, int]) -> int:
        if self.detail == "low":
            return 85
        w, h = self.encoder_size(size) or size
        if self.model.startswith(_PATCH_MODELS):
            return math.ceil(w / 32) * math.ceil(h / 32)
        return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


@register_backend("openai-compatible")
class OpenAICompatibleBackend(_OpenAIChat):
    """Any server speaking OpenAI chat.completions; the spec names its base URL and the served model.

    Option `resize` declares what the server's processor does to the image, so effective px exist for
    served models: `qwen2-vl[:MIN_PIXELS,MAX_PIXELS]` (vLLM serving Qwen2-VL/2.5-VL; defaults 3136,1003520;
    pass the server's --mm-processor-kwargs values) or `fixed:WxH` (e.g. fixed:896x896 for Gemma 3,
    fixed:224x224 for PaliGemma-224). Without it the encoder size is unknown (NaN effective px)."""

    key_envs = ("OPENAI_API_KEY",)
    default_base_url = None

    @property
    def spec(self) -> str:
        if getattr(self, "endpoint", None) is not None:
            return f"{self.prefix}:{self.endpoint.display}@{self.model}"
        return super().spec

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        value = self.options.get("resize")
        self.declared_resize = None
        if value not in (None, ""):
            from snellen.models.views import declared_resize

            try:
                self.declared_resize = declared_resize(str(value))
            except ValueError as exc:
                raise SnellenError(f"option resize for {self.spec}: {exc}") from None

    def encoder_size(self, sent: tuple[int, int]) -> tuple[int, int] | None:
        if self.declared_resize is None:
            return None
        from snellen.models.views import declared_encoder_size

        return declared_encoder_size(self.declared_resize, sent)

    def manifest(self) -> dict[str, Any]:
        out = super().manifest()
        if self.declared_resize is not None:
            out["declared_resize"] = {"rule": self.declared_resize[0], "params": list(self.declared_resize[1])}
        return out

    def _parse_target(self, target: str) -> tuple[str, str | None]:
        url, model = split_url_model(target)
        if not url or not model.strip():
            raise SnellenError(f"model spec {self.prefix}:{scrub_urls(target)!r} needs BASE_URL@MODEL, e.g. "
                               f"{self.prefix}:http://127.0.0.1:8000/v1@Qwen/Qwen2.5-VL-7B-Instruct")
        return model.strip(), url

    def _is_openai(self) -> bool:
        return (urlparse(self.base_url or "").hostname or "") == "api.openai.com"

    def key_env(self) -> str | None:
        if self.key_env_option:
            return self.key_env_option
        return "OPENAI_API_KEY" if self._is_openai() else None

    def _api_key(self) -> str | None:
        name = self.key_env()
        if name is None:
            return "EMPTY"  # keyless servers ignore it; the SDK needs a non-empty one
        return os.environ.get(name) or None

    def _secrets(self) -> list[str]:
        key = self._api_key()
        return ([key] if key and key != "EMPTY" else []) + (self.endpoint.secrets() if self.endpoint else [])

    def _token_limit_field(self) -> str:
        return "max_tokens"  # every compatible server understands it; max_completion_tokens is newer

    def pricing(self) -> tuple[float, float] | None:
        return self._price if self._price[0] is not None else None  # type: ignore[return-value]

    def image_tokens(self, size: tuple[int, int]) -> int:
        # Unknown server and processor; Qwen2-VL-style 28 px patches are a common order of magnitude.
        return math.ceil(size[0] / 28) * math.ceil(size[1] / 28)

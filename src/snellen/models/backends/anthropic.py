"""Anthropic's Messages API through the official `anthropic` SDK (AsyncAnthropic.messages.create).

    anthropic:claude-sonnet-4-20250514          key from $ANTHROPIC_API_KEY

Images go out as lossless base64 PNG blocks at native size, before the prompt text.

Sampling: the SDK (>= 1.0) removed the temperature/top_p/top_k arguments, SDK 2.x speaks
anthropic-version 2026-10-21, under which the API is reported to reject them (400) even through
extra_body, and there has never been a seed. So Claude samples at its own defaults, whatever the generation settings say: the manifest
states it, and each response lists the settings it could not apply in raw["ignored_settings"]. Shared
options (retries, timeout, rpm, max_side, base_url, ...) are described in models/api.py.
"""

from __future__ import annotations

import base64
from typing import Any

from snellen.models.api import ApiBackend, ApiFailure, ImagePayload, Reply, anthropic_size, classify_sdk_error, malformed
from snellen.models.base import Request, Response, register_backend
from snellen.schema import SnellenError


def _import_anthropic():
    try:
        import anthropic
    except ImportError:  # pragma: no cover - depends on the environment
        raise SnellenError("the anthropic backend needs the `anthropic` package: pip install 'snellen[api]'") from None
    return anthropic


@register_backend("anthropic")
class AnthropicBackend(ApiBackend):
    sdk = "anthropic"
    key_envs = ("ANTHROPIC_API_KEY",)
    default_base_url = "https://api.anthropic.com"

    def _make_client(self, api_key: str) -> Any:
        return _import_anthropic().AsyncAnthropic(**self._client_options(api_key))

    def encoder_size(self, sent: tuple[int, int]) -> tuple[int, int] | None:
        return anthropic_size(*sent)

    def transmission(self) -> dict[str, Any]:
        return {**super().transmission(), "encoder_rule": "anthropic-1568px-1600tok"}

    def image_tokens(self, size: tuple[int, int]) -> int:
        w, h = anthropic_size(*size)
        return max(1, round(w * h / 750))

    def manifest(self) -> dict[str, Any]:
        return {**super().manifest(), "sampling": "model default: the Messages API takes no temperature, "
                "top_p or seed (recorded per response as ignored_settings)"}

    async def answer_async(self, request: Request) -> Response:
        response = await super().answer_async(request)
        s = request.settings
        ignored = [name for name, value in (("temperature", s.temperature), ("top_p", s.top_p), ("seed", s.seed))
                   if value is not None]
        if ignored:
            response.raw["ignored_settings"] = ignored
        return response

    async def _call(self, client: Any, request: Request, image: ImagePayload) -> Reply:
        s = request.settings
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": s.max_tokens,
            "messages": [{"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": base64.b64encode(image.png).decode("ascii")}},
                {"type": "text", "text": request.prompt},
            ]}],
        }
        if s.system_prompt:
            kwargs["system"] = s.system_prompt
        message = await client.messages.create(**kwargs)
        return parse_message(message)

    def _classify_sdk(self, exc: BaseException) -> ApiFailure | None:
        return classify_sdk_error(_import_anthropic(), exc, self.policy.timeout_s, self.display_url)


def parse_message(message: Any) -> Reply:
    """A Message as a Reply: its text blocks joined. No content list, or an empty one without a stop
    reason, is malformed; an empty content list with a stop reason is an (empty) answer."""
    content = getattr(message, "content", None)
    stop = getattr(message, "stop_reason", None)
    if content is None or (not content and stop is None):
        raise malformed("message has no content and no stop_reason")
    texts = [getattr(block, "text", None) for block in content if getattr(block, "type", None) == "text"]
    if any(not isinstance(t, str) for t in texts):
        raise malformed("a text block has no text")
    usage = getattr(message, "usage", None)
    return Reply(text="".join(texts), input_tokens=getattr(usage, "input_tokens", None),
                 output_tokens=getattr(usage, "output_tokens", None),
                 finish_reason=None if stop is None else str(stop),
                 model=getattr(message, "model", None), id=getattr(message, "id", None))

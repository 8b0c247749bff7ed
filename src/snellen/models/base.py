"""The model interface: a batch of requests in, one response (text or error) per request out.

Backends are one file each under models/, registered by spec prefix with `@register_backend("prefix")`
and built from a spec string such as `openai:gpt-4o` or `hf:/path/to/model`. The runner only uses
this interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from snellen.schema import Sample, SnellenError


class GenerationSettings(BaseModel):
    """Decoding settings; part of the response cache key."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    temperature: float = Field(0.0, ge=0.0)
    max_tokens: int = Field(1024, ge=1)
    top_p: float | None = None
    seed: int | None = None
    prompt_variant: str = Field("json", pattern="^(json|free)$")
    system_prompt: str | None = None


@dataclass
class Request:
    """One question to a model. `sample` carries the task spec for backends that need it (OCR, ideal, oracle)."""

    sample: Sample
    prompt: str
    settings: GenerationSettings
    repeat: int = 0

    @property
    def sample_id(self) -> str:
        return self.sample.id


@dataclass
class ErrorInfo:
    kind: str  # e.g. rate_limit, server_error, timeout, malformed_response, bad_request, backend_error
    message: str


def resize_ratio(sent_size: tuple[int, int] | None, encoder_size: tuple[int, int] | None) -> float | None:
    """encoder side / sent side (e.g. 224/448 = 0.5): effective target px = measured px x ratio; None if unknown."""
    if not encoder_size or not sent_size or not (sent_size[0] and sent_size[1]):
        return None
    return min(encoder_size[0] / sent_size[0], encoder_size[1] / sent_size[1])


@dataclass
class Response:
    """A model's answer, or an error instead of one (never both). Errors are never scored as wrong."""

    text: str | None
    error: ErrorInfo | None = None
    latency_s: float = 0.0
    input_tokens: int | None = None
    output_tokens: int | None = None
    sent_size: tuple[int, int] | None = None  # (w, h) of the image as transmitted
    encoder_size: tuple[int, int] | None = None  # (w, h) at the vision encoder's input, where knowable
    attempts: int = 1
    raw: dict[str, Any] = field(default_factory=dict)  # backend-specific detail (e.g. raw OCR boxes)

    def __post_init__(self) -> None:
        if (self.text is None) == (self.error is None):
            raise ValueError("a Response holds exactly one of text or error")

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def resize_ratio(self) -> float | None:
        return resize_ratio(self.sent_size, self.encoder_size)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Backend(ABC):
    """A model. Subclasses implement `answer` (sync batch) or `answer_async` (one request, concurrent)."""

    prefix: ClassVar[str]
    is_async: ClassVar[bool] = False
    # Whether the answer depends on the prompt's words (False for OCR engines and simulated observers, which
    # read only the sample's task spec): aids that ask their own questions (crop:auto) need a reader.
    reads_prompt: ClassVar[bool] = True
    # Task families this backend can answer; None means every family. Others are recorded as unsupported.
    families: ClassVar[frozenset[str] | None] = None
    # Why this backend cannot answer an open-ended question (no candidates listed), or None if it can:
    # `snellen finegrained --protocol open` refuses such a model up front instead of storing nothing but
    # `unsupported` rows.
    open_ended_refusal: ClassVar[str | None] = None
    # What kind of model it is, for comparisons (analysis/finegrained_gap.py): "vlm" (answers in words),
    # "zero-shot" (image-text embedding classifier), "probe" (classifier trained on frozen features) or
    # "reference" (chance, oracle, ideal and simulated observers, OCR engines, people).
    role: ClassVar[str] = "vlm"

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        self.target = target
        self.options = dict(options or {})

    @property
    def spec(self) -> str:
        return f"{self.prefix}:{self.target}" if self.target else self.prefix

    def identity(self) -> dict[str, Any]:
        """What makes this model this model (name, revision, content hashes): part of the cache key."""
        return {"backend": self.prefix, "model": self.target}

    def transmission(self) -> dict[str, Any]:
        """How images travel to the model (format, detail, resizing): part of the cache key."""
        return {"format": "png", "resize": None}

    def supports(self, sample: Sample) -> bool:
        """Whether this backend can answer this sample's task; unsupported samples are never scored wrong."""
        return self.families is None or sample.family in self.families

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once (async backends) or batch size (sync backends)."""
        return int(self.options.get("concurrency", 8 if self.is_async else self.options.get("batch_size", 8)))

    def pricing(self) -> tuple[float, float] | None:
        """USD per million (input, output) tokens where known; None means unknown (cost not shown)."""
        return None

    def estimate_tokens(self, request: Request) -> tuple[int, int]:
        """(input, output) tokens a request is expected to use, for --dry-run estimates."""
        return (len(request.prompt) // 4 + 1000, min(request.settings.max_tokens, 64))

    def manifest(self) -> dict[str, Any]:
        """Versions and settings recorded in the run manifest."""
        return {}

    def secrets(self) -> list[str]:
        """Credential values this backend sends (keys, tokens in its URL): scrubbed from everything stored
        or printed, whatever the variable or option that held them is called."""
        return []

    def answer(self, requests: list[Request]) -> list[Response]:
        raise NotImplementedError

    async def answer_async(self, request: Request) -> Response:
        raise NotImplementedError

    def close(self) -> None:
        pass


class FreeBackend(Backend):
    """A model that runs here and spends no tokens (simulated, ideal and oracle observers, guessers): it costs
    nothing, and a dry run estimates no tokens."""

    def pricing(self) -> tuple[float, float] | None:
        return (0.0, 0.0)

    def estimate_tokens(self, request: Request) -> tuple[int, int]:
        return (0, 0)


_BACKENDS: dict[str, type[Backend]] = {}


def register_backend(prefix: str):
    def deco(cls: type[Backend]) -> type[Backend]:
        cls.prefix = prefix
        _BACKENDS[prefix] = cls
        return cls

    return deco


def backends() -> dict[str, type[Backend]]:
    import snellen.models.backends  # noqa: F401  (registers every backend module)

    return dict(_BACKENDS)


def parse_spec(spec: str) -> tuple[str, str]:
    prefix, _, target = spec.partition(":")
    return prefix, target


def load_backend(spec: str, options: dict[str, Any] | None = None) -> Backend:
    """Build a backend from a spec string 'prefix:target' (e.g. 'ocr:rapidocr', 'random')."""
    prefix, target = parse_spec(spec)
    known = backends()
    if prefix not in known:
        raise SnellenError(f"unknown model backend {prefix!r} in {spec!r}; known: {', '.join(sorted(known))}")
    return known[prefix](target, options)

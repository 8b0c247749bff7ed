"""`hf:PATH_OR_HUB_ID`: a local transformers vision-language model, batched generation.

The model is loaded with `AutoModelForImageTextToText` and `AutoProcessor`. Each request becomes one
user turn (the image first, then the prompt; a system turn only if `settings.system_prompt` is set),
rendered by the processor's chat template. Requests are padded on the left and generated in batches;
only the new tokens are decoded. Temperature 0 is greedy; temperature > 0 samples, one request at a time
with a seed derived from (settings.seed, sample id, repeat), so a sampled answer does not depend on which
other requests shared its batch.

Image fidelity: the decoded PNG pixels go to the processor unchanged; `sent_size` is the native size.
The processor's views of the image (one resized image, or tiles plus a global view) are derived in
models/views.py from its settings and checked against its output; `raw["views"]` lists each view's size
and scale, and `encoder_size` is the size of the largest view that holds every target whole (so
effective px = measured px x that view's scale). Where that cannot be known, it is None.

Processors whose video processor needs torchvision (Qwen2-VL, SmolVLM, LLaVA-OneVision, ...) are loaded
image-only when torchvision is missing: the same processor class with its image processor, tokenizer and
chat template, and no video processor (snellen sends images only).

Options: dtype (auto|bfloat16|float16|float32; auto = bfloat16 on CUDA, float32 on CPU),
device (auto|cpu|cuda|cuda:N), batch_size (8), attn_implementation (transformers' default),
revision (hub ids), trust_remote_code (false).

identity() hashes the model folder's content (config, processor/tokenizer files, chat template, weights).
Files up to FULL_HASH_MAX_BYTES are hashed in full; larger ones by size + mtime + first and last MiB
(hub cache files use their content-addressed blob name, which is the exact hash). So a changed weight
file changes the identity, and with it every cache key, without hashing gigabytes at each start.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from pathlib import Path
from typing import Any

from snellen.hf_runtime import import_torch_transformers
from snellen.models.base import Backend, ErrorInfo, GenerationSettings, Request, Response, register_backend
from snellen.models.views import effective_view, processor_views
from snellen.schema import CorruptImageError, SnellenError

EXTRA = "pip install 'snellen[hf]'"
FULL_HASH_MAX_BYTES = 64 * 2**20
CHUNK = 2**20
# Files from_pretrained reads for model, processor, tokenizer and chat template. Weights: safetensors,
# or .bin only where a folder has no safetensors (transformers prefers safetensors).
_HASHED_SUFFIXES = {".json", ".jinja", ".txt", ".model", ".tiktoken", ".py", ".safetensors", ".bin"}
_DTYPES = {"bfloat16", "float16", "float32"}
_KNOWN_OPTIONS = {"dtype", "device", "batch_size", "attn_implementation", "revision", "trust_remote_code",
                  "concurrency"}




def file_digest(path: Path) -> str:
    """Content hash of one model file (see module docstring for big files)."""
    real = path.resolve()
    if path.is_symlink() and real.parent.name == "blobs":
        return f"blob:{real.name}"  # huggingface_hub cache: blobs are named by their content hash
    size = real.stat().st_size
    h = hashlib.sha256()
    with open(real, "rb") as fh:
        if size <= FULL_HASH_MAX_BYTES:
            for block in iter(lambda: fh.read(CHUNK), b""):
                h.update(block)
            return f"sha256:{h.hexdigest()}"
        h.update(f"{size}:{real.stat().st_mtime_ns}".encode())
        h.update(fh.read(CHUNK))
        fh.seek(size - CHUNK)
        h.update(fh.read(CHUNK))
    return f"sampled-sha256:{h.hexdigest()}"


def folder_digests(root: Path) -> dict[str, str]:
    """{relative path: digest} for every file of a model folder that loading reads."""
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in _HASHED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    if any(p.suffix == ".safetensors" for p in files):
        files = [p for p in files if p.suffix != ".bin"]
    return {p.relative_to(root).as_posix(): file_digest(p) for p in files}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes"):
        return True
    if str(value).lower() in ("0", "false", "no"):
        return False
    raise SnellenError(f"hf backend: expected true/false, got {value!r}")


def sampling_seed(settings: GenerationSettings, sample_id: str, repeat: int) -> int:
    key = json.dumps([settings.seed or 0, sample_id, int(repeat)]).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % 2**63


def _pil_image(sample: Any):
    """The sample's exact pixels as an RGB PIL image (PNG decoded straight by PIL: no array round trip)."""
    from PIL import Image, UnidentifiedImageError

    if sample.image is not None:
        im = Image.fromarray(sample.image)
        return im if im.mode == "RGB" else im.convert("RGB")
    if sample.png is None:
        raise ValueError(f"sample {sample.id} has neither pixels nor PNG bytes")
    try:
        im = Image.open(io.BytesIO(sample.png))
        im.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"{sample.id}: image cannot be decoded ({exc})") from exc
    return im if im.mode == "RGB" else im.convert("RGB")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


@register_backend("hf")
class HFBackend(Backend):
    """A transformers image-text-to-text model from a local folder or the hub cache."""

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        unknown = sorted(set(self.options) - _KNOWN_OPTIONS)
        if unknown:
            raise SnellenError(f"hf backend: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_OPTIONS))}")
        if not target:
            raise SnellenError("hf backend needs a model: hf:/path/to/model or hf:org/name")
        self.torch, self.transformers = import_torch_transformers("the hf backend", EXTRA)
        self.path, self.revision = self._resolve(target)
        self.device = self._device(str(self.options.get("device", "auto")))
        self.dtype_name = self._dtype_name(str(self.options.get("dtype", "auto")))
        try:
            self.batch_size = int(self.options.get("batch_size", 8))
        except ValueError:
            raise SnellenError(f"hf backend: batch_size must be an integer, got {self.options['batch_size']!r}") from None
        if self.batch_size < 1:
            raise SnellenError(f"hf backend: batch_size must be >= 1, got {self.batch_size}")
        self.attn_implementation = self.options.get("attn_implementation")
        self.trust_remote_code = _bool(self.options.get("trust_remote_code", False))
        self.processor = self._load_processor()
        self._model = None
        self._identity: dict[str, Any] | None = None

    # -- construction -------------------------------------------------------------------------------

    def _resolve(self, target: str) -> tuple[Path, str | None]:
        local = Path(target).expanduser()
        if local.is_dir():
            if not (local / "config.json").is_file():
                raise SnellenError(f"hf:{target}: folder has no config.json (not a transformers model folder)")
            if self.options.get("revision"):
                raise SnellenError(f"hf:{target}: option revision applies to hub ids, not to a local folder")
            return local.resolve(), None
        if local.exists() or target.startswith((".", "/", "~")) or target.count("/") != 1:
            raise SnellenError(f"hf:{target}: no such model folder (and not a hub id of the form org/name)")
        from huggingface_hub import snapshot_download

        revision = self.options.get("revision")
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
        try:
            snap = Path(snapshot_download(
                target, revision=revision, local_files_only=offline,
                allow_patterns=[f"*{s}" for s in sorted(_HASHED_SUFFIXES)],
            ))
        except Exception as exc:  # noqa: BLE001  (hub errors have many types; all mean "not available")
            where = "in the local Hugging Face cache (HF_HUB_OFFLINE is set)" if offline else "on the hub"
            raise SnellenError(f"hf:{target}: model not found {where}: {type(exc).__name__}: {exc}") from exc
        return snap, snap.name  # snapshots/<commit hash>

    def _device(self, name: str):
        torch = self.torch
        if name == "auto":
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        try:
            device = torch.device(name)
        except RuntimeError:
            raise SnellenError(f"hf backend: unknown device {name!r} (auto, cpu, cuda, cuda:N)") from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise SnellenError(f"hf backend: device {name!r} requested but torch sees no CUDA device")
        if device.type not in ("cpu", "cuda"):
            raise SnellenError(f"hf backend: unsupported device {name!r} (auto, cpu, cuda, cuda:N)")
        return device

    def _dtype_name(self, name: str) -> str:
        if name == "auto":
            if self.device.type == "cuda":
                return "bfloat16" if self.torch.cuda.is_bf16_supported() else "float16"
            return "float32"
        if name not in _DTYPES:
            raise SnellenError(f"hf backend: unknown dtype {name!r} (auto, {', '.join(sorted(_DTYPES))})")
        return name

    def _load_processor(self):
        try:
            try:
                processor = self.transformers.AutoProcessor.from_pretrained(
                    self.path, trust_remote_code=self.trust_remote_code)
            except ImportError as exc:
                if "torchvision" not in str(exc).lower():
                    raise
                processor = self._image_only_processor(exc)
        except Exception as exc:  # noqa: BLE001
            raise SnellenError(f"hf:{self.target}: cannot load the processor: {type(exc).__name__}: {exc}") from exc
        if getattr(processor, "image_processor", None) is None:
            raise SnellenError(f"hf:{self.target}: the processor has no image processor (not a vision-language model?)")
        if not getattr(processor, "chat_template", None):
            raise SnellenError(f"hf:{self.target}: the processor has no chat template; add chat_template.jinja")
        tokenizer = processor.tokenizer
        tokenizer.padding_side = "left"  # generation continues from the right end of every row
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        return processor

    def _image_only_processor(self, cause: ImportError):
        """The processor class without its video processor (which needs torchvision); images only."""
        T = self.transformers
        folder = self.path
        config = {}
        for name in ("processor_config.json", "preprocessor_config.json"):
            if (folder / name).is_file():
                config = {**json.loads((folder / name).read_text()), **config}
        cls_name = config.get("processor_class")
        cls = getattr(T, cls_name, None) if cls_name else None
        if cls is None or "video_processor" not in cls.get_attributes():
            raise cause

        class ImageOnly(cls):
            def check_argument_for_proper_class(self, name, arg):
                if name == "video_processor" and arg is None:
                    return None
                return super().check_argument_for_proper_class(name, arg)

            def apply_chat_template(self, conversation, chat_template=None, **kwargs):
                # Family overrides only add video defaults (SmolVLM reads video_processor.num_frames); images
                # only here, so the generic template rendering is the family's own.
                return T.ProcessorMixin.apply_chat_template(self, conversation, chat_template, **kwargs)

        ImageOnly.__name__ = ImageOnly.__qualname__ = cls.__name__
        image_processor = T.AutoImageProcessor.from_pretrained(folder, trust_remote_code=self.trust_remote_code)
        tokenizer = T.AutoTokenizer.from_pretrained(folder, trust_remote_code=self.trust_remote_code)
        template = None
        if (folder / "chat_template.jinja").is_file():
            template = (folder / "chat_template.jinja").read_text()
        elif (folder / "chat_template.json").is_file():
            template = json.loads((folder / "chat_template.json").read_text()).get("chat_template")
        import inspect

        accepted = set(inspect.signature(cls.__init__).parameters)
        kwargs = {k: v for k, v in config.items() if k in accepted and k not in ("image_processor", "tokenizer", "video_processor", "chat_template")}
        self.video_processor_note = f"not loaded ({str(cause).strip().splitlines()[0][:120]})"
        return ImageOnly(image_processor=image_processor, tokenizer=tokenizer, video_processor=None, chat_template=template, **kwargs)

    @property
    def model(self):
        if self._model is None:
            torch = self.torch
            kwargs: dict[str, Any] = {"trust_remote_code": self.trust_remote_code}
            if self.attn_implementation:
                kwargs["attn_implementation"] = self.attn_implementation
            dtype = getattr(torch, self.dtype_name)
            major_minor = tuple(int(x) for x in self.transformers.__version__.split(".")[:2])
            kwargs["dtype" if major_minor >= (4, 56) else "torch_dtype"] = dtype
            try:
                model = self.transformers.AutoModelForImageTextToText.from_pretrained(self.path, **kwargs)
            except Exception as exc:  # noqa: BLE001
                raise SnellenError(f"hf:{self.target}: cannot load the model: {type(exc).__name__}: {exc}") from exc
            self._model = model.to(self.device).eval()
        return self._model

    # -- identity, transmission, manifest ------------------------------------------------------------

    def identity(self) -> dict[str, Any]:
        if self._identity is None:
            files = folder_digests(self.path)
            combined = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
            self._identity = {
                "backend": "hf", "model": self.target, "revision": self.revision, "content_sha256": combined,
                "files": files, "dtype": self.dtype_name,
            }
        return self._identity

    def transmission(self) -> dict[str, Any]:
        settings = {k: v for k, v in self.processor.image_processor.to_dict().items()
                    if k not in ("processor_class", "auto_map", "_processor_class")}
        return {
            "format": "pixels",  # the decoded PNG, handed to the processor in memory; no re-encoding
            "resize": "processor",
            "image_processor": type(self.processor.image_processor).__name__,
            "image_processor_settings": _jsonable(settings),
        }

    def manifest(self) -> dict[str, Any]:
        config = json.loads((self.path / "config.json").read_text())
        out = {
            "transformers": self.transformers.__version__, "torch": self.torch.__version__,
            "processor_class": type(self.processor).__name__,
            "image_processor_class": type(self.processor.image_processor).__name__,
            "model_class": (config.get("architectures") or [None])[0], "dtype": self.dtype_name,
            "device": str(self.device), "batch_size": self.batch_size,
            "attn_implementation": self.attn_implementation, "path": str(self.path), "revision": self.revision,
        }
        if getattr(self, "video_processor_note", None):
            out["video_processor"] = self.video_processor_note
        if self._model is not None:
            out["model_class"] = type(self._model).__name__
            out["parameters"] = sum(p.numel() for p in self._model.parameters())
        return out

    @property
    def max_concurrency(self) -> int:
        return self.batch_size

    def pricing(self) -> tuple[float, float] | None:
        return (0.0, 0.0)

    # -- answering ----------------------------------------------------------------------------------

    def _messages(self, req: Request) -> list[dict[str, Any]]:
        messages = []
        if req.settings.system_prompt:
            messages.append({"role": "system", "content": [{"type": "text", "text": req.settings.system_prompt}]})
        messages.append({"role": "user", "content": [{"type": "image"}, {"type": "text", "text": req.prompt}]})
        return messages

    def answer(self, requests: list[Request]) -> list[Response]:
        out: list[Response | None] = [None] * len(requests)
        ready: list[tuple[int, Any]] = []
        for i, req in enumerate(requests):
            try:
                ready.append((i, _pil_image(req.sample)))
            except (CorruptImageError, ValueError) as exc:
                out[i] = Response(text=None, error=ErrorInfo("bad_request", str(exc)))
        greedy = [(i, im) for i, im in ready if requests[i].settings.temperature == 0]
        sampled = [(i, im) for i, im in ready if requests[i].settings.temperature > 0]
        # Greedy requests batch together only with identical settings (max_tokens, system prompt).
        groups: dict[GenerationSettings, list[tuple[int, Any]]] = {}
        for i, im in greedy:
            groups.setdefault(requests[i].settings, []).append((i, im))
        for items in groups.values():
            for start in range(0, len(items), self.batch_size):
                chunk = items[start:start + self.batch_size]
                for (i, _), resp in zip(chunk, self._generate([requests[i] for i, _ in chunk], [im for _, im in chunk])):
                    out[i] = resp
        for i, im in sampled:
            out[i] = self._generate([requests[i]], [im])[0]
        return out  # type: ignore[return-value]

    def _generate(self, requests: list[Request], images: list[Any]) -> list[Response]:
        torch = self.torch
        settings = requests[0].settings
        t0 = time.perf_counter()
        try:
            texts = [self.processor.apply_chat_template(self._messages(r), add_generation_prompt=True, tokenize=False)
                     for r in requests]
            # Idefics3/SmolVLM processors take one list of images per prompt; the others a flat list.
            nested = getattr(self.processor.image_processor, "max_image_size", None) is not None
            inputs = self.processor(images=[[im] for im in images] if nested else images, text=texts,
                                    return_tensors="pt", padding=True)
            views = processor_views(self.processor.image_processor, inputs, images)
            model = self.model
            inputs = inputs.to(self.device)
            if "pixel_values" in inputs and inputs["pixel_values"].is_floating_point():
                inputs["pixel_values"] = inputs["pixel_values"].to(model.dtype)
            kwargs: dict[str, Any] = {"max_new_tokens": settings.max_tokens}
            seed = None
            if settings.temperature > 0:
                seed = sampling_seed(settings, requests[0].sample_id, requests[0].repeat)
                torch.manual_seed(seed)
                if self.device.type == "cuda":
                    torch.cuda.manual_seed_all(seed)
                kwargs.update(do_sample=True, temperature=settings.temperature, top_p=settings.top_p or 1.0, top_k=0)
            else:
                kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
            with torch.inference_mode():
                generated = model.generate(**inputs, **kwargs)
        except SnellenError:
            raise
        except Exception as exc:  # noqa: BLE001  (a failed batch is recorded as errors, never as answers)
            message = f"{type(exc).__name__}: {exc}"
            return [Response(text=None, error=ErrorInfo("backend_error", message)) for _ in requests]
        elapsed = time.perf_counter() - t0
        prompt_len = inputs["input_ids"].shape[1]
        new_tokens = generated[:, prompt_len:].cpu()
        input_counts = inputs["attention_mask"].sum(dim=1).tolist()
        stop_ids = self._stop_ids()
        responses = []
        for row, req in enumerate(requests):
            ids = new_tokens[row].tolist()
            n = next((k + 1 for k, t in enumerate(ids) if t in stop_ids), len(ids))
            text = self.processor.tokenizer.decode(ids[:n], skip_special_tokens=True).strip()
            image = images[row]
            raw = {"batch_size": len(requests), "batch_latency_s": elapsed}
            if seed is not None:
                raw["seed"] = seed
            chosen = effective_view(views[row], [tuple(t.box) for t in req.sample.targets])
            if views[row] is not None:
                raw["views"] = [dict(v.to_dict(), holds_targets=v.holds([tuple(t.box) for t in req.sample.targets]))
                                for v in views[row]]
                raw["effective_view"] = chosen.name if chosen is not None else None
            responses.append(Response(
                text=text, latency_s=elapsed / len(requests), input_tokens=int(input_counts[row]),
                output_tokens=n, sent_size=(image.width, image.height),
                encoder_size=chosen.size if chosen is not None else None, raw=raw,
            ))
        return responses

    def _stop_ids(self) -> set[int]:
        ids: set[int] = set()
        for source in (self.model.generation_config.eos_token_id, self.processor.tokenizer.eos_token_id):
            if source is None:
                continue
            ids.update(source if isinstance(source, (list, tuple)) else [source])
        return ids

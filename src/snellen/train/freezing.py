"""Named parameter groups (vision tower, projector, LLM) for transformers VLMs, exact freezing, per-group LRs.

Groups are resolved by where a parameter lives in the model (transformers >= 4.52 layout):

| model | vision | projector | llm |
|---|---|---|---|
| LLaVA, PaliGemma, Gemma3, InternVL | model.vision_tower | model.multi_modal_projector | model.language_model, lm_head |
| Idefics3, SmolVLM | model.vision_model | model.connector | model.text_model, lm_head |
| Qwen2-VL, Qwen2.5-VL | model.visual (minus merger) | model.visual.merger | model.language_model, lm_head |

Every parameter must fall in exactly one group; an unknown layout is an error, never a silent default.
A frozen group has requires_grad False on every parameter (no decorator tricks: the forward still runs
with autograd, so unfreezing the tower works). `fingerprint` hashes each group's bytes so a test or a
stage can prove a frozen group is bit-identical after training.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from snellen.schema import SnellenError

# (prefix, group); the longest matching prefix wins.
_RULES = (
    ("model.vision_tower.", "vision"), ("model.vision_model.", "vision"), ("model.visual.", "vision"),
    ("model.visual.merger.", "projector"), ("model.multi_modal_projector.", "projector"),
    ("model.connector.", "projector"),
    ("model.language_model.", "llm"), ("model.text_model.", "llm"), ("lm_head.", "llm"),
)
_PEFT_PREFIXES = ("base_model.model.",)
GROUPS = ("vision", "projector", "llm")


def group_of(name: str) -> str | None:
    for p in _PEFT_PREFIXES:
        name = name.removeprefix(p)
    best = None
    for prefix, group in _RULES:
        if name.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, group)
    return best[1] if best else None


def parameter_groups(model) -> dict[str, list[tuple[str, object]]]:
    """{group: [(name, parameter), ...]} for every parameter of `model`; raises on an unknown layout."""
    groups: dict[str, list] = defaultdict(list)
    unknown = []
    for name, p in model.named_parameters():
        g = group_of(name)
        if g is None:
            unknown.append(name)
        else:
            groups[g].append((name, p))
    if unknown:
        raise SnellenError(f"{type(model).__name__}: cannot place parameter {unknown[0]!r} in a group "
                           f"(vision/projector/llm); {len(unknown)} unplaced")
    missing = [g for g in GROUPS if not groups.get(g)]
    if missing:
        raise SnellenError(f"{type(model).__name__}: no parameters found for group(s) {', '.join(missing)}")
    return dict(groups)


def apply_freezing(model, trainable: dict[str, float], lora: bool = False) -> list[dict]:
    """Set requires_grad by group; return optimizer param groups, one per trainable group with its LR.

    With LoRA, only adapter weights (names containing 'lora_') of trainable groups train."""
    out = []
    for group, params in parameter_groups(model).items():
        lr = trainable.get(group)
        chosen = []
        for name, p in params:
            on = lr is not None and (not lora or "lora_" in name)
            p.requires_grad_(on)
            if on:
                chosen.append(p)
        if lr is not None:
            if not chosen:
                raise SnellenError(f"trainable.{group}: no trainable parameters in this group"
                                   + (" (LoRA adapted none of its layers)" if lora else ""))
            out.append({"params": chosen, "lr": lr, "name": group})
    return out


def parameter_table(model, trainable: dict[str, float]) -> list[dict]:
    """One row per group: parameters, trainable parameters, learning rate (None = frozen)."""
    rows = []
    for group, params in parameter_groups(model).items():
        total = sum(p.numel() for _, p in params)
        train = sum(p.numel() for _, p in params if p.requires_grad)
        rows.append({"group": group, "parameters": total, "trainable": train, "lr": trainable.get(group)})
    return sorted(rows, key=lambda r: GROUPS.index(r["group"]))


def assert_table(rows: list[dict], trainable: dict[str, float]) -> None:
    """Frozen groups have 0 trainable parameters; trainable groups have some."""
    for r in rows:
        if r["group"] in trainable and r["trainable"] == 0:
            raise SnellenError(f"group {r['group']} should train but has no trainable parameters")
        if r["group"] not in trainable and r["trainable"] != 0:
            raise SnellenError(f"group {r['group']} should be frozen but has {r['trainable']} trainable parameters")


def fingerprint(model) -> dict[str, str]:
    """{group: sha256 of its parameters' bytes}: equal fingerprints mean bit-identical weights."""
    import torch

    hashes = {}
    for group, params in parameter_groups(model).items():
        h = hashlib.sha256()
        for name, p in sorted(params, key=lambda x: x[0]):
            h.update(name.encode())
            h.update(p.detach().to("cpu").contiguous().view(torch.uint8).numpy().tobytes())
        hashes[group] = h.hexdigest()
    return hashes

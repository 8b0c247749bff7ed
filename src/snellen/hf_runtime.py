"""torch + transformers as snellen uses them, set up in one place: imported with a one-line error naming the
extra to install, snellen-built vision towers registered with the Auto classes, and transformers' own chatter
(weight-loading and shard-writing progress bars, FutureWarnings about its own API that TRL triggers) kept out of
snellen's output. Errors and real warnings stay."""

from __future__ import annotations

import warnings

from snellen.schema import SnellenError


def quiet_transformers() -> None:
    import transformers

    transformers.utils.logging.disable_progress_bar()
    try:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    except ImportError:  # older huggingface_hub: bars stay
        pass
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(transformers|trl)(\.|$)")


def import_torch_transformers(user: str, extra: str):
    """(torch, transformers), ready for snellen-built checkpoints; `user` and `extra` name who needs them and how
    to install them in the error."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise SnellenError(f"{user} needs torch and transformers ({exc.name} is missing): {extra}") from exc
    import snellen.train.towers  # noqa: F401  (registers snellen-built vision towers with the Auto classes)

    quiet_transformers()
    return torch, transformers

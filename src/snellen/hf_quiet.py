"""Keep transformers' own chatter out of snellen's output: weight-loading and shard-writing progress bars
and its FutureWarnings about its own API (TRL passes deprecated arguments). Errors and real warnings stay."""

from __future__ import annotations

import warnings


def quiet_transformers() -> None:
    import transformers

    transformers.utils.logging.disable_progress_bar()
    try:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    except ImportError:  # older huggingface_hub: bars stay
        pass
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(transformers|trl)(\.|$)")

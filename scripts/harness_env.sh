#!/usr/bin/env bash
# Builds .hvenv/: the evaluation harnesses snellen exports to (lmms-eval, inspect-ai; `snellen[harness]`) with
# snellen itself, in their own virtual environment. lmms-eval pins its own transformers/pandas/filelock and pulls
# torchvision, which would change the project's .venv; tests/interop runs the harnesses from here as subprocesses.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .hvenv/bin/python ] || python3 -m venv .hvenv
# CPU torch first (an unpinned torch would pull a multi-GB CUDA build), and keep it through the harness install.
.hvenv/bin/pip install -q torch==2.13.0
echo "torch==2.13.0" > .hvenv/torch-pin.txt
.hvenv/bin/pip install -q -c .hvenv/torch-pin.txt -e '.[harness]'
# torchvision's wheel is built against CUDA torch and breaks imports next to the CPU one; nothing we run needs it.
.hvenv/bin/pip uninstall -y -q torchvision 2>/dev/null || true
.hvenv/bin/python -c "import lmms_eval, inspect_ai, snellen; print('harness venv ready: lmms-eval', __import__('importlib.metadata').metadata.version('lmms-eval'), 'inspect-ai', inspect_ai.__version__)"

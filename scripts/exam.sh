#!/usr/bin/env bash
# Sets up snellen with its default model (the PP-OCR observer shipped inside `rapidocr`) on a fresh machine
# and runs the main job: `snellen exam`. Extra arguments go to `snellen exam`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[ocr]'
exec .venv/bin/snellen exam "$@"

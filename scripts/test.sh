#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs the whole suite.
# .ci/run runs exactly this script; the README's test command is `bash scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need_apt=""
command -v tesseract >/dev/null 2>&1 || need_apt="$need_apt tesseract-ocr tesseract-ocr-eng"
command -v chromium >/dev/null 2>&1 || need_apt="$need_apt chromium"
[ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] || need_apt="$need_apt dataset-fashion-mnist"
if [ -n "$need_apt" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need_apt >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Pin the CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[all,dev]' torch==2.13.0  # the train extra (trl, peft) must not move torch
# lmms-eval and inspect-ai (snellen[harness]) in their own venv, .hvenv/: tests/interop runs them for real
bash scripts/harness_env.sh

export RAY_USAGE_STATS_ENABLED=0 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
set +e
.venv/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$rc"

#!/usr/bin/env bash
# Before/after demonstration of `snellen train` on this CPU (not a test): exam the untrained tiny model,
# train it (benchmarks/train_demo.yaml), exam it again on the same held-out exam-split probes.
#   bash benchmarks/train_demo.sh [OUT]      (default OUT=runs/train-demo)
set -euo pipefail
OUT=${1:-runs/train-demo}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
CFG=benchmarks/train_demo.yaml
mkdir -p "$OUT"
EXAM=(--suite quick --tasks colour,shape --per-cell 20 --max-tokens 16)
snellen train "$CFG" --out "$OUT/run" --dry-run > "$OUT/plan.txt" 2>/dev/null || true
start=$(date +%s)
snellen train "$CFG" --out "$OUT/run" $( [ -f "$OUT/run/run.json" ] && echo --resume )
end=$(date +%s)
echo "training wall time: $((end - start)) s"
snellen eval --model "hf:$OUT/run/base" --out "$OUT/exam-before" "${EXAM[@]}"
snellen eval --model "hf:$OUT/run/stages/01-sft/final" --out "$OUT/exam-after-sft" "${EXAM[@]}"
snellen eval --model "hf:$OUT/run/final" --out "$OUT/exam-after" "${EXAM[@]}"
for r in before after-sft after; do snellen report "$OUT/exam-$r" >/dev/null 2>&1 || true; done

#!/usr/bin/env bash
# Before/after demonstration of `snellen train` on this CPU (not a test):
#   1. SFT (benchmarks/train_demo.yaml): frozen EfficientNet-Lite0 + new projector + from-scratch Llama;
#   2. GRPO from that checkpoint (benchmarks/train_demo_grpo.yaml), accuracy + format reward;
#   3. the same held-out exam-split probes on the untrained, the SFT and the GRPO model; thresholds side by side,
#      and the GRPO stage's accuracy reward, first vs last quarter.
#   bash benchmarks/train_demo.sh [OUT]      (default OUT=runs/train-demo; about 45 minutes on 2 CPU cores)
set -euo pipefail
OUT=${1:-runs/train-demo}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
mkdir -p "$OUT"
EXAM=(--suite quick --tasks colour,shape --per-cell 40 --max-tokens 16)
resume() { [ -f "$1/run.json" ] && echo --resume || true; }
snellen train benchmarks/train_demo.yaml --out "$OUT/sft" --dry-run > "$OUT/plan.txt"
start=$(date +%s)
snellen train benchmarks/train_demo.yaml --out "$OUT/sft" --threads 1 $(resume "$OUT/sft")
mid=$(date +%s)
snellen train benchmarks/train_demo_grpo.yaml --model "$OUT/sft/final" --out "$OUT/grpo" --threads 1 $(resume "$OUT/grpo")
end=$(date +%s)
echo "training wall time: SFT $((mid - start)) s, GRPO $((end - mid)) s"
snellen eval --model "hf:$OUT/sft/base" --out "$OUT/exam-before" "${EXAM[@]}"
snellen eval --model "hf:$OUT/sft/final" --out "$OUT/exam-after-sft" "${EXAM[@]}"
snellen eval --model "hf:$OUT/grpo/final" --out "$OUT/exam-after-grpo" "${EXAM[@]}"
for r in before after-sft after-grpo; do snellen report "$OUT/exam-$r" > /dev/null; done
python benchmarks/train_demo_compare.py "$OUT/exam-before" "$OUT/exam-after-sft" "$OUT/exam-after-grpo" \
    --metrics "$OUT/grpo/stages/01-grpo/metrics.jsonl"

"""The synthetic ablation set-up behind the README example and tests/analysis/test_ablation_spec.py: 8 models
(2 encoders x 2 LLMs x 2 replicates) whose scores come from the three sources a user has:

- lmms-eval: the committed results/samples files of real lmms-eval 0.7.3 runs (tests/interop/ablation_lmms_runs.py):
  `toyabl_birds` (fine-grained) and `toyabl_vqa` (general, filter `flex`); two models give birds by their samples file;
- VLMEvalKit: `<model>_ToyMCQ_acc.csv` as its report_acc writes it (general);
- snellen: a `snellen finegrained` run on the real Fashion-MNIST (mc5, 60 images; fine-grained) by `t-ablate:P`,
  a test backend right on about a share P of the images.

Planned effects in points (fine-grained | general): encoder clip-b -> siglip-so +40 birds, ~+35 fmnist | +5 vqa,
+2 mcq; LLM llama2-7b -> llama3-8b +10, ~+10 | +15, +12; the replicate adds +5/+5/+5/+3 (noise to the fit).

    python tests/analysis/ablation_example.py OUT     # writes OUT/ablation.yaml, OUT/runs/, OUT/vlmeval/
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "interop"))
import ablation_backend  # noqa: E402,F401  (registers t-ablate)
import vlmevalkit_writers as vw  # noqa: E402
from ablation_lmms_runs import OUT as LMMS, models  # noqa: E402

FMNIST_IMAGES = 60
FMNIST = dict(base=0.30, encoder=0.35, llm=0.10, rep=0.05)
MCQ = dict(base=0.50, encoder=0.02, llm=0.12, rep=0.03)
SAMPLES_FOR_BIRDS = ("clip-b+llama2-7b#0", "siglip-so+llama3-8b#0")
BENCHMARKS = {
    "birds": {"kind": "fine-grained", "tasks": ["toyabl_birds"]},
    "fmnist": {"kind": "fine-grained", "tasks": [{"task": "fashion-mnist:mc5-random", "format": "snellen"}]},
    "vqa": {"kind": "general", "tasks": [{"task": "toyabl_vqa", "metric": "exact_match,flex"}]},
    "mcq": {"kind": "general", "tasks": [{"task": "ToyMCQ", "format": "vlmevalkit"}]},
}


def folder(name: str) -> Path:
    return LMMS / name.replace("+", "_").replace("#", "_")


def one(path: Path, pattern: str) -> Path:
    (p,) = path.glob(pattern)
    return p


def planned_p(table: dict, encoder: str, llm: str, rep: int) -> float:
    return table["base"] + table["encoder"] * (encoder == "siglip-so") + table["llm"] * (llm == "llama3-8b") + table["rep"] * rep


def build(root: Path) -> Path:
    """Runs, tables and the spec under root; returns the spec's path. Paths in the spec are relative to it."""
    import os

    import yaml

    from snellen.cli import main

    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, enc, llm, rep in models():
        slug = name.replace("+", "_").replace("#", "_")
        run = root / "runs" / slug
        old, sys.argv = sys.argv, ["snellen", "finegrained", "--model", f"t-ablate:{planned_p(FMNIST, enc, llm, rep):.2f}",
                                   "--dataset", "fashion-mnist", "--protocol", "mc5", "--limit", str(FMNIST_IMAGES),
                                   "--out", str(run)]
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, f"snellen finegrained failed for {name}"
        finally:
            sys.argv = old
        mcq = planned_p(MCQ, enc, llm, rep)
        acc = vw.report_acc(root / "vlmeval" / slug / f"{name}_ToyMCQ_acc.csv", {"none": mcq}, {"attr": {"none": mcq - 0.1}})
        lm = one(folder(name), "*_samples_toyabl_birds.jsonl" if name in SAMPLES_FOR_BIRDS else "*_results.json")
        rel = lambda p: os.path.relpath(p, root)  # noqa: E731
        entries.append({"model": name, "encoder": enc, "llm": llm, "results": [rel(run), rel(acc), rel(lm)]})
    spec = root / "ablation.yaml"
    spec.write_text(yaml.safe_dump({"benchmarks": BENCHMARKS, "models": entries}, sort_keys=False))
    return spec


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("ablation-example")))

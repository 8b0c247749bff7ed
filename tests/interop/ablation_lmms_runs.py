"""Real lmms-eval runs for the ablation fixtures: 8 fake models (2 encoders x 2 LLMs x 2 replicates) on a
two-task group (`toyabl_birds`: fine-grained, `toyabl_vqa`: general) served by the test API server.

lmms-eval itself (0.7.3, in .hvenv; scripts/harness_env.sh) runs each model, with its own `exact_match`
metric (mean aggregation); toyabl_vqa has two filters (`strict`: the whole reply, `flex`: its last word),
so its results hold `exact_match,strict` and `exact_match,flex`. Which documents a model gets right is
planned here (SETUP), so every accuracy in the fixtures is known exactly:

    python tests/interop/ablation_lmms_runs.py   # rewrites tests/interop/fixtures/ablation/lmms/
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "models"))
from harness_runs import _env, harness_python  # noqa: E402

OUT = HERE / "fixtures" / "ablation" / "lmms"
N_DOCS = 20
BIRDS = ["robin", "wren", "finch", "sparrow", "warbler"]
THINGS = ["cat", "car", "tree", "boat", "lamp"]
ENCODERS, LLMS, REPLICATES = ("clip-b", "siglip-so"), ("llama2-7b", "llama3-8b"), (0, 1)


def models() -> list[tuple[str, str, str, int]]:
    return [(f"{e}+{m}#{r}", e, m, r) for e in ENCODERS for m in LLMS for r in REPLICATES]


def planned(encoder: str, llm: str, rep: int) -> dict[str, int]:
    """Documents right out of N_DOCS: birds (strict = flex), vqa strict and vqa flex (flex also reads
    the correct answers given in a sentence). Effects in points: encoder +40 fine-grained / +5 general,
    LLM +10 / +15 (on flex), replicate +5 everywhere."""
    s, l3 = encoder == "siglip-so", llm == "llama3-8b"
    birds = 6 + 8 * s + 2 * l3 + rep
    vqa_flex = 8 + 1 * s + 3 * l3 + rep
    return {"birds": birds, "vqa_flex": vqa_flex, "vqa_strict": vqa_flex - 2}


def _rank(model: str, task: str) -> list[int]:
    """A per-model order of the documents: the first k are the ones it gets right."""
    return sorted(range(N_DOCS), key=lambda i: hashlib.sha256(f"{model}|{task}|{i}".encode()).hexdigest())


def answers() -> dict[str, dict[tuple[str, int], str]]:
    """model -> (task, doc) -> reply text."""
    out = {}
    for name, enc, llm, rep in models():
        plan, replies = planned(enc, llm, rep), {}
        for task, labels in (("birds", BIRDS), ("vqa", THINGS)):
            order = _rank(name, task)
            right = set(order[: plan["birds" if task == "birds" else "vqa_flex"]])
            prose = set(order[plan["vqa_strict"]: plan["vqa_flex"]]) if task == "vqa" else set()
            for i in range(N_DOCS):
                target = labels[i % len(labels)]
                if i in prose:
                    replies[(task, i)] = f"I think it is a {target}"
                elif i in right:
                    replies[(task, i)] = target
                else:
                    replies[(task, i)] = labels[(i + 1) % len(labels)]
        out[name] = replies
    return out


TASK_YAML = """task: {task}
dataset_path: parquet
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_visual: !function utils.doc_to_visual
doc_to_text: !function utils.doc_to_text
doc_to_target: answer
generation_kwargs:
  max_new_tokens: 16
  temperature: 0
  do_sample: false
  until: []
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
    ignore_case: true
    ignore_punctuation: true
{filters}metadata:
  version: 1.0
"""
VQA_FILTERS = """filter_list:
  - name: strict
    filter:
      - function: take_first
  - name: flex
    filter:
      - function: regex
        regex_pattern: "(\\\\w+)\\\\s*$"
      - function: take_first
"""
GROUP_YAML = """group: toyabl
task:
  - toyabl_birds
  - toyabl_vqa
aggregate_metric_list:
  - metric: exact_match
    aggregation: mean
    weight_by_size: true
metadata:
  version: 1.0
"""
UTILS = '''def doc_to_visual(doc):
    return [doc["image"].convert("RGB")]


def doc_to_text(doc, lmms_eval_specific_kwargs=None):
    return doc["question"]
'''


def write_tasks(root: Path) -> None:
    import datasets
    from PIL import Image

    root.mkdir(parents=True)
    for task, labels, filters in (("birds", BIRDS, ""), ("vqa", THINGS, VQA_FILTERS)):
        rows = {"question": [], "answer": [], "image": []}
        for i in range(N_DOCS):
            buf = io.BytesIO()
            Image.new("RGB", (16, 16), (i * 12 % 256, 40, 200 if task == "birds" else 90)).save(buf, "PNG")
            rows["question"].append(f"[{task} {i}] What is shown? Answer with one word.")
            rows["answer"].append(labels[i % len(labels)])
            rows["image"].append({"bytes": buf.getvalue(), "path": f"{task}{i}.png"})
        feats = datasets.Features({"question": datasets.Value("string"), "answer": datasets.Value("string"),
                                   "image": datasets.Image()})
        data = root / f"{task}.parquet"
        datasets.Dataset.from_dict(rows, features=feats).to_parquet(str(data))
        (root / f"toyabl_{task}.yaml").write_text(TASK_YAML.format(task=f"toyabl_{task}", data=data, filters=filters))
    (root / "toyabl.yaml").write_text(GROUP_YAML)
    (root / "utils.py").write_text(UTILS)


def serve():
    """The test API server answering every planned model (model name = lmms-eval's model_version)."""
    from api_server import ApiServer

    replies = answers()
    item = re.compile(r"\[(\w+) (\d+)\]")

    def answer(seen) -> str:
        m = item.search(seen.prompt or "")
        return replies[seen.model][(m.group(1), int(m.group(2)))]

    return ApiServer(answer=answer, lifetime_s=3600)


def run_lmms(name: str, base_url: str, tasks: Path, out: Path) -> subprocess.CompletedProcess:
    args = f"model_version={name},base_url={base_url},api_key=EMPTY,max_retries=1,num_concurrent=1"
    return subprocess.run([str(harness_python()), "-m", "lmms_eval", "--model", "openai", "--model_args", args,
                           "--include_path", str(tasks), "--tasks", "toyabl", "--log_samples",
                           "--output_path", str(out), "--batch_size", "1"],
                          capture_output=True, text=True, timeout=900, cwd=out.parent, env=_env({}))


def main() -> None:
    assert harness_python() is not None, "build .hvenv first: bash scripts/harness_env.sh"
    if OUT.exists():
        shutil.rmtree(OUT)
    with tempfile.TemporaryDirectory() as tmp, serve() as server:
        tmp = Path(tmp)
        write_tasks(tmp / "tasks")
        for name, *_ in models():
            out = tmp / "out"
            r = run_lmms(name, server.openai_base_url, tmp / "tasks", out)
            assert r.returncode == 0, r.stderr[-4000:]
            folder = OUT / name.replace("+", "_").replace("#", "_")
            folder.mkdir(parents=True)
            for f in out.rglob("*.json*"):
                shutil.copy(f, folder / f.name)
            shutil.rmtree(out)
            print(name, "->", sorted(p.name for p in folder.iterdir()), flush=True)


if __name__ == "__main__":
    main()

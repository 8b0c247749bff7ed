"""VLMEvalKit score files as its writers lay them out (VLMEvalKit is not installable here: its evaluate code
needs the datasets' TSVs and judges). Each helper follows one writer of VLMEvalKit (read at commit e8e78f05):

- `report_acc` (vlmeval/dataset/utils/multiple_choice.py): a DataFrame of `split`, `Overall`, then one column
  per l2-category / category (MMBench's abbreviated), values np.mean of 0/1 hits (fractions), dumped by
  vlmeval.smp.dump as `<pred>_acc.csv`: `to_csv(index=False, quoting=csv.QUOTE_ALL)`;
- `vqa_acc` (ImageVQADataset.evaluate_heuristic): `d2df` of {'Overall': mean hit * 100, <category>: ...}, one row;
- `mme_score` (utils/yorn.MME_rating): `d2df` of {perception, reasoning, <category>...}: sums of per-category
  acc + acc+ (each 0-200);
- `pope_score` (utils/yorn.POPE_rating): columns split, Overall (F1 x100), acc, precision, recall; rows
  'Overall' then one per category;
- `mmvet_score` (utils/mmvet.MMVet_acc): columns Category, tot, acc (x100), rows per capability + 'Overall';
- EVAL_FORMAT=json: the same DataFrame dumped as records (`to_dict('records')`, json.dump indent=4).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd


def dump(df: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(df.to_dict("records"), indent=4, ensure_ascii=False))
    else:
        df.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL)
    return path


def report_acc(path: Path, overall: dict[str, float], categories: dict[str, dict[str, float]] | None = None) -> Path:
    """overall: split -> fraction; categories: name -> split -> fraction."""
    res = {"split": list(overall), "Overall": list(overall.values())}
    for name in sorted(categories or {}):
        res[name] = [categories[name][sp] for sp in overall]
    return dump(pd.DataFrame(res), path)


def vqa_acc(path: Path, overall_percent: float, categories: dict[str, float] | None = None) -> Path:
    ret = {"Overall": overall_percent, **dict(sorted((categories or {}).items()))}
    return dump(pd.DataFrame({k: [v] for k, v in ret.items()}), path)


def mme_score(path: Path, perception_cats: dict[str, float], reasoning_cats: dict[str, float]) -> Path:
    ret = {"perception": sum(perception_cats.values()), "reasoning": sum(reasoning_cats.values()),
           **perception_cats, **reasoning_cats}
    return dump(pd.DataFrame({k: [v] for k, v in ret.items()}), path)


def pope_score(path: Path, rows: dict[str, tuple[float, float, float, float]]) -> Path:
    """rows: split label -> (F1, acc, precision, recall), all x100; 'Overall' first."""
    res = {"split": [], "Overall": [], "acc": [], "precision": [], "recall": []}
    for label, (f1, acc, p, r) in rows.items():
        res["split"].append(label)
        res["Overall"].append(f1)
        res["acc"].append(acc)
        res["precision"].append(p)
        res["recall"].append(r)
    return dump(pd.DataFrame(res), path)


def mmvet_score(path: Path, rows: dict[str, tuple[int, float]]) -> Path:
    """rows: capability -> (tot, acc x100), including 'Overall'."""
    res = {"Category": list(rows), "tot": [t for t, _ in rows.values()], "acc": [a for _, a in rows.values()]}
    return dump(pd.DataFrame(res), path)

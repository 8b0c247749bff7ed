"""A run manifest as a person reads it: one row per setting, dates instead of epochs, command lines as typed,
and lists of records (invocations, sources) as small tables with one column per record."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from typing import Any

# Keys whose numbers are Unix times (seconds). Anything in the range below is shown as a UTC date.
TIME_KEYS = ("created", "started", "finished", "updated", "modified", "time", "timestamp")
EPOCH_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 .. 2100-01-01
SHOWN_CHARS = 500


def _is_time_key(key: str) -> bool:
    leaf = key.rsplit(".", 1)[-1].lower()
    return leaf in TIME_KEYS or leaf.endswith(("_at", "_time"))


def format_value(key: str, v: Any) -> str:
    """One manifest value as text: epochs as dates, durations with units, argv as a shell line."""
    leaf = key.rsplit(".", 1)[-1].lower()
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)) and _is_time_key(key) and EPOCH_RANGE[0] <= v <= EPOCH_RANGE[1]:
        return dt.datetime.fromtimestamp(v, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(v, float) and (leaf.endswith("_s") or leaf == "seconds"):
        return f"{v:,.1f} s"
    if leaf == "argv" and isinstance(v, list):
        return shlex.join(str(a) for a in v)
    if isinstance(v, dict):
        if not v:
            return "none"
        if all(not isinstance(x, (dict, list)) for x in v.values()):
            return ", ".join(f"{k}: {format_value(f'{key}.{k}', x)}" for k, x in v.items())
    if isinstance(v, list):
        if not v:
            return "none"
        if all(not isinstance(x, (dict, list)) for x in v):
            return ", ".join(map(str, v))
    if isinstance(v, (dict, list)):
        v = json.dumps(v, default=str, ensure_ascii=False)
    text = str(v)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}… [{len(text):,} characters]"


def _leaves(d: dict, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts flattened to dotted keys; a dict of counts (e.g. errors by kind) stays one value."""
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and v and not _is_counts(v):
            out += _leaves(v, key)
        else:
            out.append((key, v))
    return out


def _is_counts(d: dict) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in d.values())


def _records_table(key: str, items: list[dict]) -> dict:
    """A list of records: rows are their fields, columns are the records (a run has few invocations)."""
    cols = [dict(_leaves(item)) for item in items]
    fields: list[str] = []
    for c in cols:
        fields += [f for f in c if f not in fields]
    rows = [(f, [format_value(f"{key}.{f}", c[f]) if f in c else "" for c in cols]) for f in fields]
    return {"key": key, "headers": [f"#{i + 1}" for i in range(len(items))], "rows": rows}


def manifest_rows(manifest: dict) -> list[dict]:
    """Rows for the manifest panel: "key", and "value" (text) or "table" (a list of records)."""
    out: list[dict] = []

    def walk(d: dict, prefix: str) -> None:
        for k, v in d.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, dict) and v and not _is_counts(v):
                walk(v, key)
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                out.append({"key": key, "value": None, "table": _records_table(key, v)})
            else:
                out.append({"key": key, "value": format_value(key, v), "table": None})

    walk(manifest, "")
    return out

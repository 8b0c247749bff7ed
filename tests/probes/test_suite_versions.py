"""Built-in suites are versioned: changing one's content without bumping its version fails here, and a bump
changes the identity a run records (name, version, hash) and every sample id, so old and new runs never
pass as one suite. (quick 2 -> 3 and acuity 1 -> 2 when the species family joined them.)"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import yaml

from snellen.probes.suite import Suite, SuiteSpec, load_suite
from snellen.run import select_suite

LOCK = Path(__file__).with_name("suite_versions.json")


def builtin_suites() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("snellen.probes.suites").iterdir() if p.name.endswith(".yaml"))


def stale(lock: dict, suites: dict[str, Suite]) -> list[str]:
    """One line per suite whose (version, hash) is not in the lock: changed content under an old version, or
    a new version not yet recorded."""
    out = []
    for name, s in suites.items():
        known = lock.get(name, {})
        if known.get(s.version) != s.manifest_hash:
            why = ("its content changed but its version did not: bump `version` in its YAML" if s.version in known else
                   f'a new version: record it in tests/probes/suite_versions.json ("{name}": {{"{s.version}": "{s.manifest_hash}"}})')
            out.append(f"suite {name} version {s.version} hash {s.manifest_hash}: {why}")
    return out


def test_every_builtin_suite_matches_its_recorded_version():
    lock = json.loads(LOCK.read_text())
    names = builtin_suites()
    assert {"quick", "acuity", "finesight"} <= set(names)
    assert set(names) == set(lock) - {"_doc"}, "every built-in suite is recorded"
    problems = stale(lock, {n: load_suite(n) for n in names})
    assert not problems, "\n".join(problems)


def test_adding_a_task_without_a_version_bump_is_caught_and_a_bump_changes_what_a_run_records():
    lock = json.loads(LOCK.read_text())
    raw = yaml.safe_load(resources.files("snellen.probes.suites").joinpath("quick.yaml").read_text())
    current = Suite(SuiteSpec(**raw))
    assert stale(lock, {"quick": current}) == []
    # quick as it was before species: the same tasks minus species
    before = Suite(SuiteSpec(**{**raw, "version": "2", "tasks": [t for t in raw["tasks"] if t["family"] != "species"]}))
    assert [e.name for e in current.entries] == [e.name for e in before.entries] + ["species"]
    assert stale(lock, {"quick": before}) == []  # the old content is quick 2 as recorded
    # species added under the old version (what happened before the bump): caught
    (line,) = stale(lock, {"quick": Suite(SuiteSpec(**{**raw, "version": "2"}))})
    assert "quick version 2" in line and "its content changed but its version did not: bump `version`" in line
    # adding a family under the old version: caught
    grown = Suite(SuiteSpec(**{**raw, "version": current.version, "tasks": raw["tasks"] + [
        {"name": "species2", "family": "species", "params": {"scales": [8], "per_cell": 1}}]}))
    (line,) = stale(lock, {"quick": grown})
    assert "its content changed but its version did not" in line
    # the identity a run records differs, and no sample of the old suite shares an id with the new one
    old_src, new_src = select_suite(before).source, select_suite(current).source
    assert (old_src["version"], new_src["version"]) == ("2", current.version) and old_src["hash"] != new_src["hash"]
    letter = lambda s: [x.id for x in s.samples(items=[w for w in s.work() if s.entries[w.task_index].name == "letter"])]  # noqa: E731
    old_ids, new_ids = letter(before), letter(current)
    assert len(old_ids) == len(new_ids) == 12 and not set(old_ids) & set(new_ids)

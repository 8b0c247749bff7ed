"""The store under attack: text that is not valid Unicode, a second writer, an error arriving after an
answer, a folder that is not a run, a write that fails half way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from snellen.atomic import WriteError, atomic_write
from snellen.schema import SnellenError
from snellen.store import Row, create_run, open_run, pixel_hash


def _row(sample, status="ok", text='{"letter": "A"}', repeat=0, key="k0", **kw):
    return Row(key=key, sample=sample, pixels=pixel_hash(sample.pixels()), repeat=repeat, status=status, text=text, **kw)


def test_any_text_a_server_can_send_is_stored_and_read_back_exactly(tmp_path, quick_samples):
    # '\udcff' is what bytes.decode('utf-8', 'surrogateescape') makes of a stray 0xff byte; it cannot be
    # encoded as UTF-8, which made sqlite3 raise UnicodeEncodeError and the run stop at this sample forever.
    texts = ["caf\udcff", "\ud800 lone high", "ok \U0001f600 emoji", "nul\x00byte", ""]
    run = create_run(tmp_path / "r")
    rows = [_row(s, text=t, key=f"k{i}") for i, (s, t) in enumerate(zip(quick_samples, texts))]
    rows.append(_row(quick_samples[5], status="error", text=None, error_kind="bad_request",
                     error_message="server said \udcfe", key="k5", raw={"detail": "\udcfd"}))
    run.write(rows)
    run.close()
    with open_run(tmp_path / "r") as run:
        back = {s.id: r for s, r in run.records(images=False)}
        n = run.export_jsonl(tmp_path / "export.jsonl")
    for s, t in zip(quick_samples, texts):
        assert back[s.id].text == t
    err = back[quick_samples[5].id]
    assert err.error_message == "server said \udcfe" and err.raw == {"detail": "\udcfd"}
    assert n == 6
    exported = [json.loads(line) for line in (tmp_path / "export.jsonl").read_text().splitlines()]
    assert {e["text"] for e in exported} >= set(texts)


def test_a_late_error_never_replaces_an_answer(tmp_path, quick_samples):
    s = quick_samples[0]
    run = create_run(tmp_path / "r")
    run.write([_row(s, text="the answer")])
    run.write([_row(s, status="error", text=None, error_kind="timeout", error_message="late")])
    run.write([_row(s, status="unsupported", text=None)])
    assert [(r.status, r.text) for _, r in run.records()] == [("ok", "the answer")]
    # an error is replaced by the newer attempt, whatever it is
    t = quick_samples[1]
    run.write([_row(t, status="error", text=None, error_kind="timeout", error_message="first")])
    run.write([_row(t, status="error", text=None, error_kind="rate_limit", error_message="second")])
    assert run.counts() == {"ok": 1, "error": 1}
    run.write([_row(t, text="finally")])
    assert run.counts() == {"ok": 2}
    run.close()


HOLDER = """
import sys, time
sys.path.insert(0, {src!r})
from snellen.store import create_run
run = create_run({path!r})
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_writer_is_refused_and_the_lock_dies_with_its_holder(tmp_path):
    path = tmp_path / "run"
    src = str(__import__("snellen").__file__.rsplit("/snellen/", 1)[0])
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(src=src, path=str(path))], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(SnellenError, match=rf"being written by another snellen process \(pid {holder.pid}\)"):
            create_run(path)
        with open_run(path) as reader:  # readers are never blocked
            assert reader.counts() == {}
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    run = create_run(path)  # the killed holder's lock is gone with it
    run.close()
    run = create_run(path)  # and closing releases it
    run.close()


def test_a_run_is_never_created_in_a_dataset_or_foreign_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    manifest = json.dumps({"format": "snellen-samples", "version": 1, "shards": []})
    (data / "manifest.json").write_text(manifest)
    with pytest.raises(SnellenError, match="holds a snellen dataset, not a run"):
        create_run(data)
    assert (data / "manifest.json").read_text() == manifest and not (data / "store.sqlite").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text('{"name": "my web app"}')
    with pytest.raises(SnellenError, match="manifest.json of another kind"):
        create_run(other)
    pngs = tmp_path / "pngs"
    pngs.mkdir()
    (pngs / "samples.jsonl").write_text("")
    with pytest.raises(SnellenError, match="holds a dataset"):
        create_run(pngs)


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("the good report")
    real_fsync = os.fsync

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(WriteError, match=rf"cannot write {target}: no space left on device"):
        atomic_write(target, "x" * 10_000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_text() == "the good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left behind


def test_a_killed_writer_leaves_the_previous_file(tmp_path):
    """SIGKILL in the middle of a large atomic write: the target is the old file or the new one, never a part."""
    target = tmp_path / "big.txt"
    target.write_text("old")
    src = str(__import__("snellen").__file__.rsplit("/snellen/", 1)[0])
    code = (f"import sys; sys.path.insert(0, {src!r}); from snellen.atomic import atomic_open\n"
            f"with atomic_open({str(target)!r}) as fh:\n"
            "    print('writing', flush=True)\n"
            "    import time\n"
            "    for _ in range(3000): fh.write('y' * 4096); time.sleep(0.01)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert target.read_text() == "old"

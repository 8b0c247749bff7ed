import html as htmllib
import json
import re

import numpy as np
import pytest

from snellen.report import build_report, write_report
from snellen.report.build import ReportError


def _json_block(text: str) -> str:
    return re.search(r'<script type="application/json" id="snellen-data">(.*?)</script>', text, re.S).group(1)


def test_report_is_self_contained(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "nothing may load from the network"
    assert "<link" not in text and "@import" not in text
    assert text.count("<svg") >= 4 + 1 + 3 * 3  # task curves, kind panel, per-model taxonomy charts
    assert text.count('src="data:image/png;base64,') >= 3


def test_payloads_are_escaped_everywhere(report_html, payloads):
    text = report_html.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert len(scripts) == 2  # the JSON block and our own code, nothing else
    assert not re.search(r"<img[^>]*onerror", text)
    assert not re.search(r"<svg[^>]*onload", text)
    block = _json_block(text)
    assert "</" not in block and "<" not in block  # tojson escapes, so the block cannot be closed early
    data = json.loads(block)
    outputs = " ".join(g["output"] for g in data["gallery"])
    assert any(p in outputs for p in payloads)
    assert htmllib.escape(payloads[0], quote=False) in text  # shown as text


def test_manifest_and_thresholds_are_shown(report_html):
    text = report_html.read_text(encoding="utf-8")
    for key in ("suite.hash", "model.identity.model", "processor.resize", "versions.snellen"):
        assert key in text
    assert "smallest letter this model reads" in text
    assert re.search(r"\d+\.\d px", text)


def test_report_is_deterministic_given_the_seed(make_runs):
    a = build_report(make_runs(2, per_cell=6), np.random.default_rng(1), n_boot=50)
    b = build_report(make_runs(2, per_cell=6), np.random.default_rng(1), n_boot=50)
    assert a == b


def test_profiles_get_separate_sections(make_runs):
    runs = make_runs(2, per_cell=6, tasks=("letter", "shape"))
    runs[1].scores = runs[1].scores.assign(profile="finesight")
    text = build_report(runs, np.random.default_rng(0), n_boot=20)
    assert 'data-profile="finesight"' in text and 'data-profile="snellen"' in text


def test_duplicate_answers_across_runs_are_refused(make_runs, tmp_path):
    runs = make_runs(1, per_cell=4, tasks=("letter",))
    with pytest.raises(ReportError, match="two runs"):
        build_report(runs + runs, np.random.default_rng(0), n_boot=10)
    with pytest.raises(ReportError, match="does not exist"):
        write_report(runs, tmp_path / "missing" / "r.html", n_boot=10)


def test_tasks_without_effective_size_say_so_beside_tasks_with_it(make_runs):
    """One section can mix tasks whose encoder size is known and tasks where it is not."""
    runs = make_runs(2, per_cell=6)
    for r in runs:
        r.scores.loc[r.scores["task"] == "letter", "effective_scale"] = np.nan
    text = build_report(runs, np.random.default_rng(0), n_boot=20)
    assert 'data-axis="effective"' in text
    assert text.count("Effective size unknown for this task") >= 1


def _decode(data_uri: str) -> np.ndarray:
    import base64
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1]))).convert("RGB"))


def test_small_targets_get_a_nearest_neighbour_inset_with_its_scale():
    """Issue 13.17: a 4 px target on a large canvas is a dot at gallery size; the inset magnifies its region
    by an integer factor, pixel for pixel, and says by how much and where."""
    from snellen.report.gallery import inset
    from snellen.schema import AnswerField, Sample, Target

    rng = np.random.default_rng(3)
    img = np.full((448, 448, 3), 255, np.uint8)
    img[300:304, 200:203] = rng.integers(0, 255, (4, 3, 3), dtype=np.uint8)  # a 4 px target with distinct pixels
    box = (200, 300, 203, 304)

    def sample(scale, targets):
        return Sample(id="s", suite="t", suite_version="0", suite_hash="h", task="letter", family="letter",
                      kind="perception", split="exam", seed=0, index=0, cell={}, prompts={}, answer={"letter": "A"},
                      fields=[AnswerField(name="letter", kind="label", options=("A", "B"))], chance=0.5, scale=scale,
                      measured_scale=scale, ink_h=4, ink_w=3, count=1, targets=targets, canvas=(448, 448), image=img)

    t = Target(kind="letter", identity="A", colour="black", rgb=(0, 0, 0), nominal=4, box=box, support=box)
    z = inset(sample(4, [t]))
    x0, y0, x1, y1 = z["box"]
    assert x0 <= 200 and y0 <= 300 and x1 >= 203 and y1 >= 304 and (x1 - x0) < 20  # the target, and little else
    mag = z["mag"]
    assert mag >= 8 and max(x1 - x0, y1 - y0) * mag <= 160
    shown = _decode(z["image"])
    assert shown.shape == ((y1 - y0) * mag, (x1 - x0) * mag, 3)
    assert np.array_equal(shown[::mag, ::mag], img[y0:y1, x0:x1])  # nearest-neighbour: every block is one pixel
    assert np.array_equal(shown, np.repeat(np.repeat(img[y0:y1, x0:x1], mag, 0), mag, 1))
    assert z["bar_px"] == 4 and z["bar_pct"] == pytest.approx(100 * 4 / (x1 - x0), abs=1e-3)
    # targets spread over the canvas: the inset shows one of them (the one drawn at the sample's scale), saying so
    far = Target(kind="letter", identity="B", colour="red", rgb=(255, 0, 0), nominal=12, box=(10, 10, 22, 22), support=(10, 10, 22, 22))
    z2 = inset(sample(4, [far, t]))
    assert z2["box"] == z["box"] and "one of 2 targets" in z2["which"] and "black A" in z2["which"]
    assert inset(sample(32, [t])) is None  # large targets are seen in the whole image
    assert inset(sample(4, [])) is None  # nothing drawn (a negative presence sample): nothing to magnify


def _with_texts(runs, texts: dict[str, str]):
    """Every failure of the given tasks answers with the given text."""
    for r in runs:
        for task, text in texts.items():
            fail = (r.scores["task"] == task) & (r.scores["outcome"] != "correct")
            r.scores.loc[fail, "text"] = text
    return runs


def test_empty_output_says_empty_and_long_output_is_cut_with_its_length(make_runs):
    """Issue 13.18: an empty answer shows '(empty)', not an empty box; a 1 MB answer is not embedded whole."""
    plain = build_report(make_runs(1, per_cell=6), np.random.default_rng(0), n_boot=20)
    huge = "7 " * 500_000
    text = build_report(_with_texts(make_runs(1, per_cell=6), {"shape": "", "count": huge}), np.random.default_rng(0), n_boot=20)
    assert len(text.encode()) - len(plain.encode()) < 50_000  # 3 gallery answers of 1 MB each would add 3 MB
    assert re.search(r'<pre class="model-output empty">\(empty\)</pre>', text)
    assert "showing the first 2,000 of 1,000,000 characters" in text
    data = json.loads(_json_block(text))
    cut = [g for g in data["gallery"] if g["task"] == "count"]
    assert cut and all(len(g["output"]) == 2000 and g["output_chars"] == 1_000_000 for g in cut)
    assert all(g["output"] == "" and g["output_chars"] == 0 for g in data["gallery"] if g["task"] == "shape")


def test_manifest_shows_dates_and_invocations_as_a_table(make_runs):
    """Issue 13.18: `created` was a raw epoch and `invocations` a JSON dump."""
    import datetime as dt

    runs = make_runs(1, per_cell=4, tasks=("letter",))
    created = 1795649534.9322822
    runs[0].manifest.update({"created": created, "invocations": [
        {"argv": ["snellen", "eval", "--model", "ocr:rapidocr", "--out", "my runs/x"], "started": created,
         "finished": created + 89.76, "summary": {"answered": 56, "errors": {}, "store_counts": {"ok": 56}, "wall_s": 89.764}},
        {"argv": ["snellen", "eval", "--model", "ocr:rapidocr", "--out", "my runs/x"], "started": created + 600,
         "finished": created + 601, "summary": {"answered": 0, "errors": {"timeout": 2}, "wall_s": 1.0}},
    ]})
    text = build_report(runs, np.random.default_rng(0), n_boot=10)
    start = text.index('<section id="manifest">')
    manifest = text[start:text.index("</section>", start)]
    assert "1795649534" not in manifest  # no raw epoch anywhere in the panel
    when = dt.datetime.fromtimestamp(created, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    assert manifest.count(when) >= 2  # created and the first invocation's start
    table = re.search(r'<table class="records">(.*?)</table>', manifest, re.S).group(1)
    assert "<th>#1</th><th>#2</th>" in table
    assert "snellen eval --model ocr:rapidocr --out &#39;my runs/x&#39;" in table  # argv as a shell line
    assert "89.8 s" in table and "timeout: 2" in table and "ok: 56" in table
    assert '"argv"' not in manifest and "{&#34;" not in manifest


def test_data_defects_are_shown_per_task_near_the_top(make_runs):
    """Issue 12.2: defects of the benchmark's labels get their own panel right after the summary, with the share
    of samples affected, what it means for the figure, and each model's accuracy on them; the affected task is
    marked in the thresholds table and under its curve, and the comparison says how many trials are affected."""
    runs = make_runs(2, per_cell=6, tasks=("letter", "chain"))
    for r in runs:
        ids = sorted(r.scores.loc[r.scores["task"] == "chain", "sample_id"].unique())
        tied = set(ids[::4])
        r.scores["defects"] = np.where(r.scores["sample_id"].isin(tied), "order_tie", "")
    text = build_report(runs, np.random.default_rng(0), n_boot=20)
    assert text.index('id="summary"') < text.index('id="data-quality"') < text.index('id="acuity"')
    assert '<a href="#data-quality">Data quality</a>' in text
    panel = text[text.index('id="data-quality"'):text.index('id="acuity"')]
    n_chain = runs[0].scores.loc[runs[0].scores["task"] == "chain", "sample_id"].nunique()
    n_tied = len(range(0, n_chain, 4))
    assert f"{n_tied} of {n_chain} ({100 * n_tied / n_chain:.0f}%)" in panel
    assert "tie on the ordering axis" in panel and "capped below 100%" in panel
    for r in runs:
        s = r.scores[(r.scores["task"] == "chain") & r.scores["outcome"].isin(["correct", "wrong", "unparseable", "refusal"])]
        hit = s["defects"] == "order_tie"
        want = f"{100 * s.loc[hit, 'strict'].mean():.0f}% <span class=\"note\">(n={int(hit.sum())})</span>"
        assert want in panel
    thresholds = text[text.index('<table class="thresholds">'):]
    thresholds = thresholds[:thresholds.index("</table>")]
    assert thresholds.count('class="pill warn" href="#data-quality">data defects') == 2  # chain, once per model
    assert 'data defects in up to' in text[text.index('data-task="chain"'):]
    compare = text[text.index('id="compare"'):]
    assert "Share of each model's answered trials on samples with defects" in compare
    for r in runs:
        s = r.scores[r.scores["outcome"].isin(["correct", "wrong", "unparseable", "refusal"])]
        model = r.scores["model"].iloc[0]
        assert f"{model} {100 * (s['defects'] == 'order_tie').mean():.1f}%" in compare
    data = json.loads(_json_block(text))
    assert data["sections"][0]["data_quality"]["rows"][0]["defect"] == "order_tie"


def test_no_data_quality_panel_without_defects(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert 'id="data-quality"' not in text and "data defects" not in text

"""Cache keys, pixel hashing, redaction and the store's invariants."""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pytest
from PIL import Image

from snellen.models.base import GenerationSettings
from snellen.probes.encode import encode_png
from snellen.schema import decode_image
from snellen.store import Redactor, Row, create_run, is_secret_name, open_run, pixel_hash, response_key
from snellen.schema import SnellenError

BASE = dict(backend="openai", identity={"backend": "openai", "model": "gpt-x"},
            generation=GenerationSettings().model_dump(mode="json"), transmission={"format": "png", "detail": "high"},
            pixels="p0", prompt="What letter?", system_prompt=None, repeat=0)


def key(**change):
    return response_key(**{**BASE, **change})


@pytest.mark.parametrize("change", [
    {"backend": "anthropic"},
    {"identity": {"backend": "openai", "model": "gpt-x", "revision": "2"}},
    {"generation": GenerationSettings(temperature=0.7).model_dump(mode="json")},
    {"generation": GenerationSettings(max_tokens=16).model_dump(mode="json")},
    {"generation": GenerationSettings(prompt_variant="free").model_dump(mode="json")},
    {"transmission": {"format": "png", "detail": "low"}},
    {"transmission": {"format": "jpeg", "detail": "high"}},
    {"pixels": "p1"},
    {"prompt": "What letter? "},
    {"system_prompt": "You are careful."},
    {"repeat": 1},
])
def test_key_changes_with_every_part_of_the_question(change):
    assert key(**change) != key()


def test_key_ignores_dict_order():
    assert key(identity={"model": "gpt-x", "backend": "openai"}) == key()


def test_pixel_hash_ignores_png_encoding_but_not_pixels():
    rng = np.random.default_rng(0)
    img = np.full((64, 80, 3), 255, np.uint8)
    img[10:30, 20:50] = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    ours = encode_png(img)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", compress_level=9)
    pillow = buf.getvalue()
    assert ours != pillow  # two different encodings of the same pixels
    assert pixel_hash(decode_image(ours, "a")) == pixel_hash(decode_image(pillow, "b")) == pixel_hash(img)
    changed = img.copy()
    changed[0, 0, 0] = 254
    assert pixel_hash(changed) != pixel_hash(img)
    assert pixel_hash(img[:, :79]) != pixel_hash(img)  # shape is part of the hash


@pytest.mark.parametrize("name", ["api_key", "OPENAI_API_KEY", "apiKey", "x-api-key", "Authorization", "auth_token",
                                  "hf_token", "client_secret", "password", "AccessToken", "key"])
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["max_tokens", "input_tokens", "output_tokens", "keys", "monkey", "model", "detail",
                                  "tokenizer", "base_url"])
def test_not_secret_names(name):
    assert not is_secret_name(name)


def test_redactor_drops_secret_keys_and_scrubs_values():
    env = {"MY_SERVICE_TOKEN": "tok-123456789", "HOME": "/root"}
    r = Redactor({"api_key": "sk-abcdefgh", "model": "m"}, environ=env)
    out = r({"a": "uses sk-abcdefgh and tok-123456789", "api_key": "sk-abcdefgh", "nested": [{"Authorization": "x"}],
             "max_tokens": 5, "home": "/root"})
    assert out == {"a": "uses <redacted> and <redacted>", "nested": [{}], "max_tokens": 5, "home": "/root"}
    assert r.argv(["--option", "api_key=sk-abcdefgh", "--api-key", "zzz", "--out", "x"]) == [
        "--option", "api_key=<redacted>", "--api-key", "<redacted>", "--out", "x"]


def _row(sample, status="ok", text='{"letter": "A"}', repeat=0, key_="k0", **kw):
    return Row(key=key_, sample=sample, pixels=pixel_hash(sample.pixels()), repeat=repeat, status=status, text=text, **kw)


def test_store_rejects_text_on_errors_and_errors_without_kind(tmp_path, quick_samples):
    s = quick_samples[0]
    run = create_run(tmp_path / "r")
    with pytest.raises(sqlite3.IntegrityError):
        run.write([_row(s, status="error", text="Failed to obtain answer", error_kind="rate_limit")])
    with pytest.raises(sqlite3.IntegrityError):
        run.write([_row(s, status="error", text=None)])
    assert run.counts() == {}  # the failed batches left nothing behind (transaction rolled back)
    run.write([_row(s, status="error", text=None, error_kind="timeout", error_message="t")])
    run.write([_row(s, status="ok")])  # the newest attempt replaces the error: one row per (sample, repeat)
    assert run.counts() == {"ok": 1}
    run.close()


def test_a_failing_row_rolls_back_its_whole_batch(tmp_path, quick_samples):
    run = create_run(tmp_path / "r")
    rows = [_row(quick_samples[0], key_="a"), _row(quick_samples[1], key_="b", status="bogus")]
    with pytest.raises(ValueError):
        run.write(rows)
    assert len(run) == 0 and list(run.samples()) == []
    run.close()


def test_same_sample_id_with_other_pixels_is_refused(tmp_path, quick_samples):
    import copy

    s = quick_samples[0]
    run = create_run(tmp_path / "r")
    run.write([_row(s)])
    other = copy.copy(s)
    other.image = s.pixels().copy()
    other.image[0, 0] = 0
    other.png = None
    with pytest.raises(SnellenError, match="different pixels"):
        run.write([_row(other, key_="k1", repeat=1)])
    run.close()


def test_open_run_errors_name_the_path(tmp_path):
    with pytest.raises(SnellenError, match="does not exist"):
        open_run(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SnellenError, match="not a snellen run"):
        open_run(tmp_path / "empty")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "store.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(SnellenError, match="store.sqlite"):
        open_run(tmp_path / "junk")


def test_sample_round_trip_keeps_record_and_pixels(tmp_path, quick_samples):
    s = quick_samples[3]
    run = create_run(tmp_path / "r")
    run.write([_row(s)])
    back = run.sample(s.id)
    assert back.meta() == s.meta()
    assert np.array_equal(back.pixels(), s.pixels())
    with pytest.raises(KeyError):
        run.sample("missing")
    run.close()

"""One person's exam: the trial on show, its token, breaks, practice, and every answer written to the store.

Exactly one trial is on show at a time, under a fresh random token; asking for the trial again (a
reload, a second tab) re-issues it under a new token and revokes the old one. An answer is accepted
only with the current token, once, after that token's image was loaded: a token that was used is refused
as a replay, any other as forged.
A malformed answer is refused with a message and the trial stays on show. Each accepted scored answer
is written to the run store in its own transaction before the reply, so closing the tab, killing the
browser or Ctrl-C in the terminal loses nothing answered.

Responses are stored under the `human:NAME` identity with the same content keys as models (pixels,
prompt, repeat), the response time as `latency_s`, the displayed size in device pixels as the encoder
size (1:1 display: effective scale == measured scale), and the viewing conditions in `raw`.
"""

from __future__ import annotations

import importlib.metadata
import math
import platform
import secrets
import sys
import time
from collections import Counter
from typing import Any

from snellen.human.answers import MalformedAnswer, check, controls, shown_prompt, to_text
from snellen.human.trials import AdaptiveSource, GridSource, Trial, TrialSource, practice_trials
from snellen.models.backends.human import HumanObserver
from snellen.schema import SnellenError
from snellen.scoring.outcome import score_response
from snellen.store import Row, Run, canonical, config_hash, pixel_hash, response_key

PROMPT_VARIANT = "free"  # people read the free-text wording; the key and the report use it
GENERATION = {"prompt_variant": PROMPT_VARIANT}
MAX_RT_S = 24 * 3600.0
ZOOM_TOLERANCE = 0.05


class Refused(Exception):
    """A request the session refuses (forged or replayed token): HTTP status and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _number(d: dict, key: str, low: float = 0.0, high: float = 1e6) -> float | None:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not low <= v <= high:
        return None
    return float(v)


def viewing_conditions(raw: Any) -> dict[str, Any]:
    """The page's report of how the probe was shown, reduced to known numeric fields."""
    raw = raw if isinstance(raw, dict) else {}
    out: dict[str, Any] = {}
    for key in ("screen_w", "screen_h", "window_w", "window_h", "outer_w", "outer_h", "dpr", "visual_scale",
                "displayed_w", "displayed_h"):
        v = _number(raw, key)
        if v is not None:
            out[key] = int(v) if key not in ("dpr", "visual_scale") else round(v, 4)
    if out.get("outer_w") and out.get("window_w"):
        out["zoom_estimate"] = round(out["outer_w"] / out["window_w"], 3)
    out["zoomed"] = bool(
        abs(out.get("visual_scale", 1.0) - 1.0) > 1e-3
        or ("zoom_estimate" in out and abs(out["zoom_estimate"] - 1.0) > ZOOM_TOLERANCE)
    )
    return out


class Session:
    def __init__(self, run: Run, observer: HumanObserver, source: TrialSource, *, practice: int = 3,
                 break_every: int = 40, argv: list[str] | None = None, suite_source: dict[str, Any] | None = None):
        self.run = run
        self.observer = observer
        self.source = source
        self.practice_n = max(0, int(practice))
        self.break_every = max(0, int(break_every))
        self.identity = observer.identity()
        self.transmission = observer.transmission()
        self.config = {"backend": observer.prefix, "identity": self.identity, "generation": GENERATION,
                       "transmission": self.transmission}
        run.bind_config(self.config)  # a run holds one observer; another name is refused here
        self.done = dict(run.done())
        self.texts = self._texts()
        if hasattr(source, "stored_text"):  # an adaptive source replays stored answers on resume
            source.stored_text = self.texts.get
        self.trial: Trial | None = None
        self.token: str | None = None
        self.issued_at = 0.0
        self.image_served = False
        self.used: set[str] = set()
        self.on_break = False
        self.since_break = 0
        self.practice_queue: list[Trial] = []
        self.practised: set[str] = set()
        self.answered = 0
        self.practice_answered = 0
        self.refused: Counter = Counter()
        self.viewing: Counter = Counter()
        self.viewing_before: Counter | None = None
        self.zoomed_trials = 0
        self.started = time.time()
        self.argv = list(argv or [])
        self.suite_source = suite_source or {}
        self.write_manifest(finished=False)

    # -- what is on show ---------------------------------------------------------------------------------

    def _next(self) -> Trial | None:
        if self.practice_queue:
            return self.practice_queue.pop(0)
        trial = self.source.next_trial(self.done)
        if trial is None:
            return None
        block = trial.block
        if self.practice_n and block not in self.practised:
            self.practised.add(block)
            started = getattr(self.source, "block_started", lambda b, d: False)(block, self.done)
            if not started:
                suite = getattr(self.source, "suite", None)
                if suite is not None:
                    self.practice_queue = practice_trials(suite, block, self.practice_n)
                    return self.practice_queue.pop(0)
        return trial

    def state(self) -> dict[str, Any]:
        """What the page shows now; issues a fresh token for the trial on show (revoking the previous one)."""
        answered, planned = self.source.progress(self.done)
        progress = {"answered": answered, "planned": planned}
        if self.on_break:
            return {"state": "break", "progress": progress, "break_every": self.break_every}
        if self.trial is None:
            self.trial = self._next()
        if self.trial is None:
            return {"state": "done", "progress": progress, "answered_now": self.answered}
        if self.token is not None:
            self.used.add(self.token)  # a revoked token can never be used again
        self.token = secrets.token_urlsafe(24)
        self.issued_at = time.monotonic()
        self.image_served = False
        t = self.trial
        w, h = t.sample.canvas
        return {
            "state": "trial", "token": self.token, "image": f"/api/image/{self.token}.png", "width": w, "height": h,
            "prompt": shown_prompt(t.sample), "controls": controls(t.sample), "practice": t.practice,
            "block": t.block, "position": t.position, "block_size": t.block_size, "sample_id": t.sample.id,
            "progress": progress,
        }

    def image(self, token: str) -> bytes | None:
        if self.trial is None or token != self.token:
            return None
        self.image_served = True
        return self.trial.sample.png_bytes()

    def resume(self) -> None:
        self.on_break = False
        self.since_break = 0

    # -- answers ------------------------------------------------------------------------------------------

    def answer(self, payload: Any) -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise MalformedAnswer("the request must be a JSON object with token and answer")
        token = payload.get("token")
        if not isinstance(token, str) or not token:
            self.refused["forged"] += 1
            raise Refused(403, "no trial token: this answer is not for a trial on show")
        if token in self.used:
            self.refused["replayed"] += 1
            raise Refused(409, "this trial's answer was already given (or the trial was re-shown); nothing stored")
        if self.trial is None or not secrets.compare_digest(token, self.token or ""):
            self.refused["forged"] += 1
            raise Refused(403, "not the trial on show; nothing stored")
        if not self.image_served:
            self.refused["unseen"] += 1
            raise Refused(403, "this trial's image was never loaded, so it cannot have been seen; nothing stored")
        trial = self.trial
        w, h = trial.sample.canvas
        rt = _number(payload, "rt_ms", 0.0, MAX_RT_S * 1000)
        if rt is None or rt <= 0:
            raise MalformedAnswer("the response time is missing or not a positive number of milliseconds")
        viewing = viewing_conditions(payload.get("viewing"))
        shown = (viewing.get("displayed_w"), viewing.get("displayed_h"))
        if shown != (w, h):
            raise MalformedAnswer(f"the probe was not shown 1:1 ({shown[0]}x{shown[1]} device px for a {w}x{h} image); "
                                  "nothing stored: make the window large enough and reset the zoom")
        answer = check(trial.sample, payload.get("answer"))
        text = to_text(answer)
        score = score_response(trial.sample, text)
        self.used.add(token)
        self.token = None
        self.trial = None
        if trial.practice:
            self.practice_answered += 1
            return {"ok": True, "practice": True, "correct": score.outcome == "correct", "truth": trial.sample.answer}
        server_s = time.monotonic() - self.issued_at
        sample = trial.sample
        pix = pixel_hash(sample.pixels())
        prompt = sample.prompts[PROMPT_VARIANT]
        key = response_key(backend=self.observer.prefix, identity=self.identity, generation=GENERATION,
                           transmission=self.transmission, pixels=pix, prompt=prompt, system_prompt=None,
                           repeat=trial.repeat)
        raw = {"answer": answer, "rt_ms": round(rt, 1), "server_elapsed_s": round(server_s, 3), "viewing": viewing,
               "shown_prompt": shown_prompt(sample), "block": trial.block, "position": trial.position,
               "input": payload.get("input") if payload.get("input") in ("key", "button", "form", "click") else None}
        row = Row(key=key, sample=sample, pixels=pix, repeat=trial.repeat, status="ok", text=text,
                  latency_s=rt / 1000.0, sent_size=(w, h), encoder_size=shown, attempts=1, raw=raw)
        self.run.write([row])
        self.done[(sample.id, trial.repeat)] = key
        self.source.observe(trial, text, score.outcome == "correct")
        self.texts[sample.id] = text
        self.answered += 1
        cond = canonical({k: v for k, v in viewing.items() if k not in ("displayed_w", "displayed_h")})
        new_condition = cond not in self.viewing
        self.viewing[cond] += 1
        self.zoomed_trials += int(viewing["zoomed"])
        self.since_break += 1
        answered, planned = self.source.progress(self.done)
        if self.break_every and self.since_break >= self.break_every and answered < planned:
            self.on_break = True
        if new_condition or self.on_break or answered == planned:
            self.write_manifest(finished=False)
        return {"ok": True, "practice": False}

    # -- manifest -----------------------------------------------------------------------------------------

    def write_manifest(self, finished: bool) -> None:
        import json

        old = self.run.manifest
        answered, planned = self.source.progress(self.done)
        if self.viewing_before is None:  # earlier sessions' conditions, read once
            previous = (old.get("human") or {}).get("viewing", [])
            self.viewing_before = Counter({canonical({k: v for k, v in c.items() if k != "trials"}): c.get("trials", 0)
                                           for c in previous if isinstance(c, dict)})
        conditions = self.viewing_before + self.viewing  # this session's trials on top of earlier sessions'
        viewing = [{**json.loads(c), "trials": n} for c, n in sorted(conditions.items())]
        invocations = list(old.get("invocations", []))
        inv = {"argv": self.run.redact.argv(self.argv), "started": self.started, "executor": "browser",
               "answered": self.answered, "practice": self.practice_answered, "refused": dict(self.refused)}
        if finished:
            inv["finished"] = time.time()
        if invocations and invocations[-1].get("started") == self.started:
            invocations[-1] = inv
        else:
            invocations.append(inv)
        src = self.suite_source
        sources = list(old.get("sources", []))
        if src and src not in sources:
            sources.append(src)
        manifest = {
            "format": "snellen-run", "version": 1, "created": old.get("created", self.started),
            "versions": _versions(),
            "suite": {k: src.get(k) for k in ("name", "version", "hash")} if src else old.get("suite"),
            "dataset": None, "sources": sources,
            "model": {"spec": self.observer.spec, "backend": self.observer.prefix, "identity": self.identity,
                      "revision": None, "manifest": {"kind": "person"}},
            "processor": None, "settings": GENERATION, "transmission": self.transmission, "options": {},
            "repeats": 1, "config_hash": config_hash(self.config), "invocations": invocations[-50:],
            "scoring": old.get("scoring") or "snellen",
            "human": {
                "procedure": self.source.describe(), "practice_per_block": self.practice_n,
                "break_every": self.break_every, "answered": answered, "planned": planned,
                "viewing": viewing,
                "zoomed": any(c.get("zoomed") for c in viewing),
                "forced_choice": True,
            },
        }
        procedure = manifest["human"]["procedure"]
        if procedure.get("mode") == "adaptive":  # where eval --adaptive runs keep it: the report's panel reads it
            manifest["adaptive"] = {k: v for k, v in procedure.items() if k != "mode"}
        self.run.write_manifest(manifest)

    def release(self) -> None:
        """Close the store connection (SQLite connections belong to one thread); `acquire` reopens it."""
        self.run.close()

    def _texts(self) -> dict[str, str]:
        return {s.id: r.text for s, r in self.run.records(images=False) if r.ok and r.repeat == 0}

    def acquire(self) -> None:
        """Reopen the store in the calling thread (the server's event loop) and re-check it is this run."""
        from snellen.store import create_run

        self.run = create_run(self.run.path)
        self.run.bind_config(self.config)
        self.done = dict(self.run.done())
        self.texts.update(self._texts())

    def close(self) -> None:
        try:
            self.write_manifest(finished=True)
        finally:
            self.run.close()


def _versions() -> dict[str, Any]:
    try:
        snellen_version = importlib.metadata.version("snellen")
    except importlib.metadata.PackageNotFoundError:
        snellen_version = "not installed"
    return {"snellen": snellen_version, "python": sys.version.split()[0], "platform": platform.platform()}


def open_session(out, name: str, suite, *, scales=None, limit=None, seed=0, practice=3, break_every=40,
                 argv=None, planner_for=None) -> Session:
    """Create or resume the run `out` for observer `name` on `suite` (a loaded Suite): the fixed grid, or
    the adaptive search when `planner_for` (Suite -> planner, e.g. cli.eval.adaptive_planner) is given."""
    from snellen.store import create_run

    observer = HumanObserver(name)
    if planner_for is not None:
        source = AdaptiveSource(suite, planner_for)
    else:
        source = GridSource(suite, scales=scales, seed=seed, limit=limit)
    run = create_run(out)
    try:
        src = {"kind": "suite", "name": suite.name, "version": suite.version, "hash": suite.manifest_hash,
               "source": str(suite.source), "tasks": [e.name for e in suite.entries]}
        return Session(run, observer, source, practice=practice, break_every=break_every, argv=argv, suite_source=src)
    except BaseException:
        run.close()
        raise


__all__ = ["Session", "Refused", "MalformedAnswer", "open_session", "viewing_conditions", "SnellenError"]

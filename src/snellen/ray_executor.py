"""Ray executor: batches answered by a pool of Ray actors, one backend each, results yielded as they complete.

With GPUs in the cluster there is one actor per GPU (`num_gpus=1`, so each sees only its own device as
`cuda`); otherwise N CPU actors. Each actor builds the backend once from the spec string, exactly as the
local executor does (`load_backend(spec, options)`). Batches are pulled lazily from the runner's iterator,
at most `inflight_per_worker` per actor, and handed to whichever actor has the fewest in flight, so the
runner still writes every finished batch before it asks for more and a kill loses only what is in flight.

A backend exception inside a batch becomes `backend_error` responses for that batch (as locally). A worker
that dies turns its in-flight batches into `backend_error` responses (retried on the next run) and leaves
the pool; if every worker is gone the run stops with a SnellenError after yielding what was done.

Without an address, Ray starts a private local instance: no dashboard, usage stats off, at most the
machine's CPU count. Pass `address` (or set RAY_ADDRESS) to use an existing cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from snellen.models.base import ErrorInfo, Request, Response
from snellen.schema import SnellenError
from snellen.run import numbered


def _import_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:
        raise SnellenError(f"the Ray executor needs ray ({exc}): pip install 'snellen[ray]'") from exc
    return ray


def _errors(message: str, n: int) -> list[Response]:
    return [Response(text=None, error=ErrorInfo("backend_error", message[:2000])) for _ in range(n)]


class _Worker:
    """Body of one Ray actor: holds one backend built from the spec."""

    def __init__(self, spec: str, options: dict[str, Any]):
        self.spec, self.options, self.backend = spec, options, None

    def setup(self) -> str:
        from snellen.models.base import load_backend

        self.backend = load_backend(self.spec, self.options)
        if self.backend.is_async:
            raise SnellenError(f"{self.spec}: async (API) backends run with the local executor, not Ray")
        return os.environ.get("CUDA_VISIBLE_DEVICES", "")

    def answer(self, batch: list[Request]) -> list[Response]:
        try:
            out = self.backend.answer(batch)
        except Exception as exc:  # noqa: BLE001  (one failing batch must not lose the rest of the run)
            return _errors(f"{type(exc).__name__}: {exc}", len(batch))
        if not isinstance(out, list) or len(out) != len(batch) or not all(isinstance(r, Response) for r in out):
            return _errors(f"backend returned {type(out).__name__} of wrong shape for {len(batch)} requests", len(batch))
        return out

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()


class RayExecutor:
    """`map_batches(spec, options, batches)` over a pool of Ray actors (docs/interfaces.md, executors)."""

    def __init__(self, num_workers: int | None = None, resources_per_worker: dict[str, float] | None = None, *,
                 workers: int | None = None, address: str | None = None, num_cpus: int | None = None,
                 inflight_per_worker: int = 2):
        if num_workers is not None and workers is not None and num_workers != workers:
            raise SnellenError(f"Ray executor: num_workers={num_workers} and workers={workers} disagree")
        self.num_workers = num_workers if num_workers is not None else workers
        if self.num_workers is not None and self.num_workers < 1:
            raise SnellenError(f"Ray executor: need at least one worker, got {self.num_workers}")
        self.resources_per_worker = dict(resources_per_worker) if resources_per_worker else None
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.num_cpus = num_cpus
        self.inflight_per_worker = max(1, int(inflight_per_worker))
        self.ray = _import_ray()
        self.started_ray = False

    def _init(self) -> None:
        ray = self.ray
        if ray.is_initialized():
            return
        if self.address:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=True)
        else:
            cpus = os.cpu_count() or 1
            ray.init(num_cpus=min(cpus, self.num_cpus or cpus), include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        self.started_ray = True

    def _pool_shape(self) -> tuple[int, dict[str, float]]:
        """(workers, resources per worker): one GPU each when the cluster has GPUs, else one CPU each."""
        total = self.ray.cluster_resources()
        gpus, cpus = int(total.get("GPU", 0)), int(total.get("CPU", 1))
        if self.resources_per_worker is not None:
            per = self.resources_per_worker
        else:
            per = {"GPU": 1.0, "CPU": 1.0} if gpus else {"CPU": 1.0}
        n = self.num_workers or (gpus if per.get("GPU") else max(1, cpus // max(1, int(per.get("CPU", 1)))))
        for key, amount in per.items():
            if amount * n > total.get(key, 0) + 1e-9:
                raise SnellenError(f"Ray executor: {n} workers x {amount:g} {key} exceeds the cluster's "
                                   f"{total.get(key, 0):g} {key}")
        return n, per

    def _start(self, spec: str, options: dict[str, Any]) -> list[Any]:
        ray = self.ray
        n, per = self._pool_shape()
        custom = {k: v for k, v in per.items() if k not in ("CPU", "GPU")}
        actor_cls = ray.remote(_Worker).options(
            num_cpus=per.get("CPU", 0), num_gpus=per.get("GPU", 0), resources=custom or None, max_restarts=0)
        actors = [actor_cls.remote(spec, dict(options)) for _ in range(n)]
        try:
            ray.get([a.setup.remote() for a in actors])
        except Exception as exc:  # noqa: BLE001
            for a in actors:
                ray.kill(a)
            cause = getattr(exc, "cause", None)
            if isinstance(cause, SnellenError):
                raise SnellenError(str(cause)) from None
            raise SnellenError(f"Ray executor: workers for {spec!r} failed to start: {type(exc).__name__}: {exc}") from exc
        return actors

    def map_batches(self, spec: str, options: dict[str, Any], batches: Iterable[list[Request]]
                    ) -> Iterator[tuple[int, list[Response]]]:
        ray = self.ray
        self._init()
        actors = self._start(spec, options or {})
        load = {id(a): 0 for a in actors}
        inflight: dict[Any, tuple[int, Any, int]] = {}  # ref -> (batch index, actor, batch length)
        it = numbered(batches)
        exhausted = False
        try:
            while True:
                while not exhausted and actors and len(inflight) < len(actors) * self.inflight_per_worker:
                    try:
                        index, batch = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    if index < 0:  # the planner waits for an outcome
                        if not inflight:
                            raise SnellenError("planner is waiting for an outcome, but nothing is in flight")
                        break
                    actor = min(actors, key=lambda a: load[id(a)])
                    load[id(actor)] += 1
                    inflight[actor.answer.remote(batch)] = (index, actor, len(batch))
                if not inflight:
                    break
                done, _ = ray.wait(list(inflight), num_returns=1)
                for ref in done:
                    index, actor, n = inflight.pop(ref)
                    load[id(actor)] -= 1
                    try:
                        out = ray.get(ref)
                    except ray.exceptions.RayActorError as exc:
                        if actor in actors:
                            actors.remove(actor)
                        out = _errors(f"Ray worker died: {exc}", n)
                    except ray.exceptions.RayError as exc:
                        out = _errors(f"{type(exc).__name__}: {exc}", n)
                    yield index, out
                if not actors and not exhausted:
                    raise SnellenError("Ray executor: every worker died; finished batches are stored, rerun to resume")
        finally:
            for ref in inflight:
                ray.cancel(ref, force=False)
            for a in actors:
                try:
                    a.close.remote()
                except Exception:  # noqa: BLE001  (already gone)
                    pass
                ray.kill(a, no_restart=True)

    def shutdown(self) -> None:
        if self.started_ray and self.ray.is_initialized():
            self.ray.shutdown()
            self.started_ray = False

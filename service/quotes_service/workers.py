"""A pool of engine worker processes: the GIL never serialises requests, each worker loads the models once.

Requests travel as serialized ExtractQuotesRequest bytes and come back as ExtractQuotesResponse bytes. A
worker that dies (out of memory, a crash in native code) fails only its own requests: the pool is rebuilt.
`EnginePool.in_process(engine)` runs the same queue and request path on one thread of this process with an
engine already loaded (the fast tests serve through it).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from .api.validation import MAX_TEXT_CHARS
from .models import select_models

if TYPE_CHECKING:
    from .engine import Engine

WARMUP_TEXT = ('"We will look at every option," the minister said on Monday. '
               "Officials said the talks would continue, according to Reuters.")

# glibc hands every large tensor back to the kernel by default, and torch on CPU then spends much of its
# time in page faults; workers keep freed memory for reuse instead (about 8% faster here).
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "4294967296",
              "MALLOC_TOP_PAD_": "536870912"}

_engine = None
_max_text_chars = MAX_TEXT_CHARS
_barrier = None


class PoolBusy(Exception):
    """Every worker is busy and the queue is full."""


class PoolUnavailable(Exception):
    """The pool is starting, restarting after a crash, or shut down."""


def _init_worker(models: str, max_text_chars: int, log_format: str, log_level: str, precision: str,
                 barrier) -> None:
    global _engine, _max_text_chars, _barrier
    from . import logs
    from .engine import Engine

    logs.configure(log_format, log_level)
    _barrier = barrier
    _engine, _max_text_chars = Engine(select_models(models, precision), threads=1), max_text_chars
    _engine.extract(WARMUP_TEXT)


def _use_engine(engine: Engine, max_text_chars: int) -> None:
    global _engine, _max_text_chars
    _engine, _max_text_chars = engine, max_text_chars


def _warm() -> int:
    # every warm-up task waits for all the others, so each worker process gets exactly one
    assert _barrier is not None, "runs in a worker started by EnginePool.start"
    _barrier.wait(timeout=900)
    return os.getpid()


def _work(payload: bytes, deadline: float | None, as_json: bool = False) -> tuple[bytes | str, int]:
    """One request -> (serialized response, or its compact protobuf JSON for batch files; number of quotes)."""
    from quotes.v1 import quote_service_pb2 as pb

    from . import api

    assert _engine is not None, "runs in a worker started by EnginePool.start"
    request = pb.ExtractQuotesRequest.FromString(payload)
    response = api.extract(_engine, request, deadline=deadline, max_text_chars=_max_text_chars)
    return (api.to_json_line(response) if as_json else response.SerializeToString()), len(response.quotes)


class EnginePool:
    def __init__(self, workers: int, models: str = "bundled", max_queue: int = 64, log_format: str = "json",
                 log_level: str = "info", max_text_chars: int = MAX_TEXT_CHARS, precision: str | None = None):
        self.size = workers
        self.capacity = workers + max_queue
        self.selection = select_models(models, precision)  # fails here, with a clear message, if models are missing
        self._args = (models, max_text_chars, log_format, log_level, self.selection.precision)
        self._engine: Engine | None = None  # set by in_process()
        self._executor: Executor | None = None
        self.worker_pids: frozenset[int] = frozenset()  # of the running workers (benchmarks read their memory)
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def in_process(cls, engine: Engine, max_queue: int = 64, max_text_chars: int = MAX_TEXT_CHARS) -> EnginePool:
        """One worker: a thread of this process with `engine` (one such pool at a time: the worker state is
        this module's)."""
        pool = cls(1, max_queue=max_queue, max_text_chars=max_text_chars)
        pool.selection, pool._engine = engine.models, engine
        return pool

    @property
    def version(self) -> str:
        return self.selection.version

    @property
    def pending(self) -> int:
        return self._pending

    def start(self) -> None:
        """Spawn the workers, load the models in each and warm them up (blocks until all are ready)."""
        if self._engine is not None:
            self._executor = ThreadPoolExecutor(1, "engine", initializer=_use_engine,
                                                initargs=(self._engine, self._args[1]))
            self.worker_pids = frozenset({os.getpid()})
            return
        for key, value in MALLOC_ENV.items():  # read by glibc when a worker starts
            os.environ.setdefault(key, value)
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(self.size)
        executor = ProcessPoolExecutor(self.size, mp_context=ctx, initializer=_init_worker,
                                       initargs=(*self._args, barrier))
        pids = {f.result() for f in [executor.submit(_warm) for _ in range(self.size)]}
        assert len(pids) == self.size, "every worker must have warmed up"
        self._executor, self.worker_pids = executor, frozenset(pids)

    def submit(self, payload: bytes, deadline: float | None = None, *, wait: bool = False,
               as_json: bool = False) -> Future:
        """Queue one request. Without `wait`, a full queue raises PoolBusy (streams and batch jobs wait).
        The future's result is (response bytes, or its JSON line with `as_json`; number of quotes)."""
        with self._lock:
            if self._executor is None:
                raise PoolUnavailable("the engine workers are not running")
            if not wait and self._pending >= self.capacity:
                raise PoolBusy(f"{self._pending} requests are in progress or queued (limit {self.capacity})")
            self._pending += 1
            executor = self._executor
        try:
            future = executor.submit(_work, payload, deadline, as_json)
        except (BrokenProcessPool, RuntimeError) as exc:
            self._release(None)
            self._restart(executor)
            raise PoolUnavailable("an engine worker crashed; the pool is restarting") from exc
        future.add_done_callback(self._release)
        future.add_done_callback(lambda f: self._on_done(f, executor))
        return future

    def _release(self, _future) -> None:
        with self._lock:
            self._pending -= 1

    def _on_done(self, future: Future, executor: Executor) -> None:
        if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            self._restart(executor)

    def _restart(self, broken: Executor) -> None:
        with self._lock:
            if self._executor is not broken or self._closed:
                return  # someone else restarts it already
            self._executor = None

        def rebuild() -> None:
            broken.shutdown(wait=False, cancel_futures=True)
            while not self._closed:
                try:
                    self.start()
                    return
                except Exception:  # noqa: BLE001 - keep trying: the server must not die with its workers
                    time.sleep(1.0)

        threading.Thread(target=rebuild, name="engine-pool-restart", daemon=True).start()

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)

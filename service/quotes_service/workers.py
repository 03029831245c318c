"""The engine workers: one process per worker, each with its own pipe, fed one document at a time from a
fair queue kept in this process. The GIL never serialises requests; each worker loads the models once.

- Waiting documents stay here, so a worker that dies (kill -9, out of memory, a crash in native code) fails
  only the document it was working on (UNAVAILABLE, WORKER_CRASHED); the other workers go on serving while
  its slot starts a replacement and warms it up.
- The queue takes documents from its owners in turn (a stream is one owner, each unary call another), so a
  stream's documents and single calls are served alike.
- Cancelling a running document sets the worker's cancel flag (shared memory); the engine checks it, and the
  deadline, between stages and model calls, so the worker is free again within a fraction of a second. A
  worker still busy KILL_AFTER_SECONDS after that is killed and replaced.
- Workers ignore SIGINT and SIGTERM (worker_process.py); `shutdown` stops them.
- Optional recycling: a worker past `max_documents`, or above `max_rss_mb` after a document, is replaced
  between documents (one at a time while the others serve).
- A document whose worker died CRASHES_BEFORE_REFUSAL times is refused from then on (INTERNAL,
  DOCUMENT_CRASHES_WORKER), so that a document that kills its worker, retried by clients as UNAVAILABLE
  asks them to, cannot take the workers down one after another.

`EnginePool.in_process(engine)` runs the same queue and request path on one thread of this process with an
engine already loaded (the fast tests serve through it; it cannot be killed or recycled).
"""
from __future__ import annotations

import atexit
import hashlib
import itertools
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for_ready
from typing import TYPE_CHECKING, Any

from . import worker_process
from .api import errors
from .api.validation import MAX_TEXT_CHARS
from .logs import get_logger
from .models import select_models
from .worker_process import STOP_SIGNALS, Reply, Task

if TYPE_CHECKING:
    from .engine import Engine

# glibc hands every large tensor back to the kernel by default, and torch on CPU then spends much of its
# time in page faults; workers keep freed memory for reuse instead (about 8% faster here).
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "4294967296",
              "MALLOC_TOP_PAD_": "536870912"}
KILL_AFTER_SECONDS = 5.0  # a worker that has not stopped this long after a cancel or its deadline is killed
POLL_SECONDS = 0.05  # how often a slot looks at its running document's cancel flag and deadline
IDLE_CHECK_SECONDS = 0.5  # how often a slot with nothing to do looks whether its worker is still alive
RESTART_BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)  # between failed starts of a replacement
CRASHES_BEFORE_REFUSAL = 2  # one crash may be bad luck (kill -9, the machine's memory); two are the document
REMEMBERED_CRASHES = 1000  # documents whose crashes are counted (a digest each)

log = get_logger("quotes.workers")


class PoolUnavailable(Exception):
    """The pool could not start its workers, or is shut down."""


@dataclass(eq=False)
class Job:
    """One document in the pool. `future` resolves to (response bytes or JSON line, number of quotes), or
    raises a RequestError (its own, the deadline's, a crash's)."""

    number: int
    task: Task
    owner: object
    pool: EnginePool
    future: Future = field(default_factory=Future)
    stop_requested: float | None = None  # when cancel() was called on it while it ran

    def cancel(self) -> None:
        """Drop the document if it waits; stop its work if it runs (the future then raises CANCELLED)."""
        self.pool._cancel(self)


class _FairQueue:
    """Waiting jobs by owner; `take` goes round the owners, one job each."""

    def __init__(self) -> None:
        self._lanes: OrderedDict[object, deque[Job]] = OrderedDict()

    def put(self, job: Job) -> None:
        self._lanes.setdefault(job.owner, deque()).append(job)

    def take(self) -> Job | None:
        while self._lanes:
            owner, lane = next(iter(self._lanes.items()))
            job = lane.popleft()
            if lane:
                self._lanes.move_to_end(owner)
            else:
                del self._lanes[owner]
            return job
        return None

    def remove(self, job: Job) -> bool:
        lane = self._lanes.get(job.owner)
        if lane is None or job not in lane:
            return False
        lane.remove(job)
        if not lane:
            del self._lanes[job.owner]
        return True

    def drain(self) -> list[Job]:
        jobs = [j for lane in self._lanes.values() for j in lane]
        self._lanes.clear()
        return jobs

    def __len__(self) -> int:
        return sum(len(lane) for lane in self._lanes.values())


class WorkerDied(Exception):
    pass


class _ProcessWorker:
    """An engine worker process, its pipe and its cancel flag."""

    killable = True

    def __init__(self, ctx: Any, settings: tuple) -> None:
        self.conn, child_conn = ctx.Pipe()
        self.flag = ctx.RawValue("q", 0)
        self.process = ctx.Process(target=worker_process.main, args=(child_conn, self.flag, *settings),
                                   name="quotes-engine-worker", daemon=True)
        # the worker starts with SIGINT and SIGTERM blocked (a mask is inherited), ignores them, then lets them in
        old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child_conn.close()
        self.pid = self.process.pid

    def wait_ready(self, closing: threading.Event) -> None:
        while not closing.is_set():
            if not wait_for_ready([self.conn, self.process.sentinel], timeout=0.5):
                continue
            try:
                kind, detail = self.conn.recv()
            except (EOFError, OSError):
                raise WorkerDied(f"the worker exited while starting (exit code {self.process.exitcode})") from None
            if kind == "ready":
                return
            raise WorkerDied(detail)
        raise WorkerDied("the pool is shutting down")

    def send(self, task: Task) -> None:
        try:
            self.conn.send(task)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc

    def poll(self, timeout: float) -> Reply | None:
        if not wait_for_ready([self.conn, self.process.sentinel], timeout=timeout):
            return None
        if self.conn.poll():  # an answer sent just before the worker died still counts
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                pass
        raise WorkerDied(f"exit code {self.process.exitcode}")

    def cancel(self, number: int) -> None:
        self.flag.value = number

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # SIGKILL: the worker ignores SIGTERM
        self.process.join(5)
        self.conn.close()


class _Flag:
    value = 0


class _QueueConnection:
    """The worker's end of an in-process worker's connection."""

    def __init__(self, inbox: queue.Queue, outbox: queue.Queue) -> None:
        self.inbox, self.outbox = inbox, outbox

    def recv(self) -> Any:
        return self.inbox.get()

    def send(self, obj: Any) -> None:
        self.outbox.put(obj)


class _ThreadWorker:
    """The in-process worker: a thread of this process with an engine already loaded. It cannot be killed:
    a cancel stops it at the engine's next check, like a process."""

    killable = False

    def __init__(self, engine: Engine, max_text_chars: int) -> None:
        self.inbox: queue.Queue = queue.Queue()
        self.outbox: queue.Queue = queue.Queue()
        self.flag = _Flag()
        self.pid = os.getpid()
        self.thread = threading.Thread(target=worker_process.serve, name="engine", daemon=True,
                                       args=(_QueueConnection(self.inbox, self.outbox), engine, self.flag,
                                             max_text_chars))
        self.thread.start()

    def wait_ready(self, closing: threading.Event) -> None:
        pass

    def send(self, task: Task) -> None:
        self.inbox.put(task)

    def poll(self, timeout: float) -> Reply | None:
        try:
            return self.outbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def cancel(self, number: int) -> None:
        self.flag.value = number

    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self.inbox.put(None)
        self.thread.join(timeout)

    kill = stop


class _Slot:
    """One place for a worker, and the thread that keeps a worker in it: starts it, feeds it one job at a
    time, and replaces it when it dies, hangs after a cancel, or is recycled."""

    def __init__(self, pool: EnginePool, index: int) -> None:
        self.pool, self.index = pool, index
        self.worker: _ProcessWorker | _ThreadWorker | None = None
        self.ready = False
        self.documents = 0  # by the current worker
        self.rss_bytes = 0
        self.job: Job | None = None
        self.recycling = ""  # why the current worker is being replaced
        self.thread = threading.Thread(target=self._run, name=f"engine-slot-{index}", daemon=True)

    def _run(self) -> None:
        pool = self.pool
        failures = 0
        while not pool.closing.is_set():
            started = time.monotonic()
            try:
                worker = pool._new_worker()
                self.worker = worker
                worker.wait_ready(pool.closing)
            except Exception as exc:  # noqa: BLE001 - a replacement that fails to start is tried again
                if self.worker is not None:
                    self.worker.kill()
                self.worker = None
                pool._start_failed(self, exc)
                delay = RESTART_BACKOFF_SECONDS[min(failures, len(RESTART_BACKOFF_SECONDS) - 1)]
                failures += 1
                pool.closing.wait(delay)
                continue
            failures, self.documents, self.rss_bytes = 0, 0, 0
            log.info("worker_ready", slot=self.index, pid=worker.pid, seconds=round(time.monotonic() - started, 1))
            self._set_ready(True)
            why = self._serve(worker)
            self._set_ready(False)
            if why == "crashed":
                log.warning("worker_crashed", slot=self.index, pid=worker.pid)
                worker.kill()
            elif why == "stuck":
                log.warning("worker_killed", slot=self.index, pid=worker.pid,
                            reason=f"still busy {KILL_AFTER_SECONDS:g} s after a cancel or deadline")
                worker.kill()
            else:
                if why == "recycle":
                    log.info("worker_recycled", slot=self.index, pid=worker.pid, reason=self.recycling,
                             documents=self.documents, rss_mb=round(self.rss_bytes / 2**20))
                worker.stop()
            self.worker = None

    def _set_ready(self, ready: bool) -> None:
        self.ready = ready
        self.pool._ready_changed()

    def _serve(self, worker: _ProcessWorker | _ThreadWorker) -> str:
        """Jobs until the worker must go: 'crashed', 'stuck', 'recycle' or 'closing'."""
        while True:
            job = self.pool._take(self, worker)
            if job is None:
                return "closing" if self.pool.closing.is_set() else "crashed"
            why = self._work(worker, job)
            self.pool._finished(self, job)
            if why:
                return why
            self.recycling = self.pool.recycle_reason(self)
            if self.recycling:
                return "recycle"

    def _work(self, worker: _ProcessWorker | _ThreadWorker, job: Job) -> str | None:
        try:
            worker.send(job.task)
            while True:
                reply = worker.poll(POLL_SECONDS)
                if reply is not None:
                    self.documents += 1
                    self.rss_bytes = reply.rss_bytes
                    if reply.error is not None:
                        job.future.set_exception(reply.error)
                    else:
                        job.future.set_result((reply.value, reply.quotes))
                    return None
                overdue = _overdue_since(job)
                if overdue is not None and time.time() - overdue > KILL_AFTER_SECONDS and worker.killable:
                    job.future.set_exception(errors.deadline_exceeded() if job.stop_requested is None
                                             else errors.cancelled())
                    return "stuck"
        except WorkerDied:
            self.pool._crashed(job)
            job.future.set_exception(errors.worker_crashed())
            return "crashed"


def _digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()


def _overdue_since(job: Job) -> float | None:
    """Since when the job should have stopped: its cancel, or its deadline once passed (time.time())."""
    times = [t for t in (job.stop_requested, job.task.deadline) if t is not None and t < time.time()]
    return min(times) if times else None


class EnginePool:
    def __init__(self, workers: int, models: str = "bundled", log_format: str = "json", log_level: str = "info",
                 max_text_chars: int = MAX_TEXT_CHARS, *, max_rss_mb: int = 0, max_documents: int = 0,
                 precision: str | None = None):
        self.size = workers
        # fails here, with a clear message, if models are missing or the precision is unknown
        self.selection = select_models(models, precision)
        self._settings = (models, max_text_chars, log_format, log_level, self.selection.precision)
        self.max_text_chars = max_text_chars
        self.max_rss_mb, self.max_documents = max_rss_mb, max_documents
        self._engine: Engine | None = None  # set by in_process()
        self._slots: list[_Slot] = []
        self._queue = _FairQueue()
        self._lock = threading.Condition()
        self._numbers = itertools.count(1)
        self._pending = 0
        self.closing = threading.Event()
        self.on_change: Callable[[int, int], None] | None = None  # (ready workers, size), from a slot's thread
        self._starting = False  # start() is waiting for the first workers: a failure to start ends it
        self._start_error: BaseException | None = None
        self._crashes: OrderedDict[bytes, int] = OrderedDict()  # request digest -> workers it was on when they died

    @classmethod
    def in_process(cls, engine: Engine, max_text_chars: int = MAX_TEXT_CHARS) -> EnginePool:
        """One worker: a thread of this process with `engine`."""
        pool = cls(1, max_text_chars=max_text_chars)
        pool.selection, pool._engine = engine.models, engine
        return pool

    @property
    def version(self) -> str:
        return self.selection.version

    @property
    def pending(self) -> int:
        """Documents running or waiting."""
        return self._pending

    @property
    def ready(self) -> int:
        """Workers that can take a document now (started and warm)."""
        return sum(slot.ready for slot in self._slots)

    def worker_pids(self) -> list[int]:
        return [slot.worker.pid for slot in self._slots if slot.worker is not None and slot.ready]

    def start(self, timeout: float = 900) -> None:
        """Start every worker, load the models in each and warm them up; blocks until all are ready.
        Raises PoolUnavailable when a worker fails to start."""
        if self._engine is None:
            for key, value in MALLOC_ENV.items():  # read by glibc when a worker starts
                os.environ.setdefault(key, value)
        self._starting = True
        self._slots = [_Slot(self, i) for i in range(self.size)]
        # at exit, multiprocessing would SIGTERM its daemon children and wait for them: workers ignore SIGTERM
        atexit.register(self._kill_workers)
        for slot in self._slots:
            slot.thread.start()
        end = time.monotonic() + timeout
        with self._lock:
            while (self.ready < self.size and self._start_error is None and not self.closing.is_set()
                   and time.monotonic() < end):
                self._lock.wait(0.5)
            self._starting = False
            error = self._start_error
        if error is not None or self.ready < self.size:
            self.shutdown()
            raise PoolUnavailable(f"the engine workers did not start: {error or 'stopped or timed out'}")

    def submit(self, payload: bytes, deadline: float | None = None, *, owner: object = None,
               as_json: bool = False) -> Job:
        """Queue one request (serialized ExtractQuotesRequest). Jobs of the same `owner` (a stream) take
        turns with other owners' (None: a job of its own)."""
        number = next(self._numbers)
        job = Job(number, Task(number, payload, deadline, as_json), owner, self)
        if owner is None:
            job.owner = job
        crashes = self._crashes.get(_digest(payload), 0) if self._crashes else 0
        if crashes >= CRASHES_BEFORE_REFUSAL:
            job.future.set_exception(errors.document_crashes_worker(crashes))
            return job
        with self._lock:
            if self.closing.is_set():
                raise PoolUnavailable("the pool is shut down")
            self._pending += 1
            self._queue.put(job)
            self._lock.notify()
        return job

    def _crashed(self, job: Job) -> None:
        """Count a worker's death against the document it was working on."""
        key = _digest(job.task.payload)
        with self._lock:
            crashes = self._crashes.pop(key, 0) + 1
            self._crashes[key] = crashes
            while len(self._crashes) > REMEMBERED_CRASHES:
                self._crashes.popitem(last=False)
        if crashes == CRASHES_BEFORE_REFUSAL:
            log.warning("document_refused", reason="its workers died", crashes=crashes, digest=key.hex()[:16])

    def _new_worker(self) -> _ProcessWorker | _ThreadWorker:
        if self._engine is not None:
            return _ThreadWorker(self._engine, self.max_text_chars)
        return _ProcessWorker(mp.get_context("spawn"), self._settings)

    def _take(self, slot: _Slot, worker: _ProcessWorker | _ThreadWorker) -> Job | None:
        """The next job for the slot's worker; None when the pool closes or the idle worker died."""
        with self._lock:
            while not self.closing.is_set():
                job = self._queue.take()
                if job is None:
                    if not worker.alive():
                        return None
                    self._lock.wait(IDLE_CHECK_SECONDS)
                elif job.future.set_running_or_notify_cancel():
                    slot.job = job
                    return job
                else:
                    self._pending -= 1  # cancelled while it waited (grpc cancelled the future itself)
        return None

    def _finished(self, slot: _Slot, job: Job) -> None:
        with self._lock:
            slot.job = None
            self._pending -= 1

    def _cancel(self, job: Job) -> None:
        with self._lock:
            queued = self._queue.remove(job)
            if queued:
                self._pending -= 1
            else:
                slot = next((s for s in self._slots if s.job is job), None)
                if slot is not None and slot.worker is not None:
                    job.stop_requested = time.time()
                    slot.worker.cancel(job.number)
        if queued:
            job.future.cancel()

    def _ready_changed(self) -> None:
        with self._lock:
            self._lock.notify_all()
        if self.on_change is not None:
            self.on_change(self.ready, self.size)

    def _start_failed(self, slot: _Slot, exc: BaseException) -> None:
        if self.closing.is_set():
            return
        log.error("worker_start_failed", slot=slot.index, error=str(exc))
        with self._lock:
            if self._starting and self._start_error is None:
                self._start_error = exc
            self._lock.notify_all()

    def recycle_reason(self, slot: _Slot) -> str:
        """Why the slot's worker is to be replaced now ('documents', 'memory'), or '' to keep it."""
        if self._engine is not None:
            return ""
        if self.max_rss_mb and slot.rss_bytes > self.max_rss_mb * 2**20:
            reason = "memory"
        elif self.max_documents and slot.documents >= self.max_documents:
            reason = "documents"
        else:
            return ""
        # one worker at a time, so that the others keep serving while its replacement loads
        return reason if self.size == 1 or all(s.ready for s in self._slots if s is not slot) else ""

    def shutdown(self, timeout: float = 10.0) -> None:
        """Fail the waiting documents (SHUTTING_DOWN), stop the running ones, stop every worker."""
        with self._lock:
            self.closing.set()
            waiting = self._queue.drain()
            self._pending -= len(waiting)
            running = [s.job for s in self._slots if s.job is not None]
            self._lock.notify_all()
        for job in waiting:
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(errors.shutting_down())
        for job in running:
            job.cancel()
        end = time.monotonic() + timeout
        for slot in self._slots:
            slot.thread.join(max(0.0, end - time.monotonic()))
        self._kill_workers()
        atexit.unregister(self._kill_workers)

    def _kill_workers(self) -> None:
        self.closing.set()
        for slot in self._slots:
            if slot.worker is not None:
                slot.worker.kill()

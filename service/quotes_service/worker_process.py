"""What runs inside one engine worker: load and warm the models, then answer one task at a time.

The worker ignores SIGINT and SIGTERM (a Ctrl-C reaches the whole process group; the server drains first
and stops its workers itself) and stops when its pipe closes or it is sent None. A task is
(number, ExtractQuotesRequest bytes, deadline, as_json); the answer a Reply. The task's work stops at the
engine's next check (between stages and model calls) once the deadline passes or the parent sets the
shared cancel flag to the task's number.
"""
from __future__ import annotations

import gc
import os
import signal
from dataclasses import dataclass
from typing import Any, Protocol

WARMUP_TEXT = ('"We will look at every option," the minister said on Monday. '
               "Officials said the talks would continue, according to Reuters.")
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Connection(Protocol):
    def send(self, obj: Any) -> None: ...
    def recv(self) -> Any: ...


class Flag(Protocol):
    value: int


@dataclass(frozen=True)
class Task:
    number: int
    payload: bytes  # a serialized ExtractQuotesRequest
    deadline: float | None  # time.time() seconds
    as_json: bool  # answer with the response's compact JSON line (batch files) instead of its bytes


@dataclass(frozen=True)
class Reply:
    number: int
    value: bytes | str | None  # the response (bytes, or its JSON line); None when `error` is set
    quotes: int
    error: Exception | None  # a RequestError: the request's, or the work's (deadline, cancel, engine failure)
    rss_bytes: int  # the worker's resident memory after the task


def main(conn: Any, cancel: Flag, models: str, max_text_chars: int, log_format: str, log_level: str,
         precision: str) -> None:
    """The worker process: its parent started it with SIGINT and SIGTERM blocked; they are ignored before
    they are let through, so that one sent while Python started is dropped too."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    from . import logs
    from .engine import Engine
    from .models import select_models

    logs.configure(log_format, log_level)
    try:
        engine = Engine(select_models(models, precision), threads=1)
        engine.extract(WARMUP_TEXT)
        keep_loaded_out_of_collections()
    except Exception as exc:  # noqa: BLE001 - the parent reports it and decides what to do
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    serve(conn, engine, cancel, max_text_chars)


def keep_loaded_out_of_collections() -> None:
    """Move every object alive now (the loaded models: some 390,000 vocabulary entries, modules and
    tensors) to the collector's permanent generation. A full collection walks every tracked object; with the
    models among them each took 0.16 s, 2 % of the engine's time; they live as long as the process, so
    the collector has nothing to find in them. Reference counting still frees them."""
    gc.collect()
    gc.freeze()


def serve(conn: Connection, engine: Any, cancel: Flag, max_text_chars: int) -> None:
    """Answer tasks until the connection closes or sends None."""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        reply = handle(engine, task, cancel, max_text_chars)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


def handle(engine: Any, task: Task, cancel: Flag, max_text_chars: int) -> Reply:
    from quotes.v1 import quote_service_pb2 as pb

    from . import api
    from .api import errors
    from .api.validation import clip
    from .engine import Cancelled, DeadlineExceeded
    from .logs import get_logger

    request = None
    try:
        request = pb.ExtractQuotesRequest.FromString(task.payload)
        response = api.extract(engine, request, deadline=task.deadline, max_text_chars=max_text_chars,
                               cancelled=lambda: cancel.value == task.number)
        value = api.to_json_line(response) if task.as_json else response.SerializeToString()
        return Reply(task.number, value, len(response.quotes), None, resident_bytes())
    except api.RequestError as err:
        error = err
    except DeadlineExceeded:
        error = errors.deadline_exceeded()
    except Cancelled:
        error = errors.cancelled()
    except Exception as exc:  # noqa: BLE001 - one document's failure is its own error, never the worker's end
        get_logger("quotes.worker").exception(
            "engine_error", document_id=clip(request.document.id) if request is not None else "")
        error = errors.engine_error(exc)
    return Reply(task.number, None, 0, error, resident_bytes())


def resident_bytes() -> int:
    """This process's resident memory now (Linux), else its peak."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if os.uname().sysname == "Darwin" else peak * 1024

"""When a document's work must stop (its deadline passed, or its caller cancelled it), and the checks that
stop it: the pipeline runner checks before every stage, and torch before every model call, so that a long
stage (tokenizing, tagging, parsing and NER of a long document) stops between two batches too.

The check of the document being worked on is this thread's (a context variable); torch's global
forward pre-hook, installed once per process, calls it. Outside a document's run the hook does nothing.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


class DeadlineExceeded(Exception):
    """The caller's deadline passed; the rest of the work was skipped."""


class Cancelled(Exception):
    """The caller cancelled the request; the rest of the work was skipped."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Checkpoint:
    """A document's stop conditions: a deadline (time.time() seconds) and a flag its caller can raise."""

    deadline: float | None = None
    cancelled: Callable[[], bool] = _never

    def __call__(self, where: str) -> None:
        if self.cancelled():
            raise Cancelled(where)
        if self.deadline is not None and time.time() > self.deadline:
            raise DeadlineExceeded(where)


_current: ContextVar[Checkpoint | None] = ContextVar("quotes_checkpoint", default=None)
_hook_installed = False


@contextmanager
def checking(checkpoint: Checkpoint) -> Iterator[None]:
    """Every model call in this thread checks `checkpoint` until the block ends."""
    _install_hook()
    token = _current.set(checkpoint)
    try:
        yield
    finally:
        _current.reset(token)


def check(where: str) -> None:
    """The check of the document being worked on, for long work between model calls (none outside a run)."""
    checkpoint = _current.get()
    if checkpoint is not None:
        checkpoint(where)


def _before_model_call(module: Any, args: Any) -> None:
    check(f"in {type(module).__name__}")


def _install_hook() -> None:
    global _hook_installed
    if not _hook_installed:
        from torch.nn.modules.module import register_module_forward_pre_hook

        register_module_forward_pre_hook(_before_model_call)
        _hook_installed = True

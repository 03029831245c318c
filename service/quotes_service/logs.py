"""structlog on stderr: JSON lines when stderr is not a terminal, readable lines on a terminal.

The standard library's loggers (grpc, stanza, asyncio) go through the same renderer, so every line a
process writes to stderr has one shape. Request context is bound with structlog.contextvars.
"""
from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


def configure(log_format: str = "auto", level: str = "info") -> None:
    """`log_format`: auto (JSON unless stderr is a terminal), json, or console."""
    as_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    renderer = structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("stanza", "grpc._cython", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def get_logger(name: str = "quotes"):
    return structlog.get_logger(name)


if not structlog.is_configured():
    # A program that uses the package without configure() (a script over EnginePool or Engine) logs to stderr
    # too: structlog's default is stdout, which carries only JSON for other programs.
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))

"""Server settings: every flag of `quotes serve` also reads an environment variable (flag wins)."""
from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from ..api.validation import MAX_TEXT_CHARS
from ..cpus import usable_cpus


@dataclass(frozen=True)
class ServerConfig:
    host: str = "[::]"
    port: int = 50051
    workers: int = usable_cpus()
    max_text_chars: int = MAX_TEXT_CHARS
    max_queue: int = 64  # requests waiting for a worker, beyond the ones being worked on
    stream_window: int = 0  # documents of one stream in flight at once; 0 = 2 x workers
    grace_seconds: float = 30.0
    models: str = "bundled"
    precision: str = "int8"  # int8 or fp32: see models.DEFAULT_PRECISION
    log_format: str = "auto"
    log_level: str = "info"

    @property
    def window(self) -> int:
        return self.stream_window or 2 * self.workers

    @property
    def max_message_bytes(self) -> int:
        # 4 bytes per character is the UTF-8 worst case; leave room for the other fields
        return 4 * self.max_text_chars + (1 << 20)


_ENV = {  # field -> (environment variable, type)
    "host": ("QUOTES_HOST", str),
    "port": ("QUOTES_PORT", int),
    "workers": ("QUOTES_WORKERS", int),
    "max_text_chars": ("QUOTES_MAX_TEXT_CHARS", int),
    "max_queue": ("QUOTES_MAX_QUEUE", int),
    "stream_window": ("QUOTES_STREAM_WINDOW", int),
    "grace_seconds": ("QUOTES_GRACE_SECONDS", float),
    "models": ("QUOTES_MODELS", str),
    "precision": ("QUOTES_PRECISION", str),
    "log_format": ("QUOTES_LOG_FORMAT", str),
    "log_level": ("QUOTES_LOG_LEVEL", str),
}
_HELP = {
    "host": "address to listen on",
    "port": "port to listen on (0 picks a free one; the chosen port is logged)",
    "workers": "engine worker processes, one model copy each (default: the CPUs this process may use)",
    "max_text_chars": "longest document accepted, in characters",
    "max_queue": "requests allowed to wait for a worker before RESOURCE_EXHAUSTED",
    "stream_window": "documents of one stream processed at once (default: 2 x workers)",
    "grace_seconds": "on SIGTERM, how long in-flight requests may take to finish",
    "models": "bundled (default), official, or a stanza resources directory",
    "precision": "int8 (quantized after loading, faster) or fp32 (the models as trained)",
    "log_format": "auto (JSON unless stderr is a terminal), json or console",
    "log_level": "debug, info, warning or error",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for name, (env, kind) in _ENV.items():
        parser.add_argument("--" + name.replace("_", "-"), type=kind, default=None,
                            help=f"{_HELP[name]} [env {env}, default {getattr(ServerConfig, name)}]")


def from_arguments(args: argparse.Namespace) -> ServerConfig:
    values = {}
    for name, (env, kind) in _ENV.items():
        value = getattr(args, name, None)
        if value is None and os.environ.get(env):
            try:
                value = kind(os.environ[env])
            except ValueError:
                raise SystemExit(f"{env}={os.environ[env]!r} is not a valid {kind.__name__}") from None
        if value is not None:
            values[name] = value
    config = ServerConfig(**values)
    if config.workers < 1 or config.max_text_chars < 1 or config.max_queue < 0 or config.port < 0:
        raise SystemExit("workers and max-text-chars must be positive; max-queue and port not negative")
    if config.precision not in ("int8", "fp32"):
        raise SystemExit(f"precision must be int8 or fp32, not {config.precision!r}")
    return config

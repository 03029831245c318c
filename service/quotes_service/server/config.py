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
    worker_max_rss_mb: int = 0  # replace a worker between documents above this resident memory; 0 = never
    worker_max_documents: int = 0  # replace a worker after this many documents; 0 = never
    tls_cert: str = ""  # PEM files: the server's certificate chain and key (TLS when set)
    tls_key: str = ""
    tls_client_ca: str = ""  # PEM: the CAs of client certificates (mutual TLS: a client must present one)
    auth_token_file: str = ""  # bearer tokens, one a line: every call but health needs one of them

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
    "worker_max_rss_mb": ("QUOTES_WORKER_MAX_RSS_MB", int),
    "worker_max_documents": ("QUOTES_WORKER_MAX_DOCUMENTS", int),
    "tls_cert": ("QUOTES_TLS_CERT", str),
    "tls_key": ("QUOTES_TLS_KEY", str),
    "tls_client_ca": ("QUOTES_TLS_CLIENT_CA", str),
    "auth_token_file": ("QUOTES_AUTH_TOKEN_FILE", str),
}
_HELP = {
    "host": "address to listen on",
    "port": "port to listen on (0 picks a free one; the chosen port is logged)",
    "workers": "engine worker processes, one model copy each (default: the CPUs this process may use)",
    "max_text_chars": "longest document accepted, in characters",
    "max_queue": "documents allowed to wait for a worker (unary calls and streams alike) before RESOURCE_EXHAUSTED",
    "stream_window": "documents of one stream processed or waiting at once (default: 2 x workers)",
    "grace_seconds": "on SIGTERM or SIGINT, how long in-flight requests may take to finish",
    "models": "bundled (default), official, or a stanza resources directory",
    "precision": "int8 (quantized after loading, faster) or fp32 (the models as trained)",
    "log_format": "auto (JSON unless stderr is a terminal), json or console",
    "log_level": "debug, info, warning or error",
    "worker_max_rss_mb": "replace a worker, between documents, once its resident memory passes this (0: never)",
    "worker_max_documents": "replace a worker after this many documents (0: never)",
    "tls_cert": "PEM certificate chain of the server: serve TLS (with --tls-key)",
    "tls_key": "PEM private key of --tls-cert",
    "tls_client_ca": "PEM CA certificates of clients: require a client certificate signed by one (mutual TLS)",
    "auth_token_file": "file of bearer tokens, one a line: every call but health must send "
                       "'authorization: Bearer TOKEN'",
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
    if config.worker_max_rss_mb < 0 or config.worker_max_documents < 0:
        raise SystemExit("worker-max-rss-mb and worker-max-documents must not be negative (0 turns them off)")
    if bool(config.tls_cert) != bool(config.tls_key):
        raise SystemExit("--tls-cert and --tls-key go together")
    if config.tls_client_ca and not config.tls_cert:
        raise SystemExit("--tls-client-ca (mutual TLS) needs --tls-cert and --tls-key")
    if config.precision not in ("int8", "fp32"):
        raise SystemExit(f"precision must be int8 or fp32, not {config.precision!r}")
    return config

"""`quotes serve`: the grpc.aio server with health checking, reflection, TLS, tokens and a graceful drain.

Health is NOT_SERVING until every worker has loaded and warmed its models; then SERVING while at least one
worker is ready (a crashed or recycled worker is replaced while the others serve; a `capacity` log line
tells each change), and NOT_SERVING again as soon as a drain begins. SIGTERM and SIGINT (a Ctrl-C, which
reaches the whole process group: the workers ignore it) both drain: the server stops taking new calls,
lets the in-flight ones finish within the grace period, stops its workers and exits 0.
"""
from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio  # type: ignore[attr-defined]  # grpc-stubs lacks the aio servicer
from grpc_reflection.v1alpha import reflection

from quotes_client import SERVICE_NAME

from ..logs import get_logger
from ..workers import EnginePool
from .config import ServerConfig
from .security import TokenAuth, read_tokens, server_credentials
from .servicer import QuoteServicer, add_to_server

log = get_logger("quotes.server")


async def serve(config: ServerConfig, port_file: str | None = None) -> int:
    credentials = server_credentials(config)
    interceptors = [TokenAuth(read_tokens(config.auth_token_file))] if config.auth_token_file else []
    pool = EnginePool(config.workers, config.models, config.log_format, config.log_level, config.max_text_chars,
                      max_rss_mb=config.worker_max_rss_mb, max_documents=config.worker_max_documents,
                      precision=config.precision)
    draining = asyncio.Event()
    server = grpc.aio.server(interceptors=interceptors, options=[
        ("grpc.max_receive_message_length", config.max_message_bytes),
        ("grpc.max_send_message_length", -1),
        ("grpc.so_reuseport", 0),
    ])
    add_to_server(QuoteServicer(pool, config, draining), server)
    health = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME), server)
    address = f"{config.host}:{config.port}"
    port = server.add_secure_port(address, credentials) if credentials else server.add_insecure_port(address)

    async def set_health(serving: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in ("", SERVICE_NAME):
            await health.set(name, status)

    await set_health(False)
    await server.start()
    if port_file:
        tmp = Path(port_file + ".tmp")
        tmp.write_text(str(port), "utf-8")
        os.replace(tmp, port_file)
    log.info("listening", host=config.host, port=port, workers=config.workers, model_version=pool.version,
             tls="mutual" if config.tls_client_ca else bool(credentials), tokens=bool(interceptors))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal(sig, stop))

    starting = asyncio.create_task(asyncio.to_thread(pool.start))
    await asyncio.wait({starting, asyncio.create_task(stop.wait())}, return_when=asyncio.FIRST_COMPLETED)
    failed = starting.done() and starting.exception() is not None
    if failed:
        log.error("workers_failed", error=str(starting.exception()))
    elif starting.done():
        def capacity(ready: int, size: int) -> None:  # from a pool thread: a worker became ready or went away
            def report() -> None:
                log.info("capacity", ready_workers=ready, workers=size)
                if not draining.is_set():
                    asyncio.ensure_future(set_health(ready > 0))
            loop.call_soon_threadsafe(report)
        pool.on_change = capacity
        await set_health(pool.ready > 0)
        log.info("serving", port=port, workers=config.workers, model_version=pool.version)
        await stop.wait()

    log.info("draining", grace_seconds=config.grace_seconds, in_flight=pool.pending)
    draining.set()
    await health.enter_graceful_shutdown()
    await server.stop(config.grace_seconds)
    if not starting.done():
        pool.closing.set()  # a signal during start: start() gives up and stops the workers it started
    await asyncio.gather(starting, return_exceptions=True)
    await asyncio.to_thread(pool.shutdown)
    log.info("stopped")
    return 1 if failed else 0


def _on_signal(sig: signal.Signals, stop: asyncio.Event) -> Callable[[], None]:
    def handle() -> None:
        log.info("signal", signal=sig.name, draining=stop.is_set())
        stop.set()
    return handle

"""`quotes serve`: the grpc.aio server with health checking, reflection and a graceful SIGTERM.

Health is NOT_SERVING until every worker has loaded and warmed its models, SERVING after, NOT_SERVING
again as soon as a drain begins. On SIGTERM (or SIGINT) the server stops taking new calls, lets the
in-flight ones finish within the grace period, and exits 0.
"""
from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio  # type: ignore[attr-defined]  # grpc-stubs lacks the aio servicer
from grpc_reflection.v1alpha import reflection

from quotes_client import SERVICE_NAME

from ..logs import get_logger
from ..workers import EnginePool
from .config import ServerConfig
from .servicer import QuoteServicer, add_to_server

log = get_logger("quotes.server")


async def serve(config: ServerConfig, port_file: str | None = None) -> int:
    pool = EnginePool(config.workers, config.models, config.max_queue, config.log_format, config.log_level,
                      config.max_text_chars, precision=config.precision)
    draining = asyncio.Event()
    server = grpc.aio.server(options=[
        ("grpc.max_receive_message_length", config.max_message_bytes),
        ("grpc.max_send_message_length", -1),
        ("grpc.so_reuseport", 0),
    ])
    add_to_server(QuoteServicer(pool, config, draining), server)
    health = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME), server)
    port = server.add_insecure_port(f"{config.host}:{config.port}")
    for name in ("", SERVICE_NAME):
        await health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    await server.start()
    if port_file:
        tmp = Path(port_file + ".tmp")
        tmp.write_text(str(port), "utf-8")
        os.replace(tmp, port_file)
    log.info("listening", host=config.host, port=port, workers=config.workers, model_version=pool.version)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    starting = asyncio.create_task(asyncio.to_thread(pool.start))
    await asyncio.wait({starting, asyncio.create_task(stop.wait())}, return_when=asyncio.FIRST_COMPLETED)
    failed = starting.done() and starting.exception() is not None
    if failed:
        log.error("workers_failed", error=str(starting.exception()))
    elif starting.done():
        for name in ("", SERVICE_NAME):
            await health.set(name, health_pb2.HealthCheckResponse.SERVING)
        log.info("serving", port=port, workers=config.workers, model_version=pool.version)
        await stop.wait()

    log.info("draining", grace_seconds=config.grace_seconds, in_flight=pool.pending)
    await health.enter_graceful_shutdown()
    draining.set()
    await server.stop(config.grace_seconds)
    await asyncio.to_thread(pool.shutdown)
    log.info("stopped")
    return 1 if failed else 0

"""quotes.v1.QuoteService on grpc.aio: validation, the worker pool, deadlines, errors and the request log.

Responses come back from the workers already serialized, so the handlers are registered with a pass-through
response serializer (see `add_to_server`).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterable, AsyncIterator
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures.process import BrokenProcessPool

import grpc

from quotes.v1 import quote_service_pb2 as pb
from quotes_client import SERVICE_NAME

from ..api import RequestError, validate
from ..engine import DeadlineExceeded
from ..logs import get_logger
from ..workers import EnginePool, PoolBusy, PoolUnavailable
from .config import ServerConfig

log = get_logger("quotes.server")


class QuoteServicer:
    def __init__(self, pool: EnginePool, config: ServerConfig, draining: asyncio.Event):
        self.pool, self.config, self.draining = pool, config, draining

    async def ExtractQuotes(self, request: pb.ExtractQuotesRequest, context: grpc.aio.ServicerContext) -> bytes:
        started = time.perf_counter()
        fields = _request_fields("ExtractQuotes", request)
        try:
            validate(request, self.config.max_text_chars)
            payload, quotes = await self._run(request, context.time_remaining(), wait=False)
        except RequestError as err:
            _log_outcome(fields, started, err.code, reason=err.reason)
            await err.abort(context)
            raise  # abort() raises; this keeps type checkers honest
        except asyncio.CancelledError:
            _log_outcome(fields, started, grpc.StatusCode.CANCELLED, reason="CLIENT_CANCELLED")
            raise
        _log_outcome(fields, started, grpc.StatusCode.OK, quotes=quotes)
        return payload

    async def StreamExtractQuotes(self, request_iterator: AsyncIterable[pb.ExtractQuotesRequest],
                                  context: grpc.aio.ServicerContext) -> AsyncIterator[bytes]:
        started = time.perf_counter()
        remaining = context.time_remaining()
        window: asyncio.Queue = asyncio.Queue(maxsize=self.config.window)
        stopped = {"draining": False, "documents": 0, "errors": 0}

        async def read() -> None:
            iterator = request_iterator.__aiter__()
            drain = asyncio.ensure_future(self.draining.wait())
            try:
                while True:
                    nxt = asyncio.ensure_future(iterator.__anext__())
                    await asyncio.wait({nxt, drain}, return_when=asyncio.FIRST_COMPLETED)
                    if not nxt.done():
                        nxt.cancel()
                        stopped["draining"] = True
                        return
                    try:
                        request = nxt.result()
                    except StopAsyncIteration:
                        return
                    await window.put((request, time.perf_counter(), self._start(request, remaining)))
            finally:
                drain.cancel()
                await window.put(None)

        reader = asyncio.create_task(read())
        try:
            while (item := await window.get()) is not None:
                request, doc_started, task = item
                fields = _request_fields("StreamExtractQuotes", request)
                try:
                    payload, quotes = await task
                except RequestError as err:
                    stopped["errors"] += 1
                    _log_outcome(fields, doc_started, err.code, reason=err.reason)
                    payload = pb.ExtractQuotesResponse(
                        document_id=request.document.id,
                        error=pb.DocumentError(code=err.code.value[0], reason=err.reason, message=err.message),
                    ).SerializeToString()
                else:
                    _log_outcome(fields, doc_started, grpc.StatusCode.OK, quotes=quotes)
                stopped["documents"] += 1
                yield payload
        finally:
            reader.cancel()
        status = grpc.StatusCode.UNAVAILABLE if stopped["draining"] else grpc.StatusCode.OK
        log.info("stream", rpc="StreamExtractQuotes", documents=stopped["documents"], errors=stopped["errors"],
                 status=status.name, duration_ms=round(1000 * (time.perf_counter() - started), 1))
        if stopped["draining"]:
            await RequestError(grpc.StatusCode.UNAVAILABLE, "SHUTTING_DOWN",
                               f"the server is shutting down after {stopped['documents']} documents of this stream; "
                               "send the documents that got no response again").abort(context)

    def _start(self, request: pb.ExtractQuotesRequest, remaining: float | None) -> asyncio.Future:
        """Validate and queue one stream document; its outcome (bytes or RequestError) is the future's."""
        async def run() -> tuple[bytes, int]:
            validate(request, self.config.max_text_chars)
            return await self._run(request, remaining, wait=True)
        return asyncio.ensure_future(run())

    async def _run(self, request: pb.ExtractQuotesRequest, remaining: float | None, *,
                   wait: bool) -> tuple[bytes, int]:
        if remaining is not None:  # give up a little before the caller does, so the status is ours
            remaining = max(0.0, remaining - min(0.1, 0.1 * remaining))
        deadline = time.time() + remaining if remaining is not None else None
        try:
            future = self.pool.submit(request.SerializeToString(), deadline, wait=wait)
        except PoolBusy as exc:
            raise RequestError(grpc.StatusCode.RESOURCE_EXHAUSTED, "QUEUE_FULL",
                               f"the server is busy ({exc}); retry with backoff or add workers") from exc
        except PoolUnavailable as exc:
            raise RequestError(grpc.StatusCode.UNAVAILABLE, "WORKERS_UNAVAILABLE", f"{exc}; retry shortly") from exc
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), remaining)
        except asyncio.CancelledError:
            future.cancel()  # the caller went away: a queued document is dropped, a running one stops at its
            raise            # next deadline check
        except (TimeoutError, DeadlineExceeded) as exc:
            future.cancel()
            raise RequestError(grpc.StatusCode.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                               "the deadline passed before the document was processed; the work was cancelled. "
                               "Allow more time for long documents") from exc
        except (BrokenProcessPool, FutureCancelled) as exc:
            raise RequestError(grpc.StatusCode.UNAVAILABLE, "WORKER_CRASHED",
                               "the worker processing this document stopped; retry") from exc
        except RequestError:
            raise
        except Exception as exc:
            log.exception("engine_error", document_id=request.document.id)
            raise RequestError(grpc.StatusCode.INTERNAL, "ENGINE_ERROR",
                               f"the engine failed on this document ({type(exc).__name__}); it was logged") from exc


def add_to_server(servicer: QuoteServicer, server: grpc.aio.Server) -> None:
    handlers = {
        "ExtractQuotes": grpc.unary_unary_rpc_method_handler(
            servicer.ExtractQuotes, request_deserializer=pb.ExtractQuotesRequest.FromString,
            response_serializer=_passthrough),
        "StreamExtractQuotes": grpc.stream_stream_rpc_method_handler(
            servicer.StreamExtractQuotes, request_deserializer=pb.ExtractQuotesRequest.FromString,
            response_serializer=_passthrough),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))


def _passthrough(payload: bytes) -> bytes:
    return payload


def _request_fields(rpc: str, request: pb.ExtractQuotesRequest) -> dict:
    return {"rpc": rpc, "document_id": request.document.id, "characters": len(request.document.text)}


def _log_outcome(fields: dict, started: float, code: grpc.StatusCode, **extra: object) -> None:
    level = log.info if code in (grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT) else log.warning
    level("request", **fields, **extra, status=code.name, duration_ms=round(1000 * (time.perf_counter() - started), 1))

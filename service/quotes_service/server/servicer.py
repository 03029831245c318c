"""quotes.v1.QuoteService on grpc.aio: parsing, validation, admission, the worker pool, deadlines, errors and
the request log.

Requests arrive as bytes and are parsed here, so that a malformed one gets INVALID_ARGUMENT
(MALFORMED_REQUEST) instead of grpc's UNKNOWN and a traceback; responses come back from the workers
already serialized. The handlers are therefore registered without (de)serializers (see `add_to_server`).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable
from concurrent.futures import Future

import grpc

from quotes.v1 import quote_service_pb2 as pb
from quotes_client import SERVICE_NAME

from ..api import RequestError, errors, validate
from ..api.validation import clip, parse_request
from ..logs import get_logger
from ..workers import EnginePool, PoolUnavailable
from .admission import Admission
from .config import ServerConfig

log = get_logger("quotes.server")


class QuoteServicer:
    def __init__(self, pool: EnginePool, config: ServerConfig, draining: asyncio.Event):
        self.pool, self.config, self.draining = pool, config, draining
        self.admission = Admission(config.workers + config.max_queue, reserve=config.max_queue // 2)

    async def ExtractQuotes(self, data: bytes, context: grpc.aio.ServicerContext) -> bytes:
        started = time.perf_counter()
        fields: dict = {"rpc": "ExtractQuotes", "bytes": len(data)}
        remaining = context.time_remaining()
        try:
            request = parse_request(data)
            fields = _request_fields("ExtractQuotes", request)
            validate(request, self.config.max_text_chars)
            if not self.admission.try_enter():
                raise errors.queue_full(f"{self.admission.used} documents are in progress or queued, "
                                        f"the limit is {self.admission.capacity}")
            payload, quotes = await self._run(data, _deadline(remaining), stream=None)
        except RequestError as err:
            _log_outcome(fields, started, err.code, reason=err.reason)
            await err.abort(context)
            raise  # abort() raises; this keeps type checkers honest
        except asyncio.CancelledError:
            _log_outcome(fields, started, grpc.StatusCode.CANCELLED, reason="CLIENT_CANCELLED")
            raise
        _log_outcome(fields, started, grpc.StatusCode.OK, quotes=quotes)
        return payload

    async def StreamExtractQuotes(self, request_iterator: AsyncIterable[bytes],
                                  context: grpc.aio.ServicerContext) -> AsyncIterator[bytes]:
        started = time.perf_counter()
        deadline = _deadline(context.time_remaining())
        stream = object()  # the pool serves this stream's documents in turn with other callers'
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
                        data = nxt.result()
                    except StopAsyncIteration:
                        return
                    try:
                        request = parse_request(data)
                    except RequestError as err:
                        await window.put((None, time.perf_counter(), _failed(err)))
                        continue
                    task = asyncio.ensure_future(self._stream_document(data, request, deadline, stream))
                    await window.put((request, time.perf_counter(), task))
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
                        document_id=fields["document_id"],
                        error=pb.DocumentError(code=err.code.value[0], reason=err.reason, message=err.message),
                    ).SerializeToString()
                else:
                    _log_outcome(fields, doc_started, grpc.StatusCode.OK, quotes=quotes)
                stopped["documents"] += 1
                yield payload
        finally:
            reader.cancel()
            while not window.empty():  # the caller went away: stop what it will not read
                left = window.get_nowait()
                if left is not None:
                    left[2].cancel()
        status = grpc.StatusCode.UNAVAILABLE if stopped["draining"] else grpc.StatusCode.OK
        log.info("stream", rpc="StreamExtractQuotes", documents=stopped["documents"], errors=stopped["errors"],
                 status=status.name, duration_ms=round(1000 * (time.perf_counter() - started), 1))
        if stopped["draining"]:
            await errors.shutting_down(f"after {stopped['documents']} documents of this stream; send the "
                                       "documents that got no response again").abort(context)

    async def _stream_document(self, data: bytes, request: pb.ExtractQuotesRequest, deadline: float | None,
                               stream: object) -> tuple[bytes, int]:
        """Validate one stream document, wait for room in the pool, run it."""
        validate(request, self.config.max_text_chars)
        try:
            await asyncio.wait_for(self.admission.enter_stream(), _remaining(deadline))
        except TimeoutError as exc:
            raise errors.deadline_exceeded() from exc
        return await self._run(data, deadline, stream=stream)

    async def _run(self, data: bytes, deadline: float | None, *, stream: object | None) -> tuple[bytes, int]:
        """One admitted document through the pool; it leaves the admission when the pool is done with it."""
        loop = asyncio.get_running_loop()
        try:
            job = self.pool.submit(data, deadline, owner=stream)
        except PoolUnavailable as exc:
            self.admission.leave(stream is not None)
            raise errors.shutting_down() from exc
        job.future.add_done_callback(_on_loop(loop, lambda: self.admission.leave(stream is not None)))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job.future), _remaining(deadline))
        except asyncio.CancelledError:
            job.cancel()  # the caller went away: a waiting document is dropped, a running one stops
            raise
        except TimeoutError as exc:
            job.cancel()
            raise errors.deadline_exceeded() from exc


def add_to_server(servicer: QuoteServicer, server: grpc.aio.Server) -> None:
    handlers = {
        "ExtractQuotes": grpc.unary_unary_rpc_method_handler(servicer.ExtractQuotes),
        "StreamExtractQuotes": grpc.stream_stream_rpc_method_handler(servicer.StreamExtractQuotes),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))


def _deadline(remaining: float | None) -> float | None:
    """The time.time() by which a call's work must end: a little before the caller's, so the status is ours."""
    if remaining is None:
        return None
    return time.time() + max(0.0, remaining - min(0.1, 0.1 * remaining))


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.time())


def _failed(err: RequestError) -> asyncio.Future:
    failed = asyncio.get_running_loop().create_future()
    failed.set_exception(err)
    return failed


def _on_loop(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> Callable[[Future], None]:
    """A future's done callback (run in a pool thread) that calls `callback` on the loop."""
    def done(_: Future) -> None:
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:  # the loop is closed: the server has stopped
            pass
    return done


def _request_fields(rpc: str, request: pb.ExtractQuotesRequest | None) -> dict:
    if request is None:
        return {"rpc": rpc, "document_id": "", "characters": 0}
    return {"rpc": rpc, "document_id": clip(request.document.id), "characters": len(request.document.text)}


def _log_outcome(fields: dict, started: float, code: grpc.StatusCode, **extra: object) -> None:
    expected = code is grpc.StatusCode.OK or (code is grpc.StatusCode.INVALID_ARGUMENT
                                             and extra.get("reason") != "MALFORMED_REQUEST")
    level = log.info if expected else log.warning
    level("request", **fields, **extra, status=code.name, duration_ms=round(1000 * (time.perf_counter() - started), 1))

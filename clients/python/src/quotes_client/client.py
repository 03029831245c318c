"""QuotesClient (blocking) and AsyncQuotesClient (asyncio) over the generated quotes.v1 stubs.

Both retry UNAVAILABLE with exponential backoff through the gRPC service config; `extract_many` also
resends, on a new stream, the documents a stream ended without answering (a server that drained for a
restart), so every document gets exactly one response.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, Self

import grpc

from quotes.v1 import quote_service_pb2 as pb
from quotes.v1 import quote_service_pb2_grpc as pb_grpc

from .errors import QuotesError, from_rpc_error

DocumentLike = pb.Document | pb.ExtractQuotesRequest | Mapping[str, Any] | str
# The offset units a caller may name, and the service's full name, as the generated descriptor has it.
ENCODINGS = {"utf32": pb.ENCODING_TYPE_UTF32, "utf16": pb.ENCODING_TYPE_UTF16, "utf8": pb.ENCODING_TYPE_UTF8}
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["QuoteService"].full_name  # "quotes.v1.QuoteService"
SERVICE_CONFIG = {
    "methodConfig": [{
        "name": [{"service": SERVICE_NAME}],
        "retryPolicy": {"maxAttempts": 5, "initialBackoff": "0.2s", "maxBackoff": "5s", "backoffMultiplier": 2,
                        "retryableStatusCodes": ["UNAVAILABLE"]},
    }],
}
CHANNEL_OPTIONS = [
    ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
    ("grpc.enable_retries", 1),
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", 64 << 20),
]


def make_request(document: DocumentLike, *, document_id: str | None = None, publisher: str | None = None,
                 url: str | None = None, encoding: str | int = "utf32",
                 include_tokens: bool = False) -> pb.ExtractQuotesRequest:
    """A request from a Document, a mapping with Document's fields ({"id", "text", "publisher", "url"}), text,
    or a ready ExtractQuotesRequest (sent as it is)."""
    if isinstance(document, pb.ExtractQuotesRequest):
        return document
    if isinstance(document, pb.Document):
        doc = pb.Document()
        doc.CopyFrom(document)
    elif isinstance(document, str):
        doc = pb.Document(text=document)
    else:
        doc = pb.Document()
        for key in ("id", "text", "language_code", "publisher", "url"):
            if document.get(key):
                setattr(doc, key, str(document[key]))
    if document_id is not None:
        doc.id = document_id
    if publisher is not None:
        doc.publisher = publisher
    if url is not None:
        doc.url = url
    enc = ENCODINGS[encoding.lower()] if isinstance(encoding, str) else pb.EncodingType.Name(encoding)
    return pb.ExtractQuotesRequest(document=doc, encoding_type=enc, include_tokens=include_tokens)


def _channel(api, target: str, credentials: grpc.ChannelCredentials | None, options: Iterable[tuple[str, Any]]):
    """A channel of `api` (grpc or grpc.aio) with the retry service config and large message limits."""
    opts = CHANNEL_OPTIONS + list(options)
    if credentials is not None:
        return api.secure_channel(target, credentials, opts)
    return api.insecure_channel(target, opts)


class QuotesClient:
    """Blocking client. `with QuotesClient("localhost:50051") as client: client.extract(text)`."""

    def __init__(self, target: str, *, timeout: float | None = 60.0,
                 credentials: grpc.ChannelCredentials | None = None, options: Iterable[tuple[str, Any]] = (),
                 resume_attempts: int = 5):
        self._channel = _channel(grpc, target, credentials, options)
        self._stub = pb_grpc.QuoteServiceStub(self._channel)
        self.timeout, self.resume_attempts = timeout, resume_attempts

    def extract(self, text: DocumentLike, *, document_id: str | None = None, publisher: str | None = None,
                url: str | None = None, encoding: str | int = "utf32", include_tokens: bool = False,
                timeout: float | None = None) -> pb.ExtractQuotesResponse:
        """The quotes of one document (text, or a Document / mapping); raises a QuotesError subclass."""
        request = make_request(text, document_id=document_id, publisher=publisher, url=url, encoding=encoding,
                               include_tokens=include_tokens)
        try:
            return self._stub.ExtractQuotes(request, timeout=timeout or self.timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    def extract_many(self, documents: Iterable[DocumentLike], *, encoding: str | int = "utf32",
                     include_tokens: bool = False, timeout: float | None = None) -> Iterator[pb.ExtractQuotesResponse]:
        """One response per document, in order, over one stream. A document that fails yields a response
        with `error` set (see errors.from_document_error); the stream goes on. `timeout` bounds the stream."""
        source = iter(documents)
        lock = threading.Lock()
        unanswered: deque[pb.ExtractQuotesRequest] = deque()
        generation = [0]
        attempts = 0

        def requests(mine: int, replay: list[pb.ExtractQuotesRequest]) -> Iterator[pb.ExtractQuotesRequest]:
            for request in replay:
                yield request
            while True:
                with lock:
                    if generation[0] != mine:
                        return  # a newer stream took over
                    doc = next(source, None)
                    if doc is None:
                        return
                    request = make_request(doc, encoding=encoding, include_tokens=include_tokens)
                    unanswered.append(request)
                yield request

        while True:
            with lock:
                generation[0] += 1
                replay = list(unanswered)
            call = self._stub.StreamExtractQuotes(requests(generation[0], replay), timeout=timeout)
            try:
                for response in call:
                    with lock:
                        unanswered.popleft()
                    attempts = 0
                    yield response
                return
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.UNAVAILABLE or attempts >= self.resume_attempts:
                    raise from_rpc_error(err) from None
                attempts += 1
                time.sleep(min(5.0, 0.2 * 2 ** attempts))

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncQuotesClient:
    """asyncio client. `async with AsyncQuotesClient(target) as client: await client.extract(text)`."""

    def __init__(self, target: str, *, timeout: float | None = 60.0,
                 credentials: grpc.ChannelCredentials | None = None, options: Iterable[tuple[str, Any]] = (),
                 resume_attempts: int = 5):
        self._channel = _channel(grpc.aio, target, credentials, options)
        self._stub = pb_grpc.QuoteServiceStub(self._channel)
        self.timeout, self.resume_attempts = timeout, resume_attempts

    async def extract(self, text: DocumentLike, *, document_id: str | None = None, publisher: str | None = None,
                      url: str | None = None, encoding: str | int = "utf32", include_tokens: bool = False,
                      timeout: float | None = None) -> pb.ExtractQuotesResponse:
        request = make_request(text, document_id=document_id, publisher=publisher, url=url, encoding=encoding,
                               include_tokens=include_tokens)
        try:
            return await self._stub.ExtractQuotes(request, timeout=timeout or self.timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    async def extract_many(self, documents: Iterable[DocumentLike] | AsyncIterable[DocumentLike], *,
                           encoding: str | int = "utf32", include_tokens: bool = False,
                           timeout: float | None = None) -> AsyncIterator[pb.ExtractQuotesResponse]:
        """As QuotesClient.extract_many, for sync or async iterables of documents."""
        source = _aiter(documents)
        unanswered: deque[pb.ExtractQuotesRequest] = deque()
        generation = [0]
        attempts = 0

        async def requests(mine: int, replay: list[pb.ExtractQuotesRequest]):
            for request in replay:
                yield request
            while generation[0] == mine:
                try:
                    doc = await source.__anext__()
                except StopAsyncIteration:
                    return
                request = make_request(doc, encoding=encoding, include_tokens=include_tokens)
                unanswered.append(request)
                yield request

        while True:
            generation[0] += 1
            replay = list(unanswered)
            call = self._stub.StreamExtractQuotes(requests(generation[0], replay), timeout=timeout)
            try:
                async for response in call:
                    unanswered.popleft()
                    attempts = 0
                    yield response
                return
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.UNAVAILABLE or attempts >= self.resume_attempts:
                    raise from_rpc_error(err) from None
                attempts += 1
                await asyncio.sleep(min(5.0, 0.2 * 2 ** attempts))

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def _aiter_sync(items: Iterable[DocumentLike]) -> AsyncIterator[DocumentLike]:
    for item in items:
        yield item


def _aiter(items) -> AsyncIterator[DocumentLike]:
    return items.__aiter__() if hasattr(items, "__aiter__") else _aiter_sync(items)


__all__ = ["AsyncQuotesClient", "QuotesClient", "QuotesError", "make_request"]

"""QuotesClient (blocking) and AsyncQuotesClient (asyncio) over the generated quotes.v1 stubs.

Both retry UNAVAILABLE with exponential backoff through the gRPC service config; `extract_many` also
resends, on a new stream, the documents a stream ended without answering (a server that drained for a
restart), so every document gets exactly one response.

Security: `tls=True` (the system's CAs) or `tls_ca=` (a PEM file or bytes: a private CA) for a server with
TLS, `tls_cert=`/`tls_key=` for mutual TLS, `tls_server_name=` when the certificate names another host
than the target; `token=` or `token_file=` for a server that wants a bearer token. `credentials=` (a
grpc.ChannelCredentials) replaces the tls_* arguments.
"""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Self, cast

import grpc

from quotes.v1 import quote_service_pb2 as pb
from quotes.v1 import quote_service_pb2_grpc as pb_grpc

from .errors import QuotesError, from_rpc_error

DocumentLike = pb.Document | pb.ExtractQuotesRequest | Mapping[str, Any] | str
# The offset units a caller may name, and the service's full name, as the generated descriptor has it.
ENCODINGS = {"utf32": pb.ENCODING_TYPE_UTF32, "utf16": pb.ENCODING_TYPE_UTF16, "utf8": pb.ENCODING_TYPE_UTF8}
# What a document's text is, by name: plain text, or HTML (offsets then index the HTML source).
CONTENT_TYPES = {"text": pb.CONTENT_TYPE_PLAIN_TEXT, "plain_text": pb.CONTENT_TYPE_PLAIN_TEXT,
                 "html": pb.CONTENT_TYPE_HTML}
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


def make_request(document: DocumentLike | None = None, *, document_id: str | None = None,
                 publisher: str | None = None, url: str | None = None, encoding: str | int = "utf32",
                 include_tokens: bool = False, html: str | None = None,
                 content_type: str | int | None = None) -> pb.ExtractQuotesRequest:
    """A request from a Document, a mapping with Document's fields ({"id", "text" or "html", "publisher", "url",
    "content_type"}), text, or a ready ExtractQuotesRequest (sent as it is). `html=source` sends an HTML
    document (as `content_type="html"` with the source as text): offsets then index the HTML source."""
    if html is not None:
        if document is not None:
            raise ValueError("pass the document or html=, not both")
        document, content_type = html, pb.CONTENT_TYPE_HTML if content_type is None else content_type
    if document is None:
        raise ValueError("no document: pass its text, a Document, a mapping, or html=")
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
        if document.get("html") is not None:
            doc.text, doc.content_type = str(document["html"]), pb.CONTENT_TYPE_HTML
        if document.get("content_type") is not None:
            doc.content_type = _content_type(document["content_type"])
    if content_type is not None:
        doc.content_type = _content_type(content_type)
    if document_id is not None:
        doc.id = document_id
    if publisher is not None:
        doc.publisher = publisher
    if url is not None:
        doc.url = url
    enc = ENCODINGS[encoding.lower()] if isinstance(encoding, str) else pb.EncodingType.Name(encoding)
    return pb.ExtractQuotesRequest(document=doc, encoding_type=enc, include_tokens=include_tokens)


def _content_type(value: str | int) -> pb.ContentType:
    return CONTENT_TYPES[value.lower()] if isinstance(value, str) else cast(pb.ContentType, value)


PemSource = str | os.PathLike[str] | bytes  # a PEM file's path, or its bytes


def _pem(source: PemSource | None) -> bytes | None:
    if source is None or isinstance(source, bytes):
        return source
    return Path(source).read_bytes()


def channel_credentials(*, tls: bool = False, tls_ca: PemSource | None = None, tls_cert: PemSource | None = None,
                        tls_key: PemSource | None = None) -> grpc.ChannelCredentials | None:
    """TLS credentials for a channel, or None for plaintext: `tls_ca` trusts a private CA (else the system's),
    `tls_cert` and `tls_key` present a client certificate (mutual TLS)."""
    if (tls_cert is None) != (tls_key is None):
        raise ValueError("tls_cert and tls_key go together")
    if not (tls or tls_ca is not None or tls_cert is not None):
        return None
    return grpc.ssl_channel_credentials(root_certificates=_pem(tls_ca), private_key=_pem(tls_key),
                                        certificate_chain=_pem(tls_cert))


def token_metadata(token: str | None = None, token_file: str | os.PathLike[str] | None = None) -> tuple:
    """The call metadata that carries a bearer token: `token`, or the first line of `token_file` that is
    neither empty nor a comment (#), as in the server's --auth-token-file."""
    if token is None and token_file is not None:
        lines = (line.strip() for line in Path(token_file).read_text("utf-8").splitlines())
        token = next((line for line in lines if line and not line.startswith("#")), "")
    return (("authorization", f"Bearer {token}"),) if token else ()


def _channel(api, target: str, credentials: grpc.ChannelCredentials | None, options: Iterable[tuple[str, Any]],
             tls_server_name: str | None = None):
    """A channel of `api` (grpc or grpc.aio) with the retry service config and large message limits."""
    opts = CHANNEL_OPTIONS + list(options)
    if tls_server_name:
        opts.append(("grpc.ssl_target_name_override", tls_server_name))
    if credentials is not None:
        return api.secure_channel(target, credentials, opts)
    return api.insecure_channel(target, opts)


class _Client:
    """What both clients share: the channel (TLS or not), the stub, the token, the defaults."""

    _api: Any = grpc

    def __init__(self, target: str, *, timeout: float | None = 60.0,
                 credentials: grpc.ChannelCredentials | None = None, options: Iterable[tuple[str, Any]] = (),
                 resume_attempts: int = 5, tls: bool = False, tls_ca: PemSource | None = None,
                 tls_cert: PemSource | None = None, tls_key: PemSource | None = None,
                 tls_server_name: str | None = None, token: str | None = None,
                 token_file: str | os.PathLike[str] | None = None):
        credentials = credentials or channel_credentials(tls=tls, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key)
        self._channel = _channel(self._api, target, credentials, options, tls_server_name)
        self._stub = pb_grpc.QuoteServiceStub(self._channel)
        self._metadata = token_metadata(token, token_file)
        self.timeout, self.resume_attempts = timeout, resume_attempts


class QuotesClient(_Client):
    """Blocking client. `with QuotesClient("localhost:50051") as client: client.extract(text)`."""

    def extract(self, text: DocumentLike | None = None, *, document_id: str | None = None,
                publisher: str | None = None, url: str | None = None, encoding: str | int = "utf32",
                include_tokens: bool = False, timeout: float | None = None, html: str | None = None,
                content_type: str | int | None = None) -> pb.ExtractQuotesResponse:
        """The quotes of one document (text, or a Document / mapping; `html=source` for an HTML page, whose
        source the offsets then index); raises a QuotesError subclass."""
        request = make_request(text, document_id=document_id, publisher=publisher, url=url, encoding=encoding,
                               include_tokens=include_tokens, html=html, content_type=content_type)
        try:
            return self._stub.ExtractQuotes(request, timeout=timeout or self.timeout, metadata=self._metadata)
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
            call = self._stub.StreamExtractQuotes(requests(generation[0], replay), timeout=timeout,
                                                metadata=self._metadata)
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


class AsyncQuotesClient(_Client):
    """asyncio client. `async with AsyncQuotesClient(target) as client: await client.extract(text)`."""

    _api = grpc.aio

    async def extract(self, text: DocumentLike | None = None, *, document_id: str | None = None,
                      publisher: str | None = None, url: str | None = None, encoding: str | int = "utf32",
                      include_tokens: bool = False, timeout: float | None = None, html: str | None = None,
                      content_type: str | int | None = None) -> pb.ExtractQuotesResponse:
        request = make_request(text, document_id=document_id, publisher=publisher, url=url, encoding=encoding,
                               include_tokens=include_tokens, html=html, content_type=content_type)
        try:
            return await self._stub.ExtractQuotes(request, timeout=timeout or self.timeout, metadata=self._metadata)
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
            call = self._stub.StreamExtractQuotes(requests(generation[0], replay), timeout=timeout,
                                                metadata=self._metadata)
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


__all__ = ["AsyncQuotesClient", "QuotesClient", "QuotesError", "channel_credentials", "make_request",
           "token_metadata"]

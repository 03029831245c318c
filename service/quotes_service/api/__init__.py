"""The one request path: ExtractQuotesRequest -> validation -> engine -> ExtractQuotesResponse.

The server's workers, `quotes extract`, the batch backends (local and Ray) and the evaluation script all
answer a request through `extract`, so a request means the same wherever it is sent.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import grpc

from quotes.v1 import quote_service_pb2 as pb

from .errors import RequestError
from .response import to_json_line, to_response
from .validation import MAX_TEXT_CHARS, validate

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = ["MAX_TEXT_CHARS", "RequestError", "extract", "to_json_line", "validate"]


def extract(engine: Engine, request: pb.ExtractQuotesRequest, *, deadline: float | None = None,
            cancelled: Callable[[], bool] | None = None, max_text_chars: int = MAX_TEXT_CHARS) -> pb.ExtractQuotesResponse:
    """The response to one request. Raises RequestError (INVALID_ARGUMENT) for a request that `validate`
    refuses, and the engine's DeadlineExceeded or Cancelled when `deadline` (time.time() seconds) passes
    or `cancelled()` turns true (checked between stages and model calls)."""
    validate(request, max_text_chars)
    doc = request.document
    if doc.content_type == pb.CONTENT_TYPE_HTML:
        return _extract_html(engine, request, deadline)
    extraction = engine.extract(doc.text, publisher=doc.publisher, url=doc.url,
                                language_code=doc.language_code or "en", deadline=deadline, cancelled=cancelled)
    return to_response(extraction, doc.id, request.encoding_type, request.include_tokens)


def _extract_html(engine: Engine, request: pb.ExtractQuotesRequest, deadline: float | None) -> pb.ExtractQuotesResponse:
    """HTML: the engine reads what a reader sees, and every span it finds is mapped back into the source."""
    from ..markup import read_html

    doc = request.document
    page = read_html(doc.text)
    if not page.text.strip():
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "TEXT_EMPTY",
                           "document.text is HTML with no visible text (only markup, scripts, styles or hidden "
                           "elements); send the article's body")
    extraction = engine.extract(page.text, publisher=doc.publisher, url=doc.url,
                                language_code=doc.language_code or "en", deadline=deadline, embedded_posts=page.posts)
    return to_response(extraction, doc.id, request.encoding_type, request.include_tokens, source=page.visible)

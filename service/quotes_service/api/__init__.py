"""The one request path: ExtractQuotesRequest -> validation -> engine -> ExtractQuotesResponse.

The server's workers, `quotes extract`, the batch backends (local and Ray) and the evaluation script all
answer a request through `extract`, so a request means the same wherever it is sent.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from quotes.v1 import quote_service_pb2 as pb

from .errors import RequestError
from .response import to_json_line, to_response
from .validation import MAX_TEXT_CHARS, validate

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = ["MAX_TEXT_CHARS", "RequestError", "extract", "to_json_line", "validate"]


def extract(engine: Engine, request: pb.ExtractQuotesRequest, *, deadline: float | None = None,
            max_text_chars: int = MAX_TEXT_CHARS) -> pb.ExtractQuotesResponse:
    """The response to one request. Raises RequestError (INVALID_ARGUMENT) for a request that `validate`
    refuses, and the engine's DeadlineExceeded when `deadline` (time.time() seconds) passes between stages."""
    validate(request, max_text_chars)
    doc = request.document
    extraction = engine.extract(doc.text, publisher=doc.publisher, url=doc.url,
                                language_code=doc.language_code or "en", deadline=deadline)
    return to_response(extraction, doc.id, request.encoding_type, request.include_tokens)

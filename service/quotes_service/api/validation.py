"""What a request must satisfy before the engine sees it."""
from __future__ import annotations

import grpc

from quotes.v1 import quote_service_pb2 as pb

from .errors import RequestError

SUPPORTED_LANGUAGES = ("en",)
MAX_TEXT_CHARS = 1_000_000  # the default limit of the server, `quotes extract` and `quotes batch`


def validate(request: pb.ExtractQuotesRequest, max_text_chars: int = MAX_TEXT_CHARS) -> None:
    text = request.document.text
    if not text.strip():
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "TEXT_EMPTY",
                           "document.text is empty or only white space; send the article's text")
    if len(text) > max_text_chars:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "TEXT_TOO_LONG",
                           f"document.text has {len(text):,} characters; the limit is {max_text_chars:,}. "
                           "Split the document, or raise the limit (--max-text-chars of quotes serve, extract or batch)",
                           limit=str(max_text_chars), characters=str(len(text)))
    language = request.document.language_code.lower()
    if language and language.split("-")[0] not in SUPPORTED_LANGUAGES:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "UNSUPPORTED_LANGUAGE",
                           f"language_code {request.document.language_code!r} is not supported; "
                           f"supported: {', '.join(SUPPORTED_LANGUAGES)} (or leave it empty)",
                           language_code=request.document.language_code)
    if request.encoding_type not in pb.EncodingType.values():
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_ENCODING",
                           f"encoding_type {request.encoding_type} is not an EncodingType; use UTF8, UTF16 or UTF32")

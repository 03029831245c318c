"""What a request must satisfy before the engine sees it."""
from __future__ import annotations

import grpc
from google.protobuf.message import DecodeError

from quotes.v1 import quote_service_pb2 as pb

from .errors import RequestError

SUPPORTED_LANGUAGES = ("en",)
MAX_TEXT_CHARS = 1_000_000  # the default limit of the server, `quotes extract` and `quotes batch`
MAX_ID_CHARS = 256  # the longest document.id; also the most of any caller's string a log line or message repeats


def clip(value: str, limit: int = MAX_ID_CHARS) -> str:
    """A caller's string as logs and error messages may repeat it: at most `limit` characters."""
    return value if len(value) <= limit else value[:limit] + "\u2026"


def parse_request(data: bytes) -> pb.ExtractQuotesRequest:
    """The request in `data` (the bytes of one gRPC message); MALFORMED_REQUEST when they are not one."""
    try:
        return pb.ExtractQuotesRequest.FromString(data)
    except DecodeError as exc:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "MALFORMED_REQUEST",
                           f"the request ({len(data):,} bytes) is not a valid quotes.v1.ExtractQuotesRequest: "
                           "truncated bytes, or a string field that is not UTF-8. Send text as UTF-8 through "
                           "the generated code or the SDK") from exc


def validate(request: pb.ExtractQuotesRequest, max_text_chars: int = MAX_TEXT_CHARS) -> None:
    if len(request.document.id) > MAX_ID_CHARS:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "ID_TOO_LONG",
                           f"document.id has {len(request.document.id):,} characters; the limit is {MAX_ID_CHARS}. "
                           "Use a shorter identifier (a hash of a long one)", limit=str(MAX_ID_CHARS))
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
                           f"language_code {clip(request.document.language_code, 32)!r} is not supported; "
                           f"supported: {', '.join(SUPPORTED_LANGUAGES)} (or leave it empty)",
                           language_code=clip(request.document.language_code, 32))
    if request.encoding_type not in pb.EncodingType.values():
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_ENCODING",
                           f"encoding_type {request.encoding_type} is not an EncodingType; use UTF8, UTF16 or UTF32")
    if request.document.content_type not in pb.ContentType.values():
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_CONTENT_TYPE",
                           f"document.content_type {request.document.content_type} is not a ContentType; use "
                           "PLAIN_TEXT or HTML")

"""Errors the SDK raises: one class per gRPC status a caller handles differently, all QuotesError."""
from __future__ import annotations

import grpc

from ._status import error_info


class QuotesError(Exception):
    """A failed call: `code` (grpc.StatusCode), `reason` (e.g. "TEXT_TOO_LONG"), `message`, `metadata`."""

    def __init__(self, code: grpc.StatusCode, message: str, reason: str = "", metadata: dict | None = None):
        super().__init__(f"{code.name}: {message}" + (f" [{reason}]" if reason else ""))
        self.code, self.message, self.reason, self.metadata = code, message, reason, metadata or {}


class InvalidArgumentError(QuotesError):
    """The request can never succeed as sent: fix the document (empty, too long, unsupported language)."""


class ResourceExhaustedError(QuotesError):
    """The server is busy: retry later with backoff."""


class DeadlineExceededError(QuotesError):
    """The deadline passed first: allow more time or send a shorter document."""


class UnavailableError(QuotesError):
    """The server could not be reached, or is shutting down (retried automatically first)."""


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
}


def from_rpc_error(err: grpc.RpcError) -> QuotesError:
    code = err.code() if callable(getattr(err, "code", None)) else grpc.StatusCode.UNKNOWN
    details = err.details() if callable(getattr(err, "details", None)) else str(err)
    trailers = err.trailing_metadata() if callable(getattr(err, "trailing_metadata", None)) else ()
    reason, metadata = error_info(trailers)
    return _BY_CODE.get(code, QuotesError)(code, details or "", reason, metadata)


def from_document_error(error) -> QuotesError:
    """The error entry of a stream response (ExtractQuotesResponse.error) as an exception."""
    code = next((c for c in grpc.StatusCode if c.value[0] == error.code), grpc.StatusCode.UNKNOWN)
    return _BY_CODE.get(code, QuotesError)(code, error.message, error.reason)

"""Python SDK of the quote extraction service (quotes.v1): QuotesClient, AsyncQuotesClient, typed errors.

Results are the generated quotes.v1 messages (ExtractQuotesResponse, Quote, Speaker, Outlet, ...).
"""
from quotes.v1 import quote_service_pb2 as pb

from .client import ENCODINGS, SERVICE_NAME, AsyncQuotesClient, QuotesClient, make_request
from .errors import (
                     DeadlineExceededError,
                     InvalidArgumentError,
                     QuotesError,
                     ResourceExhaustedError,
                     UnavailableError,
                     from_document_error,
)

__all__ = [
    "ENCODINGS", "SERVICE_NAME", "AsyncQuotesClient", "DeadlineExceededError", "InvalidArgumentError", "QuotesClient", "QuotesError",
    "ResourceExhaustedError", "UnavailableError", "from_document_error", "make_request", "pb",
]

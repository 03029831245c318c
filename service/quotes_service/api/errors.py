"""Request errors with a gRPC status, a machine-readable reason (google.rpc.ErrorInfo) and a message."""
from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

from quotes.v1 import quote_service_pb2 as pb

DOMAIN = pb.DESCRIPTOR.package  # "quotes.v1": the ErrorInfo domain


class RequestError(Exception):
    def __init__(self, code: grpc.StatusCode, reason: str, message: str, **metadata: str):
        super().__init__(message)
        self.code, self.reason, self.message, self.metadata = code, reason, message, metadata

    def __reduce__(self) -> tuple:  # raised in an engine worker process, re-raised in the server
        return _rebuild, (self.code, self.reason, self.message, self.metadata)

    def status_details(self) -> bytes:
        """The google.rpc.Status for the `grpc-status-details-bin` trailer."""
        info = any_pb2.Any()
        info.Pack(error_details_pb2.ErrorInfo(reason=self.reason, domain=DOMAIN, metadata=self.metadata))
        return status_pb2.Status(code=self.code.value[0], message=self.message, details=[info]).SerializeToString()

    async def abort(self, context: grpc.aio.ServicerContext) -> None:
        await context.abort(self.code, self.message,
                            trailing_metadata=(("grpc-status-details-bin", self.status_details()),))


def _rebuild(code: grpc.StatusCode, reason: str, message: str, metadata: dict[str, str]) -> RequestError:
    return RequestError(code, reason, message, **metadata)


# The errors of the work itself (not of the request), one place for their reasons and messages.

def deadline_exceeded() -> RequestError:
    return RequestError(grpc.StatusCode.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                        "the deadline passed before the document was processed; the work was stopped. "
                        "Allow more time for long documents")


def cancelled() -> RequestError:
    return RequestError(grpc.StatusCode.CANCELLED, "CLIENT_CANCELLED", "the caller cancelled the request")


def queue_full(detail: str) -> RequestError:
    return RequestError(grpc.StatusCode.RESOURCE_EXHAUSTED, "QUEUE_FULL",
                        f"the server is busy ({detail}); retry with backoff or add workers")


def worker_crashed() -> RequestError:
    return RequestError(grpc.StatusCode.UNAVAILABLE, "WORKER_CRASHED",
                        "the engine worker processing this document stopped (it is being replaced); retry")


def document_crashes_worker(crashes: int) -> RequestError:
    return RequestError(grpc.StatusCode.INTERNAL, "DOCUMENT_CRASHES_WORKER",
                        f"the engine worker stopped on this document {crashes} times, so the server refuses it; "
                        "do not retry it: report the document to the service's operators", crashes=str(crashes))


def shutting_down(detail: str = "") -> RequestError:
    return RequestError(grpc.StatusCode.UNAVAILABLE, "SHUTTING_DOWN",
                        "the server is shutting down" + (f" {detail}" if detail else "") + "; retry on another")


def engine_error(exc: BaseException) -> RequestError:
    return RequestError(grpc.StatusCode.INTERNAL, "ENGINE_ERROR",
                        f"the engine failed on this document ({type(exc).__name__}); it was logged")

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

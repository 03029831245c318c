"""TLS (optionally mutual) and bearer-token authentication for `quotes serve`.

Tokens come from a file, one a line (several allow a rotation without downtime); a call must carry
`authorization: Bearer TOKEN`. Tokens are compared in constant time, against every token of the file.
Health checks (grpc.health.v1) stay open, so that probes need no secret; everything else, reflection
included, needs a token.
"""
from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc

from ..api import RequestError
from ..logs import get_logger
from .config import ServerConfig

OPEN_PREFIXES = ("/grpc.health.v1.Health/",)

log = get_logger("quotes.server")


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"cannot read {what} {path!r}: {exc.strerror}") from None


def server_credentials(config: ServerConfig) -> grpc.ServerCredentials | None:
    """TLS credentials from --tls-cert/--tls-key (and --tls-client-ca), or None for plaintext."""
    if not config.tls_cert:
        return None
    pair = (_read(config.tls_key, "--tls-key"), _read(config.tls_cert, "--tls-cert"))
    client_ca = _read(config.tls_client_ca, "--tls-client-ca") if config.tls_client_ca else None
    return grpc.ssl_server_credentials([pair], root_certificates=client_ca, require_client_auth=client_ca is not None)


def read_tokens(path: str) -> list[bytes]:
    tokens = [line.strip().encode() for line in _read(path, "--auth-token-file").decode().splitlines()]
    tokens = [t for t in tokens if t and not t.startswith(b"#")]
    if not tokens:
        raise SystemExit(f"--auth-token-file {path!r} holds no token")
    return tokens


class TokenAuth(grpc.aio.ServerInterceptor):
    def __init__(self, tokens: list[bytes]):
        self.tokens = tokens

    async def intercept_service(self, continuation: Callable[[grpc.HandlerCallDetails],
                                                             Awaitable[grpc.RpcMethodHandler]],
                                details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None or details.method.startswith(OPEN_PREFIXES):
            return handler
        given = ""
        for key, value in details.invocation_metadata or ():
            if key == "authorization":
                given = value if isinstance(value, str) else value.decode("latin-1")
        scheme, _, token = given.partition(" ")
        if scheme.lower() == "bearer" and self._known(token.strip().encode()):
            return handler
        reason = "TOKEN_INVALID" if given else "TOKEN_MISSING"
        log.warning("unauthenticated", rpc=details.method[:128], reason=reason)
        return _refusal(handler, RequestError(
            grpc.StatusCode.UNAUTHENTICATED, reason,
            "this server needs a bearer token: send the metadata 'authorization: Bearer TOKEN' "
            "(the SDK's token= or token_file=, quotes batch --token-file)"))

    def _known(self, token: bytes) -> bool:
        matches = [hmac.compare_digest(token, known) for known in self.tokens]  # every one: no early exit
        return any(matches)


def _refusal(handler: grpc.RpcMethodHandler, error: RequestError) -> grpc.RpcMethodHandler:
    """A handler of the same shape as `handler` that ends the call with `error`."""
    async def unary(request: Any, context: grpc.aio.ServicerContext) -> None:
        await error.abort(context)

    async def streaming(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await error.abort(context)
        yield  # an async generator, as a streaming handler must be

    if handler.request_streaming and handler.response_streaming:
        return grpc.stream_stream_rpc_method_handler(streaming)
    if handler.request_streaming:
        return grpc.stream_unary_rpc_method_handler(unary)
    if handler.response_streaming:
        return grpc.unary_stream_rpc_method_handler(streaming)
    return grpc.unary_unary_rpc_method_handler(unary)

"""The flags with which `quotes batch --target` and `quotes health` reach a server that has TLS or tokens.
They map onto the SDK's QuotesClient arguments (tls, tls_ca, tls_cert, tls_key, tls_server_name, token_file)."""
from __future__ import annotations

import argparse
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection (with --target)")
    group.add_argument("--tls", action="store_true", help="TLS, trusting the system's certificate authorities")
    group.add_argument("--tls-ca", default=None, help="TLS, trusting the CA certificates of this PEM file")
    group.add_argument("--tls-cert", default=None, help="PEM client certificate, for mutual TLS (with --tls-key)")
    group.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
    group.add_argument("--tls-server-name", default=None,
                       help="the host name the server's certificate has, when the target names another")
    group.add_argument("--token-file", default=None, help="file whose first line is the bearer token to send")


def client_options(args: argparse.Namespace) -> dict[str, Any]:
    """QuotesClient keyword arguments from the flags."""
    if (args.tls_cert is None) != (args.tls_key is None):
        raise SystemExit("--tls-cert and --tls-key go together")
    return {"tls": args.tls, "tls_ca": args.tls_ca, "tls_cert": args.tls_cert, "tls_key": args.tls_key,
            "tls_server_name": args.tls_server_name, "token_file": args.token_file}

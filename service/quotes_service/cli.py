"""The `quotes` command: serve, extract, batch, models. What other programs read goes to stdout as JSON;
logs go to stderr."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from google.protobuf import json_format

from quotes_client import CONTENT_TYPES, ENCODINGS, SERVICE_NAME

from .api.validation import MAX_TEXT_CHARS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="quotes", description="Quote extraction and attribution for news text.")
    sub = parser.add_subparsers(dest="command", required=True)

    from .server import config as server_config

    serve = sub.add_parser("serve", help="run the gRPC service")
    server_config.add_arguments(serve)
    serve.add_argument("--port-file", help="write the bound port to this file once listening (for --port 0)")

    extract = sub.add_parser("extract", help="extract the quotes of one document; JSON on stdout")
    extract.add_argument("file", nargs="?", default="-",
                         help="a UTF-8 text or HTML file (.html, .htm), or - for standard input")
    extract.add_argument("--html", action="store_true", help="the input is HTML (default: by the file's extension)")
    extract.add_argument("--format", choices=("json", "html"), default="json",
                         help="json: the response (default); html: a self-contained page that shows the quotes "
                              "(--encoding applies to json)")
    extract.add_argument("--id", default="", help="document id to echo in the response")
    extract.add_argument("--publisher", default="", help="the outlet that published the document")
    extract.add_argument("--url", default="", help="where the document was published")
    extract.add_argument("--encoding", choices=tuple(ENCODINGS), default="utf32", help="offset unit")
    extract.add_argument("--tokens", action="store_true", help="include every sentence's tokens")
    extract.add_argument("--max-text-chars", type=int, default=MAX_TEXT_CHARS,
                         help=f"longest document, in characters (default {MAX_TEXT_CHARS:,})")
    extract.add_argument("--models", default=None, help="bundled, official or a directory [env QUOTES_MODELS]")
    extract.add_argument("--precision", choices=("int8", "fp32"), default=None,
                         help="int8 (default, faster) or fp32 models [env QUOTES_PRECISION]")

    from . import client_flags
    from .batch import cli as batch_cli

    batch = sub.add_parser("batch", help="extract the quotes of many documents (JSONL, Parquet or a folder)")
    batch_cli.add_arguments(batch)

    models = sub.add_parser("models", help="show the selected models, or download the official ones")
    models.add_argument("action", nargs="?", choices=("show", "download"), default="show")
    models.add_argument("--json", action="store_true", help="print {version, pipeline_kwargs} as JSON")
    models.add_argument("--models", default=None, help="bundled, official or a directory [env QUOTES_MODELS]")
    models.add_argument("--precision", choices=("int8", "fp32"), default=None, help="[env QUOTES_PRECISION]")

    health = sub.add_parser("health", help="exit 0 when a server reports SERVING (for container health checks)")
    health.add_argument("--target", default="localhost:50051")
    health.add_argument("--service", default=SERVICE_NAME)
    health.add_argument("--timeout", type=float, default=5.0)
    client_flags.add_arguments(health)

    for p in (extract, batch, models, health):
        p.add_argument("--log-format", default="auto", choices=("auto", "json", "console"))
        p.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)

    from . import logs
    from .models import ModelsNotFound

    try:
        if args.command == "serve":
            config = server_config.from_arguments(args)
            logs.configure(config.log_format, config.log_level)
            from .server.app import serve as run_server
            return asyncio.run(run_server(config, args.port_file))
        logs.configure(args.log_format, args.log_level)
        if args.command == "extract":
            return _extract(args)
        if args.command == "batch":
            return batch_cli.run(args)
        if args.command == "health":
            return _health(args)
        return _models(args)
    except ModelsNotFound as exc:
        print(f"quotes: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _extract(args: argparse.Namespace) -> int:
    from quotes.v1 import quote_service_pb2 as pb

    from . import api
    from .engine import Engine
    from .models import select_models

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    html = args.html or Path(args.file).suffix.lower() in (".html", ".htm")
    # the page places quotes by code points; --encoding is for the JSON
    encoding = ENCODINGS["utf32" if args.format == "html" else args.encoding]
    document = pb.Document(id=args.id, text=text, publisher=args.publisher, url=args.url,
                           content_type=CONTENT_TYPES["html" if html else "text"])
    request = pb.ExtractQuotesRequest(document=document, encoding_type=encoding, include_tokens=args.tokens)
    try:
        api.validate(request, args.max_text_chars)  # before the models load: a bad input fails at once
        engine = Engine(select_models(args.models, args.precision))
        response = api.extract(engine, request, max_text_chars=args.max_text_chars)
    except api.RequestError as err:
        print(f"quotes: {err.message}", file=sys.stderr)
        return 2
    if args.format == "html":
        from .page import render

        print(render(response, text, html, args.id or ("" if args.file == "-" else Path(args.file).name)), end="")
    else:
        print(json_format.MessageToJson(response, ensure_ascii=False))
    return 0


def _health(args: argparse.Namespace) -> int:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    from quotes_client import channel_credentials

    from .client_flags import client_options

    options = client_options(args)
    credentials = channel_credentials(tls=options["tls"], tls_ca=options["tls_ca"], tls_cert=options["tls_cert"],
                                      tls_key=options["tls_key"])
    overrides = [("grpc.ssl_target_name_override", args.tls_server_name)] if args.tls_server_name else []
    channel = (grpc.secure_channel(args.target, credentials, overrides) if credentials
               else grpc.insecure_channel(args.target))
    with channel:
        try:
            status = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=args.service), timeout=args.timeout).status
        except grpc.RpcError as err:
            print(json.dumps({"status": "UNREACHABLE", "detail": err.details()}))
            return 1
    name = health_pb2.HealthCheckResponse.ServingStatus.Name(status)
    print(json.dumps({"status": name}))
    return 0 if status == health_pb2.HealthCheckResponse.SERVING else 1


def _models(args: argparse.Namespace) -> int:
    from .models import download_official, select_models

    if args.action == "download":
        path = download_official()
        print(json.dumps({"downloaded": str(path)}))
        return 0
    selection = select_models(args.models, args.precision)
    if args.json:
        print(json.dumps({"version": selection.version, "precision": selection.precision,
                          "pipeline_kwargs": selection.pipeline_kwargs}))
    else:
        print(f"{selection.version} ({selection.source}, {selection.precision})")
        for key, value in selection.pipeline_kwargs.items():
            print(f"  {key} = {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`quotes batch`: arguments and the choice of backend."""
from __future__ import annotations

import argparse
import json

from .. import client_flags
from ..api.validation import MAX_TEXT_CHARS
from ..cpus import usable_cpus


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, help="JSONL, Parquet (file or folder) or a folder of .txt and .html files")
    parser.add_argument("--output", required=True, help="OUT.jsonl, or OUT.parquet (a folder of part files)")
    parser.add_argument("--errors", default=None, help="errors file (default: OUT.errors.jsonl)")
    parser.add_argument("--target", default=None,
                        help="HOST:PORT[,HOST:PORT...] of running services; without it the engine runs here")
    parser.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="local worker processes (default) or Ray")
    parser.add_argument("--address", default=None, help="Ray cluster address (default: start a local Ray)")
    parser.add_argument("--workers", type=int, default=usable_cpus(),
                        help="worker processes, or Ray actors (default: the CPUs this process may use)")
    parser.add_argument("--models", default=None, help="bundled, official or a directory [env QUOTES_MODELS]")
    parser.add_argument("--precision", choices=("int8", "fp32"), default=None,
                        help="int8 (default, faster) or fp32 models [env QUOTES_PRECISION]")
    parser.add_argument("--max-text-chars", type=int, default=MAX_TEXT_CHARS,
                        help=f"longest document, in characters (default {MAX_TEXT_CHARS:,})")
    parser.add_argument("--timeout", type=float, default=None, help="with --target: seconds a stream may take")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")
    client_flags.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from .backends import Backend
    from .job import run_job

    backend: Backend
    if args.target:
        from .backends import RemoteBackend
        backend = RemoteBackend([t.strip() for t in args.target.split(",") if t.strip()], args.max_text_chars,
                                args.timeout, client_flags.client_options(args))
    elif args.engine == "ray":
        from .ray_backend import RayBackend
        backend = RayBackend(args.workers, args.address, args.models, args.max_text_chars, args.precision)
    else:
        from .backends import LocalBackend
        backend = LocalBackend(args.workers, args.models, args.max_text_chars, args.log_format, args.log_level,
                               args.precision)
    summary = run_job(args.input, args.output, backend, errors_file=args.errors, progress=args.progress)
    print(json.dumps(summary.as_json()))
    return 0

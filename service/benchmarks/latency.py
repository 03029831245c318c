#!/usr/bin/env python3
"""p50 and p95 latency of ExtractQuotes for one ~800-word article against a running server.

    python service/benchmarks/latency.py [--target HOST:PORT] [--requests 50] [--words 800] [--precision P]

Without --target it starts `quotes serve --workers 1 --port 0 --port-file ...` itself (one warm worker,
pinned to nothing; use `taskset -c 0 python ...` to pin it with its server), waits for SERVING, and stops
it at the end. The article is the PolNeAR dev article (../shared) whose word count is closest to
--words. Requests go one at a time after 3 warm-up requests; latency is the client's wall-clock time of
each call, so it includes gRPC and the response's serialization.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
QUOTES = str(Path(sys.executable).parent / "quotes")


def pick_article(folder: Path, words: int) -> tuple[str, str]:
    texts = {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
    name = min(texts, key=lambda k: (abs(len(texts[k].split()) - words), k))
    return name, texts[name]


def start_server(precision: str | None) -> tuple[subprocess.Popen, str, tempfile.TemporaryDirectory]:
    tmp = tempfile.TemporaryDirectory()
    port_file = Path(tmp.name) / "port"
    cmd = [QUOTES, "serve", "--workers", "1", "--port", "0", "--port-file", str(port_file), "--log-level", "warning"]
    if precision:
        cmd += ["--precision", precision]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not port_file.exists() or not port_file.read_text().strip():
        if proc.poll() is not None:
            raise SystemExit(f"quotes serve exited with {proc.returncode}")
        time.sleep(0.2)
    target = f"localhost:{port_file.read_text().strip()}"
    while subprocess.run([QUOTES, "health", "--target", target], capture_output=True, check=False).returncode:
        time.sleep(0.5)
    return proc, target, tmp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", default=None, help="a running server; default: start one with one worker")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--precision", choices=("int8", "fp32"), default=None, help="for the server this starts")
    ap.add_argument("--data", default=str(SHARED / "data" / "polnear" / "dev" / "text"))
    args = ap.parse_args()

    import grpc
    from quotes.v1 import quote_service_pb2 as pb
    from quotes.v1 import quote_service_pb2_grpc as pb_grpc

    name, text = pick_article(Path(args.data), args.words)
    proc = tmp = None
    target = args.target
    if target is None:
        proc, target, tmp = start_server(args.precision)
    try:
        with grpc.insecure_channel(target) as channel:
            stub = pb_grpc.QuoteServiceStub(channel)
            request = pb.ExtractQuotesRequest(document=pb.Document(id=name, text=text))
            for _ in range(3):
                response = stub.ExtractQuotes(request, timeout=120)
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = stub.ExtractQuotes(request, timeout=120)
                times.append(1000 * (time.perf_counter() - started))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)
            tmp.cleanup()
    times.sort()
    print(json.dumps({
        "target": args.target or "started here: quotes serve --workers 1",
        "article": name, "words": len(text.split()), "quotes": len(response.quotes),
        "model_version": response.model_version, "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "mean_ms": round(statistics.fmean(times), 1),
    }, indent=1))


if __name__ == "__main__":
    main()

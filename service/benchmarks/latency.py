#!/usr/bin/env python3
"""p50 and p95 latency of ExtractQuotes for ~800-word articles against a running server.

    python service/benchmarks/latency.py [--target HOST:PORT[,HOST:PORT...]] [--requests 50] [--words 800]
                                         [--precision P]

Without --target it starts `quotes serve --workers 1 --port 0 --port-file ...` itself (one warm worker;
`taskset -c 0 python ...` pins it with its server), waits for SERVING, and stops it at the end. Requests
go one at a time after 3 warm-up requests; latency is the client's wall-clock time of each call, so it
includes gRPC and the response's serialization. Several targets (say, two versions of the server on the
same core) take turns request by request, so that a busy machine slows them alike.

Each request is another article, the PolNeAR articles (../shared: dev, then train) closest to --words
(within 15 %), three for the warm-up and one per request: a worker remembers per word what its character
models and lemmatizer computed, and one article sent again and again would be answered from memory more
than a stream of news is.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
QUOTES = str(Path(sys.executable).parent / "quotes")


def pick_articles(folders: list[Path], words: int, count: int) -> list[tuple[str, str]]:
    """`count` articles of about `words` words (within 15 %), closest first, from the folders in order."""
    found: list[tuple[int, str, str]] = []
    for folder in folders:
        for p in sorted(folder.glob("*.txt")):
            text = p.read_text("utf-8")
            off = abs(len(text.split()) - words)
            if off <= 0.15 * words:
                found.append((off, p.stem, text))
    found.sort(key=lambda f: (f[0], f[1]))
    if len(found) < count:
        raise SystemExit(f"only {len(found)} articles of {words} words (within 15 %) in {folders}")
    return [(name, text) for _, name, text in found[:count]]


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
    ap.add_argument("--data", default=",".join(str(SHARED / "data" / "polnear" / split / "text")
                                               for split in ("dev", "train")), help="folders of .txt, comma-separated")
    args = ap.parse_args()

    import grpc

    from quotes.v1 import quote_service_pb2 as pb
    from quotes.v1 import quote_service_pb2_grpc as pb_grpc

    articles = pick_articles([Path(f) for f in args.data.split(",")], args.words, 3 + args.requests)
    proc = tmp = None
    if args.target is None:
        proc, target, tmp = start_server(args.precision)
        targets = [target]
    else:
        targets = [t.strip() for t in args.target.split(",") if t.strip()]
    requests = [pb.ExtractQuotesRequest(document=pb.Document(id=name, text=text)) for name, text in articles]
    channels = [grpc.insecure_channel(t) for t in targets]
    times: dict[str, list[float]] = {t: [] for t in targets}
    last: dict[str, pb.ExtractQuotesResponse] = {}
    try:
        stubs = [pb_grpc.QuoteServiceStub(c) for c in channels]
        for request in requests[:3]:
            for stub in stubs:
                stub.ExtractQuotes(request, timeout=120)
        for request in requests[3:]:
            for target, stub in zip(targets, stubs):
                started = time.perf_counter()
                last[target] = stub.ExtractQuotes(request, timeout=120)
                times[target].append(1000 * (time.perf_counter() - started))
    finally:
        for channel in channels:
            channel.close()
        if proc is not None and tmp is not None:
            proc.terminate()
            proc.wait(timeout=60)
            tmp.cleanup()
    results = []
    for target in targets:
        ms = sorted(times[target])
        results.append({
            "target": target if args.target else "started here: quotes serve --workers 1",
            "model_version": last[target].model_version,
            "requests": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1), "mean_ms": round(statistics.fmean(ms), 1),
        })
    measured = [len(text.split()) for _, text in articles[3:]]
    words = {"min": min(measured), "mean": round(statistics.fmean(measured)), "max": max(measured)}
    print(json.dumps({"articles": len(measured), "words": words, "results": results}, indent=1))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""p50 and p95 latency of ExtractQuotes for one ~800-word article against a running server.

    python service/benchmarks/latency.py [--target HOST:PORT[,HOST:PORT...]] [--requests 50] [--words 800]
                                         [--precision P]

Without --target it starts `quotes serve --workers 1 --port 0 --port-file ...` itself (one warm worker;
`taskset -c 0 python ...` pins it with its server), waits for SERVING, and stops it at the end. The
article is the PolNeAR dev article (../shared) whose word count is closest to --words. Requests go one at
a time after 3 warm-up requests; latency is the client's wall-clock time of each call, so it includes
gRPC and the response's serialization. Several targets (say, two versions of the server on the same
core) take turns request by request, so that a busy machine slows them alike.
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
    if args.target is None:
        proc, target, tmp = start_server(args.precision)
        targets = [target]
    else:
        targets = [t.strip() for t in args.target.split(",") if t.strip()]
    request = pb.ExtractQuotesRequest(document=pb.Document(id=name, text=text))
    channels = [grpc.insecure_channel(t) for t in targets]
    times: dict[str, list[float]] = {t: [] for t in targets}
    last: dict[str, pb.ExtractQuotesResponse] = {}
    try:
        stubs = [pb_grpc.QuoteServiceStub(c) for c in channels]
        for _ in range(3):
            for stub in stubs:
                stub.ExtractQuotes(request, timeout=120)
        for _ in range(args.requests):
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
            "model_version": last[target].model_version, "quotes": len(last[target].quotes),
            "requests": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1), "mean_ms": round(statistics.fmean(ms), 1),
        })
    print(json.dumps({"article": name, "words": len(text.split()), "results": results}, indent=1))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Soak: N calls at concurrency C against a server, a mix of articles and bad inputs, then one long stream.

    python service/benchmarks/soak.py [--calls 3000] [--concurrency 8] [--stream 300] [--workers 2]
    python service/benchmarks/soak.py --target localhost:50051 [--server-pid PID] ...

Without --target it starts `quotes serve --port 0` (--workers, --max-text-chars) and stops it at the end.
Articles are PolNeAR dev texts when ../shared is there, else the tests' seed article, cut at a paragraph
break after --article-chars characters; one call in ten is a bad input whose status is known in advance
(empty, too long, another language, an unknown encoding, a 257-character id, invalid UTF-8, truncated
bytes). Every call goes through a channel without retries, so that each failure is counted.

Prints one JSON object on stdout: statuses by code and reason, the unexpected ones (anything but OK for an
article, or another status than the one a bad input must get), latency percentiles of the articles (ms),
the stream's outcome, and the resident memory (MB) of the server and of each worker at start (after a
warm-up), middle and end, read from /proc (Linux; the server's pid is known when the script started it,
else pass --server-pid).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
METHOD = "/quotes.v1.QuoteService/ExtractQuotes"


def articles(limit_chars: int) -> list[str]:
    paths = sorted((SHARED / "data" / "polnear" / "dev" / "text").glob("*.txt")) or \
        sorted((ROOT / "tests" / "data").glob("*.txt"))
    texts = []
    for path in paths:
        text = path.read_text("utf-8")
        cut = text.find("\n", limit_chars)
        texts.append(text if cut < 0 else text[:cut])
    return texts


def bad_inputs(max_text_chars: int) -> list[tuple[bytes, str]]:
    """(request bytes, the status and reason the server must answer with)."""
    from quotes.v1 import quote_service_pb2 as pb

    def request(text: str, **fields: str) -> bytes:
        document = pb.Document(text=text)
        for name, value in fields.items():
            setattr(document, name, value)
        return pb.ExtractQuotesRequest(document=document).SerializeToString()

    unknown_encoding = pb.ExtractQuotesRequest(document=pb.Document(text="He said so."))
    unknown_encoding.encoding_type = 7  # type: ignore[assignment]  # no such EncodingType
    return [
        (request(text=" \n "), "INVALID_ARGUMENT TEXT_EMPTY"),
        (request(text="x" * (max_text_chars + 1)), "INVALID_ARGUMENT TEXT_TOO_LONG"),
        (request(text="Il a dit oui.", language_code="fr"), "INVALID_ARGUMENT UNSUPPORTED_LANGUAGE"),
        (unknown_encoding.SerializeToString(), "INVALID_ARGUMENT UNKNOWN_ENCODING"),
        (request(text="He said so.", id="i" * 257), "INVALID_ARGUMENT ID_TOO_LONG"),
        (b"\x0a\x0b\x12\x09He \xff\xfe\xc0\x80 x", "INVALID_ARGUMENT MALFORMED_REQUEST"),
        (request(text="He said so.")[:-3], "INVALID_ARGUMENT MALFORMED_REQUEST"),
    ]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def workers_of(pid: int) -> list[int]:
    """The engine worker processes of a server: its children that run multiprocessing's spawn_main."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"spawn_main" in cmdline:
            found.append(int(stat.parent.name))
    return sorted(found)


def memory(pid: int | None) -> dict | None:
    if pid is None:
        return None
    return {"server": rss_mb(pid), "workers": {str(w): rss_mb(w) for w in workers_of(pid)}}


def outcome(call, data: bytes, timeout: float) -> str:
    from quotes_client.errors import from_rpc_error

    try:
        call(data, timeout=timeout)
        return "OK"
    except grpc.RpcError as err:
        error = from_rpc_error(err)
        return f"{error.code.name} {error.reason}".strip()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen, str, Path]:
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    log = work / "server.log"
    quotes = str(Path(sys.executable).parent / "quotes")
    proc = subprocess.Popen([quotes, "serve", "--port", "0", "--port-file", str(work / "port"), "--host", "127.0.0.1",
                             "--workers", str(args.workers), "--max-text-chars", str(args.max_text_chars),
                             "--log-format", "json", "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    while not (work / "port").exists():
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: see {log}")
        time.sleep(0.1)
    return proc, f"127.0.0.1:{(work / 'port').read_text()}", log


def wait_serving(target: str, timeout: float = 600) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    end = time.monotonic() + timeout
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < end:
            try:
                if stub.Check(health_pb2.HealthCheckRequest(), timeout=5).status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.5)
    raise SystemExit("the server never became SERVING")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", default=None, help="a running server (default: start one)")
    ap.add_argument("--server-pid", type=int, default=None, help="with --target: its pid, for memory figures")
    ap.add_argument("--workers", type=int, default=2, help="without --target: the server's workers")
    ap.add_argument("--max-text-chars", type=int, default=1_000_000, help="the server's limit")
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=50, help="calls before the first memory reading")
    ap.add_argument("--stream", type=int, default=300, help="documents of the long stream at the end")
    ap.add_argument("--article-chars", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from quotes.v1 import quote_service_pb2 as pb

    proc = None
    if args.target:
        target, pid = args.target, args.server_pid
    else:
        proc, target, log = start_server(args)
        pid = proc.pid
        print(f"[soak] server {target} (pid {pid}), log {log}", file=sys.stderr)
    try:
        wait_serving(target)
        texts, bad = articles(args.article_chars), bad_inputs(args.max_text_chars)
        rng = random.Random(args.seed)
        plan: list[tuple[bytes, str]] = []
        for i in range(args.warmup + args.calls):
            if i % 10 == 9:
                plan.append(bad[(i // 10) % len(bad)])
            else:
                request = pb.ExtractQuotesRequest(document=pb.Document(id=f"a{i}", text=rng.choice(texts)))
                plan.append((request.SerializeToString(), "OK"))
        channel = grpc.insecure_channel(target, options=[("grpc.enable_retries", 0),
                                                         ("grpc.max_send_message_length", -1)])
        call = channel.unary_unary(METHOD, request_serializer=lambda b: b, response_deserializer=lambda b: b)
        statuses: Counter[str] = Counter()
        unexpected: Counter[str] = Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        readings = {}

        def one(item: tuple[bytes, str]) -> None:
            data, expected = item
            started = time.perf_counter()
            got = outcome(call, data, args.timeout)
            with lock:
                statuses[got] += 1
                if got != expected:
                    unexpected[f"{got} (expected {expected})"] += 1
                if expected == "OK":
                    latencies.append(1000 * (time.perf_counter() - started))

        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, plan[:args.warmup]))
            statuses.clear()
            unexpected.clear()
            latencies.clear()
            readings["start"] = memory(pid)
            started = time.perf_counter()
            half = args.warmup + args.calls // 2
            list(pool.map(one, plan[args.warmup:half]))
            readings["middle"] = memory(pid)
            list(pool.map(one, plan[half:]))
            seconds = time.perf_counter() - started
        readings["end"] = memory(pid)
        print(f"[soak] {args.calls} calls in {seconds:.0f} s; the stream", file=sys.stderr)

        stream_call = channel.stream_stream("/quotes.v1.QuoteService/StreamExtractQuotes",
                                            request_serializer=lambda b: b,
                                            response_deserializer=pb.ExtractQuotesResponse.FromString)
        documents = [pb.ExtractQuotesRequest(document=pb.Document(id=f"s{i}", text=texts[i % len(texts)]))
                     for i in range(args.stream)]
        stream_started = time.perf_counter()
        answered: list[str] = []
        stream_errors: Counter[str] = Counter()
        stream_status = "OK"
        try:
            for response in stream_call(iter(d.SerializeToString() for d in documents), timeout=args.timeout * 10):
                answered.append(response.document_id)
                if response.HasField("error"):
                    stream_errors[response.error.reason] += 1
        except grpc.RpcError as err:
            stream_status = err.code().name
        stream_seconds = time.perf_counter() - stream_started
        readings["after_stream"] = memory(pid)
        channel.close()
        print(json.dumps({
            "target": target, "calls": args.calls, "concurrency": args.concurrency, "seconds": round(seconds, 1),
            "calls_per_second": round(args.calls / seconds, 2),
            "statuses": dict(statuses.most_common()), "unexpected": dict(unexpected.most_common()),
            "article_latency_ms": {"p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
                                   "p99": percentile(latencies, 0.99), "max": percentile(latencies, 1.0)},
            "stream": {"documents": args.stream, "answered": len(answered),
                       "in_order": answered == [d.document.id for d in documents], "status": stream_status,
                       "errors": dict(stream_errors), "seconds": round(stream_seconds, 1)},
            "rss_mb": readings,
        }))
    finally:
        if proc is not None:
            proc.send_signal(2)  # SIGINT: the server drains and exits 0
            print(f"[soak] server exit code {proc.wait(120)}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()

#!/usr/bin/env python3
"""Batch throughput over PolNeAR dev: in-process with 1 and 2 workers, through a running service (2
workers), and on a local Ray with 2 actors. Prints documents/s and words/s per setup as JSON.

    python service/benchmarks/batch_speed.py [--limit N] [--setups local1,local2,service,ray]

Times are the job's own (its summary), which include starting the workers or actors and loading their
models; the service is started and warmed before its run, as a deployed one would be.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
QUOTES = str(Path(sys.executable).parent / "quotes")


def run_batch(src: Path, out: Path, *extra: str) -> dict:
    done = subprocess.run([QUOTES, "batch", "--input", str(src), "--output", str(out), "--no-progress", *extra],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def start_service(workdir: Path) -> tuple[subprocess.Popen, str]:
    port_file = workdir / "port"
    proc = subprocess.Popen([QUOTES, "serve", "--port", "0", "--workers", "2", "--port-file", str(port_file)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not port_file.exists():
        time.sleep(0.2)
    target = f"localhost:{port_file.read_text()}"
    while subprocess.run([QUOTES, "health", "--target", target], capture_output=True, check=False).returncode != 0:
        time.sleep(0.5)
    return proc, target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(SHARED / "data" / "polnear" / "dev" / "text"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--setups", default="local1,local2,service,ray")
    args = ap.parse_args()
    paths = sorted(Path(args.data).glob("*.txt"))[:args.limit or None]
    words = sum(len(p.read_text("utf-8").split()) for p in paths)
    setups: dict[str, dict] = {}
    results = {"documents": len(paths), "words": words, "cpu_cores": os.cpu_count(), "setups": setups}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "in.jsonl"
        src.write_text("".join(json.dumps({"id": p.stem, "text": p.read_text("utf-8")}) + "\n" for p in paths))
        runs = {
            "local1": lambda out: run_batch(src, out, "--workers", "1"),
            "local2": lambda out: run_batch(src, out, "--workers", "2"),
            "ray": lambda out: run_batch(src, out, "--engine", "ray", "--workers", "2"),
        }
        for name in args.setups.split(","):
            out = work / f"{name}.jsonl"
            if name == "service":
                proc, target = start_service(work)
                try:
                    summary = run_batch(src, out, "--target", target)
                finally:
                    proc.terminate()
                    proc.wait()
            else:
                summary = runs[name](out)
            setups[name] = {
                "seconds": summary["seconds"], "errors": summary["errors"],
                "documents_per_second": round(summary["written"] / summary["seconds"], 2),
                "words_per_second": round(words / summary["seconds"]),
            }
            print(name, setups[name], file=sys.stderr)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

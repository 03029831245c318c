#!/usr/bin/env python3
"""Regenerate the protobuf and gRPC code (and .pyi stubs) of quotes.v1 from proto/ into src/quotes/v1.

    python clients/python/generate.py           # rewrite the generated files
    python clients/python/generate.py --check   # exit 1 if they are out of date (CI)

Needs grpcio-tools and mypy-protobuf (the project's `dev` extra).
"""
from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROTO = "quotes/v1/quote_service.proto"
GENERATED = ["quote_service_pb2.py", "quote_service_pb2.pyi", "quote_service_pb2_grpc.py", "quote_service_pb2_grpc.pyi"]


def generate(out: Path) -> None:
    plugin = Path(sys.executable).parent / "protoc-gen-mypy_grpc"
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{ROOT / 'proto'}", f"--python_out={out}",
                    f"--pyi_out={out}", f"--grpc_python_out={out}", f"--plugin=protoc-gen-mypy_grpc={plugin}",
                    f"--mypy_grpc_out={out}", PROTO], check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    target = HERE / "src" / "quotes" / "v1"
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        fresh = Path(tmp) / "quotes" / "v1"
        if "--check" in sys.argv:
            stale = [n for n in GENERATED if not filecmp.cmp(fresh / n, target / n, shallow=False)]
            if stale:
                print(f"out of date: {', '.join(stale)}; run python clients/python/generate.py", file=sys.stderr)
                return 1
            return 0
        for name in GENERATED:
            shutil.copy(fresh / name, target / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

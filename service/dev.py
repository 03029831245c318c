#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only Python 3.11: makes .venv, installs the project, runs a command.

    python3 service/dev.py serve [quotes serve flags]   # the gRPC service on the bundled models, port 50051
    python3 service/dev.py test [pytest args]           # ruff, mypy, then the test suite (what CI runs)
    python3 service/dev.py lint                         # ruff and mypy alone
    python3 service/dev.py quotes ARGS...               # any `quotes` command (extract, batch, models)

The install is redone only when a pyproject.toml changes. The fast test tier: `test -m "not slow"`.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
# torch is pinned in pyproject.toml; naming it first makes pip take the CPU build, never a CUDA one. The SDK
# (quotes-client, with the generators pinned in its `generate` extra) before the service that depends on it.
INSTALL = ["torch==2.13.0", "-e", "clients/python[generate]", "-e", ".[test,ray,dev]"]
LINT = [["ruff", "check", "."], ["mypy"]]


def bin_path(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_installed() -> None:
    if not bin_path("python").exists():
        print(f"[dev] creating {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".installed"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(ROOT.glob("**/pyproject.toml"))
                                     if ".venv" not in p.parts) + " ".join(INSTALL).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("[dev] installing the project and its dependencies (first run takes a few minutes)", file=sys.stderr)
    pip = [str(bin_path("python")), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run(pip + INSTALL, check=True, cwd=ROOT)
    stamp.write_text(digest)


def lint() -> int:
    for tool, *args in LINT:
        print(f"[dev] {tool} {' '.join(args)}", file=sys.stderr)
        rc = subprocess.run([str(bin_path(tool)), *args], cwd=ROOT, check=False).returncode
        if rc:
            return rc
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("serve", "test", "lint", "quotes"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_installed()
    command, rest = sys.argv[1], sys.argv[2:]
    if command in ("test", "lint"):
        rc = lint()
        if rc or command == "lint":
            return rc
    if command == "serve":
        argv = [str(bin_path("quotes")), "serve", *rest]
    elif command == "test":
        argv = [str(bin_path("python")), "-m", "pytest", *rest]
    else:
        argv = [str(bin_path("quotes")), *rest]
    os.chdir(ROOT)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    sys.exit(main())

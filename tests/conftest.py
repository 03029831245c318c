"""Shared fixtures: the engine (models loaded once per test session), real servers on port 0, seed data
(tests/data)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc
import pytest

from quotes_client import SERVICE_NAME

ROOT = Path(__file__).resolve().parents[1]
# The product's reference article and its gold quotes: the tests carry their own data (no ../shared).
SEED_DIR = Path(__file__).resolve().parent / "data"
SEED_NAME = "000_42b33d3b40240421"
QUOTES = str(Path(sys.executable).parent / "quotes")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEED_DIR / f"{SEED_NAME}.txt").read_text("utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> list[dict]:
    return json.loads((SEED_DIR / f"{SEED_NAME}.gold.json").read_text("utf-8"))["quotes"]


@pytest.fixture(scope="session")
def engine():
    from quotes_service.engine import Engine

    return Engine(threads=1)


class RunningServer:
    """`quotes serve --port 0` in a subprocess; stderr (JSON logs) is kept in a file."""

    def __init__(self, *args: str, env: dict | None = None):
        self.dir = tempfile.TemporaryDirectory()
        self.port_file = os.path.join(self.dir.name, "port")
        self.log_path = os.path.join(self.dir.name, "server.log")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - the server's stderr until terminate()
        self.proc = subprocess.Popen(
            [QUOTES, "serve", "--port", "0", "--port-file", self.port_file, "--log-format", "json", *args],
            stdout=subprocess.DEVNULL, stderr=self._log, env={**os.environ, **(env or {})})
        self.port = self._wait_for_port()
        self.target = f"localhost:{self.port}"

    def _wait_for_port(self, timeout: float = 120) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if os.path.exists(self.port_file):
                return int(Path(self.port_file).read_text())
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.logs()}")
            time.sleep(0.1)
        raise TimeoutError("server did not start listening")

    def wait_serving(self, timeout: float = 180) -> None:
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        end = time.monotonic() + timeout
        with grpc.insecure_channel(self.target) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < end:
                try:
                    status = stub.Check(health_pb2.HealthCheckRequest(service=SERVICE_NAME), timeout=5)
                    if status.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.logs()}")
                time.sleep(0.2)
        raise TimeoutError("server never became SERVING")

    def logs(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return Path(self.log_path).read_text("utf-8", errors="replace")

    def log_events(self) -> list[dict]:
        return [json.loads(line) for line in self.logs().splitlines() if line.startswith("{")]

    def terminate(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._log.close()


@pytest.fixture(scope="session")
def server():
    srv = RunningServer("--workers", "2")
    srv.wait_serving()
    yield srv
    srv.terminate()


@pytest.fixture()
def client(server):
    from quotes_client import QuotesClient

    with QuotesClient(server.target, timeout=120) as c:
        yield c


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest exits 5 when no test was collected (a wrong path, a marker that selects nothing): for CI and
    # for a developer that is a failure, never a pass
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

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
from collections.abc import Iterator
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


def wait_until(condition, timeout: float = 60, what: str = "the condition") -> None:
    """Poll `condition` until it is true (no test relies on sleeping for an order of events)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"{what} never came true within {timeout} s"
        time.sleep(0.02)


class RunningServer:
    """`quotes serve --port 0` in a subprocess; stderr (JSON logs) is kept in a file. With `new_session` the
    server leads its own process group (as in a terminal), so that a signal can go to the whole group."""

    def __init__(self, *args: str, env: dict | None = None, new_session: bool = False):
        self.dir = tempfile.TemporaryDirectory()
        self.port_file = os.path.join(self.dir.name, "port")
        self.log_path = os.path.join(self.dir.name, "server.log")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - the server's stderr until terminate()
        self.proc = subprocess.Popen(
            [QUOTES, "serve", "--port", "0", "--port-file", self.port_file, "--log-format", "json", *args],
            stdout=subprocess.DEVNULL, stderr=self._log, env={**os.environ, **(env or {})},
            start_new_session=new_session)
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

    def events(self, event: str) -> list[dict]:
        return [e for e in self.log_events() if e.get("event") == event]

    def worker_pids(self) -> set[int]:
        """The engine workers alive now (each logs worker_ready once it is warm)."""
        pids = {e["pid"] for e in self.events("worker_ready")}
        return {pid for pid in pids if Path(f"/proc/{pid}").exists() and _parent(pid) == self.proc.pid}

    def terminate(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._log.close()


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state


def serving(*args: str, **kwargs) -> Iterator[RunningServer]:
    """A fixture's server: started, SERVING, then terminated."""
    srv = RunningServer(*args, **kwargs)
    srv.wait_serving()
    yield srv
    srv.terminate()


@pytest.fixture(scope="session")
def server():
    yield from serving("--workers", "2")


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

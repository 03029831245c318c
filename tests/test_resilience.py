"""A server that cannot be tied up, through real servers (`quotes serve` in a subprocess): adversarial
documents and cancels free the worker, a killed worker costs one request, health tells the capacity,
workers are recycled, SIGINT to the process group drains, bad bytes and long ids stay out of the logs."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from conftest import ROOT, RunningServer, serving, wait_until
from quotes.v1 import quote_service_pb2_grpc as pb_grpc
from quotes_client import SERVICE_NAME, DeadlineExceededError, InvalidArgumentError, QuotesClient, make_request
from quotes_client.errors import from_rpc_error

pytestmark = pytest.mark.slow

SHORT = "The minister said the talks would continue."


def _benchmark_inputs():
    """service/benchmarks/adversarial.py: the same inputs its benchmark times."""
    spec = importlib.util.spec_from_file_location("adversarial", ROOT / "service" / "benchmarks" / "adversarial.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


adversarial = _benchmark_inputs()


def health(target: str) -> int:
    with grpc.insecure_channel(target) as channel:
        return health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=SERVICE_NAME), timeout=5).status


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_busy(pids: set[int]) -> None:
    """Until every one of these workers has used CPU since now: they are working on something."""
    start = {pid: cpu_ticks(pid) for pid in pids}
    wait_until(lambda: all(cpu_ticks(pid) > start[pid] + 5 for pid in pids), what="the workers got busy")


@pytest.fixture(scope="module")
def one_worker():
    yield from serving("--workers", "1")


def test_the_issues_nested_quotes_are_answered_quickly(one_worker):
    text = "".join(f"\u201cLevel {i} says \u2018" for i in range(250)) + "core" + "\u2019\u201d he said." * 250
    assert len(text) == 6_894  # 32.6 s before, one 2,260-token sentence parsed
    with QuotesClient(one_worker.target) as client:
        response = client.extract(text, timeout=20)
    assert len(response.sentences) <= 3


@pytest.mark.parametrize("name, chars", [
    ("one_character_paragraphs", 100_000), ("one_sentence", 1_000_000), ("one_word", 500_000),
    ("quotation_marks", 300_000), ("quotes_with_cues", 300_000), ("many_names", 300_000), ("transcript", 300_000),
])
def test_an_adversarial_document_cannot_hold_the_worker(one_worker, name, chars):
    text = adversarial.make(name, chars)
    with QuotesClient(one_worker.target) as client:
        with pytest.raises(DeadlineExceededError):
            client.extract(text, timeout=3)
        started = time.monotonic()
        assert client.extract(SHORT, timeout=2).quotes  # the next call is served within 2 s
    assert time.monotonic() - started < 2


def test_cancelled_calls_free_the_workers(server, seed_text):
    text = (seed_text * 20)[:60_000]
    with grpc.insecure_channel(server.target) as channel:
        stub = pb_grpc.QuoteServiceStub(channel)
        calls = [stub.ExtractQuotes.future(make_request(text), timeout=600) for _ in range(20)]
        wait_busy(server.worker_pids())
        for call in calls:
            call.cancel()
    with QuotesClient(server.target) as client:
        assert client.extract(SHORT, timeout=2).quotes  # 18.5 s before: the workers went on with the cancelled


def test_a_killed_worker_fails_only_its_own_request(server, seed_text) -> None:
    """kill -9 of one of two workers under load: its document fails (UNAVAILABLE, WORKER_CRASHED, which the
    SDK retries), every other call succeeds while the worker is replaced, health stays SERVING."""
    pids = server.worker_pids()
    assert len(pids) == 2
    outcomes: list[tuple[float, str]] = []  # (when it ended, status or reason)
    statuses: list[int] = []
    stop = threading.Event()

    def load() -> None:  # a channel without the SDK's retries, to see every failure
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.QuoteServiceStub(channel)
            while not stop.is_set():
                try:
                    stub.ExtractQuotes(make_request(seed_text), timeout=120)
                    outcomes.append((time.monotonic(), "OK"))
                except grpc.RpcError as err:
                    error = from_rpc_error(err)
                    outcomes.append((time.monotonic(), f"{error.code.name} {error.reason}"))

    def watch_health() -> None:
        while not stop.wait(0.1):
            statuses.append(health(server.target))

    threads = [threading.Thread(target=load) for _ in range(4)] + [threading.Thread(target=watch_health)]
    for t in threads:
        t.start()
    try:
        wait_until(lambda: len(outcomes) >= 4, timeout=120, what="calls under load")
        victim = min(pids)
        wait_busy({victim})
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        wait_until(lambda: len(server.worker_pids() - pids) == 1, timeout=300, what="the replacement")
        replaced = time.monotonic()
        done = len(outcomes)
        wait_until(lambda: len(outcomes) >= done + 4, timeout=120, what="calls after the replacement")
    finally:
        stop.set()
        for t in threads:
            t.join(150)
    failures = [o for o in outcomes if o[1] != "OK"]
    assert [f[1] for f in failures] in ([], ["UNAVAILABLE WORKER_CRASHED"])
    served_meanwhile = [o for o in outcomes if killed < o[0] < replaced and o[1] == "OK"]
    assert len(served_meanwhile) >= 2, "the other worker kept serving while the dead one was replaced"
    assert set(statuses) == {health_pb2.HealthCheckResponse.SERVING}
    assert any(e["pid"] == victim for e in server.events("worker_crashed"))


def test_health_tells_when_no_worker_is_left_and_a_call_waits_for_the_replacement(one_worker):
    [pid] = one_worker.worker_pids()
    assert health(one_worker.target) == health_pb2.HealthCheckResponse.SERVING
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: health(one_worker.target) == health_pb2.HealthCheckResponse.NOT_SERVING, timeout=30,
               what="NOT_SERVING with no worker")
    with QuotesClient(one_worker.target) as client:
        assert client.extract(SHORT, timeout=300).quotes  # waits in the queue for the new worker
    wait_until(lambda: health(one_worker.target) == health_pb2.HealthCheckResponse.SERVING, timeout=30,
               what="SERVING again")
    capacity = [(e["ready_workers"], e["workers"]) for e in one_worker.events("capacity")]
    assert capacity[-2:] == [(0, 1), (1, 1)]


def test_a_document_its_workers_died_on_twice_is_refused_and_the_others_are_served(one_worker):
    """A document that kills its worker would, retried as UNAVAILABLE asks, take the workers down one after
    another: after the second death under it the server refuses it at once (INTERNAL, not retried)."""
    request = make_request(adversarial.make("quotes_with_cues", 60_000), document_id="poison")
    with grpc.insecure_channel(one_worker.target) as channel:  # without the SDK's retries: every answer shows
        stub = pb_grpc.QuoteServiceStub(channel)
        for _ in range(2):
            wait_until(lambda: len(one_worker.worker_pids()) == 1, timeout=300, what="a ready worker")
            [pid] = one_worker.worker_pids()
            call = stub.ExtractQuotes.future(request, timeout=300)
            wait_busy({pid})
            os.kill(pid, signal.SIGKILL)  # what a crash in native code or the kernel's OOM killer does
            with pytest.raises(grpc.RpcError) as died:
                call.result()
            assert from_rpc_error(died.value).reason == "WORKER_CRASHED"
            wait_until(lambda dead=pid: one_worker.worker_pids() - {dead}, timeout=300, what="the replacement")
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as refused:
            stub.ExtractQuotes(request, timeout=60)
        assert time.monotonic() - started < 2, "refused without waiting for a worker"
        error = from_rpc_error(refused.value)
        assert (error.code, error.reason) == (grpc.StatusCode.INTERNAL, "DOCUMENT_CRASHES_WORKER")
        assert stub.ExtractQuotes(make_request(SHORT), timeout=300).quotes, "other documents are served"
    [refusal] = one_worker.events("document_refused")
    assert refusal["crashes"] == 2


def test_a_worker_is_recycled_above_its_memory_limit():
    srv = RunningServer("--workers", "1", env={"QUOTES_WORKER_MAX_RSS_MB": "1"})  # every worker is above 1 MB
    try:
        srv.wait_serving()
        with QuotesClient(srv.target) as client:
            for i in range(2):  # the second call waits for the replacement of the first worker
                assert client.extract(SHORT, document_id=f"r{i}", timeout=300).quotes
        wait_until(lambda: len(srv.events("worker_recycled")) >= 2, what="two recycles")
        first, second = srv.events("worker_recycled")[:2]
        assert first["reason"] == "memory" and first["documents"] == 1 and first["rss_mb"] > 100
        assert first["pid"] != second["pid"]
        assert srv.terminate() == 0
    finally:
        srv.terminate()


@pytest.mark.parametrize("sig", ["SIGTERM to the server", "SIGINT to the process group"])
def test_a_signal_during_a_stream_drains_and_exits_0(seed_text, sig):
    srv = RunningServer("--workers", "2", "--grace-seconds", "60", new_session=True)
    try:
        _drain_during_a_stream(srv, seed_text, sig)
    finally:
        srv.terminate()


def _drain_during_a_stream(srv: RunningServer, seed_text: str, sig: str) -> None:
    srv.wait_serving()
    received, errors = [], []

    def consume() -> None:  # far more documents than the server answers before the signal
        with grpc.insecure_channel(srv.target) as channel:
            stub = pb_grpc.QuoteServiceStub(channel)
            try:
                for response in stub.StreamExtractQuotes(make_request(seed_text, document_id=f"s{i}")
                                                         for i in range(400)):
                    received.append(response)  # noqa: PERF402 - the test watches it grow while the stream runs
            except grpc.RpcError as err:
                errors.append(err)

    reader = threading.Thread(target=consume)
    reader.start()
    wait_until(lambda: len(received) >= 5, timeout=120, what="five responses")
    if sig.startswith("SIGINT"):
        os.killpg(srv.proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the server and its workers get it
    else:
        srv.proc.send_signal(signal.SIGTERM)
    rc = srv.proc.wait(timeout=120)
    reader.join(timeout=120)
    assert rc == 0
    finished = [e["document_id"] for e in srv.events("request") if e.get("status") == "OK"]
    assert [r.document_id for r in received] == finished, "every finished response reached the client"
    assert [f"s{i}" for i in range(len(received))] == [r.document_id for r in received]
    assert all(len(r.quotes) == 14 for r in received)
    [error] = errors
    assert from_rpc_error(error).code == grpc.StatusCode.UNAVAILABLE
    assert from_rpc_error(error).reason == "SHUTTING_DOWN"
    events = [e["event"] for e in srv.log_events()]
    assert events.index("draining") < events.index("stopped")
    assert not srv.events("worker_crashed"), "the workers ignored the signal and were stopped by the server"


def test_bad_bytes_and_long_ids_get_a_status_and_short_log_lines(server):
    with grpc.insecure_channel(server.target) as channel:
        raw = channel.unary_unary("/quotes.v1.QuoteService/ExtractQuotes", request_serializer=lambda b: b,
                                  response_deserializer=lambda b: b)
        with pytest.raises(grpc.RpcError) as caught:
            raw(b"\x0a\x0b\x12\x09He \xff\xfe\xc0\x80 x", timeout=10)
    assert (caught.value.code(), from_rpc_error(caught.value).reason) == (grpc.StatusCode.INVALID_ARGUMENT,
                                                                         "MALFORMED_REQUEST")
    with QuotesClient(server.target) as client, pytest.raises(InvalidArgumentError) as too_long:
        client.extract(SHORT, document_id="x" * 1_000_000)
    assert too_long.value.reason == "ID_TOO_LONG"
    wait_until(lambda: any(e.get("reason") == "ID_TOO_LONG" for e in server.events("request")))
    [malformed] = [e for e in server.events("request") if e.get("reason") == "MALFORMED_REQUEST"]
    assert malformed["level"] == "warning" and malformed["status"] == "INVALID_ARGUMENT"
    assert "exception" not in malformed and "Traceback" not in server.logs()
    assert max(len(line) for line in server.logs().splitlines()) < 2_000, "no caller string is logged whole"
    assert all(len(e.get("document_id", "")) <= 257 for e in server.log_events())


def test_stream_documents_and_unary_calls_wait_in_one_bounded_queue(seed_text) -> None:
    """The issue's case: --max-queue 4, 8 streams of 8 documents, 10 unary calls meanwhile: before, every
    stream was taken and 10 of 10 unary calls got RESOURCE_EXHAUSTED."""
    srv = RunningServer("--workers", "2", "--max-queue", "4")
    try:
        srv.wait_serving()
        text = seed_text[:1500]

        def stream(n: int) -> list:
            with QuotesClient(srv.target, timeout=600) as c:
                return list(c.extract_many({"id": f"s{n}-{i}", "text": text} for i in range(8)))

        results: list[list] = [[] for _ in range(8)]
        threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, stream(n))) for n in range(8)]
        for t in threads:
            t.start()
        wait_until(lambda: len(srv.events("request")) >= 2, what="the streams under way")
        codes = []
        with QuotesClient(srv.target, timeout=300) as client:
            for i in range(10):
                try:
                    client.extract(text, document_id=f"u{i}")
                    codes.append("OK")
                except Exception as exc:  # noqa: BLE001 - the test counts the statuses
                    codes.append(getattr(exc, "reason", type(exc).__name__))
        for t in threads:
            t.join(600)
        assert codes == ["OK"] * 10
        assert all(len(r) == 8 and not any(x.HasField("error") for x in r) for r in results)
    finally:
        srv.terminate()


def test_the_soak_benchmark_runs_against_a_server(server):
    out = subprocess.run([sys.executable, str(ROOT / "service" / "benchmarks" / "soak.py"), "--target", server.target,
                          "--server-pid", str(server.proc.pid), "--calls", "30", "--concurrency", "4", "--warmup", "2",
                          "--stream", "6", "--article-chars", "800"], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)  # stdout is one JSON object
    assert report["unexpected"] == {} and sum(report["statuses"].values()) == 30
    assert report["statuses"]["INVALID_ARGUMENT TEXT_EMPTY"] == 1 and report["statuses"]["OK"] == 27
    assert report["stream"]["answered"] == 6 and report["stream"]["in_order"]
    assert len(report["rss_mb"]["end"]["workers"]) == 2 and report["rss_mb"]["end"]["server"] > 0

"""The service through a real server (`quotes serve --port 0`) and the real SDK."""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from conftest import RunningServer
from quotes.v1 import quote_service_pb2 as pb
from quotes_client import (
    SERVICE_NAME,
    AsyncQuotesClient,
    DeadlineExceededError,
    InvalidArgumentError,
    QuotesClient,
    ResourceExhaustedError,
    from_document_error,
)

pytestmark = pytest.mark.slow  # a server in a subprocess; the servicer in-process is test_servicer.py


def test_seed_through_the_server(client, seed_text, seed_gold):
    response = client.extract(seed_text, document_id="seed-1", publisher="RT")
    assert response.document_id == "seed-1"
    assert response.model_version and response.language_code == "en"
    got = {(q.content.begin_offset, q.content.end_offset): q for q in response.quotes}
    assert len(got) == len(seed_gold) == 14
    for gold in seed_gold:
        quote = got[tuple(gold["content_span"])]
        assert quote.content.content == gold["content"]
        assert quote.speaker.name == gold["speaker"]
        assert quote.type == pb.QuoteType.Value("QUOTE_TYPE_" + gold["type"].upper())
        if "outlet" in gold:
            assert quote.outlet.name == gold["outlet"]
    post = got[(531, 596)]
    assert post.outlet.evidence == pb.OUTLET_EVIDENCE_EMBEDDED_POST and post.outlet.handle == "@RT_com"
    assert [p.text.content for p in response.paragraphs][4] == "— RT (@RT_com) December 19, 2024"
    assert all(s.text.content == seed_text[s.text.begin_offset:s.text.end_offset] for s in response.sentences)


def test_health_and_reflection(server):
    assert SERVICE_NAME == "quotes.v1.QuoteService"  # the name the README and the CMS plugins use
    with grpc.insecure_channel(server.target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for service in ("", SERVICE_NAME):
            status = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10).status
            assert status == health_pb2.HealthCheckResponse.SERVING
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        [listed] = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")])))
        names = {s.name for s in listed.list_services_response.service}
        assert {SERVICE_NAME, "grpc.health.v1.Health"} <= names
        [described] = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
            file_containing_symbol=SERVICE_NAME)])))
        assert described.file_descriptor_response.file_descriptor_proto


@pytest.mark.parametrize("document, reason", [
    (pb.Document(text=""), "TEXT_EMPTY"),
    (pb.Document(text=" \n\t\u00a0 "), "TEXT_EMPTY"),
    (pb.Document(text="x" * 1_000_001), "TEXT_TOO_LONG"),
    (pb.Document(text="Il a dit « oui ».", language_code="fr"), "UNSUPPORTED_LANGUAGE"),
])
def test_bad_input_is_invalid_argument_with_a_reason(client, document, reason):
    with pytest.raises(InvalidArgumentError) as caught:
        client.extract(document)
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.reason == reason
    assert caught.value.message
    if reason == "TEXT_TOO_LONG":
        assert "1,000,000" in caught.value.message and caught.value.metadata["limit"] == "1000000"


TEXT = "Café owner José Ñúñez 😀 said: “Prices rose 😀 again,” and added that the 𝄞 band “will play”."


@pytest.mark.parametrize("encoding, codec, unit", [("utf8", "utf-8", 1), ("utf16", "utf-16-le", 2),
                                                    ("utf32", "utf-32-le", 4)])
def test_offsets_in_every_encoding(client, encoding, codec, unit):
    response = client.extract(TEXT, encoding=encoding, include_tokens=True)
    encoded = TEXT.encode(codec)

    def cut(span):
        return encoded[span.begin_offset * unit:span.end_offset * unit].decode(codec)

    assert response.quotes
    for quote in response.quotes:
        assert cut(quote.content) == quote.content.content
        if quote.HasField("cue"):
            assert cut(quote.cue) == quote.cue.content
    assert any(q.content.content == "Prices rose 😀 again," for q in response.quotes)
    tokens = [t.text for s in response.sentences for t in s.tokens]
    assert tokens and all(cut(t) == t.content for t in tokens)
    assert any(t.content == "😀" for t in tokens)


def test_32_concurrent_calls(server, seed_text):
    with QuotesClient(server.target, timeout=300) as client:
        def call(i: int):
            return client.extract(seed_text, document_id=f"c{i}")
        with ThreadPoolExecutor(32) as pool:
            responses = list(pool.map(call, range(32)))
    assert [r.document_id for r in responses] == [f"c{i}" for i in range(32)]
    assert all(len(r.quotes) == 14 for r in responses)


def test_stream_of_200_with_3_bad_documents(client):
    bad = {50: "", 100: "   ", 150: "x" * 1_000_001}
    docs = [{"id": f"d{i}", "text": bad.get(i, f"Minister {i} said the plan would work. \"It will,\" he said.")}
            for i in range(200)]
    responses = list(client.extract_many(docs))
    assert [r.document_id for r in responses] == [d["id"] for d in docs]
    failed = {i for i, r in enumerate(responses) if r.HasField("error")}
    assert failed == set(bad)
    assert from_document_error(responses[150].error).reason == "TEXT_TOO_LONG"
    assert all(len(r.quotes) == 2 for i, r in enumerate(responses) if i not in bad)


def test_async_client(server, seed_text):
    async def run():
        async with AsyncQuotesClient(server.target, timeout=120) as client:
            one = await client.extract(seed_text, document_id="a1")
            many = [r async for r in client.extract_many(
                [{"id": "a2", "text": seed_text}, {"id": "a3", "text": ""}])]
            with pytest.raises(InvalidArgumentError):
                await client.extract(" ")
            return one, many
    one, many = asyncio.run(run())
    assert len(one.quotes) == 14
    assert [r.document_id for r in many] == ["a2", "a3"] and many[1].error.reason == "TEXT_EMPTY"


def test_request_log_lines(server, client):
    client.extract("The mayor said the road would reopen on Monday.", document_id="logged-1")

    def logged() -> list[dict]:
        return [e for e in server.log_events() if e.get("event") == "request" and e.get("document_id") == "logged-1"]

    deadline = time.monotonic() + 30
    while not logged() and time.monotonic() < deadline:  # the line is written as the response goes out
        time.sleep(0.05)
    lines = logged()
    assert len(lines) == 1
    line = lines[0]
    assert line["rpc"] == "ExtractQuotes" and line["status"] == "OK" and line["quotes"] == 1
    assert line["characters"] == 47 and line["duration_ms"] > 0 and line["level"] == "info"


@pytest.fixture(scope="module")
def small_server():
    """One worker, no queue: the second concurrent request is turned away."""
    srv = RunningServer("--workers", "1", "--max-queue", "0")
    srv.wait_serving()
    yield srv
    srv.terminate()


def test_queue_full_and_deadline(small_server, seed_text):
    long_text = "\n".join([seed_text] * 40)
    with QuotesClient(small_server.target, timeout=300) as client:
        done = []

        def occupy() -> None:  # the long document, sent again while a short one holds the worker
            while not done:
                try:
                    done.append(client.extract(long_text))
                except ResourceExhaustedError:
                    continue

        busy = threading.Thread(target=occupy)
        busy.start()
        # short requests pass until the long one holds the only worker (~16 s); then one is turned away
        with pytest.raises(ResourceExhaustedError) as caught:
            while busy.is_alive():
                client.extract("The mayor said the road would reopen.")
        assert caught.value.reason == "QUEUE_FULL"
        busy.join()
        assert len(done[0].quotes) == 40 * 14
        with pytest.raises(DeadlineExceededError):
            client.extract(long_text, timeout=0.5)
    events = small_server.log_events()
    assert any(e.get("status") == "DEADLINE_EXCEEDED" for e in events)
    assert any(e.get("status") == "RESOURCE_EXHAUSTED" for e in events)


def test_sigterm_during_a_stream_loses_no_finished_response(seed_text):
    srv = RunningServer("--workers", "2", "--grace-seconds", "60")
    srv.wait_serving()
    received, errors = [], []

    def documents():  # far more than the server answers before the signal; it reads them as it has room
        for i in range(400):
            yield {"id": f"s{i}", "text": seed_text}

    def consume():
        channel = grpc.insecure_channel(srv.target)
        stub = __import__("quotes.v1.quote_service_pb2_grpc", fromlist=["x"]).QuoteServiceStub(channel)
        from quotes_client import make_request
        try:
            for response in stub.StreamExtractQuotes(make_request(d) for d in documents()):
                received.append(response)  # noqa: PERF402 - the test watches it grow while the stream runs
        except grpc.RpcError as err:
            errors.append(err)
        finally:
            channel.close()

    reader = threading.Thread(target=consume)
    reader.start()
    deadline = time.monotonic() + 120
    while len(received) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(received) >= 5
    rc = srv.terminate(timeout=120)
    reader.join(timeout=120)
    assert rc == 0
    finished = [e["document_id"] for e in srv.log_events()
                if e.get("event") == "request" and e.get("status") == "OK"]
    assert [r.document_id for r in received] == finished, "every finished response reached the client"
    assert all(len(r.quotes) == 14 for r in received)
    assert [f"s{i}" for i in range(len(received))] == [r.document_id for r in received]
    assert errors and errors[0].code() == grpc.StatusCode.UNAVAILABLE
    events = [e["event"] for e in srv.log_events()]
    assert events.index("draining") < events.index("stopped")

"""The servicer in this process (fast tier): a grpc.aio server on port 0 with QuoteServicer, the real engine
in an in-process worker (EnginePool.in_process), called through the real SDK. The subprocess server, its
health, signals and logs are in test_server.py (slow tier)."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import cast

import grpc
import pytest

from quotes.v1 import quote_service_pb2 as pb
from quotes_client import (
    DeadlineExceededError,
    InvalidArgumentError,
    QuotesClient,
    ResourceExhaustedError,
    from_document_error,
)
from quotes_service.server.config import ServerConfig
from quotes_service.server.servicer import QuoteServicer, add_to_server
from quotes_service.workers import EnginePool

MAX_TEXT_CHARS = 200_000


class InProcessServer:
    """grpc.aio in a thread of this process: QuoteServicer over a one-worker in-process pool, no queue."""

    def __init__(self, pool: EnginePool, config: ServerConfig):
        self.pool, self.config = pool, config
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._thread.start()
        assert self._ready.wait(30), "the in-process server did not start"
        self.target = f"localhost:{self.port}"

    async def _serve(self) -> None:
        self._loop, stop = asyncio.get_running_loop(), asyncio.Event()
        self._stop = stop
        server = grpc.aio.server()
        add_to_server(QuoteServicer(self.pool, self.config, asyncio.Event()), server)
        self.port = server.add_insecure_port("localhost:0")
        await server.start()
        self._ready.set()
        await stop.wait()
        await server.stop(5)

    def close(self) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture(scope="module")
def service(engine) -> Iterator[InProcessServer]:
    pool = EnginePool.in_process(engine, max_queue=0, max_text_chars=MAX_TEXT_CHARS)
    pool.start()
    server = InProcessServer(pool, ServerConfig(workers=1, max_queue=0, max_text_chars=MAX_TEXT_CHARS))
    yield server
    server.close()
    pool.shutdown()


@pytest.fixture()
def client(service) -> Iterator[QuotesClient]:
    with QuotesClient(service.target, timeout=60) as c:
        yield c
    wait_until(lambda: service.pool.pending == 0)  # the next test starts with an idle worker


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "the condition never came true"
        time.sleep(0.01)


def test_seed_article_through_the_servicer(client, seed_text, seed_gold):
    response = client.extract(seed_text, document_id="seed", publisher="RT")
    assert response.document_id == "seed" and response.language_code == "en"
    assert response.model_version.startswith("stanza-en-")
    got = {(q.content.begin_offset, q.content.end_offset): q for q in response.quotes}
    assert len(got) == len(seed_gold) == 14
    for gold in seed_gold:
        quote = got[tuple(gold["content_span"])]
        assert quote.content.content == gold["content"]
        assert quote.type == pb.QuoteType.Value("QUOTE_TYPE_" + gold["type"].upper())
        assert quote.speaker.name == gold["speaker"]
        if "outlet" in gold:
            assert quote.outlet.name == gold["outlet"]


@pytest.mark.parametrize("request_, reason", [
    (pb.ExtractQuotesRequest(document=pb.Document(text=" \n\t")), "TEXT_EMPTY"),
    (pb.ExtractQuotesRequest(document=pb.Document(text="x" * (MAX_TEXT_CHARS + 1))), "TEXT_TOO_LONG"),
    (pb.ExtractQuotesRequest(document=pb.Document(text="Il a dit « oui ».", language_code="fr")),
     "UNSUPPORTED_LANGUAGE"),
    (pb.ExtractQuotesRequest(document=pb.Document(text="He said so."),
                             encoding_type=cast(pb.EncodingType, 7)), "UNKNOWN_ENCODING"),  # no such value
])
def test_bad_input_is_invalid_argument_with_a_reason(client, request_, reason):
    with pytest.raises(InvalidArgumentError) as caught:
        client.extract(request_)
    assert caught.value.reason == reason and caught.value.message
    if reason == "TEXT_TOO_LONG":
        assert caught.value.metadata["limit"] == str(MAX_TEXT_CHARS) and "--max-text-chars" in caught.value.message


def test_utf16_offsets_and_tokens(client):
    text = "The 🦄 minister said: “We will build it 😀 soon.”"
    response = client.extract(text, encoding="utf16", include_tokens=True)
    encoded = text.encode("utf-16-le")
    [quote] = response.quotes
    assert encoded[2 * quote.content.begin_offset:2 * quote.content.end_offset].decode("utf-16-le") == \
        quote.content.content == "We will build it 😀 soon."
    tokens = [t.text for s in response.sentences for t in s.tokens]
    assert any(t.content == "😀" for t in tokens)
    assert all(encoded[2 * t.begin_offset:2 * t.end_offset].decode("utf-16-le") == t.content for t in tokens)


def test_a_stream_answers_every_document_in_order(client):
    docs = [{"id": f"d{i}", "text": "" if i == 2 else f'Minister {i} said the plan would work. "It will," he said.'}
            for i in range(5)]
    responses = list(client.extract_many(docs))
    assert [r.document_id for r in responses] == [d["id"] for d in docs]
    assert from_document_error(responses[2].error).reason == "TEXT_EMPTY"
    assert [len(r.quotes) for i, r in enumerate(responses) if i != 2] == [2, 2, 2, 2]


def test_a_busy_worker_turns_the_next_request_away(service, client, seed_text):
    busy = threading.Thread(target=client.extract, args=("\n".join([seed_text] * 4),))
    busy.start()
    wait_until(lambda: service.pool.pending == 1)  # the long document is in the worker
    with pytest.raises(ResourceExhaustedError) as caught:
        client.extract(seed_text)
    assert caught.value.reason == "QUEUE_FULL"
    busy.join()


def test_a_passed_deadline_frees_the_worker_at_the_next_stage(service, client, seed_text):
    # 40 seed articles: ~2.5 s to segment, ~16 s in all on one core; the deadline passes during segment
    with pytest.raises(DeadlineExceededError):
        client.extract("\n".join([seed_text] * 40), timeout=0.3)
    started = time.monotonic()
    wait_until(lambda: service.pool.pending == 0, timeout=60)
    assert time.monotonic() - started < 8, "the engine stops at its next stage, not at the end"

"""Where a batch job's documents are processed. Each backend turns records into outcomes, in any order:

  local   engine worker processes on this machine (default: one per core)
  remote  running services (--target HOST:PORT[,HOST:PORT...]) through the SDK's stream, one stream per
          target pulling from a shared queue, so faster servers take more (client-side load balancing)
  ray     ray.data with an actor pool that loads the models once per actor (see ray_backend.py)
"""
from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Protocol

import grpc

from quotes.v1 import quote_service_pb2 as pb

from ..api import RequestError, validate
from .records import Record


@dataclass
class Outcome:
    id: str
    line: str | None = None  # the response as one compact JSON object
    quotes: int = 0
    error: tuple[str, str, str] | None = None  # (gRPC code name, reason, message)


class Backend(Protocol):
    def process(self, records: Iterable[Record]) -> Iterator[Outcome]:
        """Outcomes of the records, in any order, one per record."""
        ...


def request_of(record: Record, max_text_chars: int) -> pb.ExtractQuotesRequest | Outcome:
    """The request for a record, or the error outcome of a record that cannot be sent."""
    if record.problem:
        return Outcome(record.id, error=("INVALID_ARGUMENT", "BAD_ROW", record.problem))
    content_type = pb.CONTENT_TYPE_HTML if record.html else pb.CONTENT_TYPE_UNSPECIFIED
    request = pb.ExtractQuotesRequest(document=pb.Document(id=record.id, text=record.text, publisher=record.publisher,
                                                           url=record.url, content_type=content_type))
    try:
        validate(request, max_text_chars)
    except RequestError as err:
        return Outcome(record.id, error=(err.code.name, err.reason, err.message))
    return request


class LocalBackend:
    def __init__(self, workers: int, models: str | None, max_text_chars: int, log_format: str, log_level: str,
                 precision: str | None = None):
        from ..workers import EnginePool

        self.pool = EnginePool(workers, models or "bundled", log_format=log_format, log_level=log_level,
                               max_text_chars=max_text_chars, precision=precision)
        self.max_text_chars = max_text_chars
        self.window = 2 * workers

    def process(self, records: Iterable[Record]) -> Iterator[Outcome]:
        self.pool.start()
        inflight: dict[Future, str] = {}
        try:
            for record in records:
                request = request_of(record, self.max_text_chars)
                if isinstance(request, Outcome):
                    yield request
                    continue
                inflight[self.pool.submit(request.SerializeToString(), as_json=True).future] = record.id
                while len(inflight) >= self.window:
                    yield from self._collect(inflight, FIRST_COMPLETED)
            while inflight:
                yield from self._collect(inflight, FIRST_COMPLETED)
        finally:
            self.pool.shutdown()

    @staticmethod
    def _collect(inflight: dict[Future, str], how) -> Iterator[Outcome]:
        done, _ = wait(list(inflight), return_when=how)
        for future in done:
            doc_id = inflight.pop(future)
            try:
                line, quotes = future.result()
                yield Outcome(doc_id, line, quotes)
            except RequestError as err:
                yield Outcome(doc_id, error=(err.code.name, err.reason, err.message))
            except Exception as exc:  # noqa: BLE001 - a failed document is an error row, never a stopped job
                yield Outcome(doc_id, error=("INTERNAL", "ENGINE_ERROR", f"{type(exc).__name__}: {exc}"))


class RemoteBackend:
    def __init__(self, targets: list[str], max_text_chars: int, timeout: float | None = None,
                 client_options: dict | None = None):
        self.targets, self.max_text_chars, self.timeout = targets, max_text_chars, timeout
        self.client_options = client_options or {}  # QuotesClient's TLS and token arguments

    def process(self, records: Iterable[Record]) -> Iterator[Outcome]:
        from quotes_client import QuotesClient, from_document_error

        from ..api import to_json_line

        todo: queue.Queue = queue.Queue(maxsize=64 * len(self.targets))
        results: queue.Queue = queue.Queue()
        fed = threading.Event()
        stream_ended = object()

        def feed() -> None:
            try:
                for record in records:
                    request = request_of(record, self.max_text_chars)
                    if isinstance(request, Outcome):
                        results.put(request)
                    else:
                        todo.put(request)
            finally:
                fed.set()

        def pull(taken: deque) -> Iterator[pb.ExtractQuotesRequest]:
            while True:
                try:
                    request = todo.get(timeout=0.1)
                except queue.Empty:
                    if fed.is_set() and todo.empty():
                        return
                    continue
                taken.append(request)
                yield request

        def stream(target: str) -> None:
            taken: deque = deque()
            try:
                with QuotesClient(target, timeout=self.timeout, **self.client_options) as client:
                    for response in client.extract_many(pull(taken), timeout=self.timeout):
                        request = taken.popleft()
                        if response.HasField("error"):
                            err = from_document_error(response.error)
                            results.put(Outcome(request.document.id, error=(err.code.name, err.reason, err.message)))
                        else:
                            results.put(Outcome(request.document.id, to_json_line(response), len(response.quotes)))
            except Exception as exc:  # noqa: BLE001 - this target is gone: the others take its documents
                failures.append(str(exc))
                for request in taken:
                    todo.put(request)
            finally:
                results.put(stream_ended)

        failures: list[str] = []
        feeder = threading.Thread(target=feed, name="batch-feed", daemon=True)
        feeder.start()
        for target in self.targets:
            threading.Thread(target=stream, args=(target,), name=f"batch-{target}", daemon=True).start()
        streams_left = len(self.targets)
        while streams_left:
            item = results.get()
            if item is stream_ended:
                streams_left -= 1
            else:
                yield item
        # every stream has ended: whatever is left could not be sent anywhere
        while feeder.is_alive() or not todo.empty():
            try:
                request = todo.get(timeout=0.1)
            except queue.Empty:
                continue
            yield Outcome(request.document.id, error=(grpc.StatusCode.UNAVAILABLE.name, "NO_TARGET",
                                                      "every target failed: " + "; ".join(failures[-3:])))
        while not results.empty():
            yield results.get()

"""The batch job on Ray (optional extra `ray`): ray.data from the job's records -> map_batches with an actor
pool that loads the models once per actor -> rows streamed back to the job, which writes them with the same
resume guarantees as the other backends.

    quotes batch --input IN --output OUT --engine ray                     # a local Ray instance
    quotes batch --input IN --output OUT --engine ray --address ray://head:10001   # a cluster
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import islice

from .backends import Outcome, request_of
from .records import Record

CHUNK = 20_000  # records per ray.data dataset: bounds the driver's memory on large archives


class Extractor:
    """A ray.data actor: one Engine (models loaded once), called on batches of records."""

    def __init__(self, models: str, max_text_chars: int, precision: str):
        from ..engine import Engine
        from ..models import select_models
        from ..worker_process import keep_loaded_out_of_collections

        self.engine = Engine(select_models(models, precision), threads=1)
        keep_loaded_out_of_collections()
        self.max_text_chars = max_text_chars

    def __call__(self, batch: dict) -> dict:
        from .. import api

        out: dict[str, list] = {"id": [], "line": [], "quotes": [], "code": [], "reason": [], "message": []}
        for doc_id, text, publisher, url, html in zip(batch["id"], batch["text"], batch["publisher"], batch["url"],
                                                      batch["html"]):
            record = Record(str(doc_id), str(text), str(publisher), str(url), html=bool(html))
            request = request_of(record, self.max_text_chars)
            line, quotes = "", 0
            error: tuple[str, str, str] | None = None
            if isinstance(request, Outcome):
                error = request.error
            else:
                try:
                    response = api.extract(self.engine, request, max_text_chars=self.max_text_chars)
                    line, quotes = api.to_json_line(response), len(response.quotes)
                except api.RequestError as err:
                    error = (err.code.name, err.reason, err.message)
                except Exception as exc:  # noqa: BLE001 - an error row, never a failed job
                    error = ("INTERNAL", "ENGINE_ERROR", f"{type(exc).__name__}: {exc}")
            for key, value in zip(("id", "line", "quotes", "code", "reason", "message"),
                                  (record.id, line, quotes, *(error or ("", "", "")))):
                out[key].append(value)
        return out


class RayBackend:
    def __init__(self, actors: int, address: str | None, models: str | None, max_text_chars: int,
                 precision: str | None = None):
        from ..models import DEFAULT_PRECISION

        self.actors, self.address = actors, address
        self.models, self.max_text_chars = models or "bundled", max_text_chars
        # resolved here: actors on other machines do not see this one's environment
        self.precision = precision or os.environ.get("QUOTES_PRECISION") or DEFAULT_PRECISION

    def process(self, records: Iterable[Record]) -> Iterator[Outcome]:
        try:
            import ray
        except ImportError as exc:
            raise SystemExit("--engine ray needs the ray extra: pip install 'quotes-service[ray]'") from exc
        if not ray.is_initialized():
            kwargs = {"address": self.address} if self.address else {"num_cpus": self.actors}
            ray.init(include_dashboard=False, ignore_reinit_error=True, log_to_driver=False, **kwargs)
        iterator = iter(records)
        while chunk := list(islice(iterator, CHUNK)):
            bad = [r for r in chunk if r.problem]
            for record in bad:
                yield Outcome(record.id, error=("INVALID_ARGUMENT", "BAD_ROW", record.problem))
            rows = [{"id": r.id, "text": r.text, "publisher": r.publisher, "url": r.url, "html": r.html}
                    for r in chunk if not r.problem]
            if not rows:
                continue
            dataset = ray.data.from_items(rows).map_batches(
                Extractor, fn_constructor_kwargs={"models": self.models, "max_text_chars": self.max_text_chars,
                                                 "precision": self.precision},
                concurrency=self.actors, batch_size=4, num_cpus=1)
            for row in dataset.iter_rows():
                if row["code"]:
                    yield Outcome(row["id"], error=(row["code"], row["reason"], row["message"]))
                else:
                    yield Outcome(row["id"], row["line"], int(row["quotes"]))

    def close(self) -> None:
        import ray

        if ray.is_initialized() and not self.address:
            ray.shutdown()

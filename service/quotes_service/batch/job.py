"""A batch job: read -> skip what an earlier run wrote -> process on a backend -> write, with progress.

Every input id ends up exactly once: in the output (a response) or in the errors file (a document that
failed). Re-running the same command after a crash or `kill -9` continues where the files end.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field

from ..logs import get_logger
from . import records as inputs
from .sinks import JsonlSink, errors_path, open_sink

log = get_logger("quotes.batch")


@dataclass
class Summary:
    input: str
    output: str
    errors_file: str
    documents: int = 0  # processed in this run
    written: int = 0
    errors: int = 0
    quotes: int = 0
    skipped_done: int = 0  # already in the output or errors file from an earlier run
    skipped_duplicates: int = 0
    seconds: float = 0.0
    error_codes: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        out = dict(self.__dict__)
        out["documents_per_second"] = round(self.documents / self.seconds, 2) if self.seconds else 0.0
        out["seconds"] = round(self.seconds, 2)
        return out


def run_job(input_path: str, output_path: str, backend, *, errors_file: str | None = None,
            progress: bool | None = None) -> Summary:
    errors_file = errors_file or errors_path(output_path)
    summary = Summary(input_path, output_path, errors_file)
    sink, errors = open_sink(output_path), JsonlSink(errors_file, key="id")
    done = sink.done | errors.done
    seen: set[str] = set()

    def todo():
        for record in inputs.read(input_path):
            if record.id in done:
                summary.skipped_done += 1
            elif record.id in seen:
                summary.skipped_duplicates += 1
            else:
                seen.add(record.id)
                yield record

    bar = _progress_bar(input_path, len(done), progress)
    started = time.perf_counter()
    try:
        for outcome in backend.process(todo()):
            summary.documents += 1
            if outcome.error:
                code, reason, message = outcome.error
                errors.write(outcome.id, json.dumps({"id": outcome.id, "code": code, "reason": reason,
                                                     "message": message}, ensure_ascii=False))
                summary.errors += 1
                summary.error_codes[code] = summary.error_codes.get(code, 0) + 1
            else:
                sink.write(outcome.id, outcome.line)
                summary.written += 1
                summary.quotes += outcome.quotes
            if bar is not None:
                bar.update(1)
                bar.set_postfix(quotes=summary.quotes, errors=summary.errors, refresh=False)
    finally:
        summary.seconds = time.perf_counter() - started
        sink.close()
        errors.close()
        if bar is not None:
            bar.close()
        if hasattr(backend, "close"):
            backend.close()
        log.info("batch_summary", **summary.as_json())
    return summary


def _progress_bar(input_path: str, already: int, enabled: bool | None):
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    total = inputs.count(input_path)
    return tqdm(total=total, initial=min(already, total or already), unit="doc", file=sys.stderr,
                dynamic_ncols=True, desc="documents")

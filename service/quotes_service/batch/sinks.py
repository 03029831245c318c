"""Batch outputs that survive `kill -9` and resume: every document id ends up exactly once.

JSONL: one compact ExtractQuotesResponse (protobuf JSON) per line, each line written whole; on reopen a torn
last line is cut off and the ids already written are skipped. Parquet: a folder of part files (columns
document_id, response), each written to a temporary name and renamed, so a part is there whole or not at all.
Errors: JSONL lines {"id", "code", "reason", "message"}.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path


def _repair_and_ids(path: Path, key: str) -> set[str]:
    """Cut a torn last line (a write interrupted by a kill) and return the ids of the whole lines."""
    if not path.exists():
        return set()
    with open(path, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        if end != len(data):
            f.truncate(end)
    ids = set()
    for line in data[:end].splitlines():
        if line.strip():
            ids.add(str(json.loads(line).get(key, "")))
    return ids


class JsonlSink:
    def __init__(self, path: str, key: str = "documentId", fsync_seconds: float = 5.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.done = _repair_and_ids(self.path, key)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - open for the sink's life; close()
        self._fsync_seconds, self._last_sync = fsync_seconds, time.monotonic()

    def write(self, doc_id: str, line: str) -> None:
        """Append one compact JSON object (`line`, no newline) for `doc_id`."""
        self._file.write(line + "\n")
        self._file.flush()  # in the kernel now: a killed process loses nothing written
        if time.monotonic() - self._last_sync > self._fsync_seconds:
            os.fsync(self._file.fileno())
            self._last_sync = time.monotonic()

    def close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()


class ParquetSink:
    def __init__(self, path: str, rows_per_part: int = 1000, seconds_per_part: float = 60.0):
        import pyarrow.parquet as pq

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        for tmp in self.path.glob("*.tmp"):
            tmp.unlink()  # a part that was being written when the job died
        self.done: set[str] = set()
        for part in sorted(self.path.glob("*.parquet")):
            self.done.update(str(i) for i in pq.read_table(part, columns=["document_id"]).column(0).to_pylist())
        self._rows: list[dict] = []
        self._rows_per_part, self._seconds, self._started = rows_per_part, seconds_per_part, time.monotonic()

    def write(self, doc_id: str, line: str) -> None:
        self._rows.append({"document_id": doc_id, "response": line})
        if len(self._rows) >= self._rows_per_part or time.monotonic() - self._started > self._seconds:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.parquet"
        tmp = self.path / (name + ".tmp")
        pq.write_table(pa.Table.from_pylist(self._rows), tmp)
        os.replace(tmp, self.path / name)
        self._rows, self._started = [], time.monotonic()

    def close(self) -> None:
        self.flush()


def open_sink(path: str):
    return ParquetSink(path) if path.endswith(".parquet") else JsonlSink(path)


def errors_path(output: str) -> str:
    base = output[:-len(".parquet")] if output.endswith(".parquet") else output.rsplit(".jsonl", 1)[0]
    return base + ".errors.jsonl"

"""Batch inputs: JSONL ({"id", "text", "publisher"?, "url"?} per line), Parquet with the same columns, or a
folder of .txt files (id = the file name without .txt). Rows that cannot be read become error rows, so a
job never stops on one.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Record:
    id: str
    text: str = ""
    publisher: str = ""
    url: str = ""
    problem: str = ""  # why the row could not be read; such a record goes to the errors file


def input_format(path: str) -> str:
    p = Path(path)
    if p.is_dir() and not any(p.glob("*.parquet")):
        return "folder"
    if p.suffix == ".parquet" or (p.is_dir() and any(p.glob("*.parquet"))):
        return "parquet"
    return "jsonl"


def count(path: str) -> int | None:
    """How many rows the input has, when that is cheap to know."""
    fmt = input_format(path)
    if fmt == "folder":
        return sum(1 for _ in Path(path).glob("*.txt"))
    if fmt == "parquet":
        import pyarrow.dataset as ds
        return ds.dataset(path, format="parquet").count_rows()
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def read(path: str) -> Iterator[Record]:
    fmt = input_format(path)
    if fmt == "folder":
        yield from _read_folder(Path(path))
    elif fmt == "parquet":
        yield from _read_parquet(path)
    else:
        yield from _read_jsonl(path)


def _read_jsonl(path: str) -> Iterator[Record]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield Record(id=f"line:{number}", problem=f"line {number} is not JSON: {exc}")
                continue
            if not isinstance(row, dict):
                yield Record(id=f"line:{number}", problem=f"line {number} is not a JSON object")
                continue
            yield _from_row(row, f"line:{number}")


def _read_parquet(path: str) -> Iterator[Record]:
    import pyarrow.dataset as ds

    dataset = ds.dataset(path, format="parquet")
    columns: list[str] = [c for c in ("id", "text", "publisher", "url") if c in dataset.schema.names]
    row_number = 0
    for batch in dataset.to_batches(columns=columns, batch_size=256):
        for row in batch.to_pylist():
            row_number += 1
            yield _from_row(row, f"row:{row_number}")


def _read_folder(folder: Path) -> Iterator[Record]:
    for path in sorted(folder.glob("*.txt")):
        try:
            yield Record(id=path.stem, text=path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            yield Record(id=path.stem, problem=f"cannot read {path.name}: {exc}")


def _from_row(row: dict, fallback_id: str) -> Record:
    doc_id = row.get("id")
    if doc_id is None or str(doc_id) == "":
        return Record(id=fallback_id, problem="the row has no id")
    text = row.get("text")
    if not isinstance(text, str):
        return Record(id=str(doc_id), problem="the row has no text string")
    return Record(id=str(doc_id), text=text, publisher=str(row.get("publisher") or ""), url=str(row.get("url") or ""))

"""`quotes batch`: inputs, outputs, bad rows, resume after kill -9, remote targets and Ray."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import QUOTES

pytestmark = pytest.mark.slow  # every test runs `quotes batch` in a subprocess

GOOD = "Mayor Anne Hidalgo said the new bridge would open in May. \"It is a great day,\" she added."


def batch(*args: str, check: bool = True) -> dict:
    out = subprocess.run([QUOTES, "batch", "--workers", "1", *args], capture_output=True, text=True, check=False)
    if check:
        assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def write_jsonl(path: Path, rows: list) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), "utf-8")


def test_jsonl_with_bad_rows(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": "a", "text": GOOD, "publisher": "Le Monde"}, "{not json", {"id": "b"},
                      {"id": "c", "text": "   "}, {"id": "d", "text": GOOD}, {"id": "a", "text": GOOD}])
    summary = batch("--input", str(src), "--output", str(tmp_path / "out.jsonl"))
    out = jsonl(tmp_path / "out.jsonl")
    errors = jsonl(tmp_path / "out.errors.jsonl")
    assert sorted(r["documentId"] for r in out) == ["a", "d"]
    assert {e["id"]: e["code"] for e in errors} == {"line:2": "INVALID_ARGUMENT", "b": "INVALID_ARGUMENT",
                                                    "c": "INVALID_ARGUMENT"}
    a = next(r for r in out if r["documentId"] == "a")
    assert len(a["quotes"]) == 2 and a["quotes"][0]["outlet"]["name"] == "Le Monde"
    assert summary["written"] == 2 and summary["errors"] == 3 and summary["skipped_duplicates"] == 1


def test_parquet_in_and_out_and_folder_in(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{"id": f"p{i}", "text": GOOD, "publisher": "BBC"} for i in range(3)]),
                   tmp_path / "in.parquet")
    batch("--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"))
    table = pq.read_table(tmp_path / "out.parquet")
    assert sorted(table.column("document_id").to_pylist()) == ["p0", "p1", "p2"]
    assert all(json.loads(r)["quotes"] for r in table.column("response").to_pylist())

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "first.txt").write_text(GOOD, "utf-8")
    (folder / "second.txt").write_text("No quotes in this one.", "utf-8")
    batch("--input", str(folder), "--output", str(tmp_path / "folder.jsonl"))
    assert sorted(r["documentId"] for r in jsonl(tmp_path / "folder.jsonl")) == ["first", "second"]


def test_resume_after_kill_9(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = [f"k{i:03d}" for i in range(60)]
    write_jsonl(src, [{"id": i, "text": GOOD} for i in ids])
    proc = subprocess.Popen([QUOTES, "batch", "--workers", "1", "--input", str(src), "--output", str(dst)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (not dst.exists() or dst.read_text().count("\n") < 10):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the job and its workers die at once
    proc.wait()
    written = dst.read_text().count("\n")
    assert 10 <= written < len(ids)
    with open(dst, "a", encoding="utf-8") as f:
        f.write('{"documentId":"k0')  # a line torn by the kill
    summary = batch("--input", str(src), "--output", str(dst))
    out = jsonl(dst)  # every line is whole JSON
    assert sorted(r["documentId"] for r in out) == ids  # every id exactly once
    assert summary["skipped_done"] == written and summary["written"] == len(ids) - written


def test_through_running_services(tmp_path, server):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": f"r{i}", "text": GOOD if i != 3 else ""} for i in range(8)])
    summary = batch("--input", str(src), "--output", str(tmp_path / "out.jsonl"),
                    "--target", f"{server.target},{server.target}")
    assert sorted(r["documentId"] for r in jsonl(tmp_path / "out.jsonl")) == [f"r{i}" for i in range(8) if i != 3]
    assert [e["id"] for e in jsonl(tmp_path / "out.errors.jsonl")] == ["r3"]
    assert summary["written"] == 7 and summary["errors"] == 1


def test_unreachable_target_loses_no_row(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": f"u{i}", "text": GOOD} for i in range(3)])
    summary = batch("--input", str(src), "--output", str(tmp_path / "out.jsonl"), "--target", "localhost:1",
                    "--timeout", "5")
    errors = jsonl(tmp_path / "out.errors.jsonl")
    assert sorted(e["id"] for e in errors) == ["u0", "u1", "u2"]
    assert all(e["code"] == "UNAVAILABLE" for e in errors) and summary["errors"] == 3


@pytest.mark.ray
def test_ray_engine_with_two_actors(tmp_path):
    pytest.importorskip("ray")
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": f"y{i}", "text": GOOD if i != 1 else " "} for i in range(4)] + ["[1, 2]"])
    summary = batch("--input", str(src), "--output", str(tmp_path / "out.jsonl"), "--engine", "ray",
                    "--workers", "2")
    assert sorted(r["documentId"] for r in jsonl(tmp_path / "out.jsonl")) == ["y0", "y2", "y3"]
    assert sorted(e["id"] for e in jsonl(tmp_path / "out.errors.jsonl")) == ["line:5", "y1"]
    assert summary["written"] == 3

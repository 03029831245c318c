"""`quotes extract` and `quotes models`: JSON on stdout alone, logs and errors on stderr."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import QUOTES, SEED_DIR, SEED_NAME

pytestmark = pytest.mark.slow  # `quotes extract` in a subprocess


def test_extract_file_prints_one_json_document(tmp_path):
    out = subprocess.run([QUOTES, "extract", str(SEED_DIR / f"{SEED_NAME}.txt"), "--publisher", "RT", "--id", "s1",
                          "--log-format", "json", "--log-level", "info"], capture_output=True, text=True, check=True)
    response = json.loads(out.stdout)  # the whole of stdout is one JSON document
    assert response["documentId"] == "s1"
    assert len(response["quotes"]) == 14
    assert response["quotes"][0]["content"]["beginOffset"] == 170
    assert response["quotes"][0]["speaker"]["name"] == "Vladimir Putin"
    for line in out.stderr.splitlines():
        json.loads(line)  # every stderr line is a JSON log line


def test_extract_stdin_and_utf16():
    text = 'The 🦄 minister said: "We will build it."'
    out = subprocess.run([QUOTES, "extract", "-", "--encoding", "utf16"], input=text, capture_output=True,
                         text=True, check=True)
    [quote] = json.loads(out.stdout)["quotes"]
    encoded = text.encode("utf-16-le")
    begin, end = quote["content"]["beginOffset"], quote["content"]["endOffset"]
    assert encoded[2 * begin:2 * end].decode("utf-16-le") == "We will build it."


def test_extract_empty_input_is_a_clear_error():
    out = subprocess.run([QUOTES, "extract", "-"], input="  \n", capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert out.stdout == ""
    assert "empty" in out.stderr and "Traceback" not in out.stderr

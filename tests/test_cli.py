"""`quotes extract` and `quotes models`: JSON on stdout alone, logs and errors on stderr."""
from __future__ import annotations

import json
import subprocess
import sys

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


def test_extract_an_html_file_by_its_extension_and_html_from_stdin():
    html_file = SEED_DIR / f"{SEED_NAME}.html"
    out = subprocess.run([QUOTES, "extract", str(html_file), "--publisher", "RT"], capture_output=True, text=True,
                         check=True)
    response = json.loads(out.stdout)
    source = html_file.read_text("utf-8")
    assert len(response["quotes"]) == 14
    first = response["quotes"][0]["content"]
    assert source[first["beginOffset"]:first["endOffset"]].startswith("Assad&#39;s forces abandoned")
    page = '<p>The minister said: <q>We will <em>build</em> it.</q></p>'
    out = subprocess.run([QUOTES, "extract", "-", "--html", "--encoding", "utf8"], input=page, capture_output=True,
                         text=True, check=True)
    [quote] = json.loads(out.stdout)["quotes"]
    begin, end = quote["content"]["beginOffset"], quote["content"]["endOffset"]
    assert page.encode()[begin:end].decode() == "We will <em>build</em> it."
    assert quote["content"]["content"] == "We will build it."


def test_extract_format_html_writes_a_page():
    out = subprocess.run([QUOTES, "extract", str(SEED_DIR / f"{SEED_NAME}.txt"), "--format", "html"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("<!DOCTYPE html>") and out.stdout.count('<li id="q') == 14


def test_a_program_that_never_configures_logging_still_logs_to_stderr():
    # a benchmark or a user's script over EnginePool: stdout is for JSON, log lines go to stderr
    code = "from quotes_service.logs import get_logger; get_logger('quotes.workers').info('worker_ready', slot=0)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == ""
    assert "worker_ready" in done.stderr


def test_the_server_process_and_the_health_command_do_not_load_torch():
    # only engine workers load models: torch in the server's process cost ~180 MB and a second per health probe
    code = ("import sys, quotes_service.cli, quotes_service.server.app, quotes_service.workers; "
            "print(sorted(m for m in ('torch', 'stanza') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"

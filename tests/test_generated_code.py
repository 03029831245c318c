"""The generated protobuf code matches proto/ (regenerate with python clients/python/generate.py)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_generated_code_is_up_to_date():
    out = subprocess.run([sys.executable, str(ROOT / "clients" / "python" / "generate.py"), "--check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr


def test_every_field_and_enum_value_is_documented():
    lines = (ROOT / "proto" / "quotes" / "v1" / "quote_service.proto").read_text().splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        is_field = stripped.endswith(";") and "=" in stripped and not stripped.startswith(("syntax", "option"))
        is_decl = stripped.startswith(("message ", "enum ", "service ", "rpc "))
        if is_field or is_decl:
            assert lines[number - 1].strip().startswith("//"), f"line {number + 1} has no comment: {stripped}"

"""Code-point offsets -> the caller's encoding (UTF-8 bytes, UTF-16 code units or code points)."""
from __future__ import annotations

from itertools import accumulate

from quotes.v1 import quote_service_pb2 as pb


class OffsetMapper:
    """Maps code-point offsets of one text to the requested encoding; built once per response."""

    def __init__(self, text: str, encoding: int):
        self._table: list[int] | None = None
        if encoding == pb.ENCODING_TYPE_UTF8 and not text.isascii():
            self._table = [0, *accumulate(_utf8_len(ch) for ch in text)]
        elif encoding == pb.ENCODING_TYPE_UTF16 and any(ord(ch) > 0xFFFF for ch in text):
            self._table = [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]

    def __call__(self, offset: int) -> int:
        return offset if self._table is None else self._table[offset]


def _utf8_len(ch: str) -> int:
    cp = ord(ch)
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4

"""Where each character of a parsed text node lies in the HTML source.

The parser (justhtml) gives every text node its data and the source offset where it starts. The data is the
source with character references decoded, CR LF and CR turned into LF, NUL dropped or replaced; and one node
can gather text the parser read on both sides of markup that made no node of its own (a stray `</span>`, a
`<td>` outside a table, a comment or a cell of a table whose loose text the parser moved before it). `align`
walks the data and the source together from that start, character by character, and records for each
character of the data the source range [begin, end) it came from (a whole `&ldquo;` for one “). What lies
between is skipped by the HTML tokenizer's own rules for tags and comments (`markup_end`), or as the text of
another node. No regular expression reads the markup.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from html.entities import html5 as NAMED_REFERENCES

_LONGEST_NAME = max(len(name) for name in NAMED_REFERENCES)
_TAG_SPACE = "\t\n\f\r "


@dataclass
class Alignment:
    """The source range [begins[k], ends[k]) of each character k < placed of a text node's data (all of them,
    unless the source and the data part ways: the rest is then left out); `jumps`: the characters before which
    the node's text jumped over another node's text (a table's cells, for text the parser moved out of it)."""

    begins: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    placed: int = 0
    jumps: list[int] = field(default_factory=list)


def align(source: str, start: int, data: str, decode_references: bool,
          skip_text: Callable[[int], int | None]) -> Alignment:
    """Where the characters of `data` lie in `source`, read from `start`. `skip_text(i)` is where the text of
    another node that starts at source offset i ends, or None."""
    result = Alignment()
    begins, ends, jumps = result.begins, result.ends, result.jumps
    i, k, n, size = start, 0, len(data), len(source)
    while k < n and i < size:
        expected, found = data[k], source[i]
        if found == expected and not (found == "&" and decode_references):
            begins.append(i)
            i += 1
            ends.append(i)
            k += 1
            continue
        if found == "&" and decode_references:
            decoded, length = character_reference(source, i)
            if decoded and data.startswith(decoded, k):
                for _ in decoded:  # a reference that stands for two code points maps both to itself
                    begins.append(i)
                    ends.append(i + length)
                i += length
                k += len(decoded)
                continue
            if expected == "&":
                begins.append(i)
                i += 1
                ends.append(i)
                k += 1
                continue
            break
        if found == "\r" and expected == "\n":  # CR LF and a lone CR are one LF to the parser
            begins.append(i)
            i += 2 if source.startswith("\n", i + 1) else 1
            ends.append(i)
            k += 1
            continue
        if found == "\x00" and expected == "\ufffd":
            begins.append(i)
            i += 1
            ends.append(i)
            k += 1
            continue
        if found in "\r\n\x00":  # the newline that follows <pre>, a NUL the parser dropped
            i += 1
            continue
        other = skip_text(i)
        if other is not None and other > i:
            i = other
            if not jumps or jumps[-1] != k:
                jumps.append(k)
            continue
        end = markup_end(source, i)
        if end == i:
            break
        i = end
    result.placed = k
    return result


def character_reference(source: str, i: int) -> tuple[str, int]:
    """The characters a reference at source[i] == "&" stands for in text, and its length in the source;
    ("", 0) where the "&" is only an ampersand. HTML's rules: the longest known name, with or without its
    semicolon (&notit; is ¬ then "it;"); &#NNN; and &#xHH; with the standard's replacements (Python's
    html.unescape implements them)."""
    j = i + 1
    if source.startswith("#", j):
        k = j + 1
        hexadecimal = source.startswith(("x", "X"), k)
        if hexadecimal:
            k += 1
        digits = k
        while k < len(source) and (source[k] in "0123456789" or (hexadecimal and source[k] in "abcdefABCDEF")):
            k += 1
        if k == digits:
            return "", 0
        if source.startswith(";", k):
            k += 1
        return html.unescape(source[i:k]), k - i
    for length in range(min(_LONGEST_NAME, len(source) - j), 0, -1):
        name = source[j:j + length]
        if name in NAMED_REFERENCES:
            return NAMED_REFERENCES[name], length + 1
    return "", 0


def markup_end(source: str, i: int) -> int:
    """Where the tag, comment or declaration that starts at source[i] ends, as the HTML tokenizer reads it from
    its data state; `i` itself where source[i] starts no markup (a "<" followed by a space is text)."""
    if not source.startswith("<", i):
        return i
    nxt = source[i + 1:i + 2]
    if nxt == "!":
        if source.startswith("<!--", i):
            return _comment_end(source, i + 4)
        return _bogus_comment_end(source, i + 2)
    if nxt == "?":
        return _bogus_comment_end(source, i + 2)
    if nxt == "/":
        after = source[i + 2:i + 3]
        if after.isascii() and after.isalpha():
            return _tag_end(source, i + 3)
        if after == ">":
            return i + 3  # "</>" is dropped
        if after == "":
            return i  # "</" at the end is text
        return _bogus_comment_end(source, i + 2)
    if nxt.isascii() and nxt.isalpha():
        return _tag_end(source, i + 2)
    return i


def _comment_end(source: str, i: int) -> int:
    if source.startswith(">", i):
        return i + 1  # <!-->
    if source.startswith("->", i):
        return i + 2  # <!--->
    ends = [e + len(close) for close in ("-->", "--!>") if (e := source.find(close, i)) >= 0]
    return min(ends) if ends else len(source)


def _bogus_comment_end(source: str, i: int) -> int:
    end = source.find(">", i)
    return len(source) if end < 0 else end + 1


# The tokenizer's states inside a tag, after its first letter: only a quoted attribute value hides a ">".
_NAME, _BEFORE_ATTRIBUTE, _ATTRIBUTE, _AFTER_ATTRIBUTE, _BEFORE_VALUE, _DOUBLE, _SINGLE, _UNQUOTED, \
    _AFTER_QUOTED, _SELF_CLOSING = range(10)


def _tag_end(source: str, i: int) -> int:
    state = _NAME
    n = len(source)
    while i < n:
        c = source[i]
        i += 1
        if state == _DOUBLE or state == _SINGLE:
            if c == ('"' if state == _DOUBLE else "'"):
                state = _AFTER_QUOTED
        elif c == ">":
            return i
        elif c == "/" and state not in (_BEFORE_VALUE, _UNQUOTED):
            state = _SELF_CLOSING
        elif c in _TAG_SPACE:
            if state in (_NAME, _UNQUOTED, _AFTER_QUOTED, _SELF_CLOSING):
                state = _BEFORE_ATTRIBUTE
            elif state == _ATTRIBUTE:
                state = _AFTER_ATTRIBUTE
        elif state == _BEFORE_VALUE:
            state = _DOUBLE if c == '"' else _SINGLE if c == "'" else _UNQUOTED
        elif c == "=" and state in (_ATTRIBUTE, _AFTER_ATTRIBUTE):
            state = _BEFORE_VALUE
        elif state in (_BEFORE_ATTRIBUTE, _AFTER_ATTRIBUTE, _AFTER_QUOTED, _SELF_CLOSING):
            state = _ATTRIBUTE  # a name starts (even with "=", after a space)
    return n  # a tag cut off by the end of the source is dropped, as the tokenizer does

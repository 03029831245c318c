"""The quote_marks stage: direct-quote spans from quotation marks alone (no model).

Marks are paired per paragraph with a stack, deciding for each mark whether it can open or close from
the characters around it (like CommonMark's flanking rules). Apostrophes (Assad's, I’ve, ’90s,
rock 'n' roll) never open a quote. A double quote left open at the end of a paragraph continues when the
next paragraph opens again (news style: each paragraph reopens, only the last closes); otherwise it ends
with its paragraph, so an unbalanced mark never swallows the rest of the document.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .types import Span

DOUBLE = {'"': "either", "\u201c": "open", "\u201d": "close", "\u201e": "open", "\u201f": "open",
          "\u00ab": "guillemet", "\u00bb": "guillemet", "\uff02": "either"}
SINGLE = {"'": "either", "\u2018": "open", "\u2019": "close", "\u201a": "open", "\u201b": "open",
          "\u2039": "guillemet", "\u203a": "guillemet"}
ALL_MARKS = frozenset(DOUBLE) | frozenset(SINGLE)
# Words that follow an eliding apostrophe: rock 'n' roll, 'em, 'til, 'cause.
_ELISIONS = ("n'", "n\u2019", "em ", "til ", "tis ", "twas ", "cause ", "bout ", "round ", "nuff ")
_OPENING_PUNCT = set("([{<\u2014\u2013-/") | ALL_MARKS


@dataclass
class QuoteSpan:
    """Quotation marks around a stretch of one paragraph."""

    content: Span  # between the marks, trimmed of white space
    open_mark: Span
    close_mark: Span | None  # None: the quote runs on into the next paragraph, or was never closed
    paragraph_index: int
    continues_previous: bool = False  # this paragraph reopens a quote of the previous paragraph
    continues_next: bool = False  # the next paragraph reopens this quote


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch == ""


def _is_punct(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "PS"


def _is_apostrophe(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():  # Assad's, I've, rock'n'roll, 5'10
        return True
    if nxt.isdigit() and i + 2 < len(text) and text[i + 2].isdigit() and not (i + 3 < len(text) and text[i + 3].isdigit()):
        return True  # '90s, ’16
    if _is_space(prev) or _is_punct(prev):
        rest = text[i + 1:i + 8].lower()
        if any(rest.startswith(e) for e in _ELISIONS) or rest.rstrip() in ("n", "em", "til", "cause"):
            return True
    # the closing mark of 'n'
    return prev.lower() == "n" and i >= 2 and text[i - 2] in "'\u2018\u2019" and _is_space(nxt)


def _flanking(text: str, i: int) -> tuple[bool, bool]:
    """(can open, can close) from the neighbours of the mark at i."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    can_open = not _is_space(nxt) and (_is_space(prev) or prev in _OPENING_PUNCT)
    can_close = not _is_space(prev) and (_is_space(nxt) or _is_punct(nxt))
    return can_open, can_close


def _role(text: str, i: int, stack: list[tuple[int, str, bool]]) -> str | None:
    """'open', 'close' or None (not a quotation mark here) for the mark at i."""
    ch = text[i]
    double = ch in DOUBLE
    kind = DOUBLE[ch] if double else SINGLE[ch]
    if not double and _is_apostrophe(text, i):
        return None
    can_open, can_close = _flanking(text, i)
    family_open = any(d == double for _, _, d in stack)
    if kind == "open":
        if can_close and not can_open and family_open:
            return "close"  # a misused opening mark
        return "open" if (can_open or not can_close) else None
    if kind == "close":
        if family_open and (can_close or not can_open):
            return "close"
        if double and can_open and not can_close:
            return "open"  # Swedish style, or a misused closing mark
        return None
    if kind == "guillemet":
        opener = "\u00ab" if double else "\u2039"
        if family_open and any(text[p] != ch for p, _, d in stack if d == double):
            return "close"
        return "open" if (ch == opener or can_open) else "close"
    # a straight mark: decide by its neighbours, then by what is open
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close" if (double or family_open) else None
    if family_open:
        return "close"
    return "open" if double else None


def find_quote_spans(text: str, paragraphs: list[Span]) -> list[QuoteSpan]:
    """Top-level quotations of every paragraph (quotes inside quotes stay part of the outer one)."""
    found: list[QuoteSpan] = []
    carry = False  # the previous paragraph ended inside a double quote
    for p_index, para in enumerate(paragraphs):
        stack: list[tuple[int, str, bool]] = []  # (position, role, is double)
        reopened = False
        if carry:
            first = para.begin
            if text[first] in DOUBLE and _role(text, first, []) == "open":
                reopened = True
            else:
                found[-1].continues_next = False
        carry = False
        for i in range(para.begin, para.end):
            ch = text[i]
            if ch not in ALL_MARKS:
                continue
            role = _role(text, i, stack)
            if role == "open":
                stack.append((i, role, ch in DOUBLE))
            elif role == "close":
                double = ch in DOUBLE
                while stack and stack[-1][2] != double:  # an inner quote that never closed
                    stack.pop()
                if not stack:
                    continue
                start, _, _ = stack.pop()
                if not stack:
                    _add(found, text, start, i, p_index, double, reopened and start == para.begin)
        # what stays open at the paragraph end
        outer = next((s for s in stack if s[2]), None) or (stack[0] if stack else None)
        if outer is not None and outer[2]:
            start = outer[0]
            _add(found, text, start, None, p_index, True, reopened and start == para.begin, end=para.end)
            nxt = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            if nxt is not None and text[nxt.begin] in DOUBLE:
                found[-1].continues_next = True
                carry = True
    return [q for q in found if len(q.content)]


def _add(found: list[QuoteSpan], text: str, start: int, close: int | None, p_index: int, double: bool,
         continues_previous: bool, end: int | None = None) -> None:
    b, e = start + 1, close if close is not None else end
    assert e is not None
    while b < e and text[b].isspace():
        b += 1
    while e > b and text[e - 1].isspace():
        e -= 1
    found.append(QuoteSpan(Span(b, e), Span(start, start + 1), Span(close, close + 1) if close is not None else None,
                           p_index, continues_previous=continues_previous))

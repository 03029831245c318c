"""From the tagger's tags to attributions: spans of words, then each cue linked to its content and source.

PolNeAR's attributions are univocal (a word belongs to at most one), and a cue's source and content sit
beside it: "SRC CUE CON" ("Putin said they ..."), "CON, SRC CUE" ("..., he said"), "CON, CUE SRC" ("...,
said Putin"), "CUE SRC, CON" ("According to the BBC, ..."). So each cue takes the nearest free content of
its chunk and the nearest free source of its sentence, the closest pairs of the chunk first; a content no
cue takes is dropped (it has no attribution), as is a source.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .tags import TAGS


@dataclass(frozen=True)
class WordSpan:
    role: str  # SRC, CUE or CON
    first: int  # word indexes in the chunk, inclusive
    last: int


@dataclass(frozen=True)
class LinkedAttribution:
    cue: WordSpan
    content: WordSpan
    source: WordSpan | None


def spans(tags: Sequence[int]) -> list[WordSpan]:
    """Runs of one role; an I- tag after another role starts a run (the tagger's BIO slips are repaired)."""
    out: list[WordSpan] = []
    start, role = -1, ""
    for i, tag in enumerate(list(tags) + [0]):
        name = TAGS[tag]
        prefix, _, r = name.partition("-")
        if start >= 0 and (prefix != "I" or r != role):
            out.append(WordSpan(role, start, i - 1))
            start, role = -1, ""
        if prefix in ("B", "I") and start < 0:
            start, role = i, r
    return out


def link(found: Sequence[WordSpan], sentence_of_word: Sequence[int]) -> list[LinkedAttribution]:
    cues = [s for s in found if s.role == "CUE"]
    contents = _pairs(cues, [s for s in found if s.role == "CON"])
    sources = _pairs(cues, [s for s in found if s.role == "SRC" and any(
        sentence_of_word[s.first] == sentence_of_word[c.first] or sentence_of_word[s.first] == sentence_of_word[c.last]
        for c in cues)], same_sentence=sentence_of_word)
    return [LinkedAttribution(c, contents[c], sources.get(c)) for c in cues if c in contents]


def _pairs(cues: Sequence[WordSpan], spans: Sequence[WordSpan],
           same_sentence: Sequence[int] | None = None) -> dict[WordSpan, WordSpan]:
    """Each cue's span, the closest pairs first across all cues ("..., stating that A, which explains B": "which"
    is the source of "explains" beside it, not of "stating")."""
    candidates = sorted(((_gap(c, s), s.first < c.first, i, j) for i, c in enumerate(cues) for j, s in enumerate(spans)
                         if same_sentence is None or same_sentence[s.first] in (same_sentence[c.first],
                                                                                 same_sentence[c.last])))
    taken_cues: set[int] = set()
    taken_spans: set[int] = set()
    out = {}
    for _, _, i, j in candidates:
        if i not in taken_cues and j not in taken_spans:
            taken_cues.add(i)
            taken_spans.add(j)
            out[cues[i]] = spans[j]
    return out


def _gap(a: WordSpan, b: WordSpan) -> int:
    return b.first - a.last if b.first > a.last else a.first - b.last

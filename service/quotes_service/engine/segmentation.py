"""The segment stage: paragraphs (blocks between line breaks), then stanza's sentences and tokens inside each.

Offsets always index the caller's original string: nothing is normalised, so tabs, non-breaking spaces,
CRLF and emoji keep their places.
"""
from __future__ import annotations

import re

from .nlp import StanzaNLP, TaggedSentence
from .types import Span

# Line breaks as Python's str.splitlines() knows them: a paragraph never crosses one.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines, trimmed of surrounding white space."""
    spans, start = [], 0
    for m in _LINE_BREAK.finditer(text):
        spans.append(_trim(text, start, m.start()))
        start = m.end()
    spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s is not None]


def _trim(text: str, begin: int, end: int) -> Span | None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return Span(begin, end) if begin < end else None


def segment(nlp: StanzaNLP, text: str, paras: list[Span]) -> list[TaggedSentence]:
    """Sentences of every paragraph, in text order, with token and word offsets."""
    tokenized = nlp.tokenize([(p.begin, p.text(text)) for p in paras])
    sentences: list[TaggedSentence] = []
    for p_index, para_sentences in enumerate(tokenized):
        for tokens, words in para_sentences:
            if not tokens:
                continue
            span = Span(tokens[0].begin, tokens[-1].end)
            sentences.append(TaggedSentence(len(sentences), p_index, span, tokens, words))
    return sentences

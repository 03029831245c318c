"""What the attribution tagger sees of each word: ids of small categorical features, computed the same way
for training (service/training/attribution.py) and in the engine.

A chunk is a run of whole sentences of one paragraph (at most MAX_CHUNK_WORDS words), the unit the tagger
reads: news paragraphs hold one to three sentences, and an attribution rarely leaves its paragraph.
"""
from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..lexicon import cue_lexicon
from ..nlp import TaggedSentence, Word
from ..quote_marks import QuoteSpan
from ..types import QuoteType, Span

MAX_CHUNK_WORDS = 160
SUFFIX_BUCKETS = 2048
UPOS = ("NONE", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
NER = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
# The rules' own finding for a word: part of a quote's source, cue or content (by quote type).
RULE_TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-DIRECT", "I-DIRECT", "B-INDIRECT", "I-INDIRECT",
             "B-MIXED", "I-MIXED")
_UPOS_IDS = {tag: i for i, tag in enumerate(UPOS)}
_NER_IDS: dict[str, int] = {"O": 0}  # a tag's id, as _ner_id reads it, once seen
FEATURES = ("word", "suffix", "shape", "quote", "lexicon", "ner", "upos", "rule", "start")
SIZES = {"suffix": SUFFIX_BUCKETS, "shape": 7, "quote": 4, "lexicon": 5, "ner": len(NER), "upos": len(UPOS),
         "rule": len(RULE_TAGS), "start": 3}


@dataclass
class RuleQuote:
    """A quote the rules found, as the tagger sees it."""

    type: QuoteType
    content: Span
    cue: Span | None
    source: Span | None


@dataclass
class Chunk:
    paragraph_index: int
    words: list[Word]
    sentence_of_word: list[int]  # index of each word's sentence in the document
    ids: dict[str, list[int]]  # feature name -> one id per word


def chunks(text: str, sentences: Sequence[TaggedSentence], quote_spans: Sequence[QuoteSpan],
           rule_quotes: Sequence[RuleQuote], vocab: dict[str, int]) -> list[Chunk]:
    """The document's words, cut into chunks, with their feature ids."""
    quote_of = _quote_roles(text, quote_spans)
    rule_of = _rule_roles(text, rule_quotes)
    of_text: dict[str, tuple[int, int, int, int]] = {}  # word -> its ids that depend on its text alone
    out: list[Chunk] = []
    current: Chunk | None = None
    for sent in sentences:
        if current is None or current.paragraph_index != sent.paragraph_index or \
                len(current.words) + len(sent.words) > MAX_CHUNK_WORDS:
            current = Chunk(sent.paragraph_index, [], [], {name: [] for name in FEATURES})
            out.append(current)
        words = sent.words
        of_words = [of_text.get(w.text) or of_text.setdefault(w.text, _text_ids(w.text, vocab)) for w in words]
        current.words.extend(words)
        current.sentence_of_word.extend([sent.index] * len(words))
        ids = current.ids
        ids["word"].extend([t[0] for t in of_words])
        ids["suffix"].extend([t[1] for t in of_words])
        ids["shape"].extend([t[2] for t in of_words])
        ids["quote"].extend([quote_of(w.span) for w in words])
        ids["lexicon"].extend([t[3] for t in of_words])
        ids["ner"].extend([_NER_IDS[w.ner] if w.ner in _NER_IDS else _ner_id(w.ner) for w in words])
        ids["upos"].extend([_UPOS_IDS.get(w.upos, 0) for w in words] if sent.parsed else [0] * len(words))
        ids["rule"].extend([rule_of(w.span) for w in words])
        ids["start"].extend([1] + [2] * (len(words) - 1) if words else [])
    return out


def _text_ids(word: str, vocab: dict[str, int]) -> tuple[int, int, int, int]:
    """The ids that depend on a word's text alone: word, suffix, shape, lexicon."""
    return (_word_id(word, vocab), 1 + zlib.crc32(word[-3:].lower().encode()) % (SUFFIX_BUCKETS - 1),
            _shape(word), _lexicon_class(word))


def _word_id(word: str, vocab: dict[str, int]) -> int:
    low = word.lower().replace("\u2019", "'")
    return vocab.get(low, vocab.get(word.lower(), 1))  # 1: stanza's <UNK>


def _shape(word: str) -> int:
    if not any(c.isalnum() for c in word):
        return 5
    if any(c.isdigit() for c in word):
        return 4
    if word.islower():
        return 1
    if word.isupper() and len(word) > 1:
        return 3
    if word[:1].isupper():
        return 2
    return 6


def _lexicon_class(word: str) -> int:
    lex = cue_lexicon()
    low = word.lower()
    if low == "according":
        return 4
    if low in lex["naming"]:
        return 3
    lemma = lex["forms"].get(low)
    if lemma is None:
        return 0
    return 1 if lemma in lex["speech"] else 2


def _ner_id(tag: str) -> int:
    prefix, _, label = tag.partition("-")
    label = {"PERSON": "PER", "GPE": "LOC"}.get(label, label)
    if prefix == "O" or not label:
        return 0
    name = ("B-" if prefix in ("B", "S") else "I-") + label
    return _NER_IDS.setdefault(tag, NER.index(name) if name in NER else 0)


def _quote_roles(text: str, quote_spans: Sequence[QuoteSpan]) -> Callable[[Span], int]:
    """word span -> 1 outside quotation marks, 2 inside a quotation, 3 a quotation mark of one. One byte per
    character, so the cost stays linear in the text."""
    role_at = bytearray(b"\x01") * (len(text) + 1)
    for q in quote_spans:
        role_at[q.content.begin:q.content.end] = b"\x02" * len(q.content)
    for q in quote_spans:
        for mark in (q.open_mark, q.close_mark):
            if mark is not None and len(mark):
                role_at[mark.begin:mark.end] = b"\x03" * len(mark)

    def role(span: Span) -> int:
        return max(role_at[span.begin:span.end]) if span.end > span.begin else 1
    return role


def _rule_roles(text: str, rule_quotes: Sequence[RuleQuote]) -> Callable[[Span], int]:
    """word span -> its RULE_TAGS id: B- on the first word of a rule span, I- on the next ones."""
    spans: list[tuple[Span, str]] = []
    for q in rule_quotes:  # later spans win: a cue or source inside a content is tagged as such
        spans.append((q.content, q.type.name))
    for q in rule_quotes:
        if q.cue is not None:
            spans.append((q.cue, "CUE"))
        if q.source is not None:
            spans.append((q.source, "SRC"))
    owner = array("i", [-1]) * (len(text) + 1)
    for k, (s, _) in enumerate(spans):
        owner[s.begin:s.end] = array("i", [k]) * len(s)
    last = [-1]

    def role(span: Span) -> int:
        k = owner[span.begin] if span.end > span.begin else -1
        previous, last[0] = last[0], k
        if k < 0:
            return 0
        return RULE_TAGS.index(("I-" if previous == k else "B-") + spans[k][1])
    return role

"""Which sentences the expensive models see: tags and a parse only where a cue can be, NER only where a
name can be. Most of the engine's speed comes from what this leaves out (see the README's numbers).

A sentence is parsed when it has a reporting word outside quotation marks (data/cue_forms.json, learned by
service/training/cue_forms.py, says which words are worth it); NER skips a sentence whose only capital
letter is on a first function word ("The", "He", "But").

A sentence longer than MAX_PARSE_WORDS is not parsed at all (the parser's cost grows with the square of a
sentence's length, its tree decoder's faster still), and NER sees it in windows of that many words, so
that the work stays linear in the text whatever its sentences look like.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from .lexicon import FUNCTION_WORDS, cue_lexicon
from .nlp import StanzaNLP, TaggedSentence, Word
from .quote_marks import QuoteSpan
from .types import Span

NAMING_QUOTE_WITHIN_CHARS = 60  # a quotation this close after "called" may be what was called
# The longest sentence tagged and parsed, in words. Of the 34,461 sentences of PolNeAR train and dev (as the
# engine tokenizes them) 99.9 % have at most 82 words and the longest has 220 (a list of names); a run-on
# "sentence" of thousands of words (nested quotations, text without full stops) is no news sentence.
MAX_PARSE_WORDS = 250


def select_and_parse(nlp: StanzaNLP, text: str, tokenized: list[TaggedSentence],
                     quote_spans: list[QuoteSpan]) -> list[TaggedSentence]:
    """The document's sentences, tagged and parsed where `needs_parse`, NER-tagged where `may_name`.
    They are copies: the tokenized sentences stay as segmentation made them."""
    sentences = [_untagged_copy(s) for s in tokenized]
    quoted = QuotedSpans([q.content for q in quote_spans])
    nlp.parse([s for s in sentences if len(s.words) <= MAX_PARSE_WORDS and needs_parse(s, quoted)])
    nlp.ner([window for s in sentences if may_name(text, s) for window in _windows(s, MAX_PARSE_WORDS)])
    return sentences


class QuotedSpans:
    """The contents of quotations, for asking in O(log n) whether one covers a word or opens just after it."""

    def __init__(self, spans: Sequence[Span]):
        self.spans = sorted(spans)
        self.begins = [s.begin for s in self.spans]
        self.max_ends = list(accumulate((s.end for s in self.spans), max))  # of the spans up to each one

    def covers(self, span: Span) -> bool:
        i = bisect_right(self.begins, span.begin) - 1  # the spans from 0 to i begin at or before span
        return i >= 0 and self.max_ends[i] >= span.end

    def opens_within(self, position: int, chars: int) -> bool:
        """Whether a quotation begins after `position` and at most `chars` characters later."""
        i = bisect_right(self.begins, position)
        return i < len(self.begins) and self.begins[i] <= position + chars


def needs_parse(sent: TaggedSentence, quoted: QuotedSpans | Sequence[Span]) -> bool:
    """Only a sentence with a reporting word outside quotation marks needs tags and a parse."""
    return bool(parse_triggers(sent, quoted))


def parse_triggers(sent: TaggedSentence, quoted: QuotedSpans | Sequence[Span]) -> set[str]:
    """The words that make a sentence worth parsing: reporting words outside quotation marks (cues inside
    quoted speech are not the document's, and a quotation needs a cue outside it to be attributed), and a
    verb of naming only with a quotation opening just after it ('called him a "nasty guy"')."""
    lex = cue_lexicon()
    index = quoted if isinstance(quoted, QuotedSpans) else QuotedSpans(quoted)
    found = set()
    for w in sent.words:
        low = w.text.lower()
        if index.covers(w.span):
            continue
        if low in lex["triggers"] or low == "according" or (
                low in lex["naming"] and index.opens_within(w.span.end, NAMING_QUOTE_WITHIN_CHARS)):
            found.add(low)
    return found


def may_name(text: str, sent: TaggedSentence) -> bool:
    """Whether NER can find anything: names are capitalised, so a sentence whose only capital letter is
    on a first word like "The", "He" or "But" has none and skips the tagger."""
    first = sent.words[0].text.lower() if sent.words else ""
    rest = text[sent.words[1].span.begin:sent.span.end] if len(sent.words) > 1 else ""
    return first not in FUNCTION_WORDS or any(ch.isupper() for ch in rest)


def _windows(sent: TaggedSentence, size: int) -> list[TaggedSentence]:
    """The sentence itself, or for a longer one pieces of `size` words that share its Word objects (the tags
    a model gives a piece land on the sentence's words)."""
    if len(sent.words) <= size:
        return [sent]
    return [TaggedSentence(sent.index, sent.paragraph_index, sent.span, sent.tokens, sent.words[i:i + size])
            for i in range(0, len(sent.words), size)]


def _untagged_copy(sent: TaggedSentence) -> TaggedSentence:
    return TaggedSentence(sent.index, sent.paragraph_index, sent.span, list(sent.tokens),
                          [Word(w.text, w.span) for w in sent.words])

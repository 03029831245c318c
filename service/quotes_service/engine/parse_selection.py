"""Which sentences the expensive models see: tags and a parse only where a cue can be, NER only where a
name can be. Most of the engine's speed comes from what this leaves out (see the README's numbers).

A sentence is parsed when it has a reporting word outside quotation marks (data/cue_forms.json, learned by
service/training/cue_forms.py, says which words are worth it); NER skips a sentence whose only capital
letter is on a first function word ("The", "He", "But").
"""
from __future__ import annotations

from .lexicon import FUNCTION_WORDS, cue_lexicon
from .nlp import StanzaNLP, TaggedSentence, Word
from .quote_marks import QuoteSpan
from .types import Span

NAMING_QUOTE_WITHIN_CHARS = 60  # a quotation this close after "called" may be what was called


def select_and_parse(nlp: StanzaNLP, text: str, tokenized: list[TaggedSentence],
                     quote_spans: list[QuoteSpan]) -> list[TaggedSentence]:
    """The document's sentences, tagged and parsed where `needs_parse`, NER-tagged where `may_name`.
    They are copies: the tokenized sentences stay as segmentation made them."""
    sentences = [_untagged_copy(s) for s in tokenized]
    quoted = [q.content for q in quote_spans]
    nlp.parse([s for s in sentences if needs_parse(s, quoted)])
    nlp.ner([s for s in sentences if may_name(text, s)])
    return sentences


def needs_parse(sent: TaggedSentence, quoted: list[Span]) -> bool:
    """Only a sentence with a reporting word outside quotation marks needs tags and a parse."""
    return bool(parse_triggers(sent, quoted))


def parse_triggers(sent: TaggedSentence, quoted: list[Span]) -> set[str]:
    """The words that make a sentence worth parsing: reporting words outside quotation marks (cues inside
    quoted speech are not the document's, and a quotation needs a cue outside it to be attributed), and a
    verb of naming only with a quotation opening just after it ('called him a "nasty guy"')."""
    lex = cue_lexicon()
    found = set()
    for w in sent.words:
        low = w.text.lower()
        if any(q.contains(w.span) for q in quoted):
            continue
        if low in lex["triggers"] or low == "according" or (
                low in lex["naming"] and any(0 < q.begin - w.span.end <= NAMING_QUOTE_WITHIN_CHARS for q in quoted)):
            found.add(low)
    return found


def may_name(text: str, sent: TaggedSentence) -> bool:
    """Whether NER can find anything: names are capitalised, so a sentence whose only capital letter is
    on a first word like "The", "He" or "But" has none and skips the tagger."""
    first = sent.words[0].text.lower() if sent.words else ""
    rest = text[sent.words[1].span.begin:sent.span.end] if len(sent.words) > 1 else ""
    return first not in FUNCTION_WORDS or any(ch.isupper() for ch in rest)


def _untagged_copy(sent: TaggedSentence) -> TaggedSentence:
    return TaggedSentence(sent.index, sent.paragraph_index, sent.span, list(sent.tokens),
                          [Word(w.text, w.span) for w in sent.words])

"""The Cue record and what every cue rule reads off a parsed sentence: subtrees, word spans, mentions."""
from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import PERSON_HEADS, THING_HEADS, UNNAMED_HEADS, cue_lexicon
from ..nlp import TaggedSentence, Word
from ..types import Span

SUBJECT_RELS = ("nsubj", "nsubj:outer")
_EDGE_RELS = {"punct", "cc"}
_LEADING_MARKS = {"that"}
QUOTE_MARKS = {'"', "\u201c", "\u201d", "''", "``"}
_FINITE_XPOS = {"VBD", "VBZ", "VBP", "MD", "VBN"}  # VBN: the tagger often takes a past tense for one
# Verbs whose object is the one spoken to ("told reporters"), not the speaker.
ADDRESSEE_LEMMAS = {"tell", "inform", "assure", "remind", "warn", "advise", "ask", "promise", "urge"}


@dataclass
class Cue:
    sentence: TaggedSentence
    head: int  # the cue's main word (the verb, or "according")
    span: Span  # the cue words
    lemma: str
    source: int | None  # head word of the source mention
    source_span: Span | None
    content: Span | None  # the reported words (None: the cue frames a direct quote nearby)
    content_words: frozenset[int]
    inverted: bool = False  # the content comes before the cue ("..., Putin said")
    belief: bool = False


def subtree(sent: TaggedSentence, i: int) -> set[int]:
    out, todo = set(), [i]
    while todo:
        j = todo.pop()
        if j not in out:
            out.add(j)
            todo.extend(sent.children[j])
    return out


def words_span(sent: TaggedSentence, idxs: set[int] | list[int]) -> Span | None:
    """The characters of the contiguous run of words from the first to the last index, trimmed of edge
    punctuation and a leading complementizer."""
    if not idxs:
        return None
    lo, hi = min(idxs), max(idxs)
    words = sent.words
    while lo <= hi and (words[lo].deprel in _EDGE_RELS or words[lo].upos == "PUNCT"
                        or (words[lo].deprel == "mark" and words[lo].text.lower() in _LEADING_MARKS)):
        lo += 1
    while hi >= lo and (words[hi].upos == "PUNCT" or words[hi].deprel == "cc"):
        hi -= 1
    if lo > hi:
        return None
    return Span(words[lo].span.begin, words[hi].span.end)


def closes_quote(sent: TaggedSentence, j: int) -> bool:
    """A closing quotation mark: a typographic one, or a straight one with space after it."""
    w = sent.words[j]
    if w.text in ("\u201d", "''"):
        return True
    return w.text == '"' and j > 0 and (j + 1 == len(sent.words) or sent.words[j + 1].span.begin > w.span.end)


def is_finite(word: Word) -> bool:
    """A verb that can head a clause of its own ("said", "is", "will"), as the tagger sees it."""
    return word.xpos in _FINITE_XPOS and word.upos in ("VERB", "AUX")


def says(word: Word) -> bool:
    """A verb of saying, by lemma."""
    return word.lemma.lower() in cue_lexicon()["speech"]


def may_speak(word: Word) -> bool:
    """A word that can be a source: a name, a pronoun, a person, an unnamed source or a document."""
    low = word.text.lower()
    return word.upos in ("PROPN", "PRON") or low in PERSON_HEADS or low in UNNAMED_HEADS or low in THING_HEADS


def mention_span(sent: TaggedSentence, head: int, exclude: set[int] | frozenset[int] = frozenset()) -> Span | None:
    """The mention headed by `head`: its subtree without `exclude`, cut to the contiguous run around it,
    without a leading preposition or conjunction the parser left in it ("after Trump")."""
    idxs = subtree(sent, head) - set(exclude)
    lo = hi = head
    while lo - 1 in idxs:
        lo -= 1
    while lo < head and sent.words[lo].deprel in ("mark", "case", "cc", "advmod"):
        lo += 1
    while hi + 1 in idxs:
        hi += 1
    return words_span(sent, [lo, hi])

"""Verbs of naming with a quotation: 'Trump called the senator a "nasty guy"', 'called for "a total shutdown"'.

The quoted words are the subject's; the report runs from the verb's object (or after "for"/"on") to the
end of the quotation, and of the quotations chained to it ('a "nasty guy," an "anchor baby" and "sick"').
Without a quotation close by, naming is no cue: "a group called Citizens United" names, it reports nothing.
"""
from __future__ import annotations

from ..nlp import TaggedSentence
from ..types import Span
from .spans import QUOTE_MARKS, SUBJECT_RELS, Cue, closes_quote
from .verbs import source_mention

QUOTE_WITHIN_WORDS = 8  # an opening mark at most this many words after the verb
_LINKS_BETWEEN_QUOTES = 3  # ', an', 'and': words that chain one quotation to the next
_PARTICLES = {"for", "on", "out"}


def naming_cue(sent: TaggedSentence, i: int, lemma: str) -> Cue | None:
    words = sent.words
    if words[i].deprel in ("acl", "amod") or any(words[k].deprel in ("aux:pass", "nsubj:pass")
                                                 for k in sent.children[i]):
        return None  # "a group called ...", "he was called ...": no one speaks
    subjects = [k for k in sent.children[i] if words[k].deprel in SUBJECT_RELS and k < i]
    if not subjects:
        return None
    start = i + 1
    if start < len(words) and words[start].text.lower() in _PARTICLES:
        start += 1  # 'called for "..."': the demand starts after the particle
    end = _quotations_end(sent, start)
    if end is None:
        return None
    content_words = frozenset(range(start, end + 1))
    source, span = source_mention(sent, i, subjects[-1])
    content = Span(words[start].span.begin, words[end].span.end)
    return Cue(sent, i, words[i].span, lemma, source, span, content, content_words)


def _quotations_end(sent: TaggedSentence, start: int) -> int | None:
    """The closing mark of the last quotation in a chain opening within QUOTE_WITHIN_WORDS of `start`."""
    words = sent.words
    opening = next((j for j in range(start, min(len(words), start + QUOTE_WITHIN_WORDS)) if _opens(sent, j)), None)
    if opening is None or any(words[j].text in (",", ";", ":") or (  # 'called on X to release "..."' is one
            words[j].upos in ("VERB", "AUX") and words[j - 1].text.lower() != "to") for j in range(start, opening)):
        return None  # 'called bigwigs to the stage, singing "It's Our Time"': another clause's quotation
    end = None
    while opening is not None:
        closing = next((j for j in range(opening + 1, len(words)) if closes_quote(sent, j)), None)
        if closing is None:
            return end
        end = closing
        links = range(closing + 1, min(len(words), closing + 2 + _LINKS_BETWEEN_QUOTES))
        opening = next((j for j in links if _opens(sent, j)), None)
        if opening is not None and any(words[j].upos in ("VERB", "AUX") for j in range(closing + 1, opening)):
            break
    return end


def _opens(sent: TaggedSentence, j: int) -> bool:
    """An opening quotation mark: a quotation mark that does not close."""
    return sent.words[j].text in QUOTE_MARKS and not closes_quote(sent, j)

"""Which of the tagger's attributions are quotes, and their spans as the product draws them.

PolNeAR, which the tagger learned from, annotates more than speech: what people believe or want, what they
were asked, whose comment something was. A quote service reports speech and writing (and their summaries:
"criticized the plan", "declined to comment"), so these are left out:

  He believes / wants / hopes ...                 a private state
  He was asked about Austin Tice                  in the passive, the subject is spoken to or of, never
  He was called "a liar" by his rivals            the speaker ("was quoted by Le Monde as saying" frames
                                                  the saying, whose speaker is the subject)
  This is Putin's first comment about Assad       a cue noun the source owns, no report
  On whether he would ask Assad ...               a report inside a question or a condition
  ..., which explains the speed of the defeat     a relative pronoun that stands for a clause, no speaker
  A group called "Citizens United" sued           a participle that describes a noun: naming, no report

and a report's span follows the engine's conventions: no leading "that", no trailing comma or period.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..lexicon import private_state_forms
from ..nlp import TaggedSentence
from ..types import Span

_PASSIVE = {"was", "were", "been", "being", "is", "are", "be", "am", "get", "got", "gets"}
_ADDRESSEE_FORMS = {"asked", "told", "urged", "warned", "informed", "advised", "reminded", "assured", "pressed",
                    "questioned", "promised"}
_RELATIVE = {"which", "that"}
_CONDITIONS = {"whether", "if", "unless"}
_TRAILING = " \t\r\n\u00a0,.;:"
# "on Truth Social that ...", "in an interview on Monday that ...": a phrase of the cue before the report
_LEADING_ADJUNCT = re.compile(r"(?:on|in|to|during|at|after|before|with|from|via|through|by)\s+(?:[^\s,;:\"\u201c]+\s+)"
                              r"{0,7}?that\s+(?=\S)", re.IGNORECASE)


def in_scope(sent: TaggedSentence, cue_words: Sequence[int], source_words: Sequence[int], head: int) -> bool:
    words = sent.words
    cue = [words[i].text.lower() for i in cue_words]
    if sent.parsed and words[head].deprel in ("acl", "amod") and words[head].xpos == "VBN":
        return False
    if any(w in private_state_forms() for w in cue):
        return False
    if _passive(sent, cue_words, head):
        if words[head].text.lower() in ("quoted", "cited"):
            return False  # "was quoted by Le Monde as saying ...": a frame; the report is the saying's
        if not (source_words and source_words[0] > cue_words[-1]) and not {"saying", "as"} & set(cue):
            return False  # the speaker of a passive report is its agent, after the verb ("by his rivals")
    if source_words:
        first, last = source_words[0], source_words[-1]
        if words[last].text.lower() in ("'s", "\u2019s", "'", "\u2019") or \
                words[last].text.lower().endswith(("'s", "\u2019s")):
            return False
        if first > 0 and words[first - 1].text.lower() in _CONDITIONS:
            return False
        if len(source_words) == 1 and words[first].text.lower() in _RELATIVE and not _stands_for_a_noun(sent, first):
            return False
    return True


def _passive(sent: TaggedSentence, cue_words: Sequence[int], head: int) -> bool:
    """A passive verb: in a parse, one with a passive auxiliary; else a form of "be" or "get" in the cue or
    just before it, then a past participle (the suffix -ed, or a verb whose object is the one spoken to)."""
    words = sent.words
    if sent.parsed:
        return any(words[k].deprel == "aux:pass" for k in sent.children[head])
    before = set(cue_words) | set(range(max(0, head - 2), head))
    if not any(words[i].text.lower() in _PASSIVE for i in before if i < head):
        return False
    low = words[head].text.lower()
    return low.endswith("ed") or low in _ADDRESSEE_FORMS


def _stands_for_a_noun(sent: TaggedSentence, relative: int) -> bool:
    """Whether a relative pronoun's clause hangs on a noun ("Reuters, which reported"), as the parse has it;
    unparsed, the word before its comma decides: a clause ends in a verb or an adverb, rarely a name."""
    words = sent.words
    if sent.parsed:
        verb = words[relative].head
        return verb >= 0 and words[verb].deprel.startswith("acl") and \
            words[words[verb].head].upos in ("NOUN", "PROPN", "PRON")
    before = relative - 1
    while before >= 0 and words[before].text in (",", "\u2014", "\u2013"):
        before -= 1
    return before >= 0 and words[before].text[:1].isupper()


def report_span(text: str, content: Span) -> Span | None:
    """The content without a leading adjunct and "that" ("said on Truth Social that he agreed"), without a
    leading "that", and without trailing commas and periods (closing quotation marks stay: they end a MIXED
    report's fragment)."""
    begin, end = content.begin, content.end
    while end > begin and text[end - 1] in _TRAILING:
        end -= 1
    adjunct = _LEADING_ADJUNCT.match(text, begin, end)
    if adjunct:
        begin = adjunct.end()
    head = text[begin:begin + 5]
    if head.lower() == "that " and end > begin + 5:
        begin += 5
        while begin < end and text[begin].isspace():
            begin += 1
    return Span(begin, end) if end > begin else None

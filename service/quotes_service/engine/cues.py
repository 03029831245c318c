"""Stage 3: reporting cues in parsed sentences, each with its source and reported content.

  Putin said (that) they are talking ...     cue "said", source = nsubj, content = ccomp subtree
  "...," Putin said. / ..., said Putin.      cue is a parataxis of the content's head (inverted or not)
  Putin promised to ask Assad ...            content = xcomp subtree, for verbs that take it
  ..., stating that ...                      no subject of its own: the subject of the clause it hangs on
  according to the BBC, ...                  cue "according to", source = its noun, content = the clause
"""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import cue_lexicon
from .nlp import TaggedSentence
from .types import Span

CONTENT_RELS = ("ccomp",)
SUBJECT_RELS = ("nsubj", "nsubj:outer")
# Clauses whose missing subject is the subject of the clause they hang on ("..., stating that").
CONTROLLED_RELS = ("advcl", "xcomp", "conj", "acl", "advcl:relcl")
_EDGE_RELS = {"punct", "cc"}
_LEADING_MARKS = {"that"}


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


def find_cues(sent: TaggedSentence) -> list[Cue]:
    if not sent.parsed:
        return []
    lex = cue_lexicon()
    cues = []
    for i, w in enumerate(sent.words):
        lemma = w.lemma.lower()
        if w.text.lower() == "according" and i + 1 < len(sent.words) and sent.words[i + 1].text.lower() == "to":
            cue = _according_to(sent, i)
        elif w.upos in ("VERB", "AUX") and (lemma in lex["speech"] or lemma in lex["belief"]):
            cue = _verb_cue(sent, i, lemma, lemma in lex["belief"] and lemma not in lex["speech"])
        else:
            cue = None
        if cue is not None:
            cues.append(cue)
    return cues


def _verb_cue(sent: TaggedSentence, i: int, lemma: str, belief: bool) -> Cue | None:
    words, kids = sent.words, sent.children
    if any(words[k].deprel in ("aux:pass", "nsubj:pass") for k in kids[i]) and lemma not in ("quote",):
        return None  # "it was reported that", "he was told": no speaker of its own
    content_words: set[int] = set()
    inverted = False
    for k in kids[i]:
        if words[k].deprel in CONTENT_RELS or (words[k].deprel == "xcomp" and lemma in cue_lexicon()["xcomp"]
                                               and not belief):
            if words[k].deprel == "xcomp" and not any(words[m].text.lower() == "to" for m in kids[k]):
                continue  # "called it a disaster" is no report
            content_words |= subtree(sent, k)
        elif words[k].deprel == "parataxis" and k > i and not belief and _colon_between(sent, i, k):
            content_words |= subtree(sent, k)  # said: we will win
    if not content_words and not belief:
        content_words = _stray_that_clause(sent, i)
    if not content_words and words[i].deprel == "parataxis" and 0 <= words[i].head < i and not belief:
        head = words[i].head  # "You want ...," Putin said.
        own = subtree(sent, i)
        content_words = {j for j in subtree(sent, head) if j not in own and j < min(own)}
        inverted = True
    source = _subject(sent, i)
    if not content_words and not _may_frame_direct_quote(sent, i, source, lemma, belief):
        return None
    if belief and not content_words:
        return None
    content = words_span(sent, content_words) if content_words else None
    source_span = None
    if source is not None:  # "Putin, stating that ...": the source's subtree holds the cue; leave it out
        source_span = mention_span(sent, source, exclude=subtree(sent, i) if i in subtree(sent, source) else set())
    cue_idxs = [i] + [k for k in kids[i] if words[k].deprel == "compound:prt"]
    return Cue(sent, i, Span(words[min(cue_idxs)].span.begin, words[max(cue_idxs)].span.end), lemma, source,
               source_span, content, frozenset(content_words), inverted, belief)


def _stray_that_clause(sent: TaggedSentence, i: int) -> set[int]:
    """A "that" clause after the verb that the parser hung on a noun ("said during the event that ...")."""
    words = sent.words
    mine = subtree(sent, i)
    for j in range(i + 1, len(words)):
        w = words[j]
        if j not in mine or words[j].deprel in ("ccomp", "parataxis", "conj"):
            break
        if w.text.lower() == "that" and w.upos == "SCONJ" and w.deprel == "mark" and w.head > j:
            clause = w.head
            if words[clause].deprel in ("acl:relcl", "acl", "advcl"):
                return subtree(sent, clause)
            break
    return set()


def _colon_between(sent: TaggedSentence, i: int, k: int) -> bool:
    return any(sent.words[j].text in (":",) for j in range(i + 1, min(k, len(sent.words))))


def _may_frame_direct_quote(sent: TaggedSentence, i: int, source: int | None, lemma: str, belief: bool) -> bool:
    """A cue with no clause of its own can still introduce or follow a direct quote."""
    return source is not None and not belief


def _subject(sent: TaggedSentence, i: int) -> int | None:
    """The cue's subject, or for a clause without one the subject of the clause it depends on."""
    seen = set()
    j = i
    while j >= 0 and j not in seen:
        seen.add(j)
        for k in sent.children[j]:
            if sent.words[k].deprel in SUBJECT_RELS:
                return k
        if sent.words[j].deprel == "acl" and sent.words[j].head >= 0:
            return sent.words[j].head  # "Putin, stating that ..."
        if sent.words[j].deprel not in CONTROLLED_RELS:
            return None
        j = sent.words[j].head
    return None


def mention_span(sent: TaggedSentence, head: int, exclude: set[int] = frozenset()) -> Span | None:
    """The mention headed by `head`: its subtree without `exclude`, cut to the contiguous run around it."""
    idxs = subtree(sent, head) - set(exclude)
    lo = hi = head
    while lo - 1 in idxs:
        lo -= 1
    while hi + 1 in idxs:
        hi += 1
    return words_span(sent, [lo, hi])


def _clause_head(sent: TaggedSentence, j: int) -> int:
    """Climb from a word to the head of the clause it belongs to, over infinitives and coordination."""
    words = sent.words
    while j >= 0:
        rel = words[j].deprel
        predicate = words[j].upos in ("VERB", "AUX", "ADJ") or any(words[k].deprel == "cop" for k in sent.children[j])
        if rel == "root" or (predicate and rel in ("ccomp", "parataxis", "advcl", "acl:relcl", "csubj")):
            return j
        j = words[j].head
    return j


def _according_to(sent: TaggedSentence, i: int) -> Cue | None:
    words = sent.words
    if words[i].deprel == "case":
        noun = words[i].head
    else:  # parsed as a verb: "according" -> obl "X" (with case "to")
        noun = next((k for k in sent.children[i] if words[k].deprel in ("obl", "nmod", "obj")), -1)
    if noun < 0:
        return None
    source_words = subtree(sent, noun) - {i, i + 1}
    clause = _clause_head(sent, words[noun].head if words[i].deprel == "case" else words[i].head)
    if clause < 0:
        # "According to X." on its own, or a fragment: the rest of the sentence is the content
        clause_words = set(range(len(words)))
    else:
        clause_words = subtree(sent, clause)
    phrase = source_words | {i, i + 1}
    rest = sorted(j for j in clause_words if j not in phrase)
    # keep the longest contiguous run of the clause outside the phrase
    runs, run = [], []
    for j in rest:
        if run and j != run[-1] + 1 and not all(words[m].upos == "PUNCT" for m in range(run[-1] + 1, j)):
            runs.append(run)
            run = []
        run.append(j)
    if run:
        runs.append(run)
    best = max(runs, key=len, default=[])
    content = words_span(sent, best)
    return Cue(sent, i, Span(words[i].span.begin, words[i + 1].span.end), "according to", noun,
               mention_span(sent, noun, exclude={i, i + 1}), content, frozenset(best), inverted=bool(best) and best[0] < i)

""""according to X, ..." and "..., according to X": the source is the noun after "to", the content its clause."""
from __future__ import annotations

from ..nlp import TaggedSentence
from ..types import Span
from .spans import Cue, mention_span, subtree, words_span


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


def according_to(sent: TaggedSentence, i: int) -> Cue | None:
    words = sent.words
    # The source is the noun after "to": "according" is either its case marker or, parsed as a verb,
    # governs it (obl). Parsers sometimes also hang "according" on a noun before it ("in recent days,
    # according to the BBC"), so a noun that does not follow "to" is never the source.
    noun = next((k for k in sent.children[i] if k > i + 1 and words[k].deprel in ("obl", "nmod", "obj")), -1)
    if noun < 0 and words[i + 1].deprel == "case" and words[i + 1].head > i + 1:
        noun = words[i + 1].head  # "According" hung elsewhere (advmod), "to" still marks the source
    if noun < 0 and words[i].deprel == "case" and words[i].head > i + 1:
        noun = words[i].head
    if noun < 0:
        return None
    source_words = subtree(sent, noun) - {i, i + 1}
    clause = _clause_head(sent, words[i].head if words[noun].head == i else words[noun].head)
    if clause < 0:
        # "According to X." on its own, or a fragment: the rest of the sentence is the content
        clause_words = set(range(len(words)))
    else:
        clause_words = subtree(sent, clause)
    phrase = source_words | {i, i + 1}
    rest = sorted(j for j in clause_words if j not in phrase)
    # keep the longest contiguous run of the clause outside the phrase
    runs: list[list[int]] = []
    run: list[int] = []
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
               mention_span(sent, noun, exclude={i, i + 1}), content, frozenset(best),
               inverted=bool(best) and best[0] < i)

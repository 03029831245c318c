"""Which quotes the document has: the tagger's attributions and the rules' quotes, as one disjoint list.

- Private states (believes, wants, hopes, plans) and reports the text denies ("has not said when", "did not
  respond") are no quotes: both are dropped, whoever found them.
- Quotations (DIRECT) and labelled lines are the rules': marks, embedded posts, speaker labels, signatures
  and continuations are read exactly off the surface. Where the tagger gives the same quotation a source the
  rules did not find, or one that holds the rules' or lies within it, the source is the tagger's.
- Reports (INDIRECT, MIXED) are the tagger's when it is sure enough (CONFIDENT): trained on PolNeAR, it finds
  the reports the rules miss and draws their boundaries and sources as annotators do; where the rules read
  the same cue with a longer report or a source the tagger left out, those are the rules'. The rules' own
  reports stand only when no tagger ran: where the tagger saw a rule's report among its features and found
  nothing, PolNeAR dev says the report is wrong four times in five.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .attribution import Draft
from .learned.scope import report_span
from .lexicon import private_state_forms
from .nlp import Word
from .span_index import SpanIndex
from .types import QuoteType, Span

CONFIDENT = 0.6  # the tagger's confidence (mean tag marginal) a report needs; chosen on PolNeAR dev
_NEGATIONS = {"not", "n't", "never"}


def choose_quotes(text: str, rule_drafts: Sequence[Draft], learned_drafts: Sequence[Draft] | None) -> list[Draft]:
    """Disjoint drafts in text order; a continuation points at its antecedent's new index, or at the quote
    that replaced it. Every lookup goes through an index: linear in the number of quotes."""
    rules = [d for d in rule_drafts if not _private_state(d) and not negated(d)]
    if learned_drafts is None:
        chosen = list(rules)
    else:
        by_cue = {(d.cue.sentence.index, d.cue.head): d for d in reversed(rules) if d.cue is not None}
        learned = [_completed_by_the_rules(text, d, by_cue.get((d.cue.sentence.index, d.cue.head)))
                   for d in learned_drafts if d.cue is not None and d.confidence >= CONFIDENT and not negated(d)]
        quotations = [d for d in rules if _read_off_the_surface(d)]
        learned_by_content = SpanIndex(learned, lambda d: d.content)
        quotation_cues = SpanIndex([d.cue.span for d in quotations if d.cue is not None], lambda span: span)
        chosen = [_with_tagger_source(d, learned_by_content.overlapping(d.content), quotation_cues)
                  for d in quotations]
        taken = SpanIndex(chosen, lambda d: d.content)
        reach = -1  # where the tagger's reports added so far end, at the furthest
        for d in sorted(learned, key=lambda d: (d.content.begin, d.content.end)):
            if d.content.begin >= reach and not taken.overlapping(d.content):
                chosen.append(d)
                reach = max(reach, d.content.end)
    chosen.sort(key=lambda d: (d.content.begin, d.content.end))
    return _reindexed(rule_drafts, chosen)


def _read_off_the_surface(d: Draft) -> bool:
    """A quotation, an embedded post or a labelled line ("Merkel: Europe must ..."): the rules' own."""
    return d.type is QuoteType.DIRECT or d.post is not None or d.label is not None


def _with_tagger_source(rule: Draft, learned: Sequence[Draft], quotation_cues: SpanIndex[Span]) -> Draft:
    """The tagger's source for a quotation (`learned`: the tagger's attributions over its words), where it
    says more than the rules:
    - the rules found none (a quotation that continues the previous one's speaker, or none at all), and the
      tagger links it to a cue of its own that no quotation of the rules has ("...," the official said in a
      paragraph whose cue the rules missed), or to the rules' own cue ('Marc H. Morial, the chief executive
      of the National Urban League, forcefully told ... that "..."');
    - the tagger's source holds the rules' and goes on ("Rendell, a Clinton surrogate," where the rules read
      "a Clinton surrogate"), or is the part of it that names the speaker ("Rep. Elijah Cummings" where the
      rules read on: "Rep. Elijah Cummings in a statement")."""
    for d in learned:
        assert d.cue is not None
        source = d.cue.source_span
        if source is None:
            continue
        if rule.cue is None and rule.post is None and rule.label is None:
            if not quotation_cues.overlapping(d.cue.span):
                return dataclasses.replace(rule, cue=d.cue, continues=None, continues_index=None)
        elif rule.cue is not None and rule.cue.source_span is None and rule.cue.span.overlaps(d.cue.span):
            cue = dataclasses.replace(rule.cue, source=d.cue.source, source_span=source)
            return dataclasses.replace(rule, cue=cue)
        elif rule.cue is not None and rule.cue.source_span is not None and source != rule.cue.source_span and (
                source.contains(rule.cue.source_span) or rule.cue.source_span.contains(source)):
            return dataclasses.replace(rule, cue=dataclasses.replace(rule.cue, source_span=source))
    return rule


def _completed_by_the_rules(text: str, learned: Draft, rule: Draft | None) -> Draft:
    """The rules' reading of the same cue (`rule`) completes the tagger's: a report that holds the tagger's
    and goes on ("stating that A, which explains B"; "A. B, according to the BBC" over two sentences) is the
    rules'; a source the tagger left out (", arguing that ...": the subject of the clause it hangs on) is the
    rules'."""
    if rule is None or rule.cue is None:
        return learned
    assert learned.cue is not None
    cue = learned.cue
    content, fragments = learned.content, learned.fragments
    longer = report_span(text, rule.content) if rule.type is QuoteType.INDIRECT else rule.content
    if longer is not None and rule.type is learned.type and longer.contains(content) and len(longer) > len(content):
        content, fragments = longer, rule.fragments
        cue = dataclasses.replace(cue, content=content)
    if cue.source_span is None and rule.cue.source_span is not None:
        cue = dataclasses.replace(cue, source=rule.cue.source, source_span=rule.cue.source_span)
    return dataclasses.replace(learned, content=content, cue=cue, fragments=fragments)


def _reindexed(rule_drafts: Sequence[Draft], chosen: list[Draft]) -> list[Draft]:
    """Continuations point into the chosen list: at their antecedent, else at the quote that replaced it (over
    the same words, or with the same cue: the rules' report the tagger read as a quotation's attribution)."""
    position = {id(d): i for i, d in enumerate(chosen)}
    by_content = SpanIndex(range(len(chosen)), lambda i: chosen[i].content)
    by_cue = SpanIndex([i for i, d in enumerate(chosen) if d.cue is not None],
                       lambda i: chosen[i].cue.span)  # type: ignore[union-attr]
    out = []
    for d in chosen:
        if d.continues_index is not None:
            antecedent = rule_drafts[d.continues_index]
            index = position.get(id(antecedent))
            if index is None:
                replaced = by_content.overlapping(antecedent.content) or (
                    by_cue.overlapping(antecedent.cue.span) if antecedent.cue is not None else [])
                index = replaced[0] if replaced else None
            d = dataclasses.replace(d, continues_index=index if index is not None and index != position[id(d)]
                                    else None)
        out.append(d)
    return out


def _private_state(d: Draft) -> bool:
    return d.cue is not None and (d.cue.belief or any(w.text.lower() in private_state_forms()
                                                      for w in _cue_words(d)))


def negated(d: Draft) -> bool:
    """A report the text denies: "not", "n't" or "never" on the cue's verb, in the cue or right before it
    ("The agency has not said when ...", "did not immediately respond")."""
    if d.cue is None:
        return False
    sent, head = d.cue.sentence, d.cue.head
    if any(sent.words[k].text.lower() in _NEGATIONS and sent.words[k].deprel == "advmod"
           for k in (sent.children[head] if sent.parsed else [])):
        return True
    window = [w for w in sent.words if d.cue.span.begin <= w.span.begin < d.cue.span.end]
    before = [w for w in sent.words[max(0, head - 3):head] if w.span.end <= d.cue.span.begin]
    source = d.cue.source_span
    before = [w for w in before if source is None or w.span.begin >= source.end]
    return any(w.text.lower() in _NEGATIONS for w in window + before)


def _cue_words(d: Draft) -> list[Word]:
    assert d.cue is not None
    return [w for w in d.cue.sentence.words if d.cue.span.begin <= w.span.begin < d.cue.span.end]

"""Verbs of saying: "Putin said (that) ...", "..., said Putin", "promised to ask", "..., stating that"."""
from __future__ import annotations

from ..lexicon import cue_lexicon
from ..nlp import TaggedSentence
from ..types import Span
from .sources import (
    balanced_span,
    phrase_before,
    source_after_quote,
    subject_beside_parse,
    take,
    with_left_siblings,
)
from .spans import (
    ADDRESSEE_LEMMAS,
    SUBJECT_RELS,
    Cue,
    closes_quote,
    is_finite,
    may_speak,
    mention_span,
    says,
    subtree,
    words_span,
)

CONTENT_RELS = ("ccomp",)
# Clauses whose missing subject is the subject of the clause they hang on ("..., stating that").
CONTROLLED_RELS = ("advcl", "xcomp", "conj", "acl", "advcl:relcl")
# "The minister was quoted by Le Monde as saying ...": the passive's subject is the one saying.
QUOTING_PASSIVES = ("quote", "cite")


def verb_cue(sent: TaggedSentence, i: int, lemma: str, belief: bool) -> Cue | None:
    words, kids = sent.words, sent.children
    if any(words[k].deprel in ("aux:pass", "nsubj:pass") for k in kids[i]):
        return None  # "it was reported that", "he was told": no speaker of its own
    source = subject(sent, i)
    phrase = None  # the source's span, when it is not the subtree of `source`
    surface = source_after_quote(sent, i)
    if surface is not None:  # '"...," Rep. Gwen Moore (D-Wis.) said Friday.' read off the surface
        source, taken = surface
        phrase = balanced_span(sent, taken)
    content_words: set[int] = set()
    inverted = False
    for k in kids[i]:
        rel = words[k].deprel
        if k > i and (rel in CONTENT_RELS or (rel == "xcomp" and not belief and lemma in cue_lexicon()["xcomp"]
                                              and any(words[m].text.lower() == "to" for m in kids[k])
                                              and words[i].deprel != "acl:relcl")):  # "the cuts it pledged to make"
            content_words |= subtree(sent, k)
        elif k > i and rel == "parataxis" and not belief and _colon_between(sent, i, k):
            content_words |= subtree(sent, k)  # said: we will win
        elif k < i and rel in ("ccomp", "parataxis") and not belief and not _bare_participle(sent, k):
            if _separated(sent, max(subtree(sent, k)), i):
                content_words |= subtree(sent, k)  # "We will win," she said / We will win, she said
                inverted = True
                if source is None:  # '"...," Scott Pruitt, the attorney general, said': hung on the quote
                    source, phrase = take(phrase_before(sent, i, k), sent, content_words)
            elif source is None:  # "Sources close to the talks said": the parser made the subject a clause
                phrase = mention_span(sent, k)
                source = next((m for m in kids[k] if words[m].deprel in SUBJECT_RELS), k)
    content_words |= _subject_parsed_as_object(sent, i, lemma, content_words)
    before = {j for j in content_words if j < i}
    if before and len(before) < len(content_words):  # the parser gave the verb clauses on both sides
        if any(closes_quote(sent, j) for j in range(max(before) - 1, i)):
            content_words = before  # '"...," Trump said, adding "...": what follows is the next cue's
        else:
            content_words, inverted = content_words - before, False  # "On whether ..., Putin said that ..."
    head = words[i].head
    own = subtree(sent, i)
    # '"You want ...," Putin said.': the verb hung on the quote before it (parataxis); that quote is the
    # content, also when the parser gave the verb a clause after it ('said, adding "..."'), unless the
    # head is itself a cue ('he said, adding ...': a second cue of the same speaker)
    hung_on_quote = words[i].deprel == "parataxis" and 0 <= head < i and not belief and not says(words[head])
    quote_before = hung_on_quote and (not content_words or any(closes_quote(sent, j) for j in range(head, i)))
    if not content_words and not belief and not quote_before and not _right_after_quote(sent, i):
        content_words = _clause_after(sent, i, lemma)  # not in '"...," said Jo Coelbart, who works ...'
    if quote_before or (hung_on_quote and not content_words):
        content_words = {j for j in subtree(sent, head) if j not in own and j < min(own)}
        inverted = True
        if source is None:
            source, phrase = take(phrase_before(sent, i, head), sent, content_words)
    if source is None:
        source, phrase = take(subject_beside_parse(sent, i, lemma), sent, content_words)
        inverted = inverted or (source is not None and bool(content_words) and min(content_words) < i)
    if (not content_words or inverted) and not belief:
        ahead = _sentence_final_report(sent, i, source)
        if ahead:
            content_words, inverted = ahead, True
    if not content_words and (belief or source is None):
        return None  # nothing reported, and nobody to frame a direct quote nearby
    if content_words and not inverted:
        content_words = _without_trailing_aside(sent, content_words) | _second_that_clause(sent, i, content_words)
    content = words_span(sent, content_words) if content_words else None
    source_span = None
    if phrase is not None:
        source_span = phrase
    elif source is not None:
        source, source_span = source_mention(sent, i, source)
    cue_idxs = [i] + [k for k in kids[i] if words[k].deprel == "compound:prt"]
    return Cue(sent, i, Span(words[min(cue_idxs)].span.begin, words[max(cue_idxs)].span.end), lemma, source,
               source_span, content, frozenset(content_words), inverted, belief)


def _second_that_clause(sent: TaggedSentence, i: int, content: set[int]) -> set[int]:
    """'said that A, and that B': the parser hangs the second clause on the verb as a conjunct of it; the
    "that" after the conjunction shows it is reported too."""
    words = sent.words
    last = max(content)
    for k in sent.children[i]:
        clause = subtree(sent, k)
        if words[k].deprel != "conj" or k < last or i in clause:
            continue
        first = min(clause)
        gap = range(last + 1, first)
        if any(words[m].upos != "PUNCT" for m in gap) or first + 1 > k:
            continue
        if words[first].upos == "CCONJ" and words[first + 1].text.lower() == "that":
            tail = max(clause)
            while tail > first and words[tail].upos == "PUNCT":
                tail -= 1
            return set(gap) | set(range(first, tail + 1))
    return set()


def source_mention(sent: TaggedSentence, i: int, source: int) -> tuple[int, Span | None]:
    """The words that name the source of the verb at `i`: its subtree, without the verb's clause where the
    source holds it ("Putin, stating that ..."), joined with a left sibling the parser split off."""
    span = mention_span(sent, source, exclude=subtree(sent, i) if i in subtree(sent, source) else set())
    return with_left_siblings(sent, i, source, span)


def _subject_parsed_as_object(sent: TaggedSentence, i: int, lemma: str, content: set[int]) -> set[int]:
    """'said the tax breaks "do nothing"', parsed with "breaks" as the verb's object and a clause without
    subject after it: a verb of saying that takes no addressee has no object there, so the noun phrase is
    the clause's subject and part of the report."""
    words, kids = sent.words, sent.children
    if lemma in ADDRESSEE_LEMMAS or not content or min(content) < i:
        return set()
    clause = next((k for k in kids[i] if k in content and words[k].deprel == "ccomp"), None)
    if clause is None or any(words[m].deprel in SUBJECT_RELS for m in kids[clause]):
        return set()
    obj = next((k for k in kids[i] if words[k].deprel == "obj" and i < k < clause), None)
    if obj is None:
        return set()
    phrase = subtree(sent, obj)
    between = range(max(phrase) + 1, min(content))
    if min(phrase) != i + 1 or any(words[m].upos != "PUNCT" for m in between):
        return set()
    return phrase | set(between)


_ADJUNCT_RELS = {"obl", "obl:tmod", "obl:npmod", "advmod", "advcl", "punct", "compound:prt", "nmod:tmod", "aux",
                 "discourse"}


def _clause_after(sent: TaggedSentence, i: int, lemma: str) -> set[int]:
    """The reported clause when the parser did not attach it as a complement: after the verb, its adjuncts
    ("on Monday", "in a statement") and addressee ("told reporters") and an optional "that", the rest of
    the sentence, if a finite verb starts a clause there ("said the offer remained open")."""
    words, kids = sent.words, sent.children
    skip = {k for k in kids[i] if k > i and (words[k].deprel in _ADJUNCT_RELS or (
        lemma in ADDRESSEE_LEMMAS and words[k].deprel in ("obj", "iobj")))}
    for k in sorted(skip):  # "said during the event that ...": a "that" clause hung on an adjunct's noun
        for m in sorted(subtree(sent, k)):
            w = words[m]
            if w.text.lower() == "that" and w.deprel == "mark" and w.head > m \
                    and words[w.head].deprel in ("acl:relcl", "acl", "advcl"):
                return subtree(sent, w.head)
    j = i + 1
    while j < len(words):
        owner = next((k for k in skip if j in subtree(sent, k)), None)
        if owner is None or words[j].text in ('"', "\u201c", "\u2018", "'"):
            break
        j = max(subtree(sent, owner)) + 1
    if j < len(words) and words[j].text.lower() == "that" and words[j].upos == "SCONJ":
        j += 1
    mine = subtree(sent, i)  # the report stays inside the cue's own clause
    rest = []
    for k in range(j, len(words)):
        if k not in mine:
            break
        rest.append(k)
    while rest and words[rest[-1]].upos == "PUNCT":
        rest.pop()
    if not rest:
        return set()
    for k in rest[:10]:
        if words[k].deprel == "conj" and words[k].head == i:
            return set()  # "said goodbye and left": a second verb of the sentence, not a report
        if is_finite(words[k]) and k > j:
            return set(rest)
    return set()


def _sentence_final_report(sent: TaggedSentence, i: int, source: int | None) -> set[int]:
    """"..., a source said." / "..., said Mr. Burman.": an attribution that closes its sentence after a
    comma reports everything before the comma, whatever the parser made of it."""
    words = sent.words
    if source is None or words[source].text.lower() in ("which", "that", "who", "whom") \
            or words[i].deprel in ("acl:relcl", "acl"):
        return set()
    src = subtree(sent, source) - ({i} | subtree(sent, i) if i in subtree(sent, source) else set())
    start = min(min(src), i)
    if start < 3 or words[start - 1].text not in (",", "\u201d", '"', "''", "\u2019"):
        return set()
    own = subtree(sent, i) | src
    if any(k not in own and words[k].upos != "PUNCT" for k in range(start, len(words))):
        return set()  # the sentence goes on after the attribution
    if any(words[k].deprel in ("ccomp", "xcomp") and words[k].head == i for k in range(i + 1, len(words))):
        return set()
    before = [k for k in range(start - 1)]
    if not any(is_finite(words[k]) for k in before):
        return set()  # "In Honolulu last week, he told ...": a fronted phrase, not a report
    return set(before) if len(before) >= 3 else set()


def _without_trailing_aside(sent: TaggedSentence, idxs: set[int]) -> set[int]:
    """'said he expects Clinton to recover from pneumonia, which forced her to ...': a relative clause on
    a noun ("which", "who") or a participle phrase ("saying", "forcing") after a comma that ends the report is the
    writer's aside, not the source's words; so is a trailing "according to X" (a cue of its own)."""
    words = sent.words
    first, last = min(idxs), max(idxs)
    for j in range(first + 3, last + 1):
        if j not in idxs or words[j - 1].text != ",":
            continue
        low = words[j].text.lower()
        if low in ("which", "who") and words[j - 2].upos in ("NOUN", "PROPN"):
            aside = set(range(j, last + 1))  # about that noun; ", which explains ..." after a verb stays
        elif (words[j].xpos == "VBG" and words[j].deprel in ("advcl", "acl", "xcomp", "conj", "parataxis", "ccomp")) \
                or (low == "according" and j + 1 <= last and words[j + 1].text.lower() == "to"):
            aside = subtree(sent, j)
        else:
            continue
        if all(m in aside or words[m].upos == "PUNCT" for m in range(j, last + 1)):
            return {m for m in idxs if m < j - 1}
    return idxs


def _bare_participle(sent: TaggedSentence, k: int) -> bool:
    """"one of the states suing the EPA, said": a participle with no subject is no reported clause."""
    w = sent.words[k]
    return w.xpos in ("VBG", "VBN") and not any(  # "the cause has not been determined" has a subject
        sent.words[m].deprel in (*SUBJECT_RELS, "nsubj:pass", "csubj", "csubj:pass") for m in sent.children[k])


def _separated(sent: TaggedSentence, last: int, i: int) -> bool:
    """A comma, dash or closing quotation mark between a clause that ends at `last` (its own trailing
    punctuation included) and the verb at `i`."""
    while last > 0 and sent.words[last].upos == "PUNCT" and sent.words[last - 1].upos == "PUNCT":
        last -= 1
    if sent.words[last].upos == "PUNCT":
        last -= 1
    return any(sent.words[j].text in (",", "\u2014", "\u2013", "-", '"', "\u201d", "\u2019", "'", ":")
               for j in range(last + 1, i))


def _right_after_quote(sent: TaggedSentence, i: int) -> bool:
    """'"...," said Jo': the verb follows a closing quotation mark (and a comma or dash), its subject after it."""
    if not any(sent.words[k].deprel in SUBJECT_RELS and k > i for k in sent.children[i]):
        return False
    j = i - 1
    while j > 0 and sent.words[j].text in (",", "\u2014", "\u2013", "-"):
        j -= 1
    return j >= 0 and closes_quote(sent, j)


def _colon_between(sent: TaggedSentence, i: int, k: int) -> bool:
    return any(sent.words[j].text in (":",) for j in range(i + 1, min(k, len(sent.words))))


def subject(sent: TaggedSentence, i: int) -> int | None:
    """The cue's subject, or for a clause without one the subject of the clause it depends on."""
    seen = set()
    j = i
    while j >= 0 and j not in seen:
        seen.add(j)
        subjects = [k for k in sent.children[j] if sent.words[k].deprel in SUBJECT_RELS]
        speaker = _reporting_head(sent, i, j)
        if subjects and speaker is not None:
            j = speaker  # "The senator said the plan was dead, arguing ...": the senator argues, not the plan
            continue
        if not subjects and j != i and sent.words[j].lemma.lower() in QUOTING_PASSIVES:
            subjects = [k for k in sent.children[j] if sent.words[k].deprel == "nsubj:pass"]  # "was quoted as saying"
        if subjects:
            nearest = min(subjects, key=lambda k: abs(k - j))
            if nearest > j and j == i and j > 0 and sent.words[j - 1].upos == "PROPN":
                return j - 1  # "Marco Rubio said the offer ...", parsed with "offer" as the subject
            return nearest
        if sent.words[j].deprel == "acl" and sent.words[j].head >= 0:
            noun = sent.words[j].head
            if may_speak(sent.words[noun]):
                return noun  # "Putin, stating that ..."
            # "tweets early Friday saying that ...": a participle hung on a noun that cannot speak
            # reports for the subject of the clause that noun belongs to
            j = noun
            while j >= 0 and sent.words[j].upos not in ("VERB", "AUX"):
                if j in seen:
                    return None
                seen.add(j)
                j = sent.words[j].head
            continue
        head = sent.words[j].head
        if sent.words[j].deprel not in CONTROLLED_RELS and not (  # "Trump said, adding ..." as ccomp/parataxis
                sent.words[j].deprel in ("ccomp", "parataxis") and sent.words[j].xpos == "VBG" and head >= 0
                and says(sent.words[head])):
            return None
        j = head
    return None


def _reporting_head(sent: TaggedSentence, i: int, j: int) -> int | None:
    """The verb of saying whose reported clause `j` is, when the participle `i` ("..., arguing") was hung
    on that clause instead of on the verb of saying."""
    words = sent.words
    if j == i or words[i].xpos != "VBG" or i == 0 or words[i - 1].text != "," or words[j].deprel != "ccomp":
        return None
    head = words[j].head
    return head if head >= 0 and says(words[head]) else None

"""Sources the parse got wrong, read off the surface: a name between a closing quotation mark and the verb,
a subject hung on the wrong word, a subject split in two."""
from __future__ import annotations

from ..nlp import TaggedSentence
from ..types import Span
from .spans import (
    ADDRESSEE_LEMMAS,
    QUOTE_MARKS,
    SUBJECT_RELS,
    closes_quote,
    may_speak,
    says,
    subtree,
    words_span,
)


def take(found: tuple[int, set[int]] | None, sent: TaggedSentence,
          content_words: set[int]) -> tuple[int | None, Span | None]:
    """A source found beside the parse: (its head, its span); its words leave the content (in place)."""
    if found is None:
        return None, None
    source, taken = found
    content_words -= taken
    return source, words_span(sent, taken)


def subject_beside_parse(sent: TaggedSentence, i: int, lemma: str) -> tuple[int, set[int]] | None:
    """A subject the parser did not attach to the verb at `i`: (its head word, its words).

    - ', said Starmer.': a name right after a sentence-final verb of saying, parsed as its object;
    - 'Sources close to the talks said ...': the verb hung as a complement on a word of its subject;
    - 'In an interview with CNN, Secretary of State Marco Rubio said': the name right before the verb;
    - '"...," Scott Pruitt, the attorney general, said.': everything between the closing quotation mark
      and a sentence-final verb, however the parser split it.
    """
    words, kids = sent.words, sent.children
    final = all(w.upos == "PUNCT" for w in words[i + 1:])
    after = [k for k in kids[i] if k > i and words[k].deprel in ("obj", "iobj", "obl:npmod", "nsubj:pass")]
    if lemma not in ADDRESSEE_LEMMAS and after \
            and all(w.upos == "PUNCT" for w in words[max(subtree(sent, after[0])) + 1:]):
        k = after[0]
        if (words[k].upos == "PROPN" or may_speak(words[k])) and i > 0 \
                and words[i - 1].text in (",", '"', "\u201d", "''", "\u2019"):
            return k, subtree(sent, k)
    head = words[i].head
    if words[i].deprel == "ccomp" and 0 <= head < i and not says(words[head]):
        subjects = [k for k in kids[head] if k < head and words[k].deprel in SUBJECT_RELS]
        if subjects and may_speak(words[subjects[0]]):
            first = min(subtree(sent, subjects[0]))
            return subjects[0], set(range(first, i))
    if i > 0 and words[i - 1].upos == "PROPN":  # "In an interview, Secretary of State Marco Rubio said"
        start = i - 1
        while start > 0 and (words[start - 1].upos == "PROPN" or (
                words[start - 1].text.lower() in ("of", "the") and start > 1 and words[start - 2].upos == "PROPN")):
            start -= 1
        return i - 1, set(range(start, i))
    if final:
        closing = [j for j in range(i) if closes_quote(sent, j)]
        if closing and 0 < i - closing[-1] - 1 <= 25:
            taken = set(range(closing[-1] + 1, i))
            speaker = _first_name(sent, sorted(taken))
            if speaker is not None:
                return speaker, taken
    return None


def source_after_quote(sent: TaggedSentence, i: int) -> tuple[int, set[int]] | None:
    """'"...," Rep. Gwen Moore (D-Wis.) said Friday.': a short verbless phrase between a closing quotation
    mark and the verb, and nothing but a short adjunct after it. Parsers split such names in odd ways
    (into the quote, or the day as the subject); the surface does not: (its first name, its words)."""
    words = sent.words
    closing = [j for j in range(i) if closes_quote(sent, j)]
    if not closing:
        return None
    c = closing[-1]
    between = [j for j in range(c + 1, i) if words[j].upos != "PUNCT"]
    tail = [w for w in words[i + 1:] if w.upos != "PUNCT"]
    if not between or len(between) > 12 or len(tail) > 4:
        return None
    if any(words[j].upos in ("VERB", "AUX") for j in between) or any(
            w.upos in ("VERB", "AUX") or w.text in QUOTE_MARKS for w in words[i + 1:]):
        return None
    first = between[0]
    if words[first].upos not in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
        return None
    head = _first_name(sent, between)
    return None if head is None else (head, set(range(first, i)))


def _first_name(sent: TaggedSentence, idxs: list[int]) -> int | None:
    """The first proper noun among the words, else the first noun or pronoun: a phrase's speaker word."""
    names = [j for j in idxs if sent.words[j].upos == "PROPN"]
    nouns = [j for j in idxs if sent.words[j].upos in ("NOUN", "PRON")]
    found = names or nouns
    return found[0] if found else None


def balanced_span(sent: TaggedSentence, idxs: set[int]) -> Span | None:
    """words_span, keeping a closing parenthesis (and the period before it) that the words opened:
    "Rep. Gwen Moore (D-Wis.)"."""
    span = words_span(sent, idxs)
    if span is None:
        return None
    last = max(idxs)
    inside = [w for w in sent.words if span.begin <= w.span.begin and w.span.end <= span.end]
    if sum(w.text == "(" for w in inside) > sum(w.text == ")" for w in inside) and sent.words[last].text == ")":
        return Span(span.begin, sent.words[last].span.end)
    return span


def with_left_siblings(sent: TaggedSentence, i: int, source: int, span: Span | None) -> tuple[int, Span | None]:
    """"Interior Minister Anna Berg said": the parser split one subject in two; join them again. With a
    comma between ("Michael Oppenheimer, a professor at Princeton, said") the name on the left is the
    source and the apposition stays in its mention."""
    if span is None:
        return source, None
    for k in sorted(sent.children[i], reverse=True):
        if k < source and sent.words[k].deprel in SUBJECT_RELS:
            left = words_span(sent, subtree(sent, k))
            if left is None or left.end > span.begin:
                continue
            if _only_space(sent, left.end, span.begin):
                span = Span(left.begin, span.end)
            elif sent.words[k].upos == "PROPN" and [w.text for w in sent.words
                                                   if left.end <= w.span.begin < span.begin] == [","]:
                source, span = k, Span(left.begin, span.end)
    return source, span


def phrase_before(sent: TaggedSentence, i: int, quote_head: int) -> tuple[int, set[int]] | None:
    """The noun phrase that ends right before the verb at `i`, after the quote: (its first name-like
    word, its words). The parser often hangs it, in pieces, on the quote ("..., Scott Pruitt, the attorney
    general, said" with both as appositions)."""
    words = sent.words
    k = i - 1
    while k >= 0 and words[k].upos == "PUNCT":
        k -= 1
    closing = [j for j in range(i) if closes_quote(sent, j)]
    floor = max(closing[-1] if closing else quote_head, quote_head)  # never climb back into the quote
    if k <= floor:
        return None
    while floor < words[k].head < i and max(subtree(sent, words[k].head)) < i:
        k = words[k].head
    if words[k].upos not in ("NOUN", "PROPN", "PRON"):
        return None
    phrase = subtree(sent, k)
    parent = words[k].head
    for j in (sent.children[parent] if parent >= 0 else []):  # its pieces hung on the same word
        if floor < j < k and words[j].upos in ("NOUN", "PROPN") and words[j].deprel in ("appos", "flat", "conj"):
            phrase |= subtree(sent, j)
    first = min(phrase)
    head = next((j for j in sorted(phrase) if words[j].upos == "PROPN"), k)
    return head, set(range(first, max(phrase) + 1))


def _only_space(sent: TaggedSentence, begin: int, end: int) -> bool:
    """No word starts between the two offsets."""
    return all(not (begin <= w.span.begin < end) for w in sent.words)

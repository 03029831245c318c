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
QUOTE_MARKS = {'"', "\u201c", "\u201d", "''", "``"}


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
        elif w.upos in ("VERB", "AUX") and w.text.lower() in lex["forms"] and (
                lemma in lex["speech"] or lemma in lex["belief"]):
            cue = _verb_cue(sent, i, lemma, lemma in lex["belief"] and lemma not in lex["speech"])
        else:
            cue = None
        if cue is not None:
            cues.append(cue)
    return cues


def _verb_cue(sent: TaggedSentence, i: int, lemma: str, belief: bool) -> Cue | None:
    words, kids = sent.words, sent.children
    if any(words[k].deprel in ("aux:pass", "nsubj:pass") for k in kids[i]):
        return None  # "it was reported that", "he was told": no speaker of its own
    source = _subject(sent, i)
    phrase = None  # the source's span, when it is not the subtree of `source`
    surface = _source_after_quote(sent, i)
    if surface is not None:  # '"...," Rep. Gwen Moore (D-Wis.) said Friday.' read off the surface
        source, taken = surface
        phrase = _balanced_span(sent, taken)
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
                    source, phrase = _take(_phrase_before(sent, i, k), sent, content_words)
            elif source is None:  # "Sources close to the talks said": the parser made the subject a clause
                phrase = mention_span(sent, k)
                source = next((m for m in kids[k] if words[m].deprel in SUBJECT_RELS), k)
    before = {j for j in content_words if j < i}
    if before and len(before) < len(content_words):  # the parser gave the verb clauses on both sides
        if any(_closes_quote(sent, j) for j in range(max(before) - 1, i)):
            content_words = before  # '"...," Trump said, adding "...": what follows is the next cue's
        else:
            content_words, inverted = content_words - before, False  # "On whether ..., Putin said that ..."
    head = words[i].head
    own = subtree(sent, i)
    # '"You want ...," Putin said.': the verb hung on the quote before it (parataxis); that quote is the
    # content, also when the parser gave the verb a clause after it ('said, adding "..."'), unless the
    # head is itself a cue ('he said, adding ...': a second cue of the same speaker)
    hung_on_quote = words[i].deprel == "parataxis" and 0 <= head < i and not belief and not _says(words[head])
    quote_before = hung_on_quote and (not content_words or any(_closes_quote(sent, j) for j in range(head, i)))
    if not content_words and not belief and not quote_before:
        content_words = _clause_after(sent, i, lemma)
    if quote_before or (hung_on_quote and not content_words):
        content_words = {j for j in subtree(sent, head) if j not in own and j < min(own)}
        inverted = True
        if source is None:
            source, phrase = _take(_phrase_before(sent, i, head), sent, content_words)
    if source is None:
        source, phrase = _take(_subject_beside_parse(sent, i, lemma), sent, content_words)
        inverted = inverted or (source is not None and bool(content_words) and min(content_words) < i)
    if (not content_words or inverted) and not belief:
        ahead = _sentence_final_report(sent, i, source)
        if ahead:
            content_words, inverted = ahead, True
    if not content_words and (belief or source is None):
        return None  # nothing reported, and nobody to frame a direct quote nearby
    if content_words and not inverted:
        content_words = _without_trailing_aside(sent, content_words)
    content = words_span(sent, content_words) if content_words else None
    source_span = None
    if phrase is not None:
        source_span = phrase
    elif source is not None:  # "Putin, stating that ...": the source's subtree holds the cue; leave it out
        source_span = mention_span(sent, source, exclude=subtree(sent, i) if i in subtree(sent, source) else set())
        source, source_span = _with_left_siblings(sent, i, source, source_span)
    cue_idxs = [i] + [k for k in kids[i] if words[k].deprel == "compound:prt"]
    return Cue(sent, i, Span(words[min(cue_idxs)].span.begin, words[max(cue_idxs)].span.end), lemma, source,
               source_span, content, frozenset(content_words), inverted, belief)


_ADJUNCT_RELS = {"obl", "obl:tmod", "obl:npmod", "advmod", "advcl", "punct", "compound:prt", "nmod:tmod", "aux",
                 "discourse"}
_ADDRESSEE_LEMMAS = {"tell", "inform", "assure", "remind", "warn", "advise", "ask", "promise", "urge"}
_FINITE_XPOS = {"VBD", "VBZ", "VBP", "MD", "VBN"}  # VBN: the tagger often takes a past tense for one


def _clause_after(sent: TaggedSentence, i: int, lemma: str) -> set[int]:
    """The reported clause when the parser did not attach it as a complement: after the verb, its adjuncts
    ("on Monday", "in a statement") and addressee ("told reporters") and an optional "that", the rest of
    the sentence, if a finite verb starts a clause there ("said the offer remained open")."""
    words, kids = sent.words, sent.children
    skip = {k for k in kids[i] if k > i and (words[k].deprel in _ADJUNCT_RELS or (
        lemma in _ADDRESSEE_LEMMAS and words[k].deprel in ("obj", "iobj")))}
    for k in sorted(skip):  # "said during the event that ...": a "that" clause hung on an adjunct's noun
        for m in sorted(subtree(sent, k)):
            w = words[m]
            if w.text.lower() == "that" and w.upos == "SCONJ" and w.deprel == "mark" and w.head > m \
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
        if words[k].xpos in _FINITE_XPOS and words[k].upos in ("VERB", "AUX") and k > j:
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


def _take(found: tuple[int, set[int]] | None, sent: TaggedSentence,
          content_words: set[int]) -> tuple[int | None, Span | None]:
    """A source found beside the parse: (its head, its span); its words leave the content (in place)."""
    if found is None:
        return None, None
    source, taken = found
    content_words -= taken
    return source, words_span(sent, taken)


def _bare_participle(sent: TaggedSentence, k: int) -> bool:
    """"one of the states suing the EPA, said": a participle with no subject is no reported clause."""
    w = sent.words[k]
    return w.xpos in ("VBG", "VBN") and not any(sent.words[m].deprel in SUBJECT_RELS for m in sent.children[k])


def _subject_beside_parse(sent: TaggedSentence, i: int, lemma: str) -> tuple[int, set[int]] | None:
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
    if lemma not in _ADDRESSEE_LEMMAS and after \
            and all(w.upos == "PUNCT" for w in words[max(subtree(sent, after[0])) + 1:]):
        k = after[0]
        if (words[k].upos == "PROPN" or _may_speak(words[k])) and i > 0 \
                and words[i - 1].text in (",", '"', "\u201d", "''", "\u2019"):
            return k, subtree(sent, k)
    head = words[i].head
    if words[i].deprel == "ccomp" and 0 <= head < i and not _says(words[head]):
        subjects = [k for k in kids[head] if k < head and words[k].deprel in SUBJECT_RELS]
        if subjects and _may_speak(words[subjects[0]]):
            first = min(subtree(sent, subjects[0]))
            return subjects[0], set(range(first, i))
    if i > 0 and words[i - 1].upos == "PROPN":  # "In an interview, Secretary of State Marco Rubio said"
        start = i - 1
        while start > 0 and (words[start - 1].upos == "PROPN" or (
                words[start - 1].text.lower() in ("of", "the") and start > 1 and words[start - 2].upos == "PROPN")):
            start -= 1
        return i - 1, set(range(start, i))
    if final:
        closing = [j for j in range(i) if _closes_quote(sent, j)]
        if closing and 0 < i - closing[-1] - 1 <= 25:
            taken = set(range(closing[-1] + 1, i))
            speaker = _first_name(sent, sorted(taken))
            if speaker is not None:
                return speaker, taken
    return None


def _closes_quote(sent: TaggedSentence, j: int) -> bool:
    """A closing quotation mark: a typographic one, or a straight one with space after it."""
    w = sent.words[j]
    if w.text in ("\u201d", "''"):
        return True
    return w.text == '"' and j > 0 and (j + 1 == len(sent.words) or sent.words[j + 1].span.begin > w.span.end)


def _source_after_quote(sent: TaggedSentence, i: int) -> tuple[int, set[int]] | None:
    """'"...," Rep. Gwen Moore (D-Wis.) said Friday.': a short verbless phrase between a closing quotation
    mark and the verb, and nothing but a short adjunct after it. Parsers split such names in odd ways
    (into the quote, or the day as the subject); the surface does not: (its first name, its words)."""
    words = sent.words
    closing = [j for j in range(i) if _closes_quote(sent, j)]
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


def _balanced_span(sent: TaggedSentence, idxs: set[int]) -> Span | None:
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


def _separated(sent: TaggedSentence, last: int, i: int) -> bool:
    """A comma, dash or closing quotation mark between a clause that ends at `last` (its own trailing
    punctuation included) and the verb at `i`."""
    while last > 0 and sent.words[last].upos == "PUNCT" and sent.words[last - 1].upos == "PUNCT":
        last -= 1
    if sent.words[last].upos == "PUNCT":
        last -= 1
    return any(sent.words[j].text in (",", "\u2014", "\u2013", "-", '"', "\u201d", "\u2019", "'", ":")
               for j in range(last + 1, i))


def _with_left_siblings(sent: TaggedSentence, i: int, source: int, span: Span | None) -> tuple[int, Span | None]:
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


def _phrase_before(sent: TaggedSentence, i: int, quote_head: int) -> tuple[int, set[int]] | None:
    """The noun phrase that ends right before the verb at `i`, after the quote: (its first name-like
    word, its words). The parser often hangs it, in pieces, on the quote ("..., Scott Pruitt, the attorney
    general, said" with both as appositions)."""
    words = sent.words
    k = i - 1
    while k >= 0 and words[k].upos == "PUNCT":
        k -= 1
    closing = [j for j in range(i) if words[j].text in ('"', "\u201d", "''", "\u2019")]
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


def _colon_between(sent: TaggedSentence, i: int, k: int) -> bool:
    return any(sent.words[j].text in (":",) for j in range(i + 1, min(k, len(sent.words))))


def _subject(sent: TaggedSentence, i: int) -> int | None:
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
        if subjects:
            nearest = min(subjects, key=lambda k: abs(k - j))
            if nearest > j and j == i and j > 0 and sent.words[j - 1].upos == "PROPN":
                return j - 1  # "Marco Rubio said the offer ...", parsed with "offer" as the subject
            return nearest
        if sent.words[j].deprel == "acl" and sent.words[j].head >= 0:
            noun = sent.words[j].head
            if _may_speak(sent.words[noun]):
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
                and _says(sent.words[head])):
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
    return head if head >= 0 and _says(words[head]) else None


def _says(word) -> bool:
    """A verb of saying, by lemma."""
    return word.lemma.lower() in cue_lexicon()["speech"]


def _may_speak(word) -> bool:
    from .lexicon import PERSON_HEADS, THING_HEADS, UNNAMED_HEADS

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
               mention_span(sent, noun, exclude={i, i + 1}), content, frozenset(best), inverted=bool(best) and best[0] < i)

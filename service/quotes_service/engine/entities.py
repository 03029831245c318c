"""Named entities from stanza's NER, grouped into entities with canonical names and titles: where the entities
stage starts (linking.py then resolves the quotes' sources against them).

"Vladimir Putin" ... "Putin" is one person (surname matching); the words before a name that form a title
("Russian President Vladimir Putin") or an appositive ("Putin, the Russian president,") are remembered so
that "the Russian President" can later resolve to him.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .lexicon import GENDERED_WORDS, HONORIFICS, PERSON_HEADS, TITLE_WORDS, first_name_genders
from .nlp import TaggedSentence
from .types import Entity, EntityType, Span

NER_TYPES = {"PER": EntityType.PERSON, "PERSON": EntityType.PERSON, "ORG": EntityType.ORGANIZATION,
             "LOC": EntityType.LOCATION, "GPE": EntityType.LOCATION, "MISC": EntityType.MISC}
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019]|['\u2019])$")
_DETERMINERS = {"the", "a", "an"}
# First words of a sentence-opening phrase that ends in a comma before the subject ("In response to ...,").
_INTRODUCTORY = {"in", "on", "at", "after", "before", "during", "since", "despite", "with", "by", "under",
                 "following", "amid", "earlier", "later", "last", "yesterday", "today", "meanwhile", "however",
                 "also", "still", "instead", "separately", "for", "as", "when", "while", "although", "though"}


def normalize_name(name: str) -> str:
    """Lower-cased name without a leading article, a possessive ending or extra white space."""
    words = name.replace("\u2019", "'").split()
    if words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    out = " ".join(words).lower()
    return re.sub(r"'s$|'$", "", out).strip()


def name_tokens(name: str) -> tuple[str, ...]:
    """Words of a name for matching; hyphenated parts count on their own ("al-Assad" -> "al", "assad")."""
    return tuple(t for t in re.split(r"[\s\-\u2010\u2011]+", normalize_name(name)) if t and t not in HONORIFICS)


@dataclass
class Mention:
    span: Span
    sentence: int
    first_word: int  # >= 0: a name (its first word; 0 for a name the NER missed); -1: a resolved pronoun or title
    entity: int
    is_subject: bool = False


@dataclass
class EntityIndex:
    """All entities of a document, their mentions in text order, titles and known gender."""

    text: str
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    titles: dict[int, set[str]] = field(default_factory=dict)
    gender: dict[int, str] = field(default_factory=dict)
    # kept as mentions and names are added, so that clustering a name looks at a few entities, not every mention
    _tokens: list[tuple[str, ...]] = field(default_factory=list)  # name_tokens of each entity's name
    _by_token: dict[str, set[int]] = field(default_factory=dict)  # name token -> entities whose name has it
    _last_seen: dict[int, Span] = field(default_factory=dict)  # entity -> its last mention in the text
    _last_subject: dict[int, int] = field(default_factory=dict)  # entity -> start of its last subject mention

    # --- building -----------------------------------------------------------------------------
    def add_ner(self, sentences: list[TaggedSentence]) -> None:
        for sent in sentences:
            for first, last, label in _bioes_spans(sent):
                first, last = _trim_mention(sent, first, last)
                if NER_TYPES.get(label) is EntityType.PERSON:
                    first = _skip_title(sent, first, last)
                if first > last or label not in NER_TYPES:
                    continue
                span = Span(sent.words[first].span.begin, sent.words[last].span.end)
                etype = NER_TYPES[label]
                index = self._cluster(span.text(self.text), etype)
                if sent.parsed:
                    subject = any(sent.words[j].deprel.startswith("nsubj") for j in range(first, last + 1))
                else:  # no parse (no reporting word): a name that opens a sentence (or its main clause, after
                    # "In response to ...,") is taken for its subject
                    start = _main_clause_start(sent, first)
                    subject = all(_is_preamble(w.text) for w in sent.words[start:first]) and len(sent.words) > last + 2
                self._remember(Mention(span, sent.index, first, index, subject))
                self.entities[index].mentions.append(span)
                if etype is EntityType.PERSON:
                    titles = _titles(sent, first, last)
                    for title in titles:
                        self.titles.setdefault(index, set()).add(title)
                    gender = _gender(sent, first, last, titles)
                    if gender is not None:
                        self.gender.setdefault(index, gender)

    def _cluster(self, surface: str, etype: EntityType) -> int:
        tokens = name_tokens(surface)
        near = set().union(*(self._by_token.get(t, set()) for t in tokens or ("",)))
        candidates = []  # compatible entities, the most recently mentioned first
        for e in sorted(near, key=lambda e: self._last_seen.get(e, Span(-1, -1)), reverse=True):
            if self.entities[e].type is not etype:
                continue
            known = self._tokens[e]
            if etype is EntityType.PERSON:
                same = bool(tokens) and (set(tokens) <= set(known) or set(known) <= set(tokens))
            else:
                same = tokens == known
            if same:
                candidates.append(e)
        best = candidates[0] if candidates else None
        if len(candidates) > 1 and all(len(tokens) < len(self._tokens[c]) for c in candidates):
            # a bare surname shared by several people ("Cruz" after "Ted Cruz" ... "Heidi Cruz") is the one who
            # was last the subject of a sentence, else the one named most often, else first: relatives and
            # namesakes mentioned in passing get their full names
            best = max(candidates, key=self._salience)
        if best is None:
            self.entities.append(Entity(name="", type=etype))
            self._tokens.append(())
            best = len(self.entities) - 1
            self._rename(best, surface)
        elif len(tokens) > len(self._tokens[best]):
            self._rename(best, surface)
        return best

    def _rename(self, entity: int, surface: str) -> None:
        self.entities[entity].name = _clean_name(surface)
        self._tokens[entity] = name_tokens(self.entities[entity].name)
        for t in self._tokens[entity] or ("",):
            self._by_token.setdefault(t, set()).add(entity)

    def _remember(self, mention: Mention) -> None:
        self.mentions.append(mention)
        e = mention.entity
        if e not in self._last_seen or mention.span > self._last_seen[e]:
            self._last_seen[e] = mention.span
        if mention.is_subject:
            self._last_subject[e] = max(self._last_subject.get(e, -1), mention.span.begin)

    def _salience(self, entity: int) -> tuple[int, int, int]:
        spans = self.entities[entity].mentions
        return self._last_subject.get(entity, -1), len(spans), -min(s.begin for s in spans)

    def add_name(self, span: Span, sentence: int, etype: EntityType) -> int:
        """A proper name found outside the NER (a speaker's name): joins or starts an entity."""
        index = self._cluster(span.text(self.text), etype)
        self.entities[index].mentions.append(span)
        self.entities[index].mentions.sort()
        self._remember(Mention(span, sentence, 0, index, True))
        self.mentions.sort(key=lambda m: m.span)
        return index

    def add_mention(self, entity: int, span: Span, sentence: int, is_subject: bool = True) -> None:
        """Record a resolved mention (a pronoun, a title) of an entity."""
        if span not in self.entities[entity].mentions:
            self.entities[entity].mentions.append(span)
            self.entities[entity].mentions.sort()
            self._remember(Mention(span, sentence, -1, entity, is_subject))
            self.mentions.sort(key=lambda m: m.span)

    # --- lookups ------------------------------------------------------------------------------
    def by_name(self, name: str, before: int, etype: EntityType | None = None) -> int | None:
        """The most recent entity before `before` that the name can refer to ("Putin")."""
        tokens = set(name_tokens(name))
        if not tokens:
            return None
        for m in reversed(self.mentions):
            if m.span.begin >= before:
                continue
            ent = self.entities[m.entity]
            if etype is not None and ent.type is not etype:
                continue
            if tokens <= set(name_tokens(ent.name)):
                return m.entity
        return None

    def by_title(self, phrase: str, before: int) -> int | None:
        """The most recent person before `before` who holds the title ("the Russian President")."""
        words = [w for w in normalize_name(phrase).split() if w not in HONORIFICS]
        if not words or words[-1] not in PERSON_HEADS:
            return None
        wanted = " ".join(words)
        candidates = []
        for m in reversed(self.mentions):
            if m.span.begin >= before or m.entity not in self.titles:
                continue
            titles = self.titles[m.entity]
            if wanted in titles:
                return m.entity
            if any(t.split()[-1] == words[-1] and set(words) <= set(t.split()) | {words[-1]} for t in titles):
                candidates.append(m.entity)
        return candidates[0] if candidates else None


def _bioes_spans(sent: TaggedSentence) -> Iterator[tuple[int, int, str]]:
    start: int | None = None
    label = ""  # the label of the mention that starts at `start`
    for i, w in enumerate(sent.words):
        tag = w.ner or "O"
        prefix, _, lab = tag.partition("-")
        if prefix in ("B", "S") or (prefix in ("I", "E") and (start is None or lab != label)):
            if start is not None:
                yield start, i - 1, label
            start, label = i, lab
        elif prefix == "O":
            if start is not None:
                yield start, i - 1, label
            start = None
        if prefix in ("E", "S") and start is not None:
            yield start, i, label
            start = None
    if start is not None:
        yield start, len(sent.words) - 1, label


def _trim_mention(sent: TaggedSentence, first: int, last: int) -> tuple[int, int]:
    """Drop a leading article, a trailing possessive, and anything from a spaced punctuation mark on."""
    words = sent.words
    for j in range(first + 1, last + 1):
        w = words[j]
        spaced = w.span.begin > words[j - 1].span.end or (j + 1 <= last and words[j + 1].span.begin > w.span.end)
        if not any(c.isalnum() for c in w.text) and spaced:
            last = j - 1
            break
    while first <= last and words[first].text.lower() in _DETERMINERS:
        first += 1
    while last >= first and (words[last].upos == "PUNCT" or words[last].text in ("'s", "\u2019s", "'", "\u2019")
                             or not any(c.isalnum() for c in words[last].text)):
        last -= 1
    return first, last


def _skip_title(sent: TaggedSentence, first: int, last: int) -> int:
    """"German Chancellor Olaf Scholz" names Olaf Scholz: a title inside the tagged span is left out (and
    is picked up as his title)."""
    words = sent.words
    j = first
    while j < last and (words[j].text.lower() in TITLE_WORDS or
                        any(words[k].text.lower() in TITLE_WORDS for k in range(j + 1, min(j + 3, last)))):
        j += 1
    while j > first and words[j].text.lower() in HONORIFICS:
        j -= 1  # keep "Mr." with the name
    return j


def _clean_name(surface: str) -> str:
    words = surface.split()
    if words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return _POSSESSIVE.sub("", " ".join(words)) or surface


def _titles(sent: TaggedSentence, first: int, last: int) -> set[str]:
    """Title phrases of a person mention: the words just before it, and an appositive after it."""
    words, titles = sent.words, set()
    j = first - 1
    phrase: list[str] = []
    while j >= 0:
        w = words[j]
        low = w.text.lower()
        if low in HONORIFICS:
            j -= 1
            continue
        # a title word, or a capitalised modifier of one ("Russian", "U.S.", "Kremlin")
        if low in TITLE_WORDS or (phrase and w.text[:1].isupper() and w.upos in ("", "ADJ", "PROPN", "NOUN")):
            phrase.insert(0, low)
            j -= 1
            continue
        break
    if phrase and any(p in PERSON_HEADS for p in phrase):
        while phrase and phrase[-1] not in PERSON_HEADS:
            phrase.pop()
        titles.add(" ".join(phrase))
    if sent.parsed:
        head = max(range(first, last + 1), key=lambda k: words[k].head < first or words[k].head > last)
        for k in sent.children[head]:
            if words[k].deprel == "appos" and words[k].text.lower() in PERSON_HEADS:
                mods = [words[m].text.lower() for m in sorted(sent.children[k])
                        if m < k and words[m].deprel in ("amod", "compound", "nmod:poss") and words[m].upos != "PUNCT"]
                titles.add(" ".join(mods + [words[k].text.lower()]))
        parent = words[head].head
        if words[head].deprel == "appos" and 0 <= parent < first and words[parent].text.lower() in PERSON_HEADS:
            mods = [words[m].text.lower() for m in sorted(sent.children[parent])
                    if m < parent and words[m].deprel in ("amod", "compound")]
            titles.add(" ".join(mods + [words[parent].text.lower()]))
    return titles


def _main_clause_start(sent: TaggedSentence, first: int) -> int:
    """Where the main clause starts, for a sentence that opens with a phrase like "In response to the
    pressure," or "On Monday,": after that phrase's comma, if the comma comes before word `first`."""
    words = sent.words
    if not words or words[0].text.lower() not in _INTRODUCTORY:
        return 0
    comma = next((j for j in range(1, first) if words[j].text == ","), None)
    return comma + 1 if comma is not None else 0


def _is_preamble(word: str) -> bool:
    """A word that can come before a sentence's subject name: a title, an article, punctuation."""
    low = word.lower()
    return low in TITLE_WORDS or low in HONORIFICS or low in _DETERMINERS or not any(c.isalnum() for c in word)


def _gender(sent: TaggedSentence, first: int, last: int, titles: set[str]) -> str | None:
    """A person's gender where the text shows it: an honorific or a gendered title next to the name
    ("Mrs. Clinton", "Congresswoman Maxine Waters", "his wife, Jane"), or a given name that is almost
    always one gender, when the mention has one ("Hillary Clinton", but not "Warren" alone)."""
    words = sent.words
    near = [words[first].text.lower()] + ([words[first - 1].text.lower()] if first > 0 else [])
    near += [t.split()[-1] for t in titles]
    for word in near:
        if word in GENDERED_WORDS:
            return GENDERED_WORDS[word]
    names = [w.text for w in words[first:last + 1] if w.text[:1].isupper() and w.text.lower() not in HONORIFICS]
    return first_name_genders().get(names[0].lower()) if len(names) >= 2 else None

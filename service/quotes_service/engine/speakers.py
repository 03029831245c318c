"""Stage 4: who a cue's source mention is, as a canonical speaker.

  "Putin", "Russian President Vladimir Putin"   -> the named entity ("Vladimir Putin")
  "the Russian President"                       -> the person who holds that title
  "he" / "she"                                  -> the most recent compatible person that is a subject or
                                                   a speaker, outside quoted or reported words
  "who" in "Putin, who said ..."                -> what the relative clause hangs on
  "reports", "sources", "a spokesman"           -> unnamed, kept as written; "Tice's mother" -> a person
"""
from __future__ import annotations

from dataclasses import dataclass

from .entities import EntityIndex
from .lexicon import PERSON_HEADS, PRONOUNS, RELATIVE_PRONOUNS, THING_HEADS, TITLE_WORDS, UNNAMED_HEADS
from .nlp import TaggedSentence
from .outlets import OutletDirectory
from .types import EntityType, Span, Speaker, SpeakerKind

_KIND_OF_ENTITY = {EntityType.PERSON: SpeakerKind.PERSON, EntityType.ORGANIZATION: SpeakerKind.ORGANIZATION,
                   EntityType.LOCATION: SpeakerKind.ORGANIZATION, EntityType.MISC: SpeakerKind.OTHER}


@dataclass
class SpeakerContext:
    """What earlier stages know that resolution needs."""

    text: str
    entities: EntityIndex
    outlets: OutletDirectory
    reported: list[Span]  # quoted and reported words: mentions inside them are not antecedents
    speakers: list[tuple[int, int]]  # (position, entity) of earlier resolved speakers, in text order


def resolve(ctx: SpeakerContext, sent: TaggedSentence, head: int, mention: Span) -> Speaker:
    word = sent.words[head]
    low = word.text.lower()
    surface = " ".join(mention.text(ctx.text).split())
    if low in RELATIVE_PRONOUNS and word.deprel.startswith("nsubj"):
        antecedent = _relative_antecedent(sent, head)
        if antecedent is not None:
            from .cues import mention_span

            span = mention_span(sent, antecedent, exclude=_clause_of(sent, head))
            if span is not None:
                inner = resolve(ctx, sent, antecedent, span)
                return Speaker(inner.name, mention, inner.kind, inner.entity_index)
    if low in PRONOUNS and mention == word.span:
        return _pronoun(ctx, sent, head, mention, PRONOUNS[low], surface)
    entity = _entity_with_head(ctx, sent, head, mention)
    if entity is None:
        entity = _entity_in_mention(ctx, sent, head, mention)
    if entity is not None:
        return _entity_speaker(ctx, entity, mention, sent)
    outlet = ctx.outlets.match_name(surface)
    if outlet is not None:
        return Speaker(outlet.name, mention, SpeakerKind.ORGANIZATION)
    head_low = low.rstrip(".")
    if word.upos == "PROPN" or (word.text[:1].isupper() and head_low not in PERSON_HEADS | UNNAMED_HEADS | THING_HEADS):
        entity = ctx.entities.by_name(word.text, mention.begin)
        if entity is not None:
            return _entity_speaker(ctx, entity, mention, sent)
    if head_low in PERSON_HEADS:
        entity = ctx.entities.by_title(surface, mention.begin)
        if entity is not None:
            return _entity_speaker(ctx, entity, mention, sent)
    name = _proper_name(sent, head, mention)
    if name is not None:  # a name the NER missed: it becomes an entity, so later mentions resolve to it
        entity = ctx.entities.add_name(name, sent.index, _proper_name_type(name.text(ctx.text)))
        return _entity_speaker(ctx, entity, mention, sent)
    return Speaker(surface, mention, _kind_of_nominal(word, head_low))


_ORG_WORDS = {"inc", "inc.", "corp", "corp.", "ltd", "co.", "company", "group", "ministry", "party", "commission",
              "council", "committee", "agency", "department", "office", "bank", "association", "union",
              "university", "court", "police", "army", "government", "institute", "foundation", "federation",
              "organization", "organisation", "board", "authority", "service", "campaign", "administration",
              "house", "senate", "congress", "parliament", "assembly", "league", "network", "news", "times", "post"}


def _proper_name(sent: TaggedSentence, head: int, mention: Span) -> Span | None:
    """The capitalised proper-name words around the head ("Doe", "Jane Doe"), without titles."""
    words = sent.words
    if words[head].upos != "PROPN" or words[head].text.lower() in PERSON_HEADS:
        return None
    lo = hi = head
    while lo - 1 >= 0 and words[lo - 1].upos == "PROPN" and mention.contains(words[lo - 1].span) \
            and words[lo - 1].text.lower() not in TITLE_WORDS:
        lo -= 1
    while hi + 1 < len(words) and words[hi + 1].upos == "PROPN" and mention.contains(words[hi + 1].span):
        hi += 1
    if not all(words[k].text[:1].isupper() for k in range(lo, hi + 1)):
        return None
    return Span(words[lo].span.begin, words[hi].span.end)


def _proper_name_type(name: str) -> EntityType:
    return EntityType.ORGANIZATION if any(w.lower() in _ORG_WORDS for w in name.split()) else EntityType.PERSON


def _entity_speaker(ctx: SpeakerContext, entity: int, mention: Span, sent: TaggedSentence) -> Speaker:
    ent = ctx.entities.entities[entity]
    ctx.entities.add_mention(entity, mention, sent.index)
    outlet = ctx.outlets.match_name(ent.name)
    if outlet is not None:
        return Speaker(outlet.name, mention, SpeakerKind.ORGANIZATION, entity)
    return Speaker(ent.name, mention, _KIND_OF_ENTITY[ent.type], entity)


def _entity_with_head(ctx: SpeakerContext, sent: TaggedSentence, head: int, mention: Span) -> int | None:
    """The named entity the mention is about: one whose name covers the mention's head word."""
    hspan = sent.words[head].span
    for m in ctx.entities.mentions:
        if m.first_word >= 0 and m.sentence == sent.index and m.span.contains(hspan):
            return m.entity
    return None


def _entity_in_mention(ctx: SpeakerContext, sent: TaggedSentence, head: int, mention: Span) -> int | None:
    """A person or organisation named in the mention: the name it starts with ("Scott Pruitt, the attorney
    general"), else the first name after its head word ("Russian President Vladimir Putin"); never a
    modifier before the head ("a Kremlin spokesman") nor a possessor ("Tice's mother")."""
    names = []
    for m in ctx.entities.mentions:
        if m.first_word < 0 or m.sentence != sent.index or not mention.contains(m.span):
            continue
        if ctx.entities.entities[m.entity].type not in (EntityType.PERSON, EntityType.ORGANIZATION):
            continue
        if ctx.text[m.span.end:m.span.end + 2] in ("'s", "\u2019s") or ctx.text[m.span.end:m.span.end + 1] in "'\u2019":
            continue
        names.append(m)
    opening = [m for m in names if not ctx.text[mention.begin:m.span.begin].strip()]
    if opening:
        return opening[0].entity
    after = [m for m in names if m.span.end > sent.words[head].span.begin]
    return after[0].entity if after else None


def _kind_of_nominal(word, head_low: str) -> SpeakerKind:
    if head_low in UNNAMED_HEADS:
        return SpeakerKind.UNNAMED
    if head_low in PERSON_HEADS:
        return SpeakerKind.PERSON
    if head_low in THING_HEADS:
        return SpeakerKind.OTHER
    if word.upos == "PROPN":
        return SpeakerKind.PERSON
    return SpeakerKind.OTHER


def _pronoun(ctx: SpeakerContext, sent: TaggedSentence, head: int, mention: Span, gender: str, surface: str) -> Speaker:
    if gender in ("male", "female"):
        entity = _antecedent(ctx, mention.begin, gender)
        if entity is not None:
            ctx.entities.gender.setdefault(entity, gender)
            return _entity_speaker(ctx, entity, mention, sent)
        return Speaker(surface, mention, SpeakerKind.PERSON)
    if gender in ("plural", "neuter"):
        # "they" and "it" name an organisation only when one was the subject just before
        entity = _antecedent(ctx, mention.begin, gender, EntityType.ORGANIZATION, window_sentences=1,
                             subjects_only=True)
        if entity is not None:
            return _entity_speaker(ctx, entity, mention, sent)
    return Speaker(surface, mention, SpeakerKind.UNSPECIFIED)


def _antecedent(ctx: SpeakerContext, before: int, gender: str, etype: EntityType = EntityType.PERSON,
                window_sentences: int = 6, subjects_only: bool = False) -> int | None:
    """Most recent salient entity of the type: a subject mention outside reported words, or a speaker."""
    ents = ctx.entities
    candidates: list[tuple[int, int, bool]] = []  # (position, entity, is a subject or speaker)
    last_sentence = None
    for m in ents.mentions:
        if m.span.begin >= before:
            break
        last_sentence = m.sentence
    for m in ents.mentions:
        if m.span.begin >= before or ents.entities[m.entity].type is not etype:
            continue
        if last_sentence is not None and m.sentence < last_sentence - window_sentences:
            continue
        if any(r.contains(m.span) for r in ctx.reported):
            continue
        known = ents.gender.get(m.entity)
        if etype is EntityType.PERSON and known and known != gender:
            continue
        candidates.append((m.span.begin, m.entity, m.is_subject))
    for pos, entity in ctx.speakers:
        if pos < before and ents.entities[entity].type is etype:
            known = ents.gender.get(entity)
            if not (known and known != gender and etype is EntityType.PERSON):
                candidates.append((pos, entity, True))
    salient = [c for c in candidates if c[2]] or ([] if subjects_only else candidates)
    return max(salient)[1] if salient else None


def _relative_antecedent(sent: TaggedSentence, head: int) -> int | None:
    verb = sent.words[head].head
    while verb >= 0 and sent.words[verb].deprel not in ("acl:relcl", "acl"):
        if sent.words[verb].deprel not in ("conj", "xcomp"):
            return None
        verb = sent.words[verb].head
    return sent.words[verb].head if verb >= 0 else None


def _clause_of(sent: TaggedSentence, head: int) -> set[int]:
    from .cues import subtree

    verb = sent.words[head].head
    while verb >= 0 and sent.words[verb].deprel not in ("acl:relcl", "acl"):
        verb = sent.words[verb].head
    return subtree(sent, verb) if verb >= 0 else set()

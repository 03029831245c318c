"""Entity linking: the document's entities, and what each quote's source mention refers to.

The NER's mentions are grouped into entities first (entities.py). Then every quote's source mention is
resolved, in text order, so that each can refer back to what came before it:

  "Putin", "Russian President Vladimir Putin"   -> the named entity ("Vladimir Putin")
  "the Russian President"                       -> the person who holds that title
  "he" / "she"                                  -> the most recent compatible person that is a subject or
                                                   a speaker, outside quoted or reported words
  "who" in "Putin, who said ..."                -> what the relative clause hangs on
  "Jane Doe" (a name the NER missed)            -> a new entity, so that later mentions resolve to it
  "reports", "sources", "a spokesman"           -> nothing: unnamed, kept as written; "Tice's mother" -> a person
  an embedded post's signature or account, a transcript's or a headline's speaker label -> a known name

Resolved mentions join their entity (pronouns and titles included), so the entities returned are final
once every source is linked; speakers.py and outlets.py only read them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .attribution import Draft
from .cues import mention_span, subtree
from .entities import EntityIndex
from .lexicon import PERSON_HEADS, PRONOUNS, RELATIVE_PRONOUNS, THING_HEADS, TITLE_WORDS, UNNAMED_HEADS
from .nlp import TaggedSentence, Word
from .outlets import OutletDirectory
from .types import Entity, EntityType, Span, SpeakerKind


@dataclass(frozen=True)
class SourceLink:
    """What one quote's source mention refers to: an entity of the document, else only itself (an outlet,
    "sources", "a spokesman", a "he" with no antecedent), with the name and kind the mention shows."""

    mention: Span
    entity: int | None = None  # index into the document's entities
    name: str = ""  # without an entity: the outlet's name, or the mention's words
    kind: SpeakerKind = SpeakerKind.UNSPECIFIED  # without an entity


@dataclass
class Linking:
    entities: list[Entity]  # final: NER mentions, names the NER missed, and the resolved mentions
    sources: list[SourceLink | None]  # per draft (same index): its source, None for a quote with none


@dataclass
class _Context:
    text: str
    entities: EntityIndex
    outlets: OutletDirectory
    reported: list[Span]  # quoted and reported words: mentions inside them are not antecedents
    speakers: list[tuple[int, int]]  # (position, entity) of sources linked so far, in text order


def link_entities(text: str, sentences: list[TaggedSentence], drafts: list[Draft],
                  outlets: OutletDirectory) -> Linking:
    index = EntityIndex(text)
    index.add_ner(sentences)
    ctx = _Context(text, index, outlets, [d.quote.content if d.quote else d.content for d in drafts], [])
    sources: list[SourceLink | None] = [None] * len(drafts)
    for i in sorted(range(len(drafts)), key=lambda i: _source_position(drafts[i])):
        d = drafts[i]
        link = None
        if d.cue is not None and d.cue.source is not None and d.cue.source_span is not None:
            link = _resolve(ctx, d.cue.sentence, d.cue.source, d.cue.source_span)
        elif d.post is not None:
            link = _post_source(ctx, d)
        elif d.label is not None:
            link = _label_source(ctx, d.label)
        sources[i] = link
        if link is not None and link.entity is not None:
            ctx.speakers.append((link.mention.begin, link.entity))
    return Linking(index.entities, sources)


def _source_position(d: Draft) -> int:
    if d.cue is not None and d.cue.source_span is not None:
        return d.cue.source_span.begin
    return d.content.begin


def _resolve(ctx: _Context, sent: TaggedSentence, head: int, mention: Span) -> SourceLink:
    word = sent.words[head]
    low = word.text.lower()
    surface = " ".join(mention.text(ctx.text).split())
    if low in RELATIVE_PRONOUNS and word.deprel.startswith("nsubj"):
        antecedent = _relative_antecedent(sent, head)
        if antecedent is not None:
            span = mention_span(sent, antecedent, exclude=_clause_of(sent, head))
            if span is not None:
                inner = _resolve(ctx, sent, antecedent, span)
                return SourceLink(mention, inner.entity, inner.name, inner.kind)
    if low in PRONOUNS and mention == word.span:
        return _pronoun(ctx, sent, mention, PRONOUNS[low], surface)
    entity = _entity_with_head(ctx, sent, head)
    if entity is None:
        entity = _entity_in_mention(ctx, sent, head, mention)
    if entity is not None:
        return _link(ctx, entity, mention, sent)
    outlet = ctx.outlets.match_name(surface)
    if outlet is not None:
        return SourceLink(mention, None, outlet.name, SpeakerKind.ORGANIZATION)
    head_low = low.rstrip(".")
    if word.upos == "PROPN" or (word.text[:1].isupper() and head_low not in PERSON_HEADS | UNNAMED_HEADS | THING_HEADS):
        entity = ctx.entities.by_name(word.text, mention.begin)
        if entity is not None:
            return _link(ctx, entity, mention, sent)
    if head_low in PERSON_HEADS:
        entity = ctx.entities.by_title(surface, mention.begin)
        if entity is not None:
            return _link(ctx, entity, mention, sent)
    name = _proper_name(sent, head, mention)
    if name is not None:  # a name the NER missed: it becomes an entity, so later mentions resolve to it
        entity = ctx.entities.add_name(name, sent.index, _proper_name_type(name.text(ctx.text)))
        return _link(ctx, entity, mention, sent)
    return SourceLink(mention, None, surface, _kind_of_nominal(word, head_low))


def _post_source(ctx: _Context, d: Draft) -> SourceLink:
    """An embedded post's speaker: its signature ("– Putin"), else the account's display name."""
    post = d.post
    assert post is not None
    mention = post.signature or post.display_name
    surface = mention.text(ctx.text)
    outlet = ctx.outlets.match_name(surface) or (None if post.signature else ctx.outlets.by_handle(post.handle))
    if outlet is not None:
        return SourceLink(mention, None, outlet.name, SpeakerKind.ORGANIZATION)
    entity = ctx.entities.by_name(surface, post.content.begin)
    if entity is not None:
        ctx.entities.add_mention(entity, mention, -1)
        return SourceLink(mention, entity)
    return SourceLink(mention, None, surface, SpeakerKind.PERSON)


def _label_source(ctx: _Context, label: Span) -> SourceLink:
    """A transcript's or a headline's speaker label ("WALLACE:", "Putin:"): a person named before, or itself."""
    surface = label.text(ctx.text)
    entity = ctx.entities.by_name(surface, label.begin, EntityType.PERSON)
    if entity is not None:
        ctx.entities.add_mention(entity, label, -1)
        return SourceLink(label, entity)
    return SourceLink(label, None, surface, SpeakerKind.PERSON)


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


def _link(ctx: _Context, entity: int, mention: Span, sent: TaggedSentence) -> SourceLink:
    ctx.entities.add_mention(entity, mention, sent.index)
    return SourceLink(mention, entity)


def _entity_with_head(ctx: _Context, sent: TaggedSentence, head: int) -> int | None:
    """The named entity the mention is about: one whose name covers the mention's head word."""
    hspan = sent.words[head].span
    for m in ctx.entities.mentions:
        if m.first_word >= 0 and m.sentence == sent.index and m.span.contains(hspan):
            return m.entity
    return None


def _entity_in_mention(ctx: _Context, sent: TaggedSentence, head: int, mention: Span) -> int | None:
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


def _kind_of_nominal(word: Word, head_low: str) -> SpeakerKind:
    if head_low in UNNAMED_HEADS:
        return SpeakerKind.UNNAMED
    if head_low in PERSON_HEADS:
        return SpeakerKind.PERSON
    if head_low in THING_HEADS:
        return SpeakerKind.OTHER
    if word.upos == "PROPN":
        return SpeakerKind.PERSON
    return SpeakerKind.OTHER


def _pronoun(ctx: _Context, sent: TaggedSentence, mention: Span, gender: str, surface: str) -> SourceLink:
    if gender in ("male", "female"):
        entity = _antecedent(ctx, mention.begin, gender)
        if entity is not None:
            ctx.entities.gender.setdefault(entity, gender)
            return _link(ctx, entity, mention, sent)
        return SourceLink(mention, None, surface, SpeakerKind.PERSON)
    if gender in ("plural", "neuter"):
        # "they" and "it" name an organisation only when one was the subject just before
        entity = _antecedent(ctx, mention.begin, gender, EntityType.ORGANIZATION, window_sentences=1,
                             subjects_only=True)
        if entity is not None:
            return _link(ctx, entity, mention, sent)
    return SourceLink(mention, None, surface, SpeakerKind.UNSPECIFIED)


def _antecedent(ctx: _Context, before: int, gender: str, etype: EntityType = EntityType.PERSON,
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
    verb = sent.words[head].head
    while verb >= 0 and sent.words[verb].deprel not in ("acl:relcl", "acl"):
        verb = sent.words[verb].head
    return subtree(sent, verb) if verb >= 0 else set()

"""The extraction engine: one document in, typed quotes out. Stages, in order:

segmentation -> quote_marks -> (parse selected sentences) -> cues -> attribution -> entities -> speakers
-> outlets. Models load once per Engine; an Engine is not shared between threads.
"""
from __future__ import annotations

import time

from ..models import ModelSelection, select_models
from . import segmentation
from .attribution import Draft, attribute
from .cues import find_cues, subtree
from .embedded_posts import find_embedded_posts
from .entities import EntityIndex
from .lexicon import FUNCTION_WORDS, cue_lexicon
from .nlp import StanzaNLP, TaggedSentence
from .outlets import OutletDirectory
from .quote_marks import find_quote_spans
from .speakers import SpeakerContext, resolve
from .types import (
    EntityType,
    Extraction,
    Outlet,
    OutletEvidence,
    Paragraph,
    Quote,
    Sentence,
    Span,
    Speaker,
    SpeakerKind,
)

NAMING_QUOTE_WITHIN_CHARS = 60  # a quotation this close after "called" may be what was called


class DeadlineExceeded(Exception):
    """The caller's deadline passed between two stages; the rest of the work was skipped."""


def _check(deadline: float | None) -> None:
    if deadline is not None and time.time() > deadline:
        raise DeadlineExceeded


class Engine:
    def __init__(self, models: ModelSelection | None = None, *, threads: int | None = None,
                 outlets: OutletDirectory | None = None):
        self.models = models or select_models()
        self.nlp = StanzaNLP(self.models, threads=threads)
        self.outlets = outlets or OutletDirectory.default()

    @property
    def version(self) -> str:
        return self.models.version

    def extract(self, text: str, *, publisher: str = "", url: str = "", language_code: str = "en",
                deadline: float | None = None) -> Extraction:
        """Every quote of `text`. `deadline` (time.time() seconds) is checked between the model stages."""
        _check(deadline)
        paragraphs = segmentation.paragraphs(text)
        sentences = segmentation.segment(self.nlp, text, paragraphs)
        quote_spans = find_quote_spans(text, paragraphs)
        _check(deadline)
        quoted = [q.content for q in quote_spans]
        self.nlp.parse([s for s in sentences if needs_parse(s, quoted)])
        _check(deadline)
        self.nlp.ner([s for s in sentences if may_name(text, s)])
        entities = EntityIndex(text)
        entities.add_ner(sentences)
        cues = [c for s in sentences for c in find_cues(s)]
        posts = find_embedded_posts(text, paragraphs)
        drafts = attribute(text, paragraphs, sentences, quote_spans, cues, posts)
        speakers = self._speakers(text, drafts, entities)
        outlets = self._outlets(text, drafts, speakers, paragraphs, publisher, url)
        quotes = [Quote(d.type, d.content, d.cue.span if d.cue else d.label_mark, speakers[i], outlets[i],
                        round(d.confidence, 2), _sentence_indexes(sentences, d.content))
                  for i, d in enumerate(drafts)]
        return Extraction(
            text=text,
            quotes=quotes,
            entities=entities.entities,
            sentences=[Sentence(s.span, s.paragraph_index, s.tokens) for s in sentences],
            paragraphs=[Paragraph(p) for p in paragraphs],
            model_version=self.version,
            language_code=language_code or "en",
        )

    def _speakers(self, text: str, drafts: list[Draft], entities: EntityIndex) -> list[Speaker | None]:
        reported = [d.quote.content if d.quote else d.content for d in drafts]
        ctx = SpeakerContext(text, entities, self.outlets, reported, [])
        found: dict[int, Speaker | None] = {}  # id(draft) -> speaker
        for d in sorted(drafts, key=_speaker_position):
            speaker = None
            if d.cue is not None and d.cue.source is not None and d.cue.source_span is not None:
                speaker = resolve(ctx, d.cue.sentence, d.cue.source, d.cue.source_span)
            elif d.post is not None:
                speaker = self._post_speaker(text, d, entities)
            elif d.label is not None:
                speaker = self._label_speaker(text, d.label, entities)
            found[id(d)] = speaker
            if speaker is not None and speaker.entity_index is not None and speaker.mention is not None:
                ctx.speakers.append((speaker.mention.begin, speaker.entity_index))
        for _ in range(len(drafts)):  # continuations take their antecedent's speaker, along chains
            changed = False
            for d in drafts:
                prev = found.get(id(d.continues)) if d.continues is not None else None
                if found[id(d)] is None and prev is not None:
                    found[id(d)] = Speaker(prev.name, None, prev.kind, prev.entity_index)  # no mention of its own
                    changed = True
            if not changed:
                break
        return [found[id(d)] for d in drafts]

    def _post_speaker(self, text: str, d: Draft, entities: EntityIndex) -> Speaker:
        post = d.post
        assert post is not None
        mention = post.signature or post.display_name
        surface = mention.text(text)
        outlet = self.outlets.match_name(surface) or (None if post.signature else self.outlets.by_handle(post.handle))
        if outlet is not None:
            return Speaker(outlet.name, mention, SpeakerKind.ORGANIZATION)
        entity = entities.by_name(surface, post.content.begin)
        if entity is not None:
            entities.add_mention(entity, mention, -1)
            return Speaker(entities.entities[entity].name, mention, SpeakerKind.PERSON, entity)
        return Speaker(surface, mention, SpeakerKind.PERSON)

    @staticmethod
    def _label_speaker(text: str, label: Span, entities: EntityIndex) -> Speaker:
        surface = label.text(text)
        entity = entities.by_name(surface, label.begin, EntityType.PERSON)
        if entity is not None:
            entities.add_mention(entity, label, -1)
            return Speaker(entities.entities[entity].name, label, SpeakerKind.PERSON, entity)
        return Speaker(surface, label, SpeakerKind.PERSON)

    def _outlets(self, text: str, drafts: list[Draft], speakers: list[Speaker | None], paragraphs: list[Span],
                 publisher: str, url: str) -> list[Outlet | None]:
        fallback = self.outlets.wire_credit(text, paragraphs[0] if paragraphs else None) or \
            self.outlets.publisher(publisher, url)
        result: list[Outlet | None] = []
        by_draft: dict[int, Outlet | None] = {}
        for d, speaker in zip(drafts, speakers):
            outlet = None
            if d.post is not None:
                info = self.outlets.by_handle(d.post.handle) or self.outlets.match_name(d.post.display_name.text(text))
                name = info.name if info else d.post.display_name.text(text)
                outlet = Outlet(name, OutletEvidence.EMBEDDED_POST, d.post.handle, d.post.display_name)
            elif speaker is not None and speaker.mention is not None and speaker.kind is SpeakerKind.ORGANIZATION:
                info = self.outlets.match_name(speaker.mention.text(text)) or self.outlets.match_name(speaker.name)
                outlet = self.outlets.source_phrase(info, speaker.mention) if info else None
            if outlet is None and d.cue is not None:
                outlet = self._outlet_near_cue(text, d)
            if outlet is None and d.continues is not None:
                outlet = by_draft.get(id(d.continues))
            by_draft[id(d)] = outlet
            result.append(outlet or fallback)
        return result

    def _outlet_near_cue(self, text: str, d: Draft) -> Outlet | None:
        """'told Reuters', 'in an interview with CNN', 'said on Fox News': an outlet in the cue's clause."""
        cue = d.cue
        assert cue is not None
        sent = cue.sentence
        if not sent.parsed or cue.lemma == "according to":
            return None
        skip = set(cue.content_words) | (subtree(sent, cue.source) if cue.source is not None else set())
        words = subtree(sent, cue.head) - skip
        for span, info in self.outlets.find(text, sent.span):
            if any(sent.words[w].span.overlaps(span) for w in words) and not d.content.overlaps(span):
                return self.outlets.source_phrase(info, span)
        return None


def needs_parse(sent: TaggedSentence, quoted: list[Span]) -> bool:
    """Only a sentence with a reporting word outside quotation marks needs tags and a parse."""
    return bool(parse_triggers(sent, quoted))


def parse_triggers(sent: TaggedSentence, quoted: list[Span]) -> set[str]:
    """The words that make a sentence worth parsing: reporting words outside quotation marks (cues inside
    quoted speech are not the document's, and a quotation needs a cue outside it to be attributed), and a
    verb of naming only with a quotation opening just after it ('called him a "nasty guy"')."""
    lex = cue_lexicon()
    found = set()
    for w in sent.words:
        low = w.text.lower()
        if any(q.contains(w.span) for q in quoted):
            continue
        if low in lex["triggers"] or low == "according" or (
                low in lex["naming"] and any(0 < q.begin - w.span.end <= NAMING_QUOTE_WITHIN_CHARS for q in quoted)):
            found.add(low)
    return found


def may_name(text: str, sent: TaggedSentence) -> bool:
    """Whether NER can find anything: names are capitalised, so a sentence whose only capital letter is
    on a first word like "The", "He" or "But" has none and skips the tagger."""
    first = sent.words[0].text.lower() if sent.words else ""
    rest = text[sent.words[1].span.begin:sent.span.end] if len(sent.words) > 1 else ""
    return first not in FUNCTION_WORDS or any(ch.isupper() for ch in rest)


def _speaker_position(d: Draft) -> int:
    if d.cue is not None and d.cue.source_span is not None:
        return d.cue.source_span.begin
    return d.content.begin


def _sentence_indexes(sentences: list[TaggedSentence], span: Span) -> list[int]:
    return [s.index for s in sentences if s.span.overlaps(span)]

"""Typed results of the engine. Offsets are Unicode code points into the original text, end exclusive.

Each class maps one-to-one onto a message of proto/quotes/v1/quote_service.proto (see response.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, order=True)
class Span:
    begin: int
    end: int

    def __len__(self) -> int:
        return self.end - self.begin

    def text(self, doc: str) -> str:
        return doc[self.begin:self.end]

    def overlaps(self, other: Span) -> bool:
        return self.begin < other.end and other.begin < self.end

    def contains(self, other: Span) -> bool:
        return self.begin <= other.begin and other.end <= self.end


class QuoteType(Enum):
    DIRECT = 1
    INDIRECT = 2
    MIXED = 3


class SpeakerKind(Enum):
    UNSPECIFIED = 0
    PERSON = 1
    ORGANIZATION = 2
    UNNAMED = 3
    OTHER = 4


class OutletEvidence(Enum):
    EMBEDDED_POST = 1
    SOURCE_PHRASE = 2
    WIRE_CREDIT = 3
    DOCUMENT_PUBLISHER = 4


class EntityType(Enum):
    PERSON = 1
    ORGANIZATION = 2
    LOCATION = 3
    MISC = 4


@dataclass
class Speaker:
    name: str
    mention: Span | None
    kind: SpeakerKind
    entity_index: int | None = None


@dataclass
class Outlet:
    name: str
    evidence: OutletEvidence
    handle: str = ""
    mention: Span | None = None


@dataclass
class Quote:
    type: QuoteType
    content: Span
    cue: Span | None = None
    speaker: Speaker | None = None
    outlet: Outlet | None = None
    confidence: float = 0.5
    sentence_indexes: list[int] = field(default_factory=list)


@dataclass
class Entity:
    name: str
    type: EntityType
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Sentence:
    span: Span
    paragraph_index: int
    tokens: list[Span] = field(default_factory=list)


@dataclass
class Paragraph:
    span: Span


@dataclass
class Extraction:
    """Everything the engine found in one document."""

    text: str
    quotes: list[Quote]
    entities: list[Entity]
    sentences: list[Sentence]
    paragraphs: list[Paragraph]
    model_version: str
    language_code: str = "en"

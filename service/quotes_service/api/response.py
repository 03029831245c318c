"""Engine results -> quotes.v1 messages (ExtractQuotesResponse), offsets in the caller's encoding."""
from __future__ import annotations

import json

from google.protobuf import json_format

from quotes.v1 import quote_service_pb2 as pb

from ..engine.types import EntityType, Extraction, Outlet, OutletEvidence, QuoteType, Span, Speaker, SpeakerKind
from ..markup.visible import VisibleText
from .offsets import OffsetMapper

QUOTE_TYPES = {QuoteType.DIRECT: pb.QUOTE_TYPE_DIRECT, QuoteType.INDIRECT: pb.QUOTE_TYPE_INDIRECT,
               QuoteType.MIXED: pb.QUOTE_TYPE_MIXED}
SPEAKER_KINDS = {SpeakerKind.UNSPECIFIED: pb.SPEAKER_KIND_UNSPECIFIED, SpeakerKind.PERSON: pb.SPEAKER_KIND_PERSON,
                 SpeakerKind.ORGANIZATION: pb.SPEAKER_KIND_ORGANIZATION, SpeakerKind.UNNAMED: pb.SPEAKER_KIND_UNNAMED,
                 SpeakerKind.OTHER: pb.SPEAKER_KIND_OTHER}
EVIDENCE = {OutletEvidence.EMBEDDED_POST: pb.OUTLET_EVIDENCE_EMBEDDED_POST,
            OutletEvidence.SOURCE_PHRASE: pb.OUTLET_EVIDENCE_SOURCE_PHRASE,
            OutletEvidence.WIRE_CREDIT: pb.OUTLET_EVIDENCE_WIRE_CREDIT,
            OutletEvidence.DOCUMENT_PUBLISHER: pb.OUTLET_EVIDENCE_DOCUMENT_PUBLISHER}
ENTITY_TYPES = {EntityType.PERSON: pb.ENTITY_TYPE_PERSON, EntityType.ORGANIZATION: pb.ENTITY_TYPE_ORGANIZATION,
                EntityType.LOCATION: pb.ENTITY_TYPE_LOCATION, EntityType.MISC: pb.ENTITY_TYPE_MISC}


def to_response(ex: Extraction, document_id: str, encoding: int = pb.ENCODING_TYPE_UNSPECIFIED,
                include_tokens: bool = False, source: VisibleText | None = None) -> pb.ExtractQuotesResponse:
    """`source`: for an HTML document, the map from the visible text the engine read back to the HTML, whose
    offsets the response then gives (content stays the visible text)."""
    offset = OffsetMapper(ex.text if source is None else source.source, encoding)

    def span(s: Span) -> pb.TextSpan:
        begin, end = (s.begin, s.end) if source is None else source.source_span(s.begin, s.end)
        return pb.TextSpan(begin_offset=offset(begin), end_offset=offset(end), content=s.text(ex.text))

    def maybe(s: Span | None) -> pb.TextSpan | None:
        return None if s is None else span(s)

    def speaker(s: Speaker | None) -> pb.Speaker | None:
        if s is None:
            return None
        msg = pb.Speaker(name=s.name, mention=maybe(s.mention), kind=SPEAKER_KINDS[s.kind])
        if s.entity_index is not None:
            msg.entity_index = s.entity_index
        return msg

    def outlet(o: Outlet | None) -> pb.Outlet | None:
        if o is None:
            return None
        return pb.Outlet(name=o.name, handle=o.handle, mention=maybe(o.mention), evidence=EVIDENCE[o.evidence])

    return pb.ExtractQuotesResponse(
        document_id=document_id,
        quotes=[pb.Quote(id=f"q{i + 1}", type=QUOTE_TYPES[q.type], content=span(q.content), cue=maybe(q.cue),
                         speaker=speaker(q.speaker), outlet=outlet(q.outlet), confidence=q.confidence,
                         sentence_indexes=q.sentence_indexes)
                for i, q in enumerate(ex.quotes)],
        entities=[pb.Entity(name=e.name, type=ENTITY_TYPES[e.type], mentions=[span(m) for m in e.mentions])
                  for e in ex.entities],
        sentences=[pb.Sentence(text=span(s.span), paragraph_index=s.paragraph_index,
                               tokens=[pb.Token(text=span(t)) for t in s.tokens] if include_tokens else [])
                   for s in ex.sentences],
        paragraphs=[pb.Paragraph(text=span(p.span)) for p in ex.paragraphs],
        model_version=ex.model_version,
        language_code=ex.language_code,
    )


def to_json_line(message) -> str:
    """Compact protobuf JSON (field names as in MessageToJson: documentId, beginOffset, ...) on one line."""
    return json.dumps(json_format.MessageToDict(message), ensure_ascii=False, separators=(",", ":"))

"""Engine results -> quotes.v1 messages (ExtractQuotesResponse), offsets in the caller's encoding."""
from __future__ import annotations

import json

from google.protobuf import json_format
from quotes.v1 import quote_service_pb2 as pb

from ..engine.types import Extraction, Outlet, Span, Speaker
from .offsets import OffsetMapper


def to_response(ex: Extraction, document_id: str, encoding: int = pb.ENCODING_TYPE_UNSPECIFIED,
                include_tokens: bool = False) -> pb.ExtractQuotesResponse:
    offset = OffsetMapper(ex.text, encoding)

    def span(s: Span | None) -> pb.TextSpan | None:
        if s is None:
            return None
        return pb.TextSpan(begin_offset=offset(s.begin), end_offset=offset(s.end), content=s.text(ex.text))

    def speaker(s: Speaker | None) -> pb.Speaker | None:
        if s is None:
            return None
        msg = pb.Speaker(name=s.name, mention=span(s.mention), kind=s.kind.value)
        if s.entity_index is not None:
            msg.entity_index = s.entity_index
        return msg

    def outlet(o: Outlet | None) -> pb.Outlet | None:
        if o is None:
            return None
        return pb.Outlet(name=o.name, handle=o.handle, mention=span(o.mention), evidence=o.evidence.value)

    return pb.ExtractQuotesResponse(
        document_id=document_id,
        quotes=[pb.Quote(id=f"q{i + 1}", type=q.type.value, content=span(q.content), cue=span(q.cue),
                         speaker=speaker(q.speaker), outlet=outlet(q.outlet), confidence=q.confidence,
                         sentence_indexes=q.sentence_indexes)
                for i, q in enumerate(ex.quotes)],
        entities=[pb.Entity(name=e.name, type=e.type.value, mentions=[span(m) for m in e.mentions])
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

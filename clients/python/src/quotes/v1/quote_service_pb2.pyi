import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EncodingType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENCODING_TYPE_UNSPECIFIED: _ClassVar[EncodingType]
    ENCODING_TYPE_UTF8: _ClassVar[EncodingType]
    ENCODING_TYPE_UTF16: _ClassVar[EncodingType]
    ENCODING_TYPE_UTF32: _ClassVar[EncodingType]

class ContentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTENT_TYPE_UNSPECIFIED: _ClassVar[ContentType]
    CONTENT_TYPE_PLAIN_TEXT: _ClassVar[ContentType]
    CONTENT_TYPE_HTML: _ClassVar[ContentType]

class QuoteType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUOTE_TYPE_UNSPECIFIED: _ClassVar[QuoteType]
    QUOTE_TYPE_DIRECT: _ClassVar[QuoteType]
    QUOTE_TYPE_INDIRECT: _ClassVar[QuoteType]
    QUOTE_TYPE_MIXED: _ClassVar[QuoteType]

class SpeakerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SPEAKER_KIND_UNSPECIFIED: _ClassVar[SpeakerKind]
    SPEAKER_KIND_PERSON: _ClassVar[SpeakerKind]
    SPEAKER_KIND_ORGANIZATION: _ClassVar[SpeakerKind]
    SPEAKER_KIND_UNNAMED: _ClassVar[SpeakerKind]
    SPEAKER_KIND_OTHER: _ClassVar[SpeakerKind]

class OutletEvidence(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTLET_EVIDENCE_UNSPECIFIED: _ClassVar[OutletEvidence]
    OUTLET_EVIDENCE_EMBEDDED_POST: _ClassVar[OutletEvidence]
    OUTLET_EVIDENCE_SOURCE_PHRASE: _ClassVar[OutletEvidence]
    OUTLET_EVIDENCE_WIRE_CREDIT: _ClassVar[OutletEvidence]
    OUTLET_EVIDENCE_DOCUMENT_PUBLISHER: _ClassVar[OutletEvidence]

class EntityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTITY_TYPE_UNSPECIFIED: _ClassVar[EntityType]
    ENTITY_TYPE_PERSON: _ClassVar[EntityType]
    ENTITY_TYPE_ORGANIZATION: _ClassVar[EntityType]
    ENTITY_TYPE_LOCATION: _ClassVar[EntityType]
    ENTITY_TYPE_MISC: _ClassVar[EntityType]
ENCODING_TYPE_UNSPECIFIED: EncodingType
ENCODING_TYPE_UTF8: EncodingType
ENCODING_TYPE_UTF16: EncodingType
ENCODING_TYPE_UTF32: EncodingType
CONTENT_TYPE_UNSPECIFIED: ContentType
CONTENT_TYPE_PLAIN_TEXT: ContentType
CONTENT_TYPE_HTML: ContentType
QUOTE_TYPE_UNSPECIFIED: QuoteType
QUOTE_TYPE_DIRECT: QuoteType
QUOTE_TYPE_INDIRECT: QuoteType
QUOTE_TYPE_MIXED: QuoteType
SPEAKER_KIND_UNSPECIFIED: SpeakerKind
SPEAKER_KIND_PERSON: SpeakerKind
SPEAKER_KIND_ORGANIZATION: SpeakerKind
SPEAKER_KIND_UNNAMED: SpeakerKind
SPEAKER_KIND_OTHER: SpeakerKind
OUTLET_EVIDENCE_UNSPECIFIED: OutletEvidence
OUTLET_EVIDENCE_EMBEDDED_POST: OutletEvidence
OUTLET_EVIDENCE_SOURCE_PHRASE: OutletEvidence
OUTLET_EVIDENCE_WIRE_CREDIT: OutletEvidence
OUTLET_EVIDENCE_DOCUMENT_PUBLISHER: OutletEvidence
ENTITY_TYPE_UNSPECIFIED: EntityType
ENTITY_TYPE_PERSON: EntityType
ENTITY_TYPE_ORGANIZATION: EntityType
ENTITY_TYPE_LOCATION: EntityType
ENTITY_TYPE_MISC: EntityType

class Document(_message.Message):
    __slots__ = ("id", "text", "language_code", "publisher", "url", "publish_time", "content_type")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHER_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    language_code: str
    publisher: str
    url: str
    publish_time: _timestamp_pb2.Timestamp
    content_type: ContentType
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., language_code: _Optional[str] = ..., publisher: _Optional[str] = ..., url: _Optional[str] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., content_type: _Optional[_Union[ContentType, str]] = ...) -> None: ...

class ExtractQuotesRequest(_message.Message):
    __slots__ = ("document", "encoding_type", "include_tokens")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    ENCODING_TYPE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    document: Document
    encoding_type: EncodingType
    include_tokens: bool
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ..., encoding_type: _Optional[_Union[EncodingType, str]] = ..., include_tokens: _Optional[bool] = ...) -> None: ...

class TextSpan(_message.Message):
    __slots__ = ("begin_offset", "end_offset", "content")
    BEGIN_OFFSET_FIELD_NUMBER: _ClassVar[int]
    END_OFFSET_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    begin_offset: int
    end_offset: int
    content: str
    def __init__(self, begin_offset: _Optional[int] = ..., end_offset: _Optional[int] = ..., content: _Optional[str] = ...) -> None: ...

class Speaker(_message.Message):
    __slots__ = ("name", "mention", "kind", "entity_index")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MENTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ENTITY_INDEX_FIELD_NUMBER: _ClassVar[int]
    name: str
    mention: TextSpan
    kind: SpeakerKind
    entity_index: int
    def __init__(self, name: _Optional[str] = ..., mention: _Optional[_Union[TextSpan, _Mapping]] = ..., kind: _Optional[_Union[SpeakerKind, str]] = ..., entity_index: _Optional[int] = ...) -> None: ...

class Outlet(_message.Message):
    __slots__ = ("name", "handle", "mention", "evidence")
    NAME_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    MENTION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    handle: str
    mention: TextSpan
    evidence: OutletEvidence
    def __init__(self, name: _Optional[str] = ..., handle: _Optional[str] = ..., mention: _Optional[_Union[TextSpan, _Mapping]] = ..., evidence: _Optional[_Union[OutletEvidence, str]] = ...) -> None: ...

class Quote(_message.Message):
    __slots__ = ("id", "type", "content", "cue", "speaker", "outlet", "confidence", "sentence_indexes")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CUE_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SENTENCE_INDEXES_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: QuoteType
    content: TextSpan
    cue: TextSpan
    speaker: Speaker
    outlet: Outlet
    confidence: float
    sentence_indexes: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[QuoteType, str]] = ..., content: _Optional[_Union[TextSpan, _Mapping]] = ..., cue: _Optional[_Union[TextSpan, _Mapping]] = ..., speaker: _Optional[_Union[Speaker, _Mapping]] = ..., outlet: _Optional[_Union[Outlet, _Mapping]] = ..., confidence: _Optional[float] = ..., sentence_indexes: _Optional[_Iterable[int]] = ...) -> None: ...

class Entity(_message.Message):
    __slots__ = ("name", "type", "mentions")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: EntityType
    mentions: _containers.RepeatedCompositeFieldContainer[TextSpan]
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[EntityType, str]] = ..., mentions: _Optional[_Iterable[_Union[TextSpan, _Mapping]]] = ...) -> None: ...

class Token(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: TextSpan
    def __init__(self, text: _Optional[_Union[TextSpan, _Mapping]] = ...) -> None: ...

class Sentence(_message.Message):
    __slots__ = ("text", "paragraph_index", "tokens")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PARAGRAPH_INDEX_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    text: TextSpan
    paragraph_index: int
    tokens: _containers.RepeatedCompositeFieldContainer[Token]
    def __init__(self, text: _Optional[_Union[TextSpan, _Mapping]] = ..., paragraph_index: _Optional[int] = ..., tokens: _Optional[_Iterable[_Union[Token, _Mapping]]] = ...) -> None: ...

class Paragraph(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: TextSpan
    def __init__(self, text: _Optional[_Union[TextSpan, _Mapping]] = ...) -> None: ...

class DocumentError(_message.Message):
    __slots__ = ("code", "reason", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    reason: str
    message: str
    def __init__(self, code: _Optional[int] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class ExtractQuotesResponse(_message.Message):
    __slots__ = ("document_id", "quotes", "entities", "sentences", "paragraphs", "model_version", "language_code", "error")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    QUOTES_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    SENTENCES_FIELD_NUMBER: _ClassVar[int]
    PARAGRAPHS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    quotes: _containers.RepeatedCompositeFieldContainer[Quote]
    entities: _containers.RepeatedCompositeFieldContainer[Entity]
    sentences: _containers.RepeatedCompositeFieldContainer[Sentence]
    paragraphs: _containers.RepeatedCompositeFieldContainer[Paragraph]
    model_version: str
    language_code: str
    error: DocumentError
    def __init__(self, document_id: _Optional[str] = ..., quotes: _Optional[_Iterable[_Union[Quote, _Mapping]]] = ..., entities: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ..., sentences: _Optional[_Iterable[_Union[Sentence, _Mapping]]] = ..., paragraphs: _Optional[_Iterable[_Union[Paragraph, _Mapping]]] = ..., model_version: _Optional[str] = ..., language_code: _Optional[str] = ..., error: _Optional[_Union[DocumentError, _Mapping]] = ...) -> None: ...

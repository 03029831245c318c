"""Each quote's speaker, read off the entity linking (linking.py): nothing here changes the entities.

A source linked to an entity is named by the entity's canonical name ("he" -> "Vladimir Putin"), or by the
outlet's when the entity is a known outlet; a source linked to nothing keeps the name and kind its mention
shows ("sources", "a spokesman"). A quote that continues another one's speech without a cue of its own
takes that speaker, along chains of continuations, with no mention of its own.
"""
from __future__ import annotations

from .attribution import Draft
from .linking import SourceLink
from .outlets import OutletDirectory
from .types import Entity, EntityType, Speaker, SpeakerKind

_KIND_OF_ENTITY = {EntityType.PERSON: SpeakerKind.PERSON, EntityType.ORGANIZATION: SpeakerKind.ORGANIZATION,
                   EntityType.LOCATION: SpeakerKind.ORGANIZATION, EntityType.MISC: SpeakerKind.OTHER}


def choose_speakers(drafts: list[Draft], sources: list[SourceLink | None], entities: list[Entity],
                    outlets: OutletDirectory) -> list[Speaker | None]:
    speakers = [None if s is None else _speaker(s, entities, outlets) for s in sources]
    for _ in range(len(drafts)):  # continuations take their antecedent's speaker, along chains
        changed = False
        for i, d in enumerate(drafts):
            prev = speakers[d.continues_index] if d.continues_index is not None else None
            if speakers[i] is None and prev is not None:
                speakers[i] = Speaker(prev.name, None, prev.kind, prev.entity_index)  # no mention of its own
                changed = True
        if not changed:
            break
    return speakers


def _speaker(source: SourceLink, entities: list[Entity], outlets: OutletDirectory) -> Speaker:
    if source.entity is None:
        return Speaker(source.name, source.mention, source.kind)
    entity = entities[source.entity]
    outlet = outlets.match_name(entity.name)
    if outlet is not None:
        return Speaker(outlet.name, source.mention, SpeakerKind.ORGANIZATION, source.entity)
    return Speaker(entity.name, source.mention, _KIND_OF_ENTITY[entity.type], source.entity)

"""The user's reference article: all 14 gold quotes, with speaker and outlet, and nothing else."""
from __future__ import annotations

from quotes_service.engine.types import OutletEvidence, QuoteType


def test_seed_quotes_speakers_and_outlets(engine, seed_text, seed_gold):
    ex = engine.extract(seed_text)
    found = {(q.content.begin, q.content.end): q for q in ex.quotes}
    for gold in seed_gold:
        span = tuple(gold["content_span"])
        assert span in found, f"missing {gold['type']} quote {span}: {gold['content']!r}"
        quote = found.pop(span)
        assert quote.content.text(seed_text) == gold["content"]
        assert quote.type is QuoteType[gold["type"].upper()], gold["content"]
        assert quote.speaker is not None and quote.speaker.name == gold["speaker"], gold["content"]
        if "cue" in gold:
            assert quote.cue is not None and quote.cue.text(seed_text) == gold["cue"], gold["content"]
        if "outlet" in gold:
            assert quote.outlet is not None and quote.outlet.name == gold["outlet"], gold["content"]
    assert not found, f"unexpected quotes: {[q.content.text(seed_text) for q in found.values()]}"


def test_seed_mentions_and_evidence(engine, seed_text):
    ex = engine.extract(seed_text, publisher="RT")
    by_text = {q.content.text(seed_text)[:30]: q for q in ex.quotes}
    post = by_text["Assad's fall is not a defeat f"]
    assert post.speaker.mention.text(seed_text) == "Putin"
    assert post.outlet.evidence is OutletEvidence.EMBEDDED_POST and post.outlet.handle == "@RT_com"
    assert post.outlet.mention.text(seed_text) == "RT"
    added = by_text["I will have a conversation wit"]
    assert added.speaker.mention.text(seed_text) == "he"
    titled = by_text["the collapse of the regime was"]
    assert titled.speaker.mention.text(seed_text) == "The Russian President"
    continued = by_text["I assure you it is not… we hav"]
    assert continued.speaker.mention is None and continued.cue is None
    bbc = by_text["There is a large movement of m"]
    assert bbc.outlet.evidence is OutletEvidence.SOURCE_PHRASE and bbc.outlet.mention.text(seed_text) == "the BBC"
    said = by_text["You want to present what is ha"]
    assert said.outlet.name == "RT" and said.outlet.evidence is OutletEvidence.DOCUMENT_PUBLISHER
    putin = ex.entities[said.speaker.entity_index]
    assert putin.name == "Vladimir Putin"
    assert {m.text(seed_text) for m in putin.mentions} >= {"Vladimir Putin", "Putin", "he", "The Russian President"}

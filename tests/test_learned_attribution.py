"""The learned attribution stage on made-up news: reports no rule knows, what is no quote, and the bundle."""
from __future__ import annotations

import socket

import pytest

from quotes_service.engine.types import QuoteType


def quotes(engine, text):
    ex = engine.extract(text)
    return [(q.type, q.content.text(text), q.speaker.mention.text(text) if q.speaker and q.speaker.mention else None)
            for q in ex.quotes]


@pytest.mark.parametrize("text, expected", [
    ("The senator blasted the proposal as reckless.",
     (QuoteType.INDIRECT, "the proposal as reckless", "The senator")),
    ("Mayor Ellen Park criticized the plan as short-sighted.",
     (QuoteType.INDIRECT, "the plan as short-sighted", "Mayor Ellen Park")),
    ("The company declined to comment.", (QuoteType.INDIRECT, "to comment", "The company")),
    ("Critics cited a study by Harvard economists that found the tax would cost jobs.",
     (QuoteType.INDIRECT, "a study by Harvard economists that found the tax would cost jobs", "Critics")),
])
def test_reports_that_no_rule_knows(engine, text, expected):
    assert expected in quotes(engine, text)


def test_a_cue_without_a_source_of_its_own_shares_the_subject(engine):
    text = "Union leaders slammed the new contract on Tuesday, calling it a betrayal."
    found = quotes(engine, text)
    assert (QuoteType.INDIRECT, "it a betrayal", "Union leaders") in found


@pytest.mark.parametrize("text", [
    "The governor believes the plan will fail. Officials hope voters agree. She wants a recount.",  # private states
    "The agency has not said when the report will come out.",  # a report the text denies
    "The White House did not respond to a request for comment.",
    "He was asked about the deal on Monday.",  # in the passive, the subject is spoken to
    "It was Putin's first comment about Assad since December.",  # a cue noun the source owns
])
def test_what_is_no_quote(engine, text):
    assert quotes(engine, text) == []


def test_the_bundled_tagger_loads_offline(monkeypatch):
    from quotes_service.engine.learned import LearnedAttribution
    from quotes_service.engine.learned.stage import WEIGHTS
    from quotes_service.models import bundled_pretrain

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    tagger = LearnedAttribution(WEIGHTS, bundled_pretrain())
    assert tagger.version.startswith("tagger-")
    assert WEIGHTS.stat().st_size < 25 * 1024 * 1024


def test_the_model_version_covers_the_tagger_weights(tmp_path):
    from quotes_service.models import ENGINE_DIR, TAGGER_DIR, rules_digest

    copy = tmp_path / "attribution"
    copy.mkdir()
    weights = (TAGGER_DIR / "tagger.pt").read_bytes()
    (copy / "tagger.pt").write_bytes(weights)
    assert rules_digest(ENGINE_DIR, copy) == rules_digest(ENGINE_DIR, TAGGER_DIR)
    (copy / "tagger.pt").write_bytes(weights + b"\0")
    assert rules_digest(ENGINE_DIR, copy) != rules_digest(ENGINE_DIR, TAGGER_DIR)

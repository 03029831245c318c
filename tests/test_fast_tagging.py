"""Issue 14: tags, lemmas, trees and entities through engine/fast_tagging.py are stanza's processors' answers,
at both precisions (fp32 also catches a model left in training mode: dropout)."""
from __future__ import annotations

import pytest

from quotes_service.engine.fast_tagging import PARSE_LSTM_WORDS
from quotes_service.engine.nlp import TaggedSentence, Word
from quotes_service.engine.segmentation import paragraphs
from quotes_service.engine.types import Span

LONG = " ".join(["the committee , which met on Tuesday and again on Friday , said that it would"] * 12)
TRICKY = [
    "\u201cWe will look at every option ,\u201d Zelenskyy 's spokesman told Reuters on Monday .",
    "What ?!? She said no !!! Really ??",
    "The na\u00efvet\u00e9 of Cr\u00e8vec\u0153ur , \U0001f600 , and \u0416\u0443\u043a\u043e\u0432 was on_display .",
    "_ _ underscores , 3.5 % , $ 1,000 , and e-mail@example.org",
    "Sen. Elizabeth Warren of Massachusetts and the European Union 's Ursula von der Leyen met .",
    LONG + " .",  # over 150 words: the parser batches it alone
]


@pytest.fixture(scope="module")
def fp32_engine():
    from quotes_service.engine import Engine
    from quotes_service.models import select_models

    return Engine(select_models("bundled", "fp32"), threads=1)


def _sentences(engine, text: str) -> list[TaggedSentence]:
    paras = [(p.begin, p.text(text)) for p in paragraphs(text)]
    words = [ws for para in engine.nlp.tokenize(paras) for _, ws in para]
    words += [[Word(t, Span(0, len(t))) for t in s.split()] for s in TRICKY]
    words *= 4  # over 100 sentences: more than one tagger batch
    return [TaggedSentence(i, 0, Span(0, 0), [], [Word(w.text, w.span) for w in ws]) for i, ws in enumerate(words)]


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["int8", "fp32"])
def test_fast_tagging_gives_stanzas_answers(engine, fp32_engine, seed_text, precision):
    nlp = (engine if precision == "int8" else fp32_engine).nlp
    assert nlp.fast_tagging is not None, "the bundled models are ones the fast path supports"
    assert nlp.selection.precision == precision
    sentences = _sentences(engine, seed_text)
    texts = [[w.text for w in s.words] for s in sentences]
    assert len(sentences) > 100 and max(len(t) for t in texts) > 150
    fast = nlp.fast_tagging.parse(texts)
    depparse = nlp.fast_tagging.depparse
    stanza_batch = depparse.config["batch_size"]
    if precision == "int8":
        # an int8 LSTM quantizes each time step's inputs with one scale per batch, and the fast path gives
        # the parser's LSTM a whole document's sentences at once: stanza is given the same batches
        depparse.config["batch_size"] = PARSE_LSTM_WORDS
    try:
        reference = nlp.parse_with_stanza(sentences)
    finally:
        depparse.config["batch_size"] = stanza_batch
    assert fast == reference
    assert nlp.fast_tagging.ner_tags(texts) == nlp.ner_with_stanza(sentences)
    # the comparison saw what it is meant to: real tags, seq2seq lemmas, entities
    words = [w for s in fast for w in s]
    assert {w.upos for w in words} >= {"NOUN", "VERB", "PROPN", "PUNCT"}
    assert any(w.lemma == "Zelenskyy" for w in words) and any(w.lemma == "say" for w in words)
    assert {t for s in nlp.fast_tagging.ner_tags(texts) for t in s} >= {"S-PER", "B-PER", "E-PER", "S-ORG"}
    # again, from what the worker remembers (the seq2seq lemmas, the character models' rows): the same answers
    assert ("Zelenskyy", "PROPN") in nlp.fast_tagging._lemmas
    assert nlp.fast_tagging.parse(texts) == fast


@pytest.mark.slow
def test_engine_parses_through_the_fast_path(engine, seed_text):
    sentences = _sentences(engine, seed_text)[:12]
    engine.nlp.parse(sentences)
    assert all(s.parsed and s.children for s in sentences)
    assert [[(w.upos, w.head, w.deprel) for w in s.words] for s in sentences] == [
        [(p.upos or "", p.head - 1, p.deprel or "") for p in ws]
        for ws in engine.nlp.parse_with_stanza(sentences)]

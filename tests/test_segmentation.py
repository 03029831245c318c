"""The segment stage: paragraphs, sentences and tokens with offsets exact in the original string."""
from __future__ import annotations

from quotes_service.engine.segmentation import paragraphs

TEXT = ("First\u00a0paragraph\tends here. It has two sentences 😀.\r\n"
        "\r\n"
        "  Second paragraph: “Quoted words,” she said — café 𝄞 naïve.\n"
        "Third.\u2029Fourth paragraph")


def test_paragraphs_split_on_any_line_break_and_trim():
    assert [p.text(TEXT) for p in paragraphs(TEXT)] == [
        "First\u00a0paragraph\tends here. It has two sentences 😀.",
        "Second paragraph: “Quoted words,” she said — café 𝄞 naïve.",
        "Third.",
        "Fourth paragraph",
    ]
    assert paragraphs("") == [] and paragraphs(" \n\r\n\t") == []


def test_sentences_and_tokens_index_the_original_text(engine):
    ex = engine.extract(TEXT)
    assert [p.span.text(TEXT) for p in ex.paragraphs][1].startswith("Second")
    sentences = [s.span.text(TEXT) for s in ex.sentences]
    assert sentences[:2] == ["First\u00a0paragraph\tends here.", "It has two sentences 😀."]
    assert all(ex.paragraphs[s.paragraph_index].span.contains(s.span) for s in ex.sentences)
    tokens = [t.text(TEXT) for s in ex.sentences for t in s.tokens]
    assert "😀" in tokens and "𝄞" in tokens and "café" in tokens and "naïve" in tokens
    assert all(t == t.strip() and t for t in tokens)
    for s in ex.sentences:  # tokens are in order and inside their sentence
        assert all(a.end <= b.begin for a, b in zip(s.tokens, s.tokens[1:]))
        assert s.span.begin == s.tokens[0].begin and s.span.end == s.tokens[-1].end

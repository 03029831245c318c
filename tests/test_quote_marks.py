"""The quote_marks stage: quotation marks paired into direct-quote spans (pure text, no models)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes_service.engine.quote_marks import find_quote_spans
from quotes_service.engine.segmentation import paragraphs


def quotes_of(text: str) -> list[str]:
    return [q.content.text(text) for q in find_quote_spans(text, paragraphs(text))]


def test_straight_and_typographic_pairs():
    assert quotes_of('He said "hello there," and left.') == ["hello there,"]
    assert quotes_of("She said: “It is over.” Then she left.") == ["It is over."]
    assert quotes_of("Il a dit « nous verrons » hier.") == ["nous verrons"]
    assert quotes_of("Er sagte „wir kommen“ und ging.") == ["wir kommen"]
    assert quotes_of("Sie sagte »wir kommen« und ging.") == ["wir kommen"]
    assert quotes_of("‘We will win,’ she said.") == ["We will win,"]


def test_apostrophes_never_open_a_quote():
    text = "Assad's fall. I’ve seen the ’90s and '90s, rock 'n' roll, the players' union, don't."
    assert quotes_of(text) == []
    assert quotes_of("He said “Assad’s men won’t stay” today.") == ["Assad’s men won’t stay"]


def test_quote_inside_a_quote_stays_in_the_outer_one():
    assert quotes_of("She said: “He told me ‘never again’ and left.”") == ["He told me ‘never again’ and left."]
    assert quotes_of("'He shouted \"stop\" twice,' she said.") == ['He shouted "stop" twice,']


def test_quote_over_several_paragraphs():
    text = "“First part of it\n“Second part goes on\n“Third part ends.” Then the report."
    spans = find_quote_spans(text, paragraphs(text))
    assert [q.content.text(text) for q in spans] == ["First part of it", "Second part goes on", "Third part ends."]
    assert [(q.continues_previous, q.continues_next) for q in spans] == [(False, True), (True, True), (True, False)]


def test_unbalanced_mark_ends_with_its_paragraph():
    text = 'He said "this never closes\nThe next paragraph is plain text. So is "this" one.'
    found = quotes_of(text)
    assert found[0] == "this never closes"
    assert "next paragraph" not in " ".join(found)


def test_crlf_nbsp_and_emoji_keep_offsets():
    text = "Intro\u00a0line.\r\n\tShe said “🎉 party\u00a0time” 😀.\r\nEnd."
    [span] = find_quote_spans(text, paragraphs(text))
    assert span.content.text(text) == "🎉 party\u00a0time"


MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›"]
PIECES = st.one_of(st.sampled_from(MARKS), st.sampled_from([" ", "\n", "\r\n", "\u00a0", "\t", "s", "'s", "n't"]),
                   st.text(alphabet=st.characters(codec="utf-8"), max_size=6))


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_any_text_gives_disjoint_spans_inside_it(text):
    paras = paragraphs(text)
    spans = find_quote_spans(text, paras)
    previous_end = -1
    for q in spans:
        assert 0 <= q.content.begin < q.content.end <= len(text)
        assert q.content.begin >= previous_end, "top-level quotes never overlap"
        previous_end = q.content.end
        para = paras[q.paragraph_index] if q.paragraph_index >= 0 else None
        assert para is None or para.contains(q.content), "a quote never leaves its paragraph"

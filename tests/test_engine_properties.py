"""Property-based: the whole engine on random mixes of marks, apostrophes, newlines and unicode."""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes_service.engine.quote_marks import ALL_MARKS
from quotes_service.engine.types import QuoteType

PIECES = st.one_of(
    st.sampled_from(['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›", "'s", "n't", "’90s", " 'n' "]),
    st.sampled_from([" ", "\n", "\r\n", "\n\n", "\u00a0", "\t", ", ", ". ", ": ", " — "]),
    st.sampled_from(["he said", "said Putin", "according to the BBC", "Reuters reported", "she added",
                     "Putin", "the minister", "told CNN", "that", "we will win", "😀", "é", "𝄞", "pic.twitter.com/x",
                     "— RT (@RT_com) December 19, 2024"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),  # utf-8 has no lone surrogates
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_engine_never_raises_and_spans_stay_inside(engine, text):
    ex = engine.extract(text)
    spans = []
    for q in ex.quotes:
        for span in (q.content, q.cue, q.speaker.mention if q.speaker else None,
                     q.outlet.mention if q.outlet else None):
            if span is not None:
                assert 0 <= span.begin < span.end <= len(text)
        assert q.content.text(text).strip() == q.content.text(text)
        if q.type is not QuoteType.DIRECT:  # a report is framed by its cue (or a headline's label colon)
            assert q.cue is not None
        if q.type is QuoteType.MIXED:  # ... and keeps the marks of its quoted fragment
            assert any(ch in ALL_MARKS for ch in q.content.text(text))
        spans.append(q.content)
    spans.sort()
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.begin, "quote contents never overlap"
    for s in ex.sentences:
        assert 0 <= s.span.begin < s.span.end <= len(text)
        assert all(s.span.contains(t) for t in s.tokens)
    for p in ex.paragraphs:
        assert "\n" not in p.span.text(text) and "\r" not in p.span.text(text)

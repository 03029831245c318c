"""SpanIndex answers exactly what a scan of every span would, in the same order (property-based)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quotes_service.engine.span_index import SpanIndex
from quotes_service.engine.types import Span

SPANS = st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda t: Span(t[0], t[0] + t[1]))


def _disjoint(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for s in spans:
        if not any(s.overlaps(k) or s == k for k in kept):
            kept.append(s)
    return kept


@given(st.lists(SPANS, max_size=30), SPANS, st.booleans())
def test_the_index_finds_what_a_scan_finds(spans, query, disjoint):
    spans = _disjoint(spans) if disjoint else spans  # both of the index's ways: a run, or a scan of the prefix
    items = list(enumerate(spans))
    index = SpanIndex(items, lambda item: item[1])
    assert index.any_containing(query) == any(s.contains(query) for s in spans)
    assert index.overlapping(query) == [item for item in items if item[1].overlaps(query)]
    assert len(index) == len(spans)

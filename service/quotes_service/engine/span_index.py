"""Which of many spans contain or overlap a span, in O(log n) instead of a scan of them all: what keeps
the stages that pair quotes, cues, sentences and mentions linear in the text when a document has
thousands of each.

The answers are exactly those of the scans they replace (`any(s.contains(x) for s in spans)`, `[s for s in
spans if s.overlaps(x)]`), in the same order.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Generic, TypeVar

from .types import Span

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items by a span of each (`key`), sorted by where the span begins."""

    def __init__(self, items: Iterable[T], key: Callable[[T], Span]):
        keyed = sorted(((key(item), i, item) for i, item in enumerate(items)), key=lambda k: (k[0].begin, k[1]))
        self._spans = [k[0] for k in keyed]
        self._order = [k[1] for k in keyed]  # where each item was in `items`
        self._items = [k[2] for k in keyed]
        self._begins = [s.begin for s in self._spans]
        self._max_ends = list(accumulate((s.end for s in self._spans), max))  # of the spans up to each one
        # no span overlaps the next one: then the ends are sorted too and overlaps are one run of items
        self._disjoint = all(a.end <= b.begin for a, b in zip(self._spans, self._spans[1:]))

    def __len__(self) -> int:
        return len(self._items)

    def any_containing(self, span: Span) -> bool:
        i = bisect_right(self._begins, span.begin) - 1  # the spans up to i begin at or before `span`
        return i >= 0 and self._max_ends[i] >= span.end

    def overlapping(self, span: Span) -> list[T]:
        """The items whose span overlaps `span`, in the order they were given."""
        stop = bisect_left(self._begins, span.end)  # the spans from `stop` on begin at or after its end
        if self._disjoint:
            ends = self._max_ends  # sorted: the run of spans that end after `span` begins
            start = bisect_right(ends, span.begin, 0, stop)
            found = range(start, stop)
        else:
            found = range(stop)
        hits = [i for i in found if self._spans[i].overlaps(span)]
        return [self._items[i] for i in sorted(hits, key=self._order.__getitem__)]

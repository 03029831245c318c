"""The outlet directory's name search: a regex trie that finds what the plain alternation of the names,
longest first, finds."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes_service.engine.outlets import OutletDirectory, _trie_pattern
from quotes_service.engine.types import Span


def plain_alternation(names: list[str]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w@])(?:the\s+)?(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)", re.IGNORECASE)


def trie(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@])(?:the\s+)?(" + _trie_pattern(names) + r")(?!\w)", re.IGNORECASE)


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [(m.span(), m.span(1)) for m in pattern.finditer(text)]


def test_nested_names_match_as_the_longest_first_alternation():
    names = ["ab", "abc", "abcd", "a", "a b", "the hill", "hill", "c.n.n", "x", "new york", "new york times"]
    text = "ab abc abcd abcx a b the hill The Hill hill's C.N.N. @abc xab x the  abcd New York Times"
    assert matches(trie(names), text) == matches(plain_alternation(names), text)
    found = [text[b:e] for _, (b, e) in matches(trie(names), text)]
    assert found[:4] == ["ab", "abc", "abcd", "a b"] and found[-1] == "New York Times"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abT .'", min_size=1, max_size=5), min_size=1, max_size=12, unique=True),
       st.text("abT .'@\n", max_size=60))
def test_any_names_match_as_the_longest_first_alternation(names, text):
    assert matches(trie(names), text) == matches(plain_alternation(names), text)


def test_directory_finds_outlets_in_a_span():
    directory = OutletDirectory.default()
    text = "He told Reuters and the BBC, then spoke to The New York Times."
    found = [(text[s.begin:s.end], info.name) for s, info in directory.find(text, Span(0, len(text)))]
    assert found == [("Reuters", "Reuters"), ("BBC", "BBC"), ("New York Times", "New York Times")]

#!/usr/bin/env python3
"""Inputs built to make the engine slow, and the engine's seconds per 10,000 characters on each.

    python service/benchmarks/adversarial.py [--chars 20000 100000] [--only NAME ...] [--deadline 300]

Each input is made at every size of `--chars`; the work is linear in the text when seconds per 10,000
characters stay about the same from the smaller size to the larger. One JSON object per input and size
on stdout: {"input", "chars", "seconds", "per_10k_chars", "quotes", "sentences"}, then a summary table on
stderr. `make(name, chars)` builds an input; the slow tests (tests/test_resilience.py) send the same inputs
to a real server.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from functools import partial


def _repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _numbered(template: str, chars: int) -> str:
    """`template` filled with 0, 1, 2, ... until there are `chars` characters."""
    parts: list[str] = []
    total = 0
    while total < chars:
        parts.append(template.format(len(parts)))
        total += len(parts[-1])
    return "".join(parts)[:chars]


def nested_quotes(chars: int) -> str:
    """The issue's repro: quotations nested 250 deep make one sentence of thousands of tokens."""
    depth = max(1, chars // 28)
    return "".join(f"\u201cLevel {i} says \u2018" for i in range(depth)) + "core" + "\u2019\u201d he said." * depth


# name -> (what it is, the text repeated up to the length asked)
REPEATED = {
    "one_character_paragraphs": ("50,000 paragraphs of one character each (100 KB)", "a\n"),
    "one_sentence": ("a single sentence with no full stop: words, commas, a reporting verb now and then",
                     "the minister said that officials, who met on Monday, would look at every option and "),
    "one_word": ("one token with no space in it", "abcdefghij"),
    "quotation_marks": ("nothing but quotation marks and short words: thousands of quote spans",
                        '"a" \u201cb\u201d \u2018c\u2019 "d e" '),
    "unclosed_marks": ("opening marks that never close, in one paragraph", "\u201c \u2018 \u00ab word "),
    "quotes_with_cues": ("short direct quotes with their cues, in one paragraph", '\u201cWe will go,\u201d he said. '),
    "reports": ("indirect reports, one per short sentence, in one paragraph", "Officials said the plan would work. "),
    "transcript": ("speaker labels on thousands of short paragraphs", "WALLACE: Why?\nPENCE: \u201cBecause.\u201d\n"),
    "embedded_posts": ("account lines of embedded posts after every other paragraph",
                       "Assad's fall is not a defeat. \u2013 Putin\n\u2014 RT (@RT_com) December 19, 2024\n"),
    "long_paragraph_quote": ("a quotation that reopens on every paragraph and never closes",
                             "\u201cThe talks will go on and on\n"),
}


def many_names(chars: int) -> str:
    """Thousands of different people, each named and quoted once."""
    return _numbered("Minister Jon{0} Smith{0} said the plan would work. ", chars)


def name_list(chars: int) -> str:
    """One sentence listing thousands of names."""
    return "Those present were " + _numbered("Ann{0} Lee{0}, ", chars)


INPUTS: dict[str, Callable[[int], str]] = {
    "nested_quotes": nested_quotes, "many_names": many_names, "name_list": name_list,
    **{name: partial(_repeat, unit) for name, (_, unit) in REPEATED.items()},
}


def make(name: str, chars: int) -> str:
    return INPUTS[name](chars)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--only", nargs="+", choices=sorted(INPUTS), default=sorted(INPUTS))
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds one input may take (then it stops)")
    args = ap.parse_args()

    from quotes_service.engine import DeadlineExceeded, Engine

    engine = Engine(threads=1)
    engine.extract("The minister said the talks would continue.")
    rows = []
    for name in args.only:
        for chars in args.chars:
            text = make(name, chars)
            started = time.perf_counter()
            try:
                ex = engine.extract(text, deadline=time.time() + args.deadline)
                quotes, sentences = len(ex.quotes), len(ex.sentences)
            except DeadlineExceeded:
                quotes = sentences = -1
            seconds = time.perf_counter() - started
            row = {"input": name, "chars": len(text), "seconds": round(seconds, 2),
                   "per_10k_chars": round(seconds * 10_000 / len(text), 3), "quotes": quotes, "sentences": sentences}
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(f"{'input':<26} {'chars':>9} {'seconds':>8} {'s/10k':>7}", file=sys.stderr)
    for row in rows:
        print(f"{row['input']:<26} {row['chars']:>9,} {row['seconds']:>8.2f} {row['per_10k_chars']:>7.3f}"
              + ("  (deadline)" if row["quotes"] < 0 else ""), file=sys.stderr)


if __name__ == "__main__":
    main()

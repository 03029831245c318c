#!/usr/bin/env python3
"""Learn which surface forms of the reporting verbs are worth parsing a sentence for, from PolNeAR train.

    python service/training/cue_forms.py [--polnear ../shared/data/polnear] [--every 2]

Writes service/quotes_service/engine/data/cue_forms.json in two passes:

1. Annotations. For every form of a verb in data/cues.json: how often it occurs in the training text and
   how often it is (part of) an annotated cue. Forms that are mostly something else ("states", "post",
   "points") are not triggers.
2. The engine. It extracts every `--every`-th training document with the triggers of pass 1. For each form,
   the parsed sentences that only it made worth parsing, and how many of those gave a quote a cue. Forms
   whose parse almost never pays ("seen", "known", "expected") are not triggers either: tagging and parsing
   is most of the engine's time. They stay cues where a sentence is parsed for another word.

Only counts are written; no PolNeAR text.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from quotes_service.engine.lexicon import DATA, cue_lexicon

WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
MIN_RATE, MIN_EVIDENCE = 0.15, 5  # pass 1: share of occurrences that are annotated cues
MIN_YIELD = 0.10  # pass 2: share of a form's parsed sentences that give a cue


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", default=str(Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear"))
    ap.add_argument("--every", type=int, default=2, help="pass 2 reads every N-th training document")
    ap.add_argument("--out", default=str(DATA / "cue_forms.json"))
    args = ap.parse_args()
    train = Path(args.polnear) / "train"
    result = annotation_pass(train)
    write(args.out, result)  # pass 2 runs the engine with these triggers
    cue_lexicon.cache_clear()
    texts = [p.read_text("utf-8") for p in sorted((train / "text").glob("*.txt"))[::args.every]]
    counts = engine_pass(texts)
    result["not_triggers_by_engine"] = sorted(
        f for f, c in counts.items() if c["parsed"] >= MIN_EVIDENCE and c["cue"] / c["parsed"] < MIN_YIELD)
    result["engine_counts"] = dict(sorted(counts.items()))
    result["_doc"] += (f" Forms whose sentences gave the engine a cue less than {MIN_YIELD:.0%} of the time, in "
                       f"{len(texts)} training documents, are not triggers either (not_triggers_by_engine).")
    write(args.out, result)
    print(f"{len(result['not_triggers'])} forms left out by annotations, "
          f"{len(result['not_triggers_by_engine'])} by the engine: {result['not_triggers_by_engine']}", file=sys.stderr)


def annotation_pass(train: Path) -> dict:
    forms = cue_lexicon(triggers_only=False)["forms"]
    seen, as_cue = collections.Counter(), collections.Counter()
    for ann in sorted((train / "attributions").glob("*.ann")):
        text = (train / "text" / (ann.stem.rsplit("_", 1)[0] + ".txt")).read_text("utf-8")
        seen.update(m.group().lower() for m in WORD.finditer(text))
        for line in ann.read_text("utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) > 2 and re.fullmatch(r"T\d+", cols[0]) and cols[1].startswith("Cue "):
                for rng in cols[1].split(" ", 1)[1].split(";"):
                    begin, end = map(int, rng.split())
                    as_cue.update(m.group().lower() for m in WORD.finditer(text[begin:end]))
    stats = {f: {"seen": seen[f], "cue": as_cue[f]} for f in sorted(forms) if seen[f]}
    rare = [f for f in sorted(forms) if seen[f] < MIN_EVIDENCE]
    weak = [f for f, s in stats.items() if s["seen"] >= MIN_EVIDENCE and s["cue"] / s["seen"] < MIN_RATE]
    return {"_doc": f"Reporting-verb forms that are cues less than {MIN_RATE:.0%} of the time in PolNeAR train "
                    f"(seen at least {MIN_EVIDENCE} times) are not triggers: the engine does not parse a sentence "
                    "for them. Made by service/training/cue_forms.py (counts only).",
            "not_triggers": weak, "counts": stats, "unseen_or_rare": rare}


def engine_pass(texts: list[str]) -> dict[str, dict[str, int]]:
    """Per trigger form: sentences parsed because of it alone, and how many of them held a quote's cue."""
    from quotes_service.engine import Engine
    from quotes_service.engine.parse_selection import parse_triggers
    from quotes_service.engine.quote_marks import find_quote_spans
    from quotes_service.engine.segmentation import paragraphs

    engine = Engine(threads=1)
    forms = cue_lexicon()["triggers"]
    parsed: list = []
    parse = engine.nlp.parse
    engine.nlp.parse = lambda sentences: (parsed.extend(sentences), parse(sentences))[1]  # type: ignore[method-assign]
    counts: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"parsed": 0, "cue": 0})
    for n, text in enumerate(texts, 1):
        parsed.clear()
        extraction = engine.extract(text)
        cues = [q.cue for q in extraction.quotes if q.cue is not None]
        quoted = [q.content for q in find_quote_spans(text, paragraphs(text))]
        for sent in parsed:
            triggers = parse_triggers(sent, quoted)  # the engine's own reasons to parse it
            if len(triggers) == 1 and next(iter(triggers)) in forms:
                form = triggers.pop()
                counts[form]["parsed"] += 1
                counts[form]["cue"] += any(sent.span.overlaps(c) for c in cues)
        if n % 50 == 0:
            print(f"engine pass: {n}/{len(texts)} documents", file=sys.stderr)
    return dict(counts)


def write(path: str, result: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Learn which surface forms of the reporting verbs are worth parsing a sentence for, from PolNeAR train.

    python service/training/cue_forms.py [--polnear ../shared/data/polnear] > service/quotes_service/engine/data/cue_forms.json

For every form of a verb in data/cues.json: how often it occurs in the training text and how often it is
(part of) an annotated cue. Forms that are mostly something else ("states", "post", "points", "rules")
are left out of the triggers, so the engine does not tag and parse sentences for them. Only counts are
written; no PolNeAR text.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from quotes_service.engine.lexicon import cue_lexicon

WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
MIN_RATE, MIN_EVIDENCE = 0.15, 5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", default=str(Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear"))
    args = ap.parse_args()
    forms = cue_lexicon(triggers_only=False)["forms"]
    seen, as_cue = collections.Counter(), collections.Counter()
    train = Path(args.polnear) / "train"
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
    json.dump({"_doc": f"Reporting-verb forms that are cues less than {MIN_RATE:.0%} of the time in PolNeAR train "
                       f"(seen at least {MIN_EVIDENCE} times): the engine does not parse a sentence for them. "
                       "Made by service/training/cue_forms.py (counts only).",
               "not_triggers": weak, "counts": stats, "unseen_or_rare": rare}, sys.stdout, indent=0)
    print()


if __name__ == "__main__":
    main()

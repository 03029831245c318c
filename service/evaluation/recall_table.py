"""Where recall stands: gold attributions that have a source, by the kind of their cue and of their quote.

  cue kind   speech (say, tell, claim, report, add, note, warn, deny, write, tweet, according to, ... : the
             engine's verbs of saying), private state (believe, think, want, hope, expect, fear, plan and the
             engine's verbs of belief: lexicon.private_state_forms), or
             anything else (cited, attacked, criticized, called on, declined, ...)
  quote kind direct when the gold content holds a quotation mark, else reported

"found": some returned quote overlaps the content; "right": the scorer's end-to-end rule (a returned quote
overlaps the content and names exactly its source span). Overlap and span normalisation are the scorer's own.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

from quotes_service.engine.lexicon import cue_lexicon, private_state_forms

CUE_KINDS = ("speech", "other", "private")
_WORD = re.compile(r"[\w']+")


def cue_kind(cue_text: str) -> str:
    words = [w.lower() for w in _WORD.findall(cue_text.replace("\u2019", "'"))]
    lex = cue_lexicon()
    if "according" in words or any(lex["forms"].get(w) in lex["speech"] for w in words):
        return "speech"
    if any(w in private_state_forms() for w in words):
        return "private"
    return "other"


def table(scorer: ModuleType, gold_docs: dict, preds: dict) -> list[dict]:
    """Rows {cue, quote, gold, found, right} (counts), for gold attributions with a source."""
    counts: dict[tuple[str, str], list[int]] = {}
    for name, (text, attrs) in gold_docs.items():
        quotes = preds.get(name, [])
        pred_contents = [[n for n in (scorer.norm(text, b, e, True) for b, e in q["content"]) if n] for q in quotes]
        used: set[int] = set()
        for a in attrs:
            if not a.get("source"):
                continue
            cue_text = " ".join(text[b:e] for b, e in a.get("cue", []))
            content_text = " ".join(text[b:e] for b, e in a["content"])
            kind = (cue_kind(cue_text), "direct" if any(m in content_text for m in scorer.DIRECT_MARKS) else "reported")
            row = counts.setdefault(kind, [0, 0, 0])
            row[0] += 1
            gold_content = [n for n in (scorer.norm(text, b, e, True) for b, e in a["content"]) if n]
            gold_source = {scorer.norm(text, b, e) for b, e in a["source"]} - {None}
            overlapping = [i for i, pc in enumerate(pred_contents)
                           if any(scorer.overlap(x, y) for x in gold_content for y in pc)]
            if overlapping:
                row[1] += 1
            # the scorer's end-to-end rule: the first unused overlapping quote that names the source
            for i in overlapping:
                if i in used:
                    continue
                pred_source = {scorer.norm(text, b, e) for b, e in quotes[i]["source"]} - {None}
                if pred_source & gold_source:
                    row[2] += 1
                    used.add(i)
                    break
    rows = []
    for cue in CUE_KINDS:
        for quote in ("direct", "reported"):
            gold, found, right = counts.get((cue, quote), [0, 0, 0])
            if gold:
                rows.append({"cue": cue, "quote": quote, "gold": gold, "found": found, "right": right})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| cue kind | quote | gold | found | right |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['cue']} | {r['quote']} | {r['gold']} | {100 * r['found'] / r['gold']:.0f} % "
                     f"| {100 * r['right'] / r['gold']:.0f} % |")
    return "\n".join(lines)


def private_state_cues(predictions: Path) -> int:
    """Returned quotes whose cue holds a verb of a private state (believes, wants, hopes, plans): none should."""
    count = 0
    for line in predictions.read_text("utf-8").splitlines():
        for q in json.loads(line).get("quotes", []):
            cue = q.get("cue", {}).get("content", "")
            count += any(w.lower() in private_state_forms() for w in _WORD.findall(cue.replace("\u2019", "'")))
    return count

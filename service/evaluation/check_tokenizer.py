#!/usr/bin/env python3
"""Check that the engine's fast tokenizer path gives stanza's own sentences, tokens, spans and words.

    python service/evaluation/check_tokenizer.py [FOLDER_OF_TXT ...]   # default: PolNeAR dev and train

Every document is split into paragraphs as the engine splits it, then tokenized twice: by
`StanzaNLP.tokenize` (engine/fast_tokenize.py) and by `StanzaNLP.tokenize_with_stanza` (stanza's
processors). Prints the documents that differ (exit 1 if any) and the CPU seconds of each path.

One difference is by design and counted apart: a possessive of letters that the MWT dictionary lacks is
split before its apostrophe by rule (fast_tokenize._possessive), where stanza asks its seq2seq network,
which now and then garbles a long stem ("neurosurgeon's" -> "neurosureoon 's", "ISIS'" -> "ISI S'").
A document whose only differences are such tokens, with the same sentences and spans, is listed as
POSSESSIVE and does not fail the check.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"


def main() -> int:
    import torch

    from quotes_service.engine import Engine, segmentation

    torch.set_num_threads(1)
    folders = [Path(f) for f in sys.argv[1:]] or [SHARED / "data" / "polnear" / s / "text" for s in ("dev", "train")]
    nlp = Engine(threads=1).nlp
    assert nlp.fast_tokenizer is not None, "these models use stanza's own path: nothing to check"
    documents = differ = possessive = 0
    seconds = {"fast": 0.0, "stanza": 0.0}
    for path in (p for folder in folders for p in sorted(folder.glob("*.txt"))):
        text = path.read_text("utf-8")
        paragraphs = [(p.begin, p.text(text)) for p in segmentation.paragraphs(text)]
        results = {}
        for name, tokenize in (("stanza", nlp.tokenize_with_stanza), ("fast", nlp.tokenize)):
            started = time.process_time()
            results[name] = tokenize(paragraphs)
            seconds[name] += time.process_time() - started
        documents += 1
        if results["fast"] != results["stanza"]:
            if _only_possessives(text, results["fast"], results["stanza"]):
                possessive += 1
                print(f"POSSESSIVE: {path}", flush=True)
            else:
                differ += 1
                print(f"DIFFERENT: {path}", flush=True)
    print(f"{documents} documents, {differ} different, {possessive} only in possessives the network garbles; "
          f"CPU seconds: stanza {seconds['stanza']:.1f}, fast {seconds['fast']:.1f}")
    return 1 if differ else 0


def _only_possessives(text: str, fast: list, stanza: list) -> bool:
    """Whether two tokenizations (per paragraph, sentences of (token spans, words)) have the same sentences
    and tokens, and words that differ only in tokens the possessive rule splits, as it splits them."""
    from quotes_service.engine.fast_tokenize import _possessive

    if [[tokens for tokens, _ in p] for p in fast] != [[tokens for tokens, _ in p] for p in stanza]:
        return False
    for (tokens, words), (_, words_ref) in ((a, b) for pa, pb in zip(fast, stanza) for a, b in zip(pa, pb)):
        for token in tokens:
            inside = [w.text for w in words if token.begin <= w.span.begin and w.span.end <= token.end]
            inside_ref = [w.text for w in words_ref if token.begin <= w.span.begin and w.span.end <= token.end]
            if inside != inside_ref and (_possessive(token.text(text)) or "").split(" ") != inside:
                return False
    return True


if __name__ == "__main__":
    sys.exit(main())

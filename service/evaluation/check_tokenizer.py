#!/usr/bin/env python3
"""Check that the engine's fast tokenizer path gives stanza's own sentences, tokens, spans and words.

    python service/evaluation/check_tokenizer.py [FOLDER_OF_TXT ...]   # default: PolNeAR dev and train

Every document is split into paragraphs as the engine splits it, then tokenized twice: by
`StanzaNLP.tokenize` (engine/fast_tokenize.py) and by `StanzaNLP.tokenize_with_stanza` (stanza's
processors). Prints the documents that differ (exit 1 if any) and the CPU seconds of each path.
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
    documents = differ = 0
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
            differ += 1
            print(f"DIFFERENT: {path}", flush=True)
    print(f"{documents} documents, {differ} different; CPU seconds: stanza {seconds['stanza']:.1f}, "
          f"fast {seconds['fast']:.1f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Words per second of the whole engine vs. the plain stanza pipeline (every processor), same text, same
run, one core (torch uses one thread).

    python service/benchmarks/engine_speed.py [--split dev] [--limit N] [--rounds 2] [--plain-as-engine]

Words are whitespace-separated words of the raw text. Each side is warmed up first; the rounds alternate
engine and plain pipeline so that a busy machine slows both alike, and the best round of each is reported.

The plain pipeline is stanza as it comes. `--plain-as-engine` gives it the engine's batch sizes and tree
decoder too, so that the ratio measures only what the engine leaves out.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(SHARED / "data" / "polnear"))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--plain-as-engine", action="store_true",
                    help="the plain pipeline with the engine's batch sizes and tree decoder")
    args = ap.parse_args()

    import stanza
    import torch

    from quotes_service.engine import Engine, nlp, tree_decoding
    from quotes_service.models import select_models

    torch.set_num_threads(1)
    texts = [p.read_text("utf-8") for p in sorted((Path(args.data) / args.split / "text").glob("*.txt"))]
    texts = texts[:args.limit] if args.limit else texts
    words = sum(len(t.split()) for t in texts)
    selection = select_models()
    engine = Engine(selection, threads=1)
    tuning = nlp.BATCH_SETTINGS if args.plain_as_engine else {}
    plain = stanza.Pipeline(**{**tuning, **selection.pipeline_kwargs},
                            use_gpu=False, logging_level="WARN")
    if args.plain_as_engine:
        tree_decoding.install(plain.processors["depparse"].trainer.model)
    engine.extract(texts[0])
    plain(texts[0])

    def run_engine() -> float:
        started = time.perf_counter()
        for text in texts:
            engine.extract(text)
        return time.perf_counter() - started

    def run_plain() -> float:
        started = time.perf_counter()
        for text in texts:
            plain(text)
        return time.perf_counter() - started

    engine_times, plain_times = [], []
    for _ in range(args.rounds):
        engine_times.append(run_engine())
        plain_times.append(run_plain())
    result = {
        "documents": len(texts), "words": words, "models": selection.version, "torch_threads": 1,
        "plain_pipeline": "as the engine's" if args.plain_as_engine else "stanza defaults",
        "engine_words_per_second": round(words / min(engine_times)),
        "plain_pipeline_words_per_second": round(words / min(plain_times)),
        "speedup": round(min(plain_times) / min(engine_times), 2),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

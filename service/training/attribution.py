#!/usr/bin/env python3
"""Train the engine's attribution tagger (engine/learned/) on PolNeAR train; select its epoch on dev.

    python service/training/attribution.py                  # prepare, train, pack: about an hour on 2 CPU cores
    python service/training/attribution.py train pack --epochs 15 --seed 1

Steps:
  prepare  the engine's stages before the tagger over train and dev; each chunk's feature ids, gold tags and
           links go to WORK/{train,dev}.pt (ids, tags and offsets only: no text)
  train    the BiLSTM-CRF tagger; after each epoch the tagger alone is scored on dev (the team's scorer,
           ../shared/tools/attribution_score.py: end-to-end attribution F1 + content exact F1) and the best
           epoch's weights are kept (WORK/tagger.pt)
  pack     those weights, with how they were made and their dev scores, into the bundle
           (service/quotes_service/models/attribution/tagger.pt)

Deterministic for a seed and a thread count (--threads; the bundled weights: seed 1, one thread). Dev selects
the epoch and nothing else is tuned on it here; the engine's confidence bar (quote_selection.CONFIDENT) was
chosen on dev too. Without the scorer (a checkout alone), epochs are selected by the tags' F1 on dev.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import random
import sys
import time
from pathlib import Path
from types import ModuleType

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution_data import document_chunks, examples, load_gold

from quotes_service.engine.learned.decoding import link, spans
from quotes_service.engine.learned.tagger import (
    AttributionTagger,
    TaggerConfig,
    batch_ids,
    load_word_vectors,
)
from quotes_service.models import TAGGER_DIR, bundled_pretrain

SHARED = ROOT.parent / "shared"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def prepare(args: argparse.Namespace) -> None:
    from quotes_service.engine import Engine

    engine = Engine(threads=args.threads, tagger=None)
    vocab, _ = load_word_vectors(bundled_pretrain())
    args.work.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev"):
        gold = load_gold(args.polnear / split)
        names = sorted(gold)[:args.limit] if args.limit else sorted(gold)
        rows, started = [], time.time()
        for n, name in enumerate(names, 1):
            text, attributions = gold[name]
            for ex in examples(name, text, attributions, document_chunks(engine, text, vocab)):
                rows.append({"document": name, "ids": ex.chunk.ids, "tags": ex.tags,
                             "spans": [(w.span.begin, w.span.end) for w in ex.chunk.words],
                             "sentences": ex.chunk.sentence_of_word})
            if n % 100 == 0:
                log(f"{split}: {n}/{len(names)} documents, {time.time() - started:.0f}s")
        torch.save(rows, args.work / f"{split}.pt")
        log(f"{split}: {len(rows)} chunks, {sum(len(r['tags']) for r in rows)} words, {len(names)} documents")


def load_rows(work: Path, split: str) -> list[dict]:
    return torch.load(work / f"{split}.pt", weights_only=False)


def batches(rows: list[dict], size: int, shuffle: bool) -> list[list[dict]]:
    """Chunks of like length together (less padding); the batches in random order when training."""
    ordered = sorted(rows, key=lambda r: len(r["tags"]))
    out = [ordered[i:i + size] for i in range(0, len(ordered), size)]
    if shuffle:
        random.shuffle(out)
    return out


def predict(model: AttributionTagger, rows: list[dict], size: int = 64) -> list[list[int]]:
    model.eval()
    tags: dict[int, list[int]] = {}
    index = {id(r): i for i, r in enumerate(rows)}
    with torch.no_grad():
        for batch in batches(rows, size, shuffle=False):
            ids, lengths = batch_ids([r["ids"] for r in batch])
            for r, t in zip(batch, model.decode(model(ids, lengths), lengths)):
                tags[index[id(r)]] = t
    return [tags[i] for i in range(len(rows))]


def as_predictions(rows: list[dict], tags: list[list[int]]) -> dict[str, list[dict]]:
    """The tagger's linked attributions alone, in the scorer's prediction format."""
    preds: dict[str, list[dict]] = {}
    for r, t in zip(rows, tags):
        quotes = preds.setdefault(r["document"], [])
        for a in link(spans(t), r["sentences"]):
            quotes.append({"content": _chars(r, a.content), "cue": _chars(r, a.cue), "source": _chars(r, a.source),
                           "type": "indirect"})
    return preds


def _chars(row: dict, span) -> list[tuple[int, int]]:
    return [(row["spans"][span.first][0], row["spans"][span.last][1])] if span is not None else []


def dev_score(args: argparse.Namespace, rows: list[dict], tags: list[list[int]]) -> tuple[float, dict]:
    """(what selects the epoch, the scores to report)."""
    scorer = _scorer(args.scorer)
    if scorer is None:
        gold = [t for r in rows for t in r["tags"]]
        found = [t for ts in tags for t in ts]
        hits = sum(1 for g, f in zip(gold, found) if g == f and g)
        p, r = hits / max(1, sum(1 for f in found if f)), hits / max(1, sum(1 for g in gold if g))
        f1 = 100 * 2 * p * r / (p + r) if p + r else 0.0
        return f1, {"tag_f1": round(f1, 1)}
    scores = scorer.score(scorer.load_gold(str(args.polnear / "dev")), as_predictions(rows, tags))
    picked = {"attribution": scores["attribution"], "content_exact": scores["content"]["exact"],
              "source_exact": scores["source"]["exact"], "cue_exact": scores["cue"]["exact"]}
    return scores["attribution"]["f1"] + scores["content"]["exact"]["f1"], picked


def _scorer(path: Path) -> ModuleType | None:
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("attribution_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def train(args: argparse.Namespace) -> None:
    random.seed(args.seed)  # here, not before prepare: loading the engine draws from torch's generator
    torch.manual_seed(args.seed)
    _, vectors = load_word_vectors(bundled_pretrain())
    train_rows, dev_rows = load_rows(args.work, "train"), load_rows(args.work, "dev")
    config = TaggerConfig(hidden=args.hidden, layers=args.layers, dropout=args.dropout, crf=args.crf,
                          tuned_words=args.tuned_words)
    model = AttributionTagger(vectors, config)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    best = -1.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total = time.time(), 0.0
        for batch in batches(train_rows, args.batch, shuffle=True):
            ids, lengths = batch_ids([r["ids"] for r in batch])
            gold = torch.full(ids["word"].shape, -1, dtype=torch.long)
            for row, r in enumerate(batch):
                gold[row, :len(r["tags"])] = torch.tensor(r["tags"])
            loss = model.loss(model(ids, lengths), gold, lengths)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            total += loss.item()
        selection, scores = dev_score(args, dev_rows, predict(model, dev_rows))
        log(f"epoch {epoch}: loss {total:.1f}, {time.time() - started:.0f}s; dev {json.dumps(scores)}")
        if selection > best:
            best = selection
            model.save(args.work / "tagger.pt", {"training": {
                "epoch": epoch, "epochs": args.epochs, "seed": args.seed, "threads": args.threads, "lr": args.lr,
                "batch": args.batch, "train_chunks": len(train_rows),
                "train_words": sum(len(r["tags"]) for r in train_rows), "torch": str(torch.__version__),
                "dev_tagger_alone": scores}})
    log(f"best: {best:.1f}")


def pack(args: argparse.Namespace) -> None:
    """The selected weights into the bundle, named by date and content."""
    saved = torch.load(args.work / "tagger.pt", map_location="cpu", weights_only=False)  # our own file
    saved["training"]["torch"] = str(saved["training"]["torch"])  # a plain string, for weights_only loading
    digest = hashlib.sha256(json.dumps(saved["training"], sort_keys=True).encode())
    for value in saved["state"].values():
        digest.update(value.numpy().tobytes())
    saved["version"] = f"tagger-{datetime.date.today():%Y%m%d}-{digest.hexdigest()[:8]}"
    args.bundle.mkdir(parents=True, exist_ok=True)
    torch.save(saved, args.bundle / "tagger.pt")
    log(f"packed {saved['version']} (epoch {saved['training']['epoch']}) into {args.bundle / 'tagger.pt'}")
    print(json.dumps({"version": saved["version"], **saved["training"]}, indent=1))


STEPS = {"prepare": prepare, "train": train, "pack": pack}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("steps", nargs="*", default=list(STEPS), help=f"any of {', '.join(STEPS)} (default: all)")
    ap.add_argument("--polnear", type=Path, default=SHARED / "data" / "polnear")
    ap.add_argument("--scorer", type=Path, default=SHARED / "tools" / "attribution_score.py")
    ap.add_argument("--work", type=Path, default=ROOT / "work-train" / "attribution")
    ap.add_argument("--bundle", type=Path, default=TAGGER_DIR)
    ap.add_argument("--limit", type=int, default=0, help="documents per split (a quick run)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--crf", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--tuned-words", type=int, default=10_000,
                    help="the most frequent words (the first rows of the word vectors) that also get a learned vector")
    args = ap.parse_args(argv)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        ap.error(f"unknown steps {unknown}; the steps are {', '.join(STEPS)}")
    torch.set_num_threads(args.threads)
    for step in args.steps:
        STEPS[step](args)


if __name__ == "__main__":
    main()

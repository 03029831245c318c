#!/usr/bin/env python3
"""UPOS, lemma, UAS, LAS and NER F1 of the engine's models at each precision, on the dev sets of ../shared.

    python service/evaluation/model_accuracy.py [--precision int8 fp32] [--limit N] [--json]

The models are loaded the way the engine loads them (engine.nlp.StanzaNLP: its batch sizes, its tree
decoder, and for int8 the quantization) and run on gold tokenization, as the engine runs them on the
sentences it selects: pos -> lemma -> depparse (the parser reads the predicted tags and lemmas), and ner.

- UD English EWT and GUM dev (data/ud/*-ud-dev.conllu.xz): UPOS and lemma accuracy, UAS, and LAS on the
  universal relation (the part before ':', as the CoNLL 2018 evaluator compares it). With gold
  tokenization these accuracies equal the evaluator's F1.
- English Worldwide Newswire dev (data/ner/*.dev.bio): entity F1, exact span and type.

The model card's scores (train_models.py `evaluate`) parse with gold lemmas, so its LAS differs a little
from this script's; compare precisions within one run of this script.
"""
from __future__ import annotations

import argparse
import json
import lzma
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"


def read_conllu(path: Path, limit: int = 0) -> list[list[list[str]]]:
    """Sentences as lists of word rows (10 columns); multi-word token ranges and empty nodes left out."""
    sentences: list[list[list[str]]] = []
    rows: list[list[str]] = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    sentences.append(rows)
                    rows = []
                    if limit and len(sentences) >= limit:
                        break
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    rows.append(cols)
    if rows:
        sentences.append(rows)
    return sentences


def read_bio(path: Path, limit: int = 0) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
                if limit and len(sentences) >= limit:
                    break
            continue
        word, tag = line.split("\t")[:2]
        current.append((word, tag))
    if current:
        sentences.append(current)
    return sentences


def entity_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, type) of the entities of a BIO or BIOES tag sequence."""
    spans: set[tuple[int, int, str]] = set()
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continuing = prefix in ("I", "E") and kind == label and start is not None
        if not continuing and start is not None:
            spans.add((start, i, kind))
            start, kind = None, ""
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, kind = i, label
        if prefix in ("E", "S") and start is not None:
            spans.add((start, i + 1, kind))
            start, kind = None, ""
    return spans


def score_ud(nlp, sentences: list[list[list[str]]]) -> dict[str, float]:
    from stanza import Document

    doc = Document([[{"id": i + 1, "text": row[1]} for i, row in enumerate(rows)] for rows in sentences])
    for name in ("pos", "lemma", "depparse"):
        doc = nlp.pipeline.processors[name].process(doc)
    total = upos = lemma = uas = las = 0
    for rows, sent in zip(sentences, doc.sentences):
        for row, word in zip(rows, sent.words):
            total += 1
            upos += word.upos == row[3]
            lemma += word.lemma == row[2]
            if str(word.head) == row[6]:
                uas += 1
                las += (word.deprel or "").split(":")[0] == row[7].split(":")[0]
    return {"upos": 100 * upos / total, "lemma": 100 * lemma / total, "uas": 100 * uas / total,
            "las": 100 * las / total, "words": total}


def score_ner(nlp, sentences: list[list[tuple[str, str]]]) -> dict[str, float]:
    from stanza import Document

    doc = Document([[{"id": i + 1, "text": w} for i, (w, _) in enumerate(sent)] for sent in sentences])
    doc = nlp.pipeline.processors["ner"].process(doc)
    found = gold = correct = 0
    for sent, tagged in zip(sentences, doc.sentences):
        g = entity_spans([t for _, t in sent])
        p = entity_spans([tok.ner or "O" for tok in tagged.tokens])
        found, gold, correct = found + len(p), gold + len(g), correct + len(p & g)
    precision, recall = correct / max(found, 1), correct / max(gold, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"ner_p": 100 * precision, "ner_r": 100 * recall, "ner_f1": 100 * f1, "entities": gold}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--precision", nargs="+", default=["fp32", "int8"], choices=("fp32", "int8"))
    ap.add_argument("--data", default=str(SHARED / "data"))
    ap.add_argument("--limit", type=int, default=0, help="first N sentences of each dev set")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON only")
    args = ap.parse_args()

    import torch

    from quotes_service.engine.nlp import StanzaNLP
    from quotes_service.models import select_models

    torch.set_num_threads(1)
    data = Path(args.data)
    ud = {tb: read_conllu(data / "ud" / f"en_{tb}-ud-dev.conllu.xz", args.limit) for tb in ("ewt", "gum")}
    ner = read_bio(data / "ner" / "en_worldwide-4class.dev.bio", args.limit)
    results: dict[str, dict] = {}
    for precision in args.precision:
        started = time.perf_counter()
        nlp = StanzaNLP(select_models("bundled", precision), threads=1)
        scores: dict[str, float] = {}
        for tb, sentences in ud.items():
            scores.update({f"{tb}_{k}": round(v, 2) for k, v in score_ud(nlp, sentences).items()})
        scores.update({k: round(v, 2) for k, v in score_ner(nlp, ner).items()})
        scores["seconds"] = round(time.perf_counter() - started, 1)
        results[precision] = scores
        print(f"{precision}: {scores}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    keys = [k for k in next(iter(results.values())) if k not in ("seconds",)]
    print("| score | " + " | ".join(results) + (" | difference |" if len(results) == 2 else " |"))
    print("|---" * (len(results) + 1 + (len(results) == 2)) + "|")
    for key in keys:
        values = [results[p][key] for p in results]
        diff = f" | {values[1] - values[0]:+.2f}" if len(values) == 2 else ""
        print(f"| {key} | " + " | ".join(f"{v:g}" for v in values) + diff + " |")


if __name__ == "__main__":
    main()

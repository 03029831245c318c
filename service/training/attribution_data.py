"""PolNeAR documents as tagger examples: the engine's words and features, and the gold tag of each word.

Gold comes from the first annotator file of each text (as the scorer reads it). PolNeAR is univocal: every
character belongs to at most one Source, Cue or Content of at most one attribution, so the gold of a chunk
is one tag per word (BIO over SRC, CUE, CON); which spans form an attribution is the linking rule's
(engine/learned/decoding.py).
"""
from __future__ import annotations

import csv
import glob
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from quotes_service.engine.learned.features import Chunk, chunks
from quotes_service.engine.learned.stage import rule_quotes
from quotes_service.engine.learned.tags import TAGS

ROLES = ("Source", "Cue", "Content")
ROLE_TAG = {"Source": "SRC", "Cue": "CUE", "Content": "CON"}


@dataclass
class GoldAttribution:
    spans: dict[str, list[tuple[int, int]]]  # role -> character fragments


@dataclass
class Example:
    """One chunk of one document, ready for the tagger."""

    document: str
    chunk: Chunk
    tags: list[int]  # gold TAGS id per word


def load_gold(folder: Path) -> dict[str, tuple[str, list[GoldAttribution]]]:
    """name -> (text, attributions), reading the first annotator file as the scorer does."""
    docs = {}
    for path in sorted(glob.glob(os.path.join(folder, "text", "*.txt"))):
        name = os.path.basename(path)[:-4]
        anns = sorted(glob.glob(os.path.join(folder, "attributions", name + "_*.ann")))
        if not anns:
            continue
        text = Path(path).read_text("utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        attributions = []
        for line in Path(anns[0]).read_text("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue  # the second line of a span text that holds a line break
            if parts[0].startswith("T"):
                kind, rng = parts[1].split(" ", 1)
                spans[parts[0]] = (kind, [(int(b), int(e)) for b, e in (r.split() for r in rng.split(";"))])
            elif parts[0].startswith("E"):
                roles = dict(arg.split(":") for arg in parts[1].split()[1:])
                found = {role: spans[roles[role]][1] for role in ROLES if role in roles and roles[role] in spans}
                if "Content" in found:
                    attributions.append(GoldAttribution(found))
        docs[name] = (text, attributions)
    return docs


def publishers(polnear: Path) -> dict[str, str]:
    with open(polnear / "metadata.tsv", encoding="utf-8") as f:
        return {row["filename"]: row["publisher"] for row in csv.DictReader(f, delimiter="\t")}


def examples(name: str, text: str, gold: list[GoldAttribution], doc_chunks: list[Chunk]) -> list[Example]:
    """Gold tags of the document's chunks."""
    owner = array("i", [-1]) * (len(text) + 1)  # character -> 3 * attribution + role
    for a, attribution in enumerate(gold):
        for r, role in enumerate(ROLES):
            for b, e in attribution.spans.get(role, []):
                owner[b:e] = array("i", [3 * a + r]) * (e - b)
    out = []
    for chunk in doc_chunks:
        tags, previous = [], -1
        for i, w in enumerate(chunk.words):
            k = _majority(owner, w.span.begin, w.span.end)
            if k < 0:
                tags.append(TAGS.index("O"))
            else:
                role = ROLES[k % 3]
                tags.append(TAGS.index(("I-" if k == previous else "B-") + ROLE_TAG[role]))
            previous = k
        out.append(Example(name, chunk, tags))
    return out


def _majority(owner: array, begin: int, end: int) -> int:
    """The owner of most alphanumeric-or-not characters of a word (-1: none)."""
    if end <= begin:
        return -1
    counts: dict[int, int] = {}
    for k in owner[begin:end]:
        counts[k] = counts.get(k, 0) + 1
    best = max(counts, key=lambda k: counts[k])
    return best


def rule_state(engine, text: str):
    """The document's state when the engine's learned stage runs: the stages before it, run by the engine."""
    from quotes_service.engine.pipeline import STAGES, DocumentState, Pipeline, Tools

    before = [s for s in STAGES[:[s.name for s in STAGES].index("learned_attribution")]]
    tools = Tools(engine.nlp, engine.outlets, engine.version, None)
    return Pipeline(before).run(tools, DocumentState(text))


def document_chunks(engine, text: str, vocab: dict[str, int]) -> list[Chunk]:
    """The chunks the engine's learned stage reads for this text."""
    state = rule_state(engine, text)
    return chunks(text, state.sentences, state.quote_spans, rule_quotes(state.rule_drafts), vocab)

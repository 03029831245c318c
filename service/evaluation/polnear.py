#!/usr/bin/env python3
"""Score the engine on PolNeAR (dev by default) with the team's scorer, ../shared/tools/attribution_score.py.

    python service/evaluation/polnear.py [--split dev] [--limit N] [--out predictions.jsonl]

Predictions are the service's own JSON (ExtractQuotesResponse, one compact object per line; the scorer
reads the speaker mention as the source). The document publisher comes from metadata.tsv.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from quotes.v1 import quote_service_pb2 as pb
from quotes_service import api
from quotes_service.engine import Engine

SHARED = Path(__file__).resolve().parents[3] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", default=str(SHARED / "data" / "polnear"))
    ap.add_argument("--scorer", default=str(SHARED / "tools" / "attribution_score.py"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default="")
    args = ap.parse_args()

    data = Path(args.data)
    with open(data / "metadata.tsv", encoding="utf-8") as f:
        publishers = {row["filename"]: row["publisher"] for row in csv.DictReader(f, delimiter="\t")}
    texts = sorted((data / args.split / "text").glob("*.txt"))
    if args.limit:
        texts = texts[:args.limit]
    out = Path(args.out or f"/tmp/polnear-{args.split}-predictions.jsonl")
    engine = Engine(threads=1)
    t0, words = time.time(), 0
    with open(out, "w", encoding="utf-8") as f:
        for path in texts:
            text = path.read_text("utf-8")
            words += len(text.split())
            request = pb.ExtractQuotesRequest(document=pb.Document(id=path.stem, text=text,
                                                                   publisher=publishers.get(path.stem, "")))
            f.write(api.to_json_line(api.extract(engine, request)) + "\n")
    elapsed = time.time() - t0
    print(f"{len(texts)} documents, {words} words in {elapsed:.0f}s ({words / elapsed:.0f} words/s)", file=sys.stderr)
    gold = data / args.split
    if args.limit:  # score only the documents we ran
        import shutil
        import tempfile
        tmp = Path(tempfile.mkdtemp())
        (tmp / "text").mkdir()
        (tmp / "attributions").mkdir()
        for path in texts:
            shutil.copy(path, tmp / "text")
            for ann in (gold / "attributions").glob(path.stem + "_*.ann"):
                shutil.copy(ann, tmp / "attributions")
        gold = tmp
    result = subprocess.run([sys.executable, args.scorer, str(gold), str(out)], capture_output=True, text=True,
                            check=True)
    scores = json.loads(result.stdout)
    print(json.dumps(scores, indent=1))
    print(f"content exact F1 {scores['content']['exact']['f1']}, end-to-end attribution F1 "
          f"{scores['attribution']['f1']}", file=sys.stderr)


if __name__ == "__main__":
    main()

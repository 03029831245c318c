"""The tagger's training code, end to end on a tiny made-up corpus (tests/data/attribution_corpus): prepare,
one epoch, pack; the packed weights load into the engine's stage. So the training code cannot rot."""
from __future__ import annotations

import sys
from pathlib import Path

import torch

from conftest import ROOT

sys.path.insert(0, str(ROOT / "service" / "training"))

import attribution  # type: ignore[import-not-found]  # service/training/attribution.py, on the path above

CORPUS = Path(__file__).resolve().parent / "data" / "attribution_corpus"


def test_prepare_train_and_pack_one_epoch(tmp_path):
    from quotes_service.engine.learned import LearnedAttribution
    from quotes_service.engine.learned.tags import TAGS
    from quotes_service.models import bundled_pretrain

    work, bundle = tmp_path / "work", tmp_path / "bundle"
    attribution.main(["prepare", "train", "pack", "--polnear", str(CORPUS), "--work", str(work),
                      "--bundle", str(bundle), "--scorer", str(tmp_path / "no-scorer.py"), "--epochs", "1",
                      "--tuned-words", "100", "--hidden", "16"])
    rows = torch.load(work / "train.pt", weights_only=False)
    assert len({r["document"] for r in rows}) == 4
    tagged = [TAGS[t] for r in rows for t in r["tags"]]
    assert {"B-SRC", "B-CUE", "B-CON", "I-CON", "O"} <= set(tagged)
    assert "text" not in rows[0]  # ids, tags and offsets only
    saved = torch.load(bundle / "tagger.pt", weights_only=True)
    assert saved["version"].startswith("tagger-") and saved["training"]["epoch"] == 1
    assert "tag_f1" in saved["training"]["dev_tagger_alone"]
    tagger = LearnedAttribution(bundle / "tagger.pt", bundled_pretrain())
    assert tagger.model.config.hidden == 16
    # the same seed trains the same weights
    attribution.main(["train", "--polnear", str(CORPUS), "--work", str(work), "--scorer", str(tmp_path / "none.py"),
                      "--epochs", "1", "--tuned-words", "100", "--hidden", "16"])
    again = torch.load(work / "tagger.pt", weights_only=False)["state"]
    assert all(torch.equal(again[k], saved["state"][k]) for k in saved["state"])

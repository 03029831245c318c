"""Issue 2: the bundled stanza models load offline, and the selection is what `quotes models` reports."""
from __future__ import annotations

import json
import socket
import subprocess
import time

import pytest

from conftest import QUOTES


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_bundled_pipeline_loads_offline_and_annotates_the_seed(no_network, seed_text):
    import stanza

    from quotes_service.models import select_models

    selection = select_models("bundled")
    started = time.perf_counter()
    nlp = stanza.Pipeline(**selection.pipeline_kwargs, use_gpu=False, logging_level="WARN")
    print(f"\nbundled pipeline load time: {time.perf_counter() - started:.2f}s ({selection.version})")
    doc = nlp(seed_text.split("\n")[0])
    entities = {(e.text, e.type) for e in doc.ents}
    assert any(t == "PER" and "Putin" in text for text, t in entities), entities
    assert any(t == "PER" and "Assad" in text for text, t in entities), entities
    assert ("Syria", "LOC") in entities, entities
    words = [w for s in doc.sentences for w in s.words]
    assert words and all(w.head is not None and w.deprel for w in words)
    assert sum(w.head == 0 for s in doc.sentences for w in s.words) == len(doc.sentences)


@pytest.mark.slow
def test_models_json_matches_the_selection():
    from quotes_service.models import select_models

    out = subprocess.run([QUOTES, "models", "--json"], capture_output=True, text=True, check=True)
    shown = json.loads(out.stdout)
    selection = select_models()
    assert shown == {"version": selection.version, "precision": selection.precision,
                     "pipeline_kwargs": selection.pipeline_kwargs}
    assert shown["pipeline_kwargs"]["download_method"] is None
    assert set(shown["pipeline_kwargs"]["processors"].split(",")) == {"tokenize", "mwt", "pos", "lemma",
                                                                        "depparse", "ner"}


@pytest.mark.slow
def test_missing_models_give_a_clear_error(tmp_path):
    out = subprocess.run([QUOTES, "models", "--models", str(tmp_path)], capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "no stanza models in" in out.stderr and str(tmp_path) in out.stderr


def test_official_models_missing_point_to_download(tmp_path, monkeypatch):
    from quotes_service.models import ModelsNotFound, select_models

    monkeypatch.setenv("QUOTES_CACHE_DIR", str(tmp_path))
    with pytest.raises(ModelsNotFound, match="quotes models download"):
        select_models("official")


def test_bundle_is_small_and_unpacks_once(tmp_path, monkeypatch):
    from quotes_service.models import BUNDLE_DIR, bundle_version, unpack_bundle

    packed = sum(p.stat().st_size for p in BUNDLE_DIR.rglob("*") if p.is_file())
    assert packed < 100 * 1024 * 1024
    monkeypatch.setenv("QUOTES_CACHE_DIR", str(tmp_path))
    first = unpack_bundle()
    marker = first / ".complete"
    mtime = marker.stat().st_mtime_ns
    assert unpack_bundle() == first and marker.stat().st_mtime_ns == mtime
    assert marker.read_text() == bundle_version()


def test_model_version_covers_rules_and_data(tmp_path):
    import shutil

    from quotes_service.models import ENGINE_DIR, bundle_version, rules_digest, select_models

    copy = tmp_path / "engine"
    shutil.copytree(ENGINE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = rules_digest(copy)
    assert rules_digest(copy) == before == rules_digest(ENGINE_DIR)
    outlets = copy / "data" / "outlets.json"
    outlets.write_text(outlets.read_text() + " ")
    after_data = rules_digest(copy)
    rule = copy / "cues" / "verbs.py"
    rule.write_text(rule.read_text() + "\n")
    assert len({before, after_data, rules_digest(copy)}) == 3
    version = select_models("bundled").version  # models and rules; the unpacked models' cache: models alone
    assert version.startswith("stanza-en-") and version != bundle_version()

"""Learned attribution: a tagger trained on PolNeAR finds the sources, cues and contents the rules miss.

features.py (what it sees of each word) -> tagger.py (BiLSTM-CRF) -> decoding.py (tags -> linked spans) ->
stage.py (linked spans -> drafts). Trained by service/training/attribution.py; the weights ship in
quotes_service/models/attribution/ with their model card.
"""
from __future__ import annotations

from .stage import LearnedAttribution

__all__ = ["LearnedAttribution"]

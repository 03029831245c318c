"""The tagger's output labels: BIO over the three parts of an attribution (PolNeAR's Source, Cue, Content)."""
from __future__ import annotations

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")

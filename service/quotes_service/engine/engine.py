"""The extraction engine: one document in, typed quotes out.

It runs the stages of pipeline.py in their order (`describe()` there prints them):

segment -> quote_marks -> select_and_parse -> cues -> attribute -> entities -> speakers -> outlets -> response

Models load once per Engine; an Engine is not shared between threads.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..models import ModelSelection, select_models
from .nlp import StanzaNLP
from .outlets import OutletDirectory
from .pipeline import STAGES, DocumentState, Pipeline, Stage, Tools
from .types import Extraction


class Engine:
    def __init__(self, models: ModelSelection | None = None, *, threads: int | None = None,
                 outlets: OutletDirectory | None = None, stages: Iterable[Stage] = STAGES):
        self.models = models or select_models()
        self.nlp = StanzaNLP(self.models, threads=threads)
        self.outlets = outlets or OutletDirectory.default()
        self.pipeline = Pipeline(stages)

    @property
    def version(self) -> str:
        return self.models.version

    def extract(self, text: str, *, publisher: str = "", url: str = "", language_code: str = "en",
                deadline: float | None = None) -> Extraction:
        """Every quote of `text`. `deadline` (time.time() seconds) is checked between the stages."""
        tools = Tools(self.nlp, self.outlets, self.version)
        state = self.pipeline.run(tools, DocumentState(text, publisher, url, language_code), deadline)
        return state.extraction

"""The extraction engine: one document in, typed quotes out.

It runs the stages of pipeline.py in their order (`describe()` there prints them):

segment -> quote_marks -> select_and_parse -> cues -> attribute -> learned_attribution -> choose_quotes ->
entities -> speakers -> outlets -> response

Models load once per Engine; an Engine is not shared between threads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..models import ModelSelection, bundled_pretrain, select_models
from .embedded_posts import EmbeddedPost
from .learned import LearnedAttribution
from .learned.stage import WEIGHTS as TAGGER_WEIGHTS
from .nlp import StanzaNLP
from .outlets import OutletDirectory
from .pipeline import STAGES, DocumentState, Pipeline, Stage, Tools
from .types import Extraction


class Engine:
    def __init__(self, models: ModelSelection | None = None, *, threads: int | None = None,
                 outlets: OutletDirectory | None = None, stages: Iterable[Stage] = STAGES,
                 tagger: Path | None = TAGGER_WEIGHTS):
        """`tagger`: the attribution tagger's weights (the bundled ones by default; None: rules alone)."""
        self.models = models or select_models()
        self.nlp = StanzaNLP(self.models, threads=threads)
        self.outlets = outlets or OutletDirectory.default()
        self.learned = (LearnedAttribution(tagger, bundled_pretrain(), self.models.precision)
                        if tagger is not None else None)
        self.pipeline = Pipeline(stages)

    @property
    def version(self) -> str:
        return self.models.version

    def extract(self, text: str, *, publisher: str = "", url: str = "", language_code: str = "en",
                deadline: float | None = None, cancelled: Callable[[], bool] | None = None,
                embedded_posts: Sequence[EmbeddedPost] = ()) -> Extraction:
        """Every quote of `text`. `deadline` (time.time() seconds) and `cancelled` are checked between the
        stages and between model calls (DeadlineExceeded, Cancelled). `embedded_posts`: posts read from the
        document's markup (see quotes_service.markup)."""
        tools = Tools(self.nlp, self.outlets, self.version, self.learned)
        state = self.pipeline.run(tools, DocumentState(text, publisher, url, language_code, list(embedded_posts)),
                                  deadline, cancelled)
        return state.extraction

"""The engine's stages, in order, over one state object per document.

Each stage is declared with its name, the state fields it reads (`requires`, which are also the parameters
of its function, after the engine's tools) and the fields it adds (`provides`, the keys of the dict its
function returns). A Pipeline checks when it is built that every field a stage reads is an input or comes
from an earlier stage, and that no stage provides a field another one already did: a stage never replaces
an earlier stage's output (and, by convention, never changes it in place: select_and_parse tags copies of
the tokenized sentences). The runner checks the caller's deadline before every stage.

To add a stage, write its function, add the fields it provides to DocumentState and put a Stage into
STAGES where its inputs exist. `python -c "from quotes_service.engine.pipeline import describe;
print(describe())"` prints the stages as the code has them.
"""
from __future__ import annotations

import dataclasses
import inspect
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import segmentation
from .attribution import Draft, attribute
from .cues import Cue, find_cues
from .embedded_posts import find_embedded_posts
from .linking import SourceLink, link_entities
from .nlp import StanzaNLP, TaggedSentence
from .outlets import OutletDirectory, choose_outlets
from .parse_selection import select_and_parse
from .quote_marks import QuoteSpan, find_quote_spans
from .speakers import choose_speakers
from .types import Entity, Extraction, Outlet, Paragraph, Quote, Sentence, Span, Speaker


class DeadlineExceeded(Exception):
    """The caller's deadline passed between two stages; the rest of the work was skipped."""


class PipelineError(Exception):
    """The stages do not fit together: a stage reads a field that nothing before it provides, or two
    stages provide the same field."""


@dataclass(frozen=True)
class Tools:
    """What stays loaded between documents: the models, the outlet directory, the version they make."""

    nlp: StanzaNLP
    outlets: OutletDirectory
    model_version: str


INPUTS = ("text", "publisher", "url", "language_code")


@dataclass(eq=False)
class DocumentState:
    """One document on its way through the stages: the request's fields, then each stage's fields (unset
    until the stage that provides them has run)."""

    text: str
    publisher: str = ""
    url: str = ""
    language_code: str = "en"
    paragraphs: list[Span] = field(init=False, repr=False)  # segment
    tokenized: list[TaggedSentence] = field(init=False, repr=False)  # segment
    quote_spans: list[QuoteSpan] = field(init=False, repr=False)  # quote_marks
    sentences: list[TaggedSentence] = field(init=False, repr=False)  # select_and_parse
    cues: list[Cue] = field(init=False, repr=False)  # cues
    drafts: list[Draft] = field(init=False, repr=False)  # attribute
    entities: list[Entity] = field(init=False, repr=False)  # entities
    sources: list[SourceLink | None] = field(init=False, repr=False)  # entities; per draft
    speakers: list[Speaker | None] = field(init=False, repr=False)  # speakers; per draft
    outlets: list[Outlet | None] = field(init=False, repr=False)  # outlets; per draft
    extraction: Extraction = field(init=False, repr=False)  # response


StageFunction = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: StageFunction  # run(tools, **required) -> {provided field: value}


# ---- the stages ----------------------------------------------------------------------------------------

def _segment(tools: Tools, text: str) -> dict[str, Any]:
    """Paragraphs (blocks between line breaks), then stanza's sentences and tokens inside each."""
    paragraphs = segmentation.paragraphs(text)
    return {"paragraphs": paragraphs, "tokenized": segmentation.segment(tools.nlp, text, paragraphs)}


def _quote_marks(tools: Tools, text: str, paragraphs: list[Span]) -> dict[str, Any]:
    """Direct-quote spans from quotation marks alone."""
    return {"quote_spans": find_quote_spans(text, paragraphs)}


def _select_and_parse(tools: Tools, text: str, tokenized: list[TaggedSentence],
                      quote_spans: list[QuoteSpan]) -> dict[str, Any]:
    """Tags and a parse for the sentences that can hold a cue, NER for those that can hold a name."""
    return {"sentences": select_and_parse(tools.nlp, text, tokenized, quote_spans)}


def _cues(tools: Tools, sentences: list[TaggedSentence]) -> dict[str, Any]:
    """Reporting cues of the parsed sentences, each with its source and reported content."""
    return {"cues": [c for s in sentences for c in find_cues(s)]}


def _attribute(tools: Tools, text: str, paragraphs: list[Span], sentences: list[TaggedSentence],
               quote_spans: list[QuoteSpan], cues: list[Cue]) -> dict[str, Any]:
    """Quotes (drafts): direct, indirect and mixed, each with its cue, embedded post, label or antecedent."""
    posts = find_embedded_posts(text, paragraphs)
    return {"drafts": attribute(text, paragraphs, sentences, quote_spans, cues, posts)}


def _entities(tools: Tools, text: str, sentences: list[TaggedSentence], drafts: list[Draft]) -> dict[str, Any]:
    """The document's entities, and the one each draft's source mention refers to."""
    linking = link_entities(text, sentences, drafts, tools.outlets)
    return {"entities": linking.entities, "sources": linking.sources}


def _speakers(tools: Tools, drafts: list[Draft], sources: list[SourceLink | None],
              entities: list[Entity]) -> dict[str, Any]:
    """Each draft's speaker, continuations included."""
    return {"speakers": choose_speakers(drafts, sources, entities, tools.outlets)}


def _outlets(tools: Tools, text: str, paragraphs: list[Span], drafts: list[Draft], speakers: list[Speaker | None],
             publisher: str, url: str) -> dict[str, Any]:
    """Each draft's outlet: embedded post, source phrase, wire credit or publisher."""
    return {"outlets": choose_outlets(tools.outlets, text, paragraphs, drafts, speakers, publisher, url)}


def _response(tools: Tools, text: str, language_code: str, paragraphs: list[Span], sentences: list[TaggedSentence],
              drafts: list[Draft], entities: list[Entity], speakers: list[Speaker | None],
              outlets: list[Outlet | None]) -> dict[str, Any]:
    """The typed result: quotes, entities, sentences and paragraphs."""
    quotes = [Quote(d.type, d.content, d.cue.span if d.cue else d.label_mark, speakers[i], outlets[i],
                    round(d.confidence, 2), [s.index for s in sentences if s.span.overlaps(d.content)])
              for i, d in enumerate(drafts)]
    return {"extraction": Extraction(
        text=text,
        quotes=quotes,
        entities=entities,
        sentences=[Sentence(s.span, s.paragraph_index, s.tokens) for s in sentences],
        paragraphs=[Paragraph(p) for p in paragraphs],
        model_version=tools.model_version,
        language_code=language_code or "en",
    )}


STAGES = (
    Stage("segment", ("text",), ("paragraphs", "tokenized"), _segment),
    Stage("quote_marks", ("text", "paragraphs"), ("quote_spans",), _quote_marks),
    Stage("select_and_parse", ("text", "tokenized", "quote_spans"), ("sentences",), _select_and_parse),
    Stage("cues", ("sentences",), ("cues",), _cues),
    Stage("attribute", ("text", "paragraphs", "sentences", "quote_spans", "cues"), ("drafts",), _attribute),
    Stage("entities", ("text", "sentences", "drafts"), ("entities", "sources"), _entities),
    Stage("speakers", ("drafts", "sources", "entities"), ("speakers",), _speakers),
    Stage("outlets", ("text", "paragraphs", "drafts", "speakers", "publisher", "url"), ("outlets",), _outlets),
    Stage("response", ("text", "language_code", "paragraphs", "sentences", "drafts", "entities", "speakers",
                       "outlets"), ("extraction",), _response),
)


# ---- the runner ----------------------------------------------------------------------------------------

class Pipeline:
    def __init__(self, stages: Iterable[Stage] = STAGES):
        self.stages = tuple(stages)
        fields = {f.name for f in dataclasses.fields(DocumentState)}
        available = set(INPUTS)
        for stage in self.stages:
            parameters = tuple(inspect.signature(stage.run).parameters)[1:]  # after the tools
            if set(parameters) != set(stage.requires):
                raise PipelineError(f"stage {stage.name}: its function reads {parameters}, not {stage.requires}")
            missing = [f for f in stage.requires if f not in available]
            if missing:
                raise PipelineError(f"stage {stage.name} requires {missing}, which no earlier stage provides")
            unknown = [f for f in stage.provides if f not in fields]
            if unknown:
                raise PipelineError(f"stage {stage.name} provides {unknown}, which DocumentState does not have")
            again = [f for f in stage.provides if f in available]
            if again:
                raise PipelineError(f"stage {stage.name} would replace {again}, an earlier stage's output")
            available.update(stage.provides)

    def run(self, tools: Tools, state: DocumentState, deadline: float | None = None) -> DocumentState:
        """Every stage in order. `deadline` (time.time() seconds) is checked before each stage."""
        for stage in self.stages:
            if deadline is not None and time.time() > deadline:
                raise DeadlineExceeded(f"before stage {stage.name}")
            provided = stage.run(tools, **{f: getattr(state, f) for f in stage.requires})
            if provided.keys() != set(stage.provides):
                raise PipelineError(f"stage {stage.name} returned {sorted(provided)}, not {stage.provides}")
            for name, value in provided.items():
                setattr(state, name, value)
        return state

    def describe(self) -> str:
        """The stages in order, each with the fields it requires and provides."""
        width = max(len(s.name) for s in self.stages)
        lines = [f"{'inputs':<{width}}  {', '.join(INPUTS)}"]
        for stage in self.stages:
            lines.append(f"{stage.name:<{width}}  {', '.join(stage.requires)} -> {', '.join(stage.provides)}")
        return "\n".join(lines)


def describe() -> str:
    """The engine's stages as the code has them (no models are loaded)."""
    return Pipeline().describe()

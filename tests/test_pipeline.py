"""The engine's stage list: its order, the checks a Pipeline makes when it is built, and the deadline."""
from __future__ import annotations

import time

import pytest

from quotes_service.engine.pipeline import (
    STAGES,
    DeadlineExceeded,
    DocumentState,
    Pipeline,
    PipelineError,
    Stage,
    describe,
)

ORDER = ["segment", "quote_marks", "select_and_parse", "cues", "attribute", "entities", "speakers", "outlets",
         "response"]


def test_stages_run_in_the_documented_order():
    assert [s.name for s in STAGES] == ORDER
    rows = [line.split(None, 1) for line in describe().splitlines()]
    assert [name for name, _ in rows] == ["inputs", *ORDER]
    assert dict(rows)["speakers"] == "drafts, sources, entities -> speakers"


def test_every_stage_reads_only_what_came_before_and_replaces_nothing():
    provided = {"text", "publisher", "url", "language_code"}
    for stage in STAGES:
        assert set(stage.requires) <= provided, stage.name
        assert not set(stage.provides) & provided, stage.name
        provided |= set(stage.provides)
    assert "extraction" in provided


def _noop(tools, text):
    return {"paragraphs": []}


def test_a_stage_that_reads_what_no_earlier_stage_provides_is_refused():
    with pytest.raises(PipelineError, match="requires"):
        Pipeline([Stage("early", ("drafts",), ("cues",), lambda tools, drafts: {"cues": []})])


def test_a_stage_that_replaces_an_earlier_output_is_refused():
    first = Stage("first", ("text",), ("paragraphs",), _noop)
    with pytest.raises(PipelineError, match="replace"):
        Pipeline([first, Stage("again", ("text",), ("paragraphs",), _noop)])


def test_declared_requirements_must_match_the_function():
    with pytest.raises(PipelineError, match="reads"):
        Pipeline([Stage("liar", ("text", "url"), ("paragraphs",), _noop)])


def test_a_stage_is_inserted_where_its_inputs_exist():
    stages = list(STAGES)
    stages.insert(ORDER.index("attribute"), Stage("learned", ("cues",), (), lambda tools, cues: {}))
    assert [line.split()[0] for line in Pipeline(stages).describe().splitlines()][4:7] == \
        ["cues", "learned", "attribute"]
    with pytest.raises(PipelineError, match="requires"):
        Pipeline([*STAGES[:3], Stage("learned", ("cues",), (), lambda tools, cues: {}), *STAGES[3:]])


def test_the_deadline_is_checked_before_the_first_stage():
    ran = []

    def stage(tools, text):
        ran.append(text)
        return {"paragraphs": []}

    pipeline = Pipeline([Stage("segment", ("text",), ("paragraphs",), stage)])
    with pytest.raises(DeadlineExceeded):
        pipeline.run(None, DocumentState("x"), deadline=time.time() - 1)  # type: ignore[arg-type]
    assert ran == []
    state = pipeline.run(None, DocumentState("x"), deadline=time.time() + 60)  # type: ignore[arg-type]
    assert ran == ["x"] and state.paragraphs == []


def test_the_readme_and_the_engine_docstring_show_the_stages_of_the_code():
    from conftest import ROOT
    from quotes_service.engine import engine

    readme = (ROOT / "README.md").read_text("utf-8")
    assert "\n```\n" + describe() + "\n```\n" in readme, "README: paste the output of describe()"
    assert " -> ".join(ORDER) in " ".join((engine.__doc__ or "").split())
    table = [line.split("|")[1].strip() for line in readme.split("## How it works")[1].split("\n## ")[0].splitlines()
             if line.startswith("| ") and not line.startswith("| stage")]
    assert table == ORDER

"""The same CV in any layout gives the same report (issue 14): every content of the layout matrix, in
every layout, against its one-column Word reference and its labels."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.layout_matrix import LABELS, Reading, corpus_jds, jaccard, read
from core.config import Settings

CONTENTS = sorted(LABELS["contents"])
REFERENCE = LABELS["reference_layout"]
OTHERS = [layout for layout in LABELS["layouts"] if layout != REFERENCE]
SETTINGS = Settings(app_env="test", max_upload_mb=5, max_pdf_pages=20, extraction_timeout_seconds=10)


@pytest.fixture(scope="module")
def jds() -> dict[str, Any]:
    return corpus_jds()


@pytest.fixture(scope="module")
def references() -> dict[str, Reading]:
    return {content: read(content, REFERENCE, SETTINGS) for content in CONTENTS}


@pytest.mark.parametrize("content", CONTENTS)
def test_reference_layout_reads_as_labelled(content: str, references: dict[str, Reading]) -> None:
    label, reading = LABELS["contents"][content], references[content]
    assert reading.fields() == {key: label[key] for key in reading.fields()}
    assert reading.resume["location"] == label["location"]
    assert abs(reading.resume["years_experience"] - label["years_experience"]) <= 0.5


@pytest.mark.parametrize("layout", OTHERS)
@pytest.mark.parametrize("content", CONTENTS)
def test_every_layout_gives_the_same_report(
    content: str, layout: str, references: dict[str, Reading], jds: dict[str, Any]
) -> None:
    reference, reading = references[content], read(content, layout, SETTINGS)
    assert reading.fields() == reference.fields()
    assert abs(reading.resume["years_experience"] - reference.resume["years_experience"]) <= 0.5
    assert jaccard(reading.resume["skills"], reference.resume["skills"]) >= 0.9
    theirs, ours = reference.scores(jds), reading.scores(jds)
    assert {jd: abs(ours[jd] - theirs[jd]) for jd in jds if abs(ours[jd] - theirs[jd]) > 5} == {}


CREATIVE = [layout for layout in OTHERS if layout.startswith("creative")]


@pytest.mark.parametrize("layout", CREATIVE)
@pytest.mark.parametrize("content", CONTENTS)
def test_headings_told_by_their_type_give_the_sections_of_plain_ones(
    content: str, layout: str, references: dict[str, Reading]
) -> None:
    """Headings no keyword list knows ("Where I've worked", "Toolbox"), set in a heading style or larger bold
    type: the same sections, positions (title, employer, dates), schools and years as under "EXPERIENCE"."""
    reference, reading = references[content].resume, read(content, layout, SETTINGS).resume
    assert reading["sections"] == reference["sections"]
    assert _entries(reading) == _entries(reference)
    assert abs(reading["years_experience"] - LABELS["contents"][content]["years_experience"]) <= 0.5


def _entries(resume: dict[str, Any]) -> dict[str, Any]:
    return {
        "positions": [(e["title"], e["company"], e["start"], e["end"]) for e in resume["experience"]],
        "schools": [(e["level"], e["year"]) for e in resume["education"]],
    }

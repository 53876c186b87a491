"""The typed report: the engine's output is fully described by the model, survives storage, and old rows upgrade."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from core.engine import report as model
from core.engine.matching import analyze
from core.engine.resume import parse_resume
from tests.cohort_data import report as seed_shaped_report
from tests.engine.test_matching import CV, JD


def _extras(part: BaseModel, where: str = "report") -> list[str]:
    """Keys the model does not declare, anywhere in the tree (the model allows them; the engine must not need them)."""
    found = [f"{where}.{key}" for key in part.model_extra or {}]
    for name in type(part).model_fields:
        value = getattr(part, name)
        children = value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]
        found += [e for child in children if isinstance(child, BaseModel) for e in _extras(child, f"{where}.{name}")]
    return found


@pytest.mark.parametrize("jd", [JD, None], ids=["job", "cv_only"])
def test_the_model_declares_every_key_the_engine_writes(jd: str | None) -> None:
    report = analyze(parse_resume(CV), CV, jd)
    assert _extras(model.Report.model_validate(report.to_json())) == []


def test_stored_json_round_trips_unchanged() -> None:
    stored = json.loads(json.dumps(analyze(parse_resume(CV), CV, JD).to_json()))
    assert stored["schema_version"] == model.SCHEMA_VERSION
    assert model.load_report(stored).to_json() == stored
    assert "recommended_roles" not in stored["analysis"] and "mode" not in stored  # unset fields stay out


def test_a_version_less_row_in_the_public_shape_is_read_and_upgraded() -> None:
    old: dict[str, Any] = {**seed_shaped_report(62, ["docker"]), "provider": {"insights": "local", "flashcards": "x"}}
    report = model.load_report(old)
    assert report.schema_version == model.SCHEMA_VERSION
    assert report.meta is not None and report.meta.sources == {"insights": "local", "flashcards": "x"}
    assert report.ats_score.evidence is None and report.analysis.missing_skills == ["docker"]
    assert "provider" not in report.to_json() and "provider" in old  # the stored row itself is not changed


def test_upgrade_leaves_a_current_report_alone() -> None:
    current = analyze(parse_resume(CV), CV, JD).to_json()
    assert model.upgrade(current) == current


def test_a_broken_report_is_refused() -> None:
    data = analyze(parse_resume(CV), CV, JD).to_json()
    data["ats_score"]["breakdown"]["skills_match"] = 140
    with pytest.raises(ValidationError):
        model.Report.model_validate(data)
    del data["analysis"]
    with pytest.raises(ValidationError):
        model.load_report(data)


def test_vocabulary_is_defined_once() -> None:
    assert model.BREAKDOWN == tuple(model.Breakdown.model_fields) == (
        "keyword_density", "skills_match", "experience_relevance", "education_match", "format_optimization",
    )  # fmt: skip
    assert model.DEGREE_LEVELS[0] == "none" and model.DEGREE_LEVELS[-1] == "phd"
    assert [model.band(s) for s in (100, 75, 74, 50, 49, 0)] == ["good", "good", "fair", "fair", "poor", "poor"]


def test_json_path_checks_names_against_the_model() -> None:
    assert model.json_path("analysis", "missing_skills") == ("analysis", "missing_skills")
    assert model.json_path("ats_score", "evidence", "skills_match") == ("ats_score", "evidence", "skills_match")
    with pytest.raises(KeyError):
        model.json_path("analysis", "missing_skill")

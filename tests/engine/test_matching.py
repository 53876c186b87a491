"""The analysis report: shape, determinism, each score part moving the right way, CV-only mode, files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.engine.matching import WEIGHTS, analyze, analyze_files, batch, write_batch_csv
from core.engine.resume import parse_resume
from core.errors import AppError, ErrorCode

CORPUS = Path(__file__).parents[1] / "corpus"
JD = """Backend Engineer
Quarry Labs — Remote

Requirements
- 3+ years of experience building backend services.
- Python, PostgreSQL and Docker.
- Bachelor's degree in Computer Science.

Nice to have
- Kubernetes.
"""
CV = """Dana Reyes
Backend Engineer
dana.reyes@example.com | (555) 010-0101 | Austin, TX

SUMMARY
Backend engineer who ships reliable payment services.

EXPERIENCE
Backend Engineer, Flintlock Pay — Austin, TX
Jan 2020 – Present
- Built Python services on PostgreSQL handling 2M requests per day.
- Cut p99 latency by 35% by adding caching.
Software Engineer, Mesa Apps — Austin, TX
Jun 2017 – Dec 2019
- Maintained internal tools used by 200 staff.

EDUCATION
B.S. in Computer Science, Lakeview State University, 2017

SKILLS
Python, PostgreSQL, Git
"""


def _report(cv: str = CV, jd: str | None = JD) -> dict:
    """The report as its public JSON (what the CLI prints and the database stores)."""
    return analyze(parse_resume(cv), cv, jd).to_json()


def test_report_has_the_public_shape() -> None:
    report = _report()
    assert set(report["analysis"]) >= {
        "matching_skills", "missing_skills", "matching_keywords", "missing_keywords",
        "experience_match", "education_match", "role_compatibility",
    }  # fmt: skip
    assert set(report["analysis"]["experience_match"]) == {"required_years", "candidate_years", "match_percentage"}
    assert set(report["analysis"]["education_match"]) == {"required", "candidate", "match"}
    assert set(report["insights"]["recommendations"]) == {"high_priority", "medium_priority", "low_priority"}
    assert set(report["ats_score"]["breakdown"]) == set(WEIGHTS)
    for value in [report["ats_score"]["overall_score"], *report["ats_score"]["breakdown"].values()]:
        assert isinstance(value, int) and 0 <= value <= 100
    assert 8 <= len(report["flashcards"]) <= 15
    assert all(card["front"] and card["back"] for card in report["flashcards"])
    assert report["resume_preview"].startswith("Dana Reyes")
    reasoning = report["analysis"]["role_compatibility"]["reasoning"]
    assert reasoning.endswith(".") and reasoning.count(". ") == 0


def test_required_skills_come_before_preferred_and_evidence_explains_them() -> None:
    report = _report()
    assert report["analysis"]["matching_skills"] == ["postgresql", "python"]
    assert report["analysis"]["missing_skills"] == ["docker", "kubernetes"]
    evidence = report["ats_score"]["evidence"]["skills_match"]
    assert evidence["required_missing"] == ["docker"]
    assert "Docker" in evidence["jd_lines"]["docker"]


def test_same_input_gives_byte_identical_json() -> None:
    assert json.dumps(_report(), sort_keys=False) == json.dumps(_report(), sort_keys=False)


def test_adding_a_missing_required_skill_raises_skills_match() -> None:
    before = _report()
    after = _report(CV.replace("Python, PostgreSQL, Git", "Python, PostgreSQL, Git, Docker"))
    assert after["ats_score"]["breakdown"]["skills_match"] > before["ats_score"]["breakdown"]["skills_match"]
    assert after["ats_score"]["overall_score"] > before["ats_score"]["overall_score"]
    assert "docker" not in after["analysis"]["missing_skills"]


def test_removing_the_email_lowers_format_only() -> None:
    before = _report()
    after = _report(CV.replace("dana.reyes@example.com | ", ""))
    b, a = before["ats_score"]["breakdown"], after["ats_score"]["breakdown"]
    assert a["format_optimization"] < b["format_optimization"]
    assert a["skills_match"] == b["skills_match"]
    assert after["analysis"]["role_compatibility"] == before["analysis"]["role_compatibility"]
    assert "contact_block" in after["ats_score"]["evidence"]["format_optimization"]["failed"]


def test_fewer_years_lower_experience_relevance() -> None:
    senior = _report(jd=JD)
    junior = _report(jd=JD.replace("3+ years", "12+ years"))
    assert (
        junior["ats_score"]["breakdown"]["experience_relevance"]
        < senior["ats_score"]["breakdown"]["experience_relevance"]
    )
    assert junior["analysis"]["experience_match"]["match_percentage"] < 100


def test_degree_requirement_drives_education_match() -> None:
    assert _report()["ats_score"]["breakdown"]["education_match"] == 100
    phd = _report(jd=JD.replace("Bachelor's degree", "PhD"))
    assert phd["ats_score"]["breakdown"]["education_match"] == 0
    assert phd["analysis"]["education_match"]["match"] is False


def test_keywords_count_toward_keyword_density() -> None:
    jd = JD + "\nWhat you will do\n- Own settlement reconciliation and ledger tooling for merchants.\n"
    base = _report(jd=jd)
    richer = _report(CV + "\nSettlement reconciliation, ledger tooling for merchants.\n", jd)
    assert richer["ats_score"]["breakdown"]["keyword_density"] > base["ats_score"]["breakdown"]["keyword_density"]


def test_insights_are_specific() -> None:
    insights = _report()["insights"]
    assert any("docker" in text for text in insights["recommendations"]["high_priority"])
    assert any("postgresql" in text or "python" in text for text in insights["strengths"])


def test_flashcards_cite_cv_lines_and_gaps() -> None:
    cards = _report()["flashcards"]
    assert any("2M requests per day" in card["front"] or "2M requests" in card["back"] for card in cards)
    assert any(card.get("skill") == "docker" and "learn" in card["front"] for card in cards)


def test_cv_only_analysis_recommends_roles() -> None:
    report = _report(jd=None)
    roles = report["analysis"]["recommended_roles"]
    assert 3 <= len(roles) <= 5
    assert roles[0]["role"] == "Backend Engineer"
    assert [r["score"] for r in roles] == sorted((r["score"] for r in roles), reverse=True)
    assert "python" in report["analysis"]["skills_summary"]["programming languages"]
    assert report["insights"]["recommendations"]["high_priority"] or report["insights"]["improvements"]


def test_analyze_files_on_corpus(settings) -> None:
    report = analyze_files(
        CORPUS / "resumes" / "07_carla_mendes.txt", CORPUS / "jds" / "08_digital_marketing_manager.txt", settings
    )
    assert report.ats_score.overall_score >= 70
    assert "seo" in report.analysis.matching_skills


def test_empty_jd_file_is_a_clear_error(settings, tmp_path: Path) -> None:
    (tmp_path / "jd.txt").write_text("   \n")
    with pytest.raises(AppError) as err:
        analyze_files(CORPUS / "resumes" / "07_carla_mendes.txt", tmp_path / "jd.txt", settings)
    assert err.value.code == ErrorCode.MISSING_JOB_DESCRIPTION


def test_batch_ranks_best_first_and_writes_csv(settings, tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    for name in ("07_carla_mendes.txt", "15_rafael_duran.txt"):
        (folder / name).write_bytes((CORPUS / "resumes" / name).read_bytes())
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    rows = batch(CORPUS / "jds" / "08_digital_marketing_manager.txt", folder, settings)
    assert [r["file"] for r in rows] == ["07_carla_mendes.txt", "15_rafael_duran.txt", "broken.pdf"]
    assert rows[0]["overall_score"] > rows[1]["overall_score"]
    assert rows[2]["error"] == "INVALID_FILE_FORMAT"
    write_batch_csv(rows, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert [r["rank"] for r in written] == ["1", "2", "3"]

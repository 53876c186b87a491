""" "Why these scores" in words: a sentence and a table per sub-score, for every corpus report and old reports."""

from __future__ import annotations

from core.engine.explain import PART_LABELS, explain
from core.engine.jd import parse_jd
from core.engine.matching import report_for_job
from core.engine.resume import parse_resume
from tests.engine.conftest import CorpusPair


def test_every_corpus_report_is_explained_in_words(corpus_pairs: list[CorpusPair]) -> None:
    for pair in corpus_pairs:
        parts = explain(pair.report)
        assert [p.part for p in parts] == list(PART_LABELS)
        for part in parts:
            assert part.score == pair.report["ats_score"]["breakdown"][part.part]
            assert part.sentence.endswith(".") and not any(ch in part.sentence for ch in "{}[]")
            assert "_" not in part.sentence  # no evidence keys such as required_matched
            assert part.rows
        assert abs(sum(p.share for p in parts) - 1) < 1e-9


def test_skills_explanation_names_what_covers_a_skill() -> None:
    cv = "Sam\nsam@example.com\n\nExperience\nEngineer, Acme — 2020 – Present\n- Built services with Hibernate.\n"
    jd = parse_jd("Java Developer\n\nRequirements\n- ORM and 3+ years of Java.\n")
    report = report_for_job(parse_resume(cv), cv, jd)
    skills = next(p for p in explain(report) if p.part == "skills_match")
    assert "orm (covered by hibernate)" in skills.rows[0].counted
    experience = next(p for p in explain(report) if p.part == "experience_relevance")
    assert any(r.what == "Years asked per skill" and "java 3+" in r.counted for r in experience.rows)


def test_an_old_report_without_the_new_evidence_still_explains() -> None:
    old = {
        "ats_score": {
            "overall_score": 70,
            "breakdown": dict.fromkeys(PART_LABELS, 70),
            "evidence": {"skills_match": {"required_matched": ["sql"], "required_missing": ["python"]}},
        },
        "weights": {"keyword_density": 0.1, "skills_match": 0.4, "experience_relevance": 0.2,
                    "education_match": 0.15, "format_optimization": 0.15},
    }  # fmt: skip
    parts = explain(old)
    assert parts[1].sentence.startswith("Your CV shows 1 of the 2 required skills")
    assert parts[0].sentence.startswith("The job names no terms beyond its skills")

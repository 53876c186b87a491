""" "Why these scores" in words: a sentence and a table per sub-score, for every corpus report and old reports."""

from __future__ import annotations

from core.engine.explain import NO_EVIDENCE, PART_LABELS, explain
from core.engine.jd import parse_jd
from core.engine.matching import report_for_job
from core.engine.report import load_report
from core.engine.resume import parse_resume
from tests.cohort_data import report as seed_shaped_report
from tests.engine.conftest import CorpusPair


def test_every_corpus_report_is_explained_in_words(corpus_pairs: list[CorpusPair]) -> None:
    for pair in corpus_pairs:
        parts = explain(pair.report)
        assert [p.part for p in parts] == list(PART_LABELS)
        for part in parts:
            assert part.score == getattr(pair.report.ats_score.breakdown, part.part)
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
    cv = "Sam\nsam@example.com\n\nSkills\nSQL\n"
    stored = report_for_job(parse_resume(cv), cv, parse_jd("Analyst\n\nRequirements\n- SQL and Python.\n")).to_json()
    evidence = stored["ats_score"]["evidence"]
    for key in ("covered_by", "soft_skills"):
        del evidence["skills_match"][key]
    for key in ("skill_terms_found", "skill_terms_missing", "cv_lines", "full_marks_share"):
        del evidence["keyword_density"][key]
    del evidence["experience_relevance"]["required_skills_not_used_in_experience"]
    evidence["keyword_density"].update(found=[], missing=[])
    parts = explain(load_report(stored))
    assert parts[1].sentence.startswith("Your CV shows 1 of the 2 required skills")
    assert parts[0].sentence.startswith("The job names no terms beyond its skills")


def test_a_report_stored_without_evidence_says_so() -> None:
    stored = seed_shaped_report(62, ["docker"])
    parts = explain(load_report(stored))
    assert [p.part for p in parts] == list(PART_LABELS) and all(p.sentence == NO_EVIDENCE for p in parts)
    assert [p.score for p in parts] == [stored["ats_score"]["breakdown"][p.part] for p in parts]

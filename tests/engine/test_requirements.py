"""Requirement parsing on JD snippets: "any of" lists, required vs preferred, degrees with "or equivalent" and
"(MBA preferred)", per-skill years, soft skills apart, titles whole; implied skills covering requirements."""

from __future__ import annotations

import pytest

from core.engine.jd import parse_jd
from core.engine.matching import report_for_job
from core.engine.resume import parse_resume
from core.engine.skills import covered_by, implications, skill_info


def req(line: str, title: str = "Software Engineer") -> str:
    return f"{title}\n\nRequirements\n- {line}\n"


@pytest.mark.parametrize(
    ("line", "must", "alternatives"),
    [
        ("Experience in a language such as Python, Ruby, Java, PHP, .Net.", "python", ("ruby", "java", "php", ".net")),
        ("Experience with one of Python, Go or Java.", "python", ("go", "java")),
        ("Any of React, Vue or Angular.", "react", ("vue.js", "angular")),
        ("Power BI or Tableau.", "power bi", ("tableau",)),
    ],
)
def test_any_of_list_is_one_requirement(line: str, must: str, alternatives: tuple[str, ...]) -> None:
    jd = parse_jd(req(line))
    assert jd.required_skills == [must]
    assert jd.any_of == {must: alternatives}
    assert set(alternatives) <= set(jd.preferred_skills)


def test_skill_with_examples_is_the_must_not_an_any_of() -> None:
    jd = parse_jd(req("CI/CD with GitHub Actions, GitLab CI or Jenkins."))
    assert jd.required_skills == ["ci/cd"] and jd.any_of == {}


@pytest.mark.parametrize(
    ("line", "degree", "or_equivalent"),
    [
        ("Bachelor's degree (MBA preferred).", "bachelor", False),
        ("Bachelor's degree in CS or equivalent.", "bachelor", True),
        ("Bachelor's degree or equivalent experience.", None, True),
        ("Degree in Computer Science or a related field, or equivalent practical experience.", None, True),
        ("Master's degree preferred.", None, False),
        ("Bachelor's degree required, master's preferred.", "bachelor", False),
        ("Master's degree or PhD in a quantitative field.", "master", False),
        ("BSN from an accredited program.", "bachelor", False),
    ],
)
def test_degree_with_preferred_and_equivalent(line: str, degree: str | None, or_equivalent: bool) -> None:
    jd = parse_jd(req(line))
    assert (jd.degree_required, jd.degree_or_equivalent) == (degree, or_equivalent)


@pytest.mark.parametrize(
    ("line", "skill_years", "min_years"),
    [
        ("3+ years of Java.", {"java": 3.0}, 3.0),
        ("2 years of experience with Power BI.", {"power bi": 2.0}, 2.0),
        ("5+ years of professional experience in Python and SQL.", {"python": 5.0}, 5.0),
        ("5+ years of experience in marketing, including 2+ years managing people.", {"people management": 2.0}, 5.0),
    ],
)
def test_per_skill_minimum_years(line: str, skill_years: dict[str, float], min_years: float) -> None:
    jd = parse_jd(req(line))
    assert jd.skill_years == skill_years
    assert jd.min_years == min_years


def test_soft_skills_are_reported_apart_from_hard_skills() -> None:
    jd = parse_jd(req("SQL, attention to detail and problem solving."))
    data = jd.to_dict()
    assert set(data["required_soft_skills"]) == {"attention to detail", "problem solving"}
    assert "sql" not in data["required_soft_skills"]
    assert all(skill_info(s).kind == "soft" for s in data["required_soft_skills"])


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Senior Backend\nEngineer\n\nRequirements\n- Python.\n", "Senior Backend Engineer"),
        ("Title: Product\nManager\n\nRequirements\n- Jira.\n", "Product Manager"),
        ("Data Analyst\nHarbourline Retail\n\nRequirements\n- SQL.\n", "Data Analyst"),
        ("Digital Marketing Manager\n\nAbout us\nWe sell shoes.\n", "Digital Marketing Manager"),
    ],
)
def test_title_kept_whole_across_a_line_break(text: str, title: str) -> None:
    assert parse_jd(text).title == title


def test_wording_decides_required_or_preferred() -> None:
    text = "Data Engineer\n\nRequirements\n- Python.\n- Kafka is a plus.\n\nNice to have\n- You must know dbt.\n"
    jd = parse_jd(text)
    assert jd.required_skills == ["dbt", "python"] and jd.preferred_skills == ["kafka"]


def test_jd_keeps_its_own_wording_of_a_skill() -> None:
    assert parse_jd(req("Experience with Postgres.")).surface("postgresql") == "Postgres"


# --- implied skills --------------------------------------------------------------------------------------


def test_implication_table_names_only_taxonomy_skills() -> None:
    pairs = [(a, b) for a, implied in implications().items() for b in implied]
    assert len(pairs) >= 60
    assert all(skill_info(a) and skill_info(b) for a, b in pairs)


def test_covered_by_is_transitive_and_names_the_source() -> None:
    covered = covered_by({"next.js", "hibernate", "aws"}, ["Senior Backend Engineer"])
    assert covered["javascript"] == "next.js" and covered["orm"] == "hibernate"
    assert covered["cloud computing"] == "aws"
    assert covered["backend development"] == "Senior Backend Engineer"
    assert "next.js" not in covered  # named skills are not "covered"


CV = """Sam Carter
sam@example.com | 555-0100

Experience
Senior Backend Engineer, Lumen Freight — Jan 2019 – Present
- Built order services in Java with Hibernate and Spring Boot on AWS for 40 warehouses.
- Cut bug fixing time by 30% with better tracing.

Education
BSc Computer Science, 2018

Skills
Java, Hibernate, Spring Boot, AWS
"""
JD = """Backend Developer

Requirements
- Backend development with an ORM.
- Cloud platforms and debugging.
- Experience in a language such as Python, Ruby, Java or PHP.
"""


def test_implied_skills_cover_requirements_and_say_by_what() -> None:
    report = report_for_job(parse_resume(CV), CV, parse_jd(JD)).to_json()
    analysis = report["analysis"]
    assert not analysis["missing_skills"], analysis["missing_skills"]
    covered = analysis["covered_by"]
    assert covered["orm"] == "hibernate"
    assert covered["backend development"].startswith("Senior Backend Engineer")
    assert covered["cloud computing"] == "aws"
    assert covered["python"].startswith("java (the job accepts any of")
    assert "debugging" in analysis["matching_skills"]  # "bug fixing" is debugging
    said = " ".join(
        [*report["insights"]["improvements"], *(t for v in report["insights"]["recommendations"].values() for t in v)]
    )
    for skill in ("backend development", "orm", "cloud computing", "python"):
        assert f"add {skill}" not in said.lower()

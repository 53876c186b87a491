"""Skills taxonomy and extraction: aliases, word boundaries, ambiguous short names, blockers."""

from __future__ import annotations

import csv

import pytest

from core.engine import roles
from core.engine.skills import DATA_DIR, extract_skills, find_skills, skill_info, taxonomy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JS, ReactJS and Node", {"javascript", "react", "node.js"}),
        ("React.js with Node.js", {"react", "node.js"}),
        ("Postgres and k8s", {"postgresql", "kubernetes"}),
        ("ML models in scikit learn", {"machine learning", "scikit-learn"}),
        ("Built REST APIs", {"rest api"}),
        ("Set up CI/CD", {"ci/cd"}),
        ("MS Excel and Excel VBA", {"microsoft excel"}),
        ("Ran A/B tests", {"a/b testing"}),
        ("design systems and a design system", {"design systems"}),
        ("AWS (EC2, S3)", {"aws", "ec2", "s3"}),
    ],
)
def test_aliases_map_to_canonical_names(text: str, expected: set[str]) -> None:
    assert set(extract_skills(text)) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Expert in JavaScript", "java"),
        ("I go to meetups and Go-to-market planning", "go"),
        ("Led R&D for a Research team", "r"),
        ("Reported to the C-suite", "c"),
        ("Wrote C++ and C# services", "c"),
        ("Vue.js front end", "javascript"),
        ("We excel at service and react to incidents quickly", "microsoft excel"),
        ("We excel at service and react to incidents quickly", "react"),
        ("Introduced SLOs and error budgets", "budgeting"),
        ("Visit github.com/someone or mail me@example.com", "github"),
        ("the rest of the team", "rest api"),
    ],
)
def test_word_boundaries_and_ambiguous_names(text: str, absent: str) -> None:
    assert absent not in extract_skills(text)


def test_ambiguous_names_match_with_their_capitalisation() -> None:
    assert {"go", "r", "c", "c++", "swift", "microsoft excel", "react"} <= set(
        extract_skills("Languages: Go, R, C, C++ and Swift. Tools: Excel, React.")
    )


def test_longest_match_wins_and_phrases_can_name_two_skills() -> None:
    assert extract_skills("React Native apps") == ["react native"]
    assert extract_skills("time series forecasting") == ["forecasting", "time series"]


def test_find_skills_reports_surface_and_position() -> None:
    text = "Shipped on k8s daily"
    (match,) = find_skills(text)
    assert (match.skill, match.surface, text[match.start : match.end]) == ("kubernetes", "k8s", "k8s")


def test_taxonomy_size_fields_and_kinds() -> None:
    skills = taxonomy().skills
    assert len(skills) >= 2000
    categories = {s.category for s in skills.values()}
    for expected in ("healthcare and nursing", "finance and accounting", "human resources", "education", "soft skills"):
        assert expected in categories
    assert skill_info("communication").kind == "soft"
    assert skill_info("python").kind == "hard"
    assert all(name == name.lower() for name in skills)


def test_csv_is_well_formed() -> None:
    with (DATA_DIR / "skills.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["kind"] for r in rows} == {"hard", "soft"}
    assert len({r["canonical"] for r in rows}) == len(rows)


def test_role_catalogue_only_uses_known_skills() -> None:
    known = taxonomy().skills
    for role in roles.roles():
        assert set(role.core_skills) <= set(known), role.name

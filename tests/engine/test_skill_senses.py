"""Skill aliases that have another sense (issue 14): a surname, an employer, a drawing API, a statistics
method or a profile link must not yield the tool; the tool itself is still found where it is meant."""

from __future__ import annotations

from datetime import date

import pytest

from core.engine.resume import parse_resume
from core.engine.skills import extract_skills

TODAY = date(2026, 11, 1)


def _skills(body: str, name: str = "Jane Example") -> list[str]:
    return parse_resume(f"{name}\njane@example.com\n{body}", TODAY)["skills"]


def test_the_surname_doe_is_not_design_of_experiments() -> None:
    assert "experimental design" not in _skills("EXPERIENCE\nAnalyst, Acme  2020 - 2022", name="John Doe")
    assert "experimental design" in extract_skills("Ran a DOE on the curing process; design of experiments")


def test_an_employer_is_not_a_tool() -> None:
    body = (
        "EXPERIENCE\nResearch Engineer, OpenAI  2021 - 2023\n• Trained models in PyTorch\n"
        "Product Designer, Figma  2019 - 2021\n• Shipped the comments panel\n"
        "Support Lead, Notion  2017 - 2019\n• Ran the help centre\n"
        "Backend Engineer, Stripe  2015 - 2017\n• Wrote Ruby services"
    )
    skills = _skills(body)
    assert {"openai api", "figma", "notion", "stripe api"}.isdisjoint(skills)
    assert {"pytorch", "ruby"} <= set(skills)


def test_a_tool_used_in_a_bullet_still_counts() -> None:
    body = "EXPERIENCE\nDesigner, Acme  2019 - 2021\n• Prototyped flows in Figma and integrated Stripe payments"
    assert {"figma", "stripe api"} <= set(_skills(body))


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Built canvas rendering for the charts", "canvas lms"),
        ("Drew sprites with the HTML5 canvas API", "canvas lms"),
        ("Tuned Gradient Boost models for churn", "boost"),
        ("Streamed events with Apache Apex", "apex"),
        ("github.com/janedoe", "github"),
        ("Portfolio: linkedin.com and github.com", "github"),
    ],
)
def test_wrong_sense_aliases_do_not_fire(text: str, wrong: str) -> None:
    assert wrong not in extract_skills(text)


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("Course sites in Canvas and Moodle", "canvas lms"),
        ("C++ with Boost and STL", "boost"),
        ("Salesforce Apex triggers", "apex"),
        ("CI on GitHub Actions; code on GitHub", "github"),
    ],
)
def test_the_intended_sense_still_fires(text: str, right: str) -> None:
    assert right in extract_skills(text)

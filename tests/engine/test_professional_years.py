"""Years count professional positions only; a GPA is no employer; a Diploma in a field is not high school."""

from __future__ import annotations

from datetime import date

from core.engine.resume import parse_resume

TODAY = date(2026, 11, 1)


def _resume(body: str) -> dict:
    return parse_resume(f"Sam Student\nsam@example.edu\n{body}", TODAY)


def test_a_student_association_adds_no_years() -> None:
    resume = _resume(
        "EXPERIENCE\nPresident, Student Association\n2017 – Present\n• Ran events\n"
        "Barista, Blue Cup Cafe  Jun 2024 - Aug 2024\n• Made coffee"
    )
    assert [e["title"] for e in resume["experience"]] == ["President", "Barista"]
    assert resume["years_experience"] == 0.17


def test_a_position_titled_as_a_job_in_a_club_counts() -> None:
    resume = _resume("EXPERIENCE\nTeaching Assistant, Robotics Club  Jan 2025 - Jan 2026\n• Taught")
    assert resume["years_experience"] == 1.0


def test_a_gpa_line_is_not_a_company() -> None:
    resume = _resume("EXPERIENCE\nData Intern  Jun 2024 - Aug 2024\nGPA: 3.8/4.0\n• Cleaned data")
    assert resume["experience"][0]["title"] == "Data Intern"
    assert resume["experience"][0]["company"] is None


def test_a_diploma_in_a_field_is_post_secondary() -> None:
    assert _resume("EDUCATION\nDiploma in Nursing, Seneca College, 2020")["highest_degree"] == "associate"
    assert _resume("EDUCATION\nHigh School Diploma, Lincoln High School, 2020")["highest_degree"] == "high_school"

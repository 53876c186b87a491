"""Headings told by their type (size, weight, heading styles), the keyword list only as a fallback (issue 14)."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.shared import Pt

from core.config import Settings
from core.engine.documents import extract_text, read_cv
from core.engine.heading_style import StyledLine, heading_hints
from core.engine.resume import analyze_structure, parse_resume

TODAY = date(2026, 11, 15)
SETTINGS = Settings(app_env="test", max_upload_mb=5, max_pdf_pages=20, extraction_timeout_seconds=10)
CV = """Jane Example
jane@example.com | (555) 555-0100 | Austin, TX
In a nutshell
Analyst with six years of experience turning messy data into decisions for retail teams.
Where I've worked
Data Analyst
Acme Retail, Austin, TX | Jan 2020 – Present
• Built weekly sales dashboards in Tableau for 40 stores.
What I studied
B.S. in Statistics
University of Texas at Austin, 2019
Toolbox
SQL, Python, Tableau, Excel
Things I enjoy
Trail running, chess, baking sourdough"""
HINTS = ("In a nutshell", "Where I've worked", "What I studied", "Toolbox", "Things I enjoy")


def test_the_recurring_most_prominent_style_is_the_headings_not_the_name_or_bold_job_titles() -> None:
    lines = [
        StyledLine("Jane Example", 22, True),
        StyledLine("Where I've worked", 14, True),
        StyledLine("Data Analyst", 10, True),
        StyledLine("Junior Analyst", 10, True),
        StyledLine("Toolbox", 14, True),
        StyledLine("Built dashboards for stores.", 10, False),
    ]
    assert heading_hints(lines, 10, False) == ("Where I've worked", "Toolbox")


def test_bold_counts_only_on_a_regular_body_and_long_or_numbered_lines_never() -> None:
    bold = [StyledLine("Where I've worked", 10, True), StyledLine("Toolbox", 10, True)]
    assert heading_hints(bold, 10, False) == ("Where I've worked", "Toolbox")
    assert heading_hints(bold, 10, True) == ()
    assert (
        heading_hints([StyledLine("Call 555 0100", 14, True), StyledLine("Jan 2020 - Present", 14, True)], 10, False)
        == ()
    )


def test_hinted_headings_open_the_sections_their_content_shows() -> None:
    resume = parse_resume(CV, TODAY, HINTS)
    assert resume["sections"] == ["summary", "experience", "education", "skills"]
    assert [(job["title"], job["company"], len(job["bullets"])) for job in resume["experience"]] == [
        ("Data Analyst", "Acme Retail", 1)
    ]
    assert resume["highest_degree"] == "bachelor"
    structure = analyze_structure(CV, HINTS)
    assert ("Things I enjoy", "other") in structure.headings


def test_without_hints_the_same_text_reads_as_today() -> None:
    """Plain text (TXT, the API) has no hints: unknown words are no headings, the keyword list decides."""
    assert analyze_structure(CV).headings == []
    assert "summary" not in parse_resume(CV, TODAY)["sections"]


def test_a_hinted_name_employer_or_job_title_stays_what_it_is() -> None:
    text = CV.replace("Data Analyst\nAcme Retail, Austin, TX |", "Acme Retail\nData Analyst, Austin, TX |")
    resume = parse_resume(text, TODAY, (*HINTS, "Jane Example", "Acme Retail", "Data Analyst"))
    assert resume["name"] == "Jane Example"
    assert [(job["title"], job["company"]) for job in resume["experience"]] == [("Data Analyst", "Acme Retail")]
    assert resume["sections"] == ["summary", "experience", "education", "skills"]


def test_an_unknown_hinted_heading_ends_the_section_above_it() -> None:
    """Dated club membership under "Beyond the office" is not a position and does not count as years."""
    text = CV.replace("Trail running, chess, baking sourdough", "Member, Robotics Club | Sep 2016 – Present")
    hinted = parse_resume(text, TODAY, HINTS)
    assert [job["title"] for job in hinted["experience"]] == ["Data Analyst"]
    assert hinted["years_experience"] == parse_resume(CV, TODAY, HINTS)["years_experience"]


def _docx(heading_styles: bool) -> bytes:
    document = docx.Document()
    document.add_heading("Jane Example", 0)  # Title: the name, not a heading
    document.add_paragraph("jane@example.com | (555) 555-0100 | Austin, TX")
    for line in CV.splitlines()[2:]:
        if line in HINTS and heading_styles:
            document.add_heading(line, 1)
        elif line in HINTS:
            run = document.add_paragraph().add_run(line)
            run.bold, run.font.size = True, Pt(14)
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_headings_come_from_heading_styles_or_bold_larger_runs() -> None:
    for heading_styles in (True, False):
        document = extract_text(_docx(heading_styles), "cv.docx", SETTINGS)
        assert document.headings == HINTS, heading_styles


def test_the_worker_path_carries_the_hints_to_the_parser() -> None:
    document, resume = read_cv(_docx(True), "cv.docx", SETTINGS, TODAY)
    assert document.headings == HINTS
    assert resume == parse_resume(document.text, TODAY, document.headings)
    assert resume["sections"] == ["summary", "experience", "education", "skills"]

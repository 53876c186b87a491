"""Format checks: will an applicant-tracking system read this CV correctly? Independent of any job.

Each check has a weight (FORMAT_CHECKS, the one place they are set); the score is the share of weight
passed, and the evidence says which checks failed and why, so a student knows what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# check id -> (points, what it verifies). Points sum to 100.
FORMAT_CHECKS: dict[str, tuple[int, str]] = {
    "contact_block": (25, "name, e-mail and phone can be read from the top of the CV"),
    "section_headings": (20, "standard headings for experience, education and skills"),
    "dates_consistent": (15, "every position has a start and an end (or Present) in one date style"),
    "length": (10, "between 250 and 1,300 words (one to two pages; three for 15+ years)"),
    "measurable_bullets": (20, "at least a third of experience bullets show a number or result"),
    "plain_layout": (10, "no tables or multi-column layout that parsers read out of order"),
}

_DATE_STYLES = {
    "month_name": re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}\b", re.I),
    "numeric": re.compile(r"\b\d{1,2}/\d{4}\b"),
}
MEASURABLE = re.compile(r"\d|%|\$|€|£")


@dataclass(frozen=True)
class Layout:
    """What the file reader learned about the layout (core.documents.ExtractedDocument)."""

    pages: int | None = None
    has_columns: bool = False
    has_tables: bool = False
    headings: tuple[str, ...] = ()  # lines set apart as headings by their type: hints for the CV parser


def format_score(resume: dict[str, Any], text: str, layout: Layout | None = None) -> tuple[int, dict[str, Any]]:
    """Score 0-100 and per-check evidence for how well the CV will parse."""
    layout = layout or Layout()
    results = {
        "contact_block": _contact(resume),
        "section_headings": _headings(resume),
        "dates_consistent": _dates(resume, text),
        "length": _length(text, resume.get("years_experience") or 0),
        "measurable_bullets": _measurable(resume),
        "plain_layout": _plain(layout),
    }
    score = sum(FORMAT_CHECKS[k][0] * fraction for k, (fraction, _) in results.items())
    evidence = {
        "passed": [k for k, (fraction, _) in results.items() if fraction >= 1.0],
        "failed": {k: detail for k, (fraction, detail) in results.items() if fraction < 1.0},
        "details": {k: detail for k, (_, detail) in results.items()},
        "sections_found": list(resume.get("sections") or []),
    }
    return round(score), evidence


def _contact(resume: dict[str, Any]) -> tuple[float, str]:
    present = [f for f in ("name", "email", "phone") if resume.get(f)]
    missing = [f for f in ("name", "email", "phone") if not resume.get(f)]
    if not missing:
        return 1.0, "name, e-mail and phone found"
    return len(present) / 3, "missing: " + ", ".join(missing)


def _headings(resume: dict[str, Any]) -> tuple[float, str]:
    sections = set(resume.get("sections") or [])
    wanted = ("experience", "education", "skills")
    missing = [s for s in wanted if s not in sections]
    if not missing:
        return 1.0, "experience, education and skills sections found"
    return (3 - len(missing)) / 3, "no clear section for: " + ", ".join(missing)


def _dates(resume: dict[str, Any], text: str) -> tuple[float, str]:
    jobs = resume.get("experience") or []
    if not jobs:
        return 0.0, "no dated positions found"
    undated = [
        j.get("title") or j.get("company") or "a position" for j in jobs if not j.get("start") or not j.get("end")
    ]
    styles = [name for name, pattern in _DATE_STYLES.items() if pattern.search(text)]
    fraction = 1 - len(undated) / len(jobs)
    problems = []
    if undated:
        problems.append("missing dates for: " + ", ".join(str(u) for u in undated[:3]))
    if len(styles) > 1:
        fraction -= 0.25
        problems.append("mixes date styles (e.g. 'Mar 2021' and '03/2021')")
    return max(0.0, fraction), "; ".join(problems) or f"{len(jobs)} positions, all dated in one style"


def _length(text: str, years: float) -> tuple[float, str]:
    words = len(text.split())
    upper = 1900 if years >= 15 else 1300
    if 250 <= words <= upper:
        return 1.0, f"{words} words"
    if words < 250:
        return words / 250, f"only {words} words: add results and context to reach at least 250"
    return max(0.0, 1 - (words - upper) / upper), f"{words} words: trim to under {upper}"


def _measurable(resume: dict[str, Any]) -> tuple[float, str]:
    bullets = [b for job in resume.get("experience") or [] for b in job.get("bullets") or []]
    if not bullets:
        return 0.0, "no experience bullets found"
    with_numbers = sum(1 for b in bullets if MEASURABLE.search(b))
    share = with_numbers / len(bullets)
    detail = f"{with_numbers} of {len(bullets)} bullets show a number or result"
    return min(1.0, share / (1 / 3)), detail


def _plain(layout: Layout) -> tuple[float, str]:
    problems = []
    if layout.has_tables:
        problems.append("tables")
    if layout.has_columns:
        problems.append("multi-column layout")
    if not problems:
        return 1.0, "single-column text without tables"
    return 0.0, "uses " + " and ".join(problems) + ": ATS parsers may read it out of order"

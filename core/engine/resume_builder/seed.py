"""The builder seed's JSON shape: {Name, Title, Location, Email, Phone, Summary, Experience: [{Position, Company,
Dates, Description}], Education: [{Degree, Field, Institution, Dates}]} (Skills, a list, when present).

Dates are one typed range ("Jan 2020 - Present"); a Description is text whose lines (bullet marks removed)
become the position's bullets.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from core.engine.resume_builder.dates import display_range, split_range
from core.engine.resume_builder.model import Resume, validate
from core.errors import AppError, ErrorCode

KEYS = ("Name", "Title", "Location", "Email", "Phone", "Summary", "Experience", "Education", "Skills")
_BULLET = re.compile(r"^\s*(?:[•▪●◦\-–*·]|\d{1,2}[.)])\s*")


def looks_like(document: dict[str, Any]) -> bool:
    return any(key in document for key in ("Name", "Experience", "Education"))


def import_document(document: dict[str, Any], today: date) -> tuple[Resume, list[str]]:
    for key in ("Experience", "Education", "Skills"):
        if not isinstance(document.get(key, []), list):
            raise AppError(ErrorCode.INVALID_INPUT, f"In this file, {key} must be a list.")
    experience = []
    for job in document.get("Experience") or []:
        start, end = split_range(_text(job, "Dates"), today)
        lines = (_BULLET.sub("", line).strip() for line in _text(job, "Description").splitlines())
        experience.append(
            {
                "position": _text(job, "Position"),
                "company": _text(job, "Company"),
                "start": start,
                "end": end,
                "bullets": [line for line in lines if line],
            }
        )
    education = []
    for entry in document.get("Education") or []:
        start, end = split_range(_text(entry, "Dates"), today)
        education.append(
            {
                "degree": _text(entry, "Degree"),
                "field": _text(entry, "Field"),
                "institution": _text(entry, "Institution"),
                "start": start,
                "end": end,
            }
        )
    resume = validate(
        {
            "contact": {key.lower(): _text(document, key) for key in ("Name", "Title", "Location", "Email", "Phone")},
            "summary": _text(document, "Summary"),
            "experience": experience,
            "education": education,
            "skills": [str(skill) for skill in document.get("Skills") or []],
        }
    )
    skipped = sorted(key for key in document if key not in KEYS)
    return resume, [f"Not imported (not part of this shape): {', '.join(skipped)}."] if skipped else []


def _text(mapping: Any, key: str) -> str:
    if not isinstance(mapping, dict):
        raise AppError(ErrorCode.INVALID_INPUT, "Each experience and education entry must be an object.")
    value = mapping.get(key) or ""
    if not isinstance(value, str | int | float):
        raise AppError(ErrorCode.INVALID_INPUT, f"In this file, {key} must be text.")
    return str(value)


def export_document(resume: Resume) -> dict[str, Any]:
    contact = resume.contact
    return {
        "Name": contact.name, "Title": contact.title, "Location": contact.location, "Email": contact.email,
        "Phone": contact.phone, "Summary": resume.summary,
        "Experience": [
            {"Position": j.position, "Company": j.company, "Dates": display_range(j.start, j.end),
             "Description": "\n".join(f"• {b}" for b in j.bullets)}
            for j in resume.experience
        ],
        "Education": [
            {"Degree": d.degree, "Field": d.field, "Institution": d.institution,
             "Dates": display_range(d.start, d.end)}
            for d in resume.education
        ],
        "Skills": list(resume.skills),
    }  # fmt: skip

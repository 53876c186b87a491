"""A résumé started from a stored CV: its parse (core.engine.resume) plus the text the parser read it from.

The parse gives contact details, positions, degrees and canonical skills; the text gives what the parse does
not keep (the summary, projects, certifications) and the skills as the CV spells them ("PostgreSQL", not
"postgresql"). Over-long fields are cut to their limit so the student can start at once; the checks then say
what is weak.
"""

from __future__ import annotations

import re
from typing import Any

from core.engine.resume import section_lines
from core.engine.resume_builder.model import (
    MAX_BULLETS,
    MAX_DEGREES,
    MAX_ITEMS,
    MAX_LINKS,
    MAX_POSITIONS,
    MAX_SKILLS,
    Resume,
    validate,
)
from core.engine.skills import find_skills

_DEGREE_IN = re.compile(r"^(?P<degree>.+?)\s+in\s+(?P<field>.+)$")
_LIMITS = {"short": 120, "name": 200, "bullet": 400, "long": 1000, "summary": 1500}


def _cut(text: str | None, kind: str) -> str:
    text = " ".join((text or "").split())
    limit = _LIMITS[kind]
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def from_parse(parsed: dict[str, Any], text: str) -> Resume:
    links = [url for url in (parsed.get("links") or {}).values() if url]
    return validate(
        {
            "contact": {
                "name": _cut(parsed.get("name"), "short"),
                "title": _cut(_headline(parsed, text), "short"),
                "location": _cut(parsed.get("location"), "short"),
                "email": _cut(parsed.get("email"), "short"),
                "phone": _cut(parsed.get("phone"), "short")[:40],
                "links": [_cut(url, "name") for url in links[:MAX_LINKS]],
            },
            "summary": _cut(" ".join(line for line, _ in section_lines(text, "summary")), "summary"),
            "experience": [_position(job) for job in (parsed.get("experience") or [])[:MAX_POSITIONS]],
            "education": [_degree(entry) for entry in (parsed.get("education") or [])[:MAX_DEGREES]],
            "skills": spelled_as_in(parsed.get("skills") or [], text)[:MAX_SKILLS],
            "projects": _projects(section_lines(text, "projects"))[:MAX_ITEMS],
            "certifications": [{"name": _cut(line, "name")} for line, _ in section_lines(text, "certifications")][
                :MAX_ITEMS
            ],
        }
    )


def _headline(parsed: dict[str, Any], text: str) -> str:
    """The CV's own headline under the name, when it is one of its position titles ("Growth Marketing Manager");
    any other line near the top may be a slogan or an address, so it is left for the student."""
    head = {line.strip().lower() for line in text.strip().splitlines()[:4]}
    titles = [job.get("title") or "" for job in parsed.get("experience") or []]
    return next((title for title in titles if title and title.lower() in head), "")


def _position(job: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": _cut(job.get("title"), "short"),
        "company": _cut(job.get("company"), "short"),
        "start": job.get("start") or "",
        "end": job.get("end") or "",
        "bullets": [_cut(bullet, "bullet") for bullet in (job.get("bullets") or [])[:MAX_BULLETS]],
    }


def _degree(entry: dict[str, Any]) -> dict[str, Any]:
    degree = _cut(entry.get("degree"), "short")
    split = _DEGREE_IN.match(degree)
    return {
        "degree": split.group("degree") if split else degree,
        "field": split.group("field") if split else "",
        "institution": _cut(entry.get("institution"), "name"),
        "end": str(entry["year"]) if entry.get("year") else "",
    }


def _projects(lines: list[tuple[str, bool]]) -> list[dict[str, str]]:
    """A short line that is not a bullet names a project; the lines under it describe it."""
    projects: list[dict[str, str]] = []
    for text, is_bullet in lines:
        if not is_bullet and len(text) <= 120 and not text.endswith("."):
            projects.append({"name": text, "description": ""})
        elif projects:
            projects[-1]["description"] = _cut(f"{projects[-1]['description']} {text}", "long")
        else:
            projects.append({"name": "", "description": _cut(text, "long")})
    return projects


def spelled_as_in(skills: list[str], text: str) -> list[str]:
    """Canonical skills as `text` spells them (first mention), in the order given; unseen ones as they are."""
    surfaces: dict[str, str] = {}
    for match in find_skills(text):
        surfaces.setdefault(match.skill, match.surface)
    return [surfaces.get(skill, skill) for skill in skills]

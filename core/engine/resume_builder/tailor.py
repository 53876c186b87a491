"""Tailor a résumé to one job, truthfully: the job's missing skills and keywords are offered, the student ticks
only those they really have, and each ticked one is placed where the student agrees (the skills line, or a
bullet under a named position). Nothing unticked is ever added; the rescore is the engine's own report,
before and after, offline and deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.engine.matching import analyze
from core.engine.report import Report
from core.engine.resume import parse_resume
from core.engine.resume_builder.from_cv import spelled_as_in
from core.engine.resume_builder.layout import to_text
from core.engine.resume_builder.model import Resume, validate
from core.engine.skills import skill_info
from core.errors import AppError, ErrorCode

SKILLS = "skills"


@dataclass(frozen=True)
class Gap:
    """A skill or keyword the job asks for and the résumé does not show."""

    term: str  # as the report names it (canonical skill, or keyword)
    kind: Literal["skill", "keyword"]
    label: str  # as the job spells it
    asked_in: str | None  # the job's line that asks for it


@dataclass(frozen=True)
class Placement:
    """Where one ticked term goes: SKILLS, or "experience.<i>" with the bullet to add there."""

    term: str
    target: str
    text: str


def score(resume: Resume, jd_text: str, today: date | None = None) -> Report:
    """The engine's report for the résumé as its exports read, against the job."""
    text = to_text(resume)
    return analyze(parse_resume(text, today), text, jd_text)


def gaps(report: Report, jd_text: str) -> list[Gap]:
    evidence = report.ats_score.evidence
    asked = evidence.skills_match.jd_lines if evidence else {}
    skills = [
        Gap(skill, "skill", spelled_as_in([skill], jd_text)[0], asked.get(skill))
        for skill in report.analysis.missing_skills
    ]
    keywords = [
        Gap(keyword, "keyword", _as_written(keyword, jd_text), _line_with(keyword, jd_text))
        for keyword in report.analysis.missing_keywords
    ]
    return skills + keywords


def _as_written(term: str, text: str) -> str:
    match = re.search(re.escape(term), text, re.I)
    return match.group(0) if match else term


def _line_with(term: str, text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if term.lower() in line.lower()), None)


def suggest(resume: Resume, gap: Gap) -> Placement:
    """A hard skill goes to the skills line; a soft skill or a keyword to a bullet of the latest position
    (the student picks another position, or rewrites the bullet, before accepting)."""
    hard = gap.kind == "skill" and (info := skill_info(gap.term)) is not None and info.kind == "hard"
    if hard or not resume.experience:
        return Placement(gap.term, SKILLS, gap.label)
    return Placement(gap.term, "experience.0", bullet_for(resume, 0, gap.label))


def bullet_for(resume: Resume, index: int, label: str) -> str:
    job = resume.experience[index]
    return f"Applied {label} as {job.position or 'part of the role'}" + (f" at {job.company}" if job.company else "")


def targets(resume: Resume) -> dict[str, str]:
    """Where a term may go: target -> how the page names it."""
    named = {SKILLS: "Skills"}
    for i, job in enumerate(resume.experience):
        named[f"experience.{i}"] = "A bullet under " + " at ".join(p for p in (job.position, job.company) if p)
    return named


def apply(resume: Resume, offered: list[Gap], placements: list[Placement]) -> Resume:
    """The résumé with the ticked terms placed; a term the job did not ask for, or a target that does not exist,
    is refused (so a forged request cannot add anything the student was not offered)."""
    known = {gap.term for gap in offered}
    allowed = targets(resume)
    data = resume.model_dump()
    for placement in placements:
        if placement.term not in known:
            raise AppError(ErrorCode.INVALID_INPUT, f"“{placement.term}” is not one of the job's missing terms.")
        if placement.target not in allowed:
            raise AppError(ErrorCode.INVALID_INPUT, "Choose where each ticked item goes.")
        text = " ".join(placement.text.split())
        if not text:
            raise AppError(ErrorCode.INVALID_INPUT, f"Say how “{placement.term}” should read on your résumé.")
        if placement.target == SKILLS:
            data["skills"].append(text)
        else:
            data["experience"][int(placement.target.split(".")[1])]["bullets"].append(text)
    return validate(data)

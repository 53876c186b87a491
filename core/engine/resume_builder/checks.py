"""What is missing or weak in a résumé, one field at a time, in the order the builder walks them.

The checks are the ATS format checks of core.engine.ats seen field by field: no phone (contact_block), a
position without dates or dates of mixed precision (dates_consistent), bullets without a number or result
(measurable_bullets), no skills section (section_headings), too short (length); plus what a recruiter reads
first (a summary, not too long). `format_check` scores the rendered résumé exactly as an analysis will score
the saved CV, so the builder and the job match never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from core.engine import ats
from core.engine.resume import parse_resume
from core.engine.resume_builder.layout import to_text
from core.engine.resume_builder.model import PRESENT, Path, Resume
from core.engine.resume_builder.pdf import unprintable

Severity = Literal["missing", "weak"]
SUMMARY_MAX_WORDS = 80


@dataclass(frozen=True)
class Issue:
    key: str  # stable id, e.g. "experience.1.dates"
    severity: Severity
    message: str  # what is wrong, in a sentence
    prompt: str  # the question the deterministic walk asks
    field: Path | None  # the one text field that fixes it, if one does
    check: str | None = None  # the ATS format check it counts against


def issues(resume: Resume) -> list[Issue]:
    """Missing before weak; within each, in the résumé's order."""
    found = [*_contact(resume), *_summary(resume), *_experience(resume), *_education(resume), *_skills(resume)]
    text = to_text(resume)
    if missing := unprintable(text):
        found.append(Issue("pdf.glyphs", "weak", "The PDF font cannot print: " + " ".join(missing[:20]) + ". The "
                           "PDF leaves them out; the Word and JSON exports keep them.",
                           "Write these words in Latin letters as well, or send the Word file.", None))  # fmt: skip
    words = len(text.split())
    if words < 250 and resume.experience:
        found.append(Issue("length", "weak", f"The résumé has {words} words; one page of results and context is "
                           "250 or more.", "Which results of your work could you describe in another bullet?",
                           None, "length"))  # fmt: skip
    return [i for i in found if i.severity == "missing"] + [i for i in found if i.severity == "weak"]


_CONTACT_PROMPTS = {
    "name": "What is your full name, as employers should see it?",
    "email": "Which e-mail address should employers write to?",
    "phone": "Which phone number should employers call? Include the country code if you apply abroad.",
}


def _contact(resume: Resume) -> list[Issue]:
    out = [
        Issue(
            f"contact.{key}",
            "missing",
            f"No {key.replace('email', 'e-mail')} in the contact details.",
            prompt,
            ("contact", key),
            "contact_block",
        )
        for key, prompt in _CONTACT_PROMPTS.items()
        if not getattr(resume.contact, key)
    ]
    if not resume.contact.location:
        out.append(Issue("contact.location", "weak", "No location: recruiters filter by city or region.",
                         "Where are you based (city and region or country)?", ("contact", "location")))  # fmt: skip
    return out


def _summary(resume: Resume) -> list[Issue]:
    words = len(resume.summary.split())
    if not words:
        return [
            Issue(
                "summary",
                "weak",
                "No summary: two or three sentences on who you are and what you offer.",
                "In two or three sentences: what do you do, for whom, and with which result?",
                ("summary",),
            )
        ]
    if words > SUMMARY_MAX_WORDS:
        return [
            Issue(
                "summary",
                "weak",
                f"The summary has {words} words; keep it under {SUMMARY_MAX_WORDS}.",
                "Which two or three sentences of your summary matter most?",
                ("summary",),
            )
        ]
    return []  # fmt: skip


def _experience(resume: Resume) -> list[Issue]:
    if not resume.experience:
        return [Issue("experience", "missing", "No positions: add your jobs, internships or placements.",
                      "Add a position in the editor: title, employer, dates and what you achieved.", None,
                      "dates_consistent")]  # fmt: skip
    out: list[Issue] = []
    precisions = {len(d) >= 7 for job in resume.experience for d in (job.start, job.end) if d and d != PRESENT}
    for i, job in enumerate(resume.experience):
        name = job.position or job.company or f"position {i + 1}"
        if not job.position:
            out.append(Issue(f"experience.{i}.position", "missing", f"{name}: no job title.",
                             f"What was your job title at {job.company or 'this employer'}?",
                             ("experience", i, "position")))  # fmt: skip
        for end in ("start", "end"):
            if not getattr(job, end):
                hint = "e.g. 2021-03 or Mar 2021" + (", or Present" if end == "end" else "")
                out.append(Issue(f"experience.{i}.{end}", "missing", f"{name}: no {end} date.",
                                 f"When did you {'start' if end == 'start' else 'finish'} as {name}? ({hint})",
                                 ("experience", i, end), "dates_consistent"))  # fmt: skip
        if not job.company:
            out.append(Issue(f"experience.{i}.company", "weak", f"{name}: no employer named.",
                             f"Who was your employer as {name}?", ("experience", i, "company")))  # fmt: skip
        if not job.bullets:
            out.append(Issue(f"experience.{i}.bullets", "weak", f"{name}: no bullets on what you did.",
                             f"What did you achieve as {name}? One result, with a number if you can.",
                             ("experience", i, "bullets", 0), "measurable_bullets"))  # fmt: skip
        for j, bullet in enumerate(job.bullets):
            if not ats.MEASURABLE.search(bullet):
                out.append(Issue(f"experience.{i}.bullets.{j}", "weak", f"{name}: a bullet without a number or "
                                 f"result: “{bullet[:80]}”.", "How many, how much, how fast or how often? Add the "
                                 "figure you really achieved (leave it as it is if there is none).",
                                 ("experience", i, "bullets", j), "measurable_bullets"))  # fmt: skip
    if len(precisions) > 1:
        out.append(Issue("experience.dates", "weak", "Dates in mixed styles: some with a month, some with only a "
                         "year.", "Give every date as month and year (e.g. Mar 2021) in the editor.", None,
                         "dates_consistent"))  # fmt: skip
    return out


def _education(resume: Resume) -> list[Issue]:
    if not resume.education:
        return [Issue("education", "missing", "No education section.", "Add your degree or school in the editor.",
                      None, "section_headings")]  # fmt: skip
    out: list[Issue] = []
    for i, degree in enumerate(resume.education):
        name = degree.degree or degree.institution or f"degree {i + 1}"
        if not degree.degree:
            out.append(Issue(f"education.{i}.degree", "missing", f"{name}: no degree named.",
                             f"Which degree or diploma did you study for at {degree.institution or 'this school'}?",
                             ("education", i, "degree")))  # fmt: skip
        if not degree.institution:
            out.append(Issue(f"education.{i}.institution", "weak", f"{name}: no institution.",
                             f"Where did you study for {name}?", ("education", i, "institution")))  # fmt: skip
        if not degree.end:
            out.append(Issue(f"education.{i}.end", "weak", f"{name}: no year of graduation.",
                             f"When did you finish (or when will you finish) {name}? (e.g. 2024)",
                             ("education", i, "end")))  # fmt: skip
    return out


def _skills(resume: Resume) -> list[Issue]:
    if resume.skills:
        return []
    return [Issue("skills", "missing", "No skills section: ATS software looks for one.",
                  "Which tools, languages and methods do you really use? (comma-separated)", ("skills",),
                  "section_headings")]  # fmt: skip


def format_check(resume: Resume, today: date | None = None) -> tuple[int, dict[str, Any]]:
    """The ATS format score and its evidence for the résumé as its exports read."""
    text = to_text(resume)
    return ats.format_score(parse_resume(text, today), text)

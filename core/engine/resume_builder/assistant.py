"""The wording assistant's rules: what it is told about one field, and the guard its proposals must pass.

A language model may reword one field at a time; it may never add an employer, a date, a degree, a skill or a
figure the résumé does not already hold. The guard checks that deterministically, whatever the model says:
a proposal naming a proper noun, year, month, degree level, skill or number not found in the résumé is
refused with the reason, and the student keeps the current text. Without a model, the checks' prompts do the
same walk and the student writes the words.
"""

from __future__ import annotations

import re
from typing import Any

from core.engine.resume import degree_level
from core.engine.resume_builder.layout import to_text
from core.engine.resume_builder.model import Path, Resume, field_label, get_field
from core.engine.skills import extract_skills

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d{2}\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;•]\s+|\n)\s*$")


def variables(resume: Resume, path: Path, issue: str) -> dict[str, Any]:
    """The prompt's variables (prompts/resume_field.md): the field, what is wrong, and the facts it may use."""
    return {
        "field": field_label(path),
        "current": get_field(resume, path) or "(empty)",
        "issue": issue,
        "employers": sorted({job.company for job in resume.experience if job.company}) or ["(none)"],
        "skills": resume.skills or ["(none)"],
        "resume": to_text(resume)[:4000],
    }


def problems(resume: Resume, path: Path, proposal: str) -> list[str]:
    """Why a proposal for the field at `path` is refused; empty when it invents nothing."""
    known = to_text(resume)
    known_lower = known.lower()
    found: list[str] = []
    names = _new_names(proposal, known_lower)
    if names:
        found.append("names not in your résumé (an employer, a school or a product?): " + ", ".join(names))
    dates = sorted({m.group(0) for m in (*_YEAR.finditer(proposal), *_MONTH.finditer(proposal))
                    if m.group(0).lower() not in known_lower and not _in_dates(m.group(0), resume)})  # fmt: skip
    if dates:
        found.append("dates not in your résumé: " + ", ".join(dates))
    level = degree_level(proposal)
    if level is not None and level not in {degree_level(d.degree) for d in resume.education}:
        found.append(f"a degree ({level.replace('_', ' ')}) your résumé does not list")
    skills = sorted(set(extract_skills(proposal)) - set(extract_skills(known)))
    if skills:
        found.append("skills not in your résumé: " + ", ".join(skills))
    figures = set(_NUMBER.findall(known))
    numbers = sorted({n for n in _NUMBER.findall(proposal) if n not in figures and not _YEAR.fullmatch(n)})
    if numbers:
        found.append("figures not in your résumé: " + ", ".join(numbers))
    return found


def _in_dates(text: str, resume: Resume) -> bool:
    years = {d[:4] for job in resume.experience for d in (job.start, job.end) if d[:1].isdigit()}
    years |= {d[:4] for e in resume.education for d in (e.start, e.end) if d[:1].isdigit()}
    return all(year in years for year in _YEAR.findall(text))


def _new_names(proposal: str, known_lower: str) -> list[str]:
    """Capitalised words (not opening a sentence) that the résumé never uses: a new employer, school or product."""
    names = []
    for match in _WORD.finditer(proposal):
        word = match.group(0).rstrip(".")
        starts_sentence = bool(_SENTENCE_START.search(proposal[: match.start()]))
        if (word[:1].isupper() and not starts_sentence and word.lower() not in known_lower
                and word not in ("I", "I’m", "I'm")):  # fmt: skip
            names.append(word)
    return sorted(set(names))

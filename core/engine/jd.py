"""Job-description parsing: title, required vs preferred skills, minimum years, degree, salient keywords.

Sections are recognised by their headings ("Required qualifications", "Nice to have", "What you will do" …);
the wording of a line can override its section ("… is a plus", "must have …"). Skills named only in the
duties are treated as preferred: recruiters screen on the qualifications list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.engine import keywords
from core.engine.documents import bound_text
from core.engine.skills import find_skills

DEGREE_LEVELS = ("none", "high_school", "associate", "bachelor", "master", "phd")

_HEADING_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("preferred", ("preferred", "nice to have", "nice-to-have", "bonus", "plus", "desired", "desirable",
                   "good to have", "ideally", "extra credit", "optional")),
    ("required", ("required", "requirement", "requirements", "must have", "must-have", "qualifications",
                  "what you bring", "what you'll bring", "what we're looking for", "what we are looking for",
                  "who you are", "you have", "you bring", "minimum", "basic qualifications", "skills",
                  "about you", "your profile", "experience", "essential")),
    ("duties", ("responsibilities", "what you will do", "what you'll do", "what you’ll do", "the role",
                "about the role", "the opportunity", "day to day", "your impact", "duties", "you will",
                "what you'll work on", "what you will work on", "key tasks", "role overview")),
    ("ignore", ("benefits", "what we offer", "perks", "about us", "about the company", "compensation",
                "why join", "equal opportunity", "our values", "how to apply", "salary", "we offer")),
)  # fmt: skip
_PREFERRED_WORDS = re.compile(
    r"\b(nice[- ]to[- ]have|preferred|preferably|bonus|a plus|is a plus|are a plus|desirable|ideally|"
    r"good to have|not required|optional|familiarity with|exposure to)\b",
    re.IGNORECASE,
)
_REQUIRED_WORDS = re.compile(r"\b(must|required|requires|mandatory|essential|need to have)\b", re.IGNORECASE)
_YEARS = re.compile(
    r"(\d{1,2})(?:\s*(?:-|–|to)\s*(\d{1,2}))?\s*\+?\s*(?:plus\s+)?years?(?:'s)?\b(?![^.;\n]*\b(?:ago|old)\b)",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "ten": 10}
_WORD_YEARS = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\+?\s+years?\b", re.IGNORECASE)
_DEGREE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phd", re.compile(r"\b(ph\.?\s?d|doctorate|doctoral)\b", re.I)),
    ("master", re.compile(r"\b(master'?s?|m\.?sc?\b|m\.s\.|mba|graduate degree)", re.I)),
    ("bachelor", re.compile(r"\b(bachelor'?s?|b\.?sc?\b|b\.s\.|b\.a\.|undergraduate degree|four-year degree|"
                            r"4-year degree|college degree|university degree|bsn)", re.I)),
    ("associate", re.compile(r"\bassociate'?s? degree\b", re.I)),
    ("high_school", re.compile(r"\b(high school|ged|secondary school)\b", re.I)),
)  # fmt: skip
_GENERIC_DEGREE = re.compile(r"\b(degree|diploma)\b", re.I)
_EQUIVALENT = re.compile(
    r"\bor\s+(?:an?\s+)?(?:equivalent|comparable|relevant)\s+(?:practical\s+|professional\s+|work\s+)?"
    r"(?:experience|training)|\bor equivalent\b|\bdegree (?:is )?not required\b",
    re.I,
)
_CLAUSE = re.compile(r"(?<=[.;!?])\s+|;\s*")
_ALTERNATIVES = re.compile(r"\bor\b|\beither\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•*▪●◦·–]|\d{1,2}[.)])\s+")


@dataclass
class JobDescription:
    """A parsed job description; `to_dict` gives the JSON-friendly view."""

    title: str
    required_skills: list[str]
    preferred_skills: list[str]
    min_years: float | None
    degree_required: str | None
    keywords: list[str]
    text: str = field(repr=False, default="")
    evidence: dict[str, str] = field(default_factory=dict)  # skill -> the JD line that asked for it

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "required_skills": self.required_skills,
            "preferred_skills": self.preferred_skills,
            "min_years": self.min_years,
            "degree_required": self.degree_required,
            "keywords": self.keywords,
        }


@lru_cache(maxsize=128)
def parse_jd(text: str) -> JobDescription:
    """Parse JD text. Deterministic; never raises on odd input (an empty JD yields empty lists).

    Cached: a batch or a page re-analysing the same posting parses it once. Treat the result as read-only.
    """
    text = bound_text(text or "")  # capped before parsing: the patterns below then run in linear time
    lines = [ln.strip() for ln in text.splitlines()]
    title = _title(lines)
    blocks = _blocks(lines)
    structured = any(kind in ("required", "preferred") for kind, _ in blocks)
    required: dict[str, str] = {}
    preferred: dict[str, str] = {}
    for kind, line in blocks:
        if kind == "ignore" or not line or _is_degree_line(line):
            continue  # a degree line names fields of study ("Psychology"), not skills
        for clause in _CLAUSE.split(line):  # "must have SEO; HubSpot is a bonus" holds two verdicts
            names = [m.skill for m in find_skills(clause)]
            if not names:
                continue
            if _line_target(kind, clause, structured) == "required":
                # "CI/CD with GitHub Actions, GitLab CI or Jenkins": one of the alternatives is enough,
                # so only the first named skill is a must; the alternatives count as preferred.
                must = names[:1] if _ALTERNATIVES.search(clause) else names
                for name in must:
                    required.setdefault(name, line)
                names = [n for n in names if n not in must]
            for name in names:
                preferred.setdefault(name, line)
    preferred = {k: v for k, v in preferred.items() if k not in required}
    qual_lines = [ln for kind, ln in blocks if kind in ("required", "other", "title")] if structured else lines
    return JobDescription(
        title=title,
        required_skills=sorted(required),
        preferred_skills=sorted(preferred),
        min_years=_min_years([ln for kind, ln in blocks if kind != "ignore"], qual_lines),
        degree_required=_degree([ln for kind, ln in blocks if kind in ("required", "other")] if structured else lines),
        keywords=keywords.salient_terms("\n".join(ln for kind, ln in blocks if kind not in ("ignore", "title"))),
        text=text or "",
        evidence={**preferred, **required},
    )


def _title(lines: list[str]) -> str:
    for line in lines:
        if not line:
            continue
        match = re.match(r"^(?:job\s+title|title|position|role)\s*[:\-–]\s*(.+)$", line, re.I)
        return (match.group(1) if match else line).strip()[:120]
    return ""


def _heading_kind(line: str) -> str | None:
    """The kind of section a heading line opens, or None when the line is not a heading."""
    if not line or _BULLET.match(line) or len(line) > 60 or line.endswith((".", ",", ";")):
        return None
    low = line.lower().rstrip(":").strip()
    if len(low.split()) > 7:
        return None
    for kind, words in _HEADING_KINDS:
        if any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low) for w in words):
            return kind
    if low.startswith("about "):
        return "ignore"
    return None


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Each line tagged with the kind of section it sits in ("title", "other" before any known heading)."""
    out: list[tuple[str, str]] = []
    kind = "other"
    for i, line in enumerate(lines):
        heading = _heading_kind(line) if i > 0 else None
        if heading:
            kind = heading
            out.append((kind, line if heading == "preferred" else ""))
            continue
        out.append(("title" if i == 0 else kind, line))
    return out


def _line_target(kind: str, line: str, structured: bool) -> str:
    if _PREFERRED_WORDS.search(line):
        return "preferred"
    if _REQUIRED_WORDS.search(line):
        return "required"
    if kind == "required":
        return "required"
    if kind == "preferred":
        return "preferred"
    return "preferred" if structured else "required"


def _min_years(all_lines: list[str], qual_lines: list[str]) -> float | None:
    """The first explicit "N+ years" of experience in the qualifications, else anywhere outside benefits."""
    for pool in (qual_lines, all_lines):
        found = []
        for line in pool:
            if pool is all_lines and not re.search(r"experience|background|track record|professional", line, re.I):
                continue
            for m in _YEARS.finditer(line):
                found.append(float(m.group(1)))
            for m in _WORD_YEARS.finditer(line):
                found.append(float(_WORD_NUMBERS[m.group(1).lower()]))
        found = [y for y in found if 0 < y <= 25]
        if found:  # "5+ years …, including 2+ years managing": the first figure is the headline bar
            return found[0]
    return None


def _is_degree_line(line: str) -> bool:
    return bool(re.search(r"\bdegree\b|\bdiploma\b", line, re.I)) or any(
        pattern.search(line) for level, pattern in _DEGREE_PATTERNS if level in ("bachelor", "master", "phd")
    )


def _degree(lines: list[str]) -> str | None:
    """Lowest degree level named on the first degree line, None when equivalent experience is accepted."""
    for line in lines:
        levels = [level for level, pattern in _DEGREE_PATTERNS if pattern.search(line)]
        if not levels and not _GENERIC_DEGREE.search(line):
            continue
        if _PREFERRED_WORDS.search(line) and not _REQUIRED_WORDS.search(line):
            continue
        if _EQUIVALENT.search(line):
            return None
        if not levels:
            if re.search(r"\b(degree)\b", line, re.I):
                return "bachelor"
            continue
        return min(levels, key=DEGREE_LEVELS.index)
    return None

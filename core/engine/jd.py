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
from core.engine.report import DEGREE_LEVELS
from core.engine.skills import find_skills, skill_info

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
_EQUIVALENT_EXPERIENCE = re.compile(
    r"\bor\s+(?:an?\s+)?(?:equivalent|comparable|relevant)\s+(?:practical\s+|professional\s+|work\s+)?"
    r"(?:experience|training)|\bdegree (?:is )?not required\b",
    re.I,
)
_EQUIVALENT = re.compile(r"\bor\s+(?:an?\s+)?equivalent\b", re.I)
_CLAUSE = re.compile(r"(?<=[.;!?])\s+|;\s*")
_ALTERNATIVES = re.compile(r"\bor\b|\beither\b|\b(?:one|any) of\b|\bsuch as\b|\be\.g\.|\blike\b", re.IGNORECASE)
# "CI/CD with GitHub Actions, GitLab CI or Jenkins": the skill before these words is the must, the rest examples.
_EXAMPLES = re.compile(r"\(|\b(?:with|such as|like|e\.g\.|including|using|via|in|on|through|for)\b", re.IGNORECASE)
# "Bachelor's degree (MBA preferred)": the bracket or tail that softens only part of a degree line.
_SOFT_PART = re.compile(
    r"\([^)]*\b(?:preferred|a plus|desirable|ideally|bonus)\b[^)]*\)"
    r"|[,;]\s*[^,;]*\b(?:preferred|a plus|desirable)\b.*$",
    re.IGNORECASE,
)
_ROLE_NOUNS = re.compile(
    r"\b(?:engineer|developer|analyst|manager|designer|scientist|consultant|specialist|architect|intern|executive|"
    r"officer|associate|administrator|coordinator|director|lead|nurse|accountant|owner|representative|technician|"
    r"writer|strategist|programmer|tester|researcher|assistant|head)s?\b",
    re.IGNORECASE,
)
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
    any_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # required skill -> alternatives that do
    skill_years: dict[str, float] = field(default_factory=dict)  # "3+ years of Java" -> {"java": 3.0}
    degree_or_equivalent: bool = False  # "Bachelor's degree or equivalent experience"
    wording: dict[str, str] = field(default_factory=dict)  # skill -> how the JD writes it ("Postgres")

    def surface(self, skill: str) -> str:
        """The JD's own word for a canonical skill (the canonical name when the JD did not name it)."""
        return self.wording.get(skill, skill)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "required_skills": self.required_skills,
            "preferred_skills": self.preferred_skills,
            "min_years": self.min_years,
            "degree_required": self.degree_required,
            "keywords": self.keywords,
            "any_of": {k: list(v) for k, v in self.any_of.items()},
            "skill_years": self.skill_years,
            "degree_or_equivalent": self.degree_or_equivalent,
            "required_soft_skills": self.soft(self.required_skills),
            "preferred_soft_skills": self.soft(self.preferred_skills),
        }

    @staticmethod
    def soft(skills: list[str]) -> list[str]:
        """The soft skills among `skills` ("communication", "attention to detail"), reported apart."""
        return [s for s in skills if (info := skill_info(s)) is not None and info.kind == "soft"]


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
    wording: dict[str, str] = {}
    any_of: dict[str, tuple[str, ...]] = {}
    for kind, line in blocks:
        if kind == "ignore" or not line or _is_degree_line(line):
            continue  # a degree line names fields of study ("Psychology"), not skills
        for clause in _CLAUSE.split(line):  # "must have SEO; HubSpot is a bonus" holds two verdicts
            found = find_skills(clause)
            for m in found:
                wording.setdefault(m.skill, m.surface)
            names = list(dict.fromkeys(m.skill for m in found))
            if not names:
                continue
            if _line_target(kind, clause, structured) == "required":
                must = names
                if len(names) > 1 and _ALTERNATIVES.search(clause):
                    # One of the alternatives is enough, so only the first named skill is a must and the
                    # others count as preferred. "CI/CD with GitHub Actions or Jenkins": CI/CD is the must and
                    # the rest are examples; "such as Python, Ruby, Java or PHP": any one of them will do.
                    must = names[:1]
                    cue = _EXAMPLES.search(clause)
                    if not (cue and found[0].start < cue.start()):
                        any_of.setdefault(names[0], tuple(names[1:]))
                for name in must:
                    required.setdefault(name, line)
                names = [n for n in names if n not in must]
            for name in names:
                preferred.setdefault(name, line)
    preferred = {k: v for k, v in preferred.items() if k not in required}
    qual_lines = [ln for kind, ln in blocks if kind in ("required", "other", "title")] if structured else lines
    degree_lines = [ln for kind, ln in blocks if kind in ("required", "other")] if structured else lines
    degree, or_equivalent = _degree(degree_lines)
    return JobDescription(
        title=title,
        required_skills=sorted(required),
        preferred_skills=sorted(preferred),
        min_years=_min_years([ln for kind, ln in blocks if kind != "ignore"], qual_lines),
        degree_required=degree,
        degree_or_equivalent=or_equivalent,
        keywords=_keywords(title, blocks),
        text=text or "",
        evidence={**preferred, **required},
        wording=wording,
        any_of={k: v for k, v in any_of.items() if k in required},
        skill_years=_skill_years([ln for kind, ln in blocks if kind not in ("ignore", "title")]),
    )


def _keywords(title: str, blocks: list[tuple[str, str]]) -> list[str]:
    """The title as a CV would echo it (unless it is a skill itself), then the distinctive phrases of the posting."""
    body = keywords.salient_terms("\n".join(ln for kind, ln in blocks if kind not in ("ignore", "title")))
    skills_in_title = {m.surface.lower() for m in find_skills(title)}
    from_title = [t for t in keywords.title_terms(title) if t not in skills_in_title]
    return list(dict.fromkeys(from_title + [k for k in body if k not in from_title]))


def _title(lines: list[str]) -> str:
    """The first line (after a "Title:" label), joined with the next when a line break cut it ("Senior Backend" /
    "Engineer")."""
    for i, line in enumerate(lines):
        if not line:
            continue
        match = re.match(r"^(?:job\s+title|title|position|role)\s*[:\-–]\s*(.+)$", line, re.I)
        title = (match.group(1) if match else line).strip()
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            following
            and not _ROLE_NOUNS.search(title)
            and _ROLE_NOUNS.search(following)
            and len(following.split()) <= 4
            and len((title + " " + following).split()) <= 10
            and not re.search(r"[:.]$", title)
        ):
            title = f"{title} {following.strip()}"
        return title[:120]
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


def _degree(lines: list[str]) -> tuple[str | None, bool]:
    """Lowest degree level named on the first degree line, and whether equivalent experience is accepted.

    The level is None when equivalent experience stands in for the degree (labels' convention) or the whole line
    is a preference; "Bachelor's degree (MBA preferred)" still requires the bachelor's, and "in CS or equivalent"
    (an equivalent degree) still requires a degree.
    """
    for line in lines:
        required_part = _SOFT_PART.sub(" ", line)
        levels = [level for level, pattern in _DEGREE_PATTERNS if pattern.search(required_part)]
        if not levels and not _GENERIC_DEGREE.search(required_part):
            continue
        if _PREFERRED_WORDS.search(required_part) and not _REQUIRED_WORDS.search(required_part):
            continue
        if _EQUIVALENT_EXPERIENCE.search(required_part):
            return None, True
        if not levels:
            if re.search(r"\b(degree)\b", required_part, re.I):
                return "bachelor", bool(_EQUIVALENT.search(required_part))
            continue
        return min(levels, key=DEGREE_LEVELS.index), bool(_EQUIVALENT.search(required_part))
    return None, False


def _skill_years(lines: list[str]) -> dict[str, float]:
    """Minimum years stated for one skill: "3+ years of Java", "2 years' experience with Power BI"."""
    out: dict[str, float] = {}
    for line in lines:
        for m in _YEARS.finditer(line):
            tail = line[m.end() : m.end() + 60]
            lead = re.match(r"\s*(?:of\s+)?(?:(?:hands-on|professional|commercial)\s+)?(?:experience\s+)?"
                            r"(?:(?:with|in|using|of)\s+)?", tail)  # fmt: skip
            rest = tail[lead.end() if lead else 0 :]
            found = find_skills(rest)
            if found and found[0].start <= 1:
                out.setdefault(found[0].skill, float(m.group(1)))
    return out

"""The shipped catalogue of sample job descriptions (core/data/catalogue/*.txt) and its "mock job search".

Each file starts with `Title:`, `Company:` and `Location:` lines, a blank line, then the posting. Search ranks
by the query's words in the title, the skills the posting asks for, and an optional location filter, so a
student without a real job board still finds realistic roles to practise against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.engine.jd import parse_jd
from core.engine.skills import find_skills

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "data" / "catalogue"
_HEADER = re.compile(r"^(title|company|location)\s*:\s*(.+)$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9+#/.]+")
_STOP = {"and", "or", "the", "a", "an", "of", "in", "for", "jobs", "job", "role", "roles"}


@dataclass(frozen=True)
class CatalogueJob:
    key: str
    title: str
    company: str
    location: str
    text: str  # the posting as a job description: title line first, then the body
    required_skills: tuple[str, ...]
    preferred_skills: tuple[str, ...]

    @property
    def skills(self) -> tuple[str, ...]:
        return self.required_skills + self.preferred_skills


def _load(path: Path) -> CatalogueJob:
    header: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_at = 0
    for i, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if not match:
            body_at = i
            break
        header[match.group(1).lower()] = match.group(2).strip()
    body = "\n".join(lines[body_at:]).strip()
    text = f"{header['title']}\n{header['company']} — {header['location']}\n\n{body}\n"
    jd = parse_jd(text)
    return CatalogueJob(
        key=path.stem,
        title=header["title"],
        company=header["company"],
        location=header["location"],
        text=text,
        required_skills=tuple(jd.required_skills),
        preferred_skills=tuple(jd.preferred_skills),
    )


@cache
def all_jobs() -> tuple[CatalogueJob, ...]:
    """Every catalogue posting, sorted by title (parsed once per process)."""
    return tuple(sorted((_load(p) for p in CATALOGUE_DIR.glob("*.txt")), key=lambda j: (j.title, j.key)))


def get(key: str) -> CatalogueJob | None:
    return next((job for job in all_jobs() if job.key == key), None)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def relevance(job: CatalogueJob, query: str) -> float:
    """How well `query` (a title, a skill, or both) describes `job`; 0 means not at all."""
    words = _words(query)
    if not words:
        return 0.0
    title_words = _words(job.title)
    score = 2.0 * len(words & title_words) / len(words)
    skills = {m.skill for m in find_skills(query)} or {w for w in words if w in job.skills}
    wanted = set(job.skills)
    score += sum(1.5 if s in job.required_skills else 1.0 for s in skills if s in wanted) / max(1, len(skills))
    return score


def search(query: str = "", location: str | None = None, *, limit: int = 20) -> list[CatalogueJob]:
    """Postings matching `query` by title or skill, best first; an empty query lists everything.

    `location` keeps postings whose location mentions it ("Bengaluru", "remote").
    """
    jobs = list(all_jobs())
    if location and location.strip():
        place = location.strip().lower()
        jobs = [j for j in jobs if place in j.location.lower()]
    if not query.strip():
        return jobs[:limit]
    scored = [(relevance(job, query), job) for job in jobs]
    return [job for score, job in sorted(scored, key=lambda sj: (-sj[0], sj[1].title)) if score > 0][:limit]


def suggest(roles: list[str], *, limit: int = 5) -> list[CatalogueJob]:
    """Postings ranked by the best match to any of a student's target roles (all postings when none are set)."""
    if not roles:
        return list(all_jobs())[:limit]
    scored = [(max(relevance(job, role) for role in roles), job) for job in all_jobs()]
    return [job for score, job in sorted(scored, key=lambda sj: (-sj[0], sj[1].title)) if score > 0][:limit]

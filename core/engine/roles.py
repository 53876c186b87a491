"""Role catalogue (core/data/roles.csv): which roles a CV fits, and which role family a job belongs to."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROLES_CSV = Path(__file__).parents[1] / "data" / "roles.csv"
_SENIORITY = re.compile(
    r"\b(senior|sr|junior|jr|lead|principal|staff|head|chief|associate|intern|i{1,3}|iv)\b\.?", re.IGNORECASE
)


@dataclass(frozen=True)
class Role:
    """A role with the words its titles use and the skills it is built on (most important first)."""

    name: str
    family: str
    title_words: tuple[str, ...]
    core_skills: tuple[str, ...]


@dataclass(frozen=True)
class RoleFit:
    role: Role
    score: int
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    title_hit: bool


@lru_cache(maxsize=1)
def roles() -> tuple[Role, ...]:
    with ROLES_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Role(
                row["role"],
                row["family"],
                tuple(w.strip().lower() for w in row["title_words"].split("|") if w.strip()),
                tuple(s.strip() for s in row["core_skills"].split("|") if s.strip()),
            )
            for row in csv.DictReader(fh)
        )


def title_matches(role: Role, titles: Iterable[str]) -> bool:
    """Whether any of `titles` uses one of the role's title phrases as whole words."""
    text = " | ".join(t.lower() for t in titles if t)
    return any(re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text) for w in role.title_words)


def fit(role: Role, skills: set[str], titles: Iterable[str]) -> RoleFit:
    """0-100 fit: coverage of the role's core skills (up to 8 needed for full marks) plus title evidence."""
    matched = tuple(s for s in role.core_skills if s in skills)
    missing = tuple(s for s in role.core_skills if s not in skills)
    coverage = min(1.0, len(matched) / min(8, len(role.core_skills)))
    hit = title_matches(role, titles)
    return RoleFit(role, round(100 * (0.7 * coverage + 0.3 * hit)), matched, missing, hit)


def rank(skills: set[str], titles: Iterable[str]) -> list[RoleFit]:
    """All roles, best fit first (ties by name for determinism)."""
    titles = list(titles)
    return sorted((fit(r, skills, titles) for r in roles()), key=lambda f: (-f.score, f.role.name))


def clean_title(title: str) -> str:
    """A title without seniority words or qualifiers: "Senior Backend Engineer (Go)" -> "backend engineer"."""
    title = re.sub(r"\(.*?\)|,.*$", " ", title or "")
    return " ".join(_SENIORITY.sub(" ", title.lower()).split())

"""Skills taxonomy (core/data/skills.csv) and fast, word-boundary-safe extraction.

Extraction walks a token trie built once from every alias: leftmost-longest match wins, so "JavaScript" never
yields "java", "React Native" is not also "react", and blocker phrases (core/data/skill_blockers.txt) such as
"go to" or "R&D" hide the short aliases they contain. Ambiguous short names ("Go", "R", "C", "Swift", "Excel")
are listed as exact aliases and only match with that capitalisation.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parents[1] / "data"
_TOKEN = re.compile(r"[^\W_]+|\S")
# URLs and e-mail addresses would otherwise leak "github", "linkedin" and friends into the skills. The first and
# fourth alternatives start only where their run starts (linear time on a long token; same leftmost match).
_MASK = re.compile(
    r"(?<!\S)\S+@\S+|https?://\S+|www\.\S+|(?<![\w.-])[\w.-]+\.(?:com|org|net|io|dev|me|co|ai|app|design)/\S*"
    r"|\b(?:github|gitlab|bitbucket|linkedin|behance|dribbble|kaggle)\.com\b",  # a profile link, not a tool
    re.IGNORECASE,
)
_BLOCKER = ""  # canonical marker for blocker phrases


@dataclass(frozen=True)
class Skill:
    """One taxonomy entry."""

    name: str
    category: str
    kind: str  # "hard" | "soft"
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SkillMatch:
    """Where a skill was found, so reports can quote the evidence."""

    skill: str
    surface: str
    start: int
    end: int


_UNIFY = str.maketrans("’‘–—‐‑", "''----")  # curly quotes and dashes to ASCII


def normalize_text(text: str) -> str:
    """NFKC (PDF ligatures), unify quotes and dashes; keeps one character per input character where possible."""
    text = unicodedata.normalize("NFKC", text or "")
    return text.translate(_UNIFY)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _variants(alias: str) -> set[str]:
    """Spelling variants generated from one alias: hyphen/space/joined, ".js" forms, plural/singular phrases."""
    alias = alias.strip().lower()
    out = {alias}
    if "-" in alias:
        out |= {alias.replace("-", " "), alias.replace("-", "")}
    if alias.endswith(".js"):
        stem = alias[:-3]
        out |= {stem + "js", stem + " js"}
    words = alias.split()
    if len(words) >= 2 and words[-1].isalpha() and len(words[-1]) >= 4:
        last = words[-1]
        if last.endswith("s") and not last.endswith("ss"):
            out.add(" ".join([*words[:-1], last[:-1]]))
        elif not last.endswith(("ing", "ed", "y", "sh", "ch", "x", "s")):
            out.add(" ".join([*words[:-1], last + "s"]))
    return out


class Taxonomy:
    """The loaded taxonomy plus its compiled matcher."""

    def __init__(self, skills: Iterable[Skill], exact: dict[str, list[str]], blockers: Iterable[str]) -> None:
        self.skills: dict[str, Skill] = {s.name: s for s in skills}
        self._trie: dict[str | None, Any] = {}  # token -> child node; None -> the skills ending here
        for skill in self.skills.values():
            exact_lower = {e.lower() for e in exact.get(skill.name, [])}
            names = set(skill.aliases) | ({skill.name} - exact_lower)
            for alias in names:
                for variant in _variants(alias):
                    self._add(variant, skill.name, None)
            for surface in exact.get(skill.name, []):
                for variant in {surface, surface.replace("-", " ")}:
                    self._add(variant, skill.name, tuple(_tokens(variant)))
        for phrase in blockers:
            for variant in _variants(phrase):
                self._add(variant, _BLOCKER, None)

    def _add(self, alias: str, name: str, case_tokens: tuple[str, ...] | None) -> None:
        node = self._trie
        for tok in _tokens(alias.lower()):
            node = node.setdefault(tok, {})
        entries = node.setdefault(None, [])
        if (name, case_tokens) not in entries:
            entries.append((name, case_tokens))

    def find(self, text: str) -> list[SkillMatch]:
        """Every skill mention in `text` (leftmost-longest, blockers suppressed), in text order."""
        text = _MASK.sub(lambda m: " " * len(m.group()), normalize_text(text))
        toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        lowered = [t[0].lower() for t in toks]
        found: list[SkillMatch] = []
        i, n = 0, len(toks)
        while i < n:
            node: dict[str | None, Any] | None
            node, j, best = self._trie, i, None
            while j < n:
                node = node.get(lowered[j])
                if node is None:
                    break
                entries = node.get(None)
                if entries:
                    names = [
                        name
                        for name, case in entries
                        if (case is None or tuple(t[0] for t in toks[i : j + 1]) == case)
                        and _boundary_ok(text, toks[i][1], toks[j][2], j == i and len(toks[i][0]) == 1)
                    ]
                    if names:
                        best = (j, names)
                j += 1
            if best is None:
                i += 1
                continue
            j, names = best
            start, end = toks[i][1], toks[j][2]
            found.extend(SkillMatch(name, text[start:end], start, end) for name in sorted(set(names)) if name)
            i = j + 1
        return found

    def extract(self, text: str) -> list[str]:
        """Sorted canonical names of the skills mentioned in `text`."""
        return sorted({m.skill for m in self.find(text)})


def _boundary_ok(text: str, start: int, end: int, single_char: bool) -> bool:
    """Reject matches glued to neighbouring characters: "C" in "C++", "js" in "vue.js", "R" in "R&D"."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    if before.isalnum() or before in "+#@" or (before == "." and start > 1 and text[start - 2].isalnum()):
        return False
    if after.isalnum() or after in "+#" or (after == "." and after2.isalnum()):
        return False
    return not (single_char and (after in "&'-" or before in "&'-"))


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """Load and compile the shipped taxonomy once per process."""
    skills, exact = [], {}
    with (DATA_DIR / "skills.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["canonical"].strip().lower()
            aliases = tuple(a.strip().lower() for a in row["aliases"].split("|") if a.strip())
            skills.append(Skill(name, row["category"], row["kind"], aliases))
            exact[name] = [a.strip() for a in row["exact_aliases"].split("|") if a.strip()]
    lines = (DATA_DIR / "skill_blockers.txt").read_text(encoding="utf-8").splitlines()
    blockers = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return Taxonomy(skills, exact, blockers)


def extract_skills(text: str) -> list[str]:
    """Return the sorted canonical lower-case skill names mentioned in `text`."""
    return taxonomy().extract(text)


def find_skills(text: str) -> list[SkillMatch]:
    """Skill mentions with their surface form and position (for evidence in reports)."""
    return taxonomy().find(text)


def skill_info(name: str) -> Skill | None:
    """Taxonomy entry for a canonical name, or None."""
    return taxonomy().skills.get(name)


# --- implied skills ----------------------------------------------------------------------------------------
# A reviewed table (core/data/skill_implications.csv): naming the left skill shows the right one ("hibernate"
# is an ORM, "django" is Python, "aws" is cloud computing). A past job title implies its field
# (core/data/title_implications.csv: "Backend Engineer" -> backend development).


def _read_pairs(name: str) -> list[tuple[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [(a.strip().lower(), b.strip().lower()) for a, b in csv.reader(fh) if a and not a.startswith("#")][1:]


@lru_cache(maxsize=1)
def implications() -> dict[str, tuple[str, ...]]:
    """skill -> the skills it implies directly."""
    out: dict[str, list[str]] = {}
    for skill, implied in _read_pairs("skill_implications.csv"):
        out.setdefault(skill, []).append(implied)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _title_implications() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(r"(?<![\w-])" + re.escape(words) + r"(?![\w-])", re.IGNORECASE), implied)
        for words, implied in _read_pairs("title_implications.csv")
    )


def covered_by(named: Iterable[str], titles: Iterable[str] = ()) -> dict[str, str]:
    """Skills a CV shows without naming them: implied skill -> what implies it (a named skill or a past title).

    Transitive ("next.js" -> "react" -> "javascript", reported as covered by next.js); named skills are left out.
    """
    have = set(named)
    out: dict[str, str] = {}
    for title in titles:
        for pattern, implied in _title_implications():
            if implied not in have and implied not in out and pattern.search(title or ""):
                out[implied] = title
    table = implications()
    queue = [(skill, skill) for skill in sorted(have)]
    while queue:
        skill, source = queue.pop(0)
        for implied in table.get(skill, ()):
            if implied not in have and implied not in out:
                out[implied] = source
                queue.append((implied, source))
    return out

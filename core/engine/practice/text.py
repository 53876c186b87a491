"""Small text helpers shared by question generation, answer scoring and transcripts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from core.engine.practice.cues import SPECIFIC_PATTERNS
from core.engine.skills import covered_by, find_skills


def normalise(text: str) -> str:
    return " ".join(str(text or "").replace("’", "'").replace("‘", "'").lower().split())


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    """Whole-term match that tolerates a plural ("rest apis") and punctuation-heavy names (c++, ci/cd)."""
    return re.compile(r"(?<![\w+#])" + re.escape(term.lower()) + r"(?:e?s)?(?![\w+#])")


def find_specifics(text: str) -> list[str]:
    """Distinct concrete details, longest pattern first so "40%" is not also counted as the number 40."""
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    for pattern in SPECIFIC_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            value = match.group().strip(" ,.")
            if value not in found:
                found.append(value)
    return found


def mentions(text: str, terms: Iterable[str]) -> list[str]:
    """The terms the text uses: literally, under a taxonomy alias ("Postgres" for postgresql), or through a
    skill that implies it ("Hibernate" for orm)."""
    lowered = text.lower()
    named = {m.skill for m in find_skills(text)}
    named |= set(covered_by(named))
    return [t for t in terms if t in named or term_pattern(t).search(lowered)]


def by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def join_words(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def unique(items: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication without empty strings (keeps results deterministic)."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)

"""Salient JD terms beyond the skills taxonomy, by TF-IDF against the sample JDs shipped in core/data/jds.

A term is salient when this JD uses it and the background JDs mostly do not ("freight", "underwriting",
"whiteboard"), so boilerplate like "team" or "benefits" falls away without a hand-made list of every one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from core.engine.skills import find_skills

JDS_DIR = Path(__file__).parents[1] / "data" / "jds"
_CLAUSE = re.compile(r"[,.;:()\[\]!?\n/|•]+|\s-\s|\s–\s")
_WORD = re.compile(r"[a-z][a-z0-9'+#-]*[a-z0-9+#]|[a-z]")
_STOP = frozenset(
    w
    for line in (JDS_DIR.parent / "keyword_stopwords.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for w in line.split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, deterministic stemmer: enough to match "forecasts" with "forecasting"."""
    word = word.lower().strip("'")
    for suffix in ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _terms(text: str) -> list[str]:
    """Unigrams and bigrams of non-stopwords, with skill mentions masked out (they are scored elsewhere)."""
    chars = list(text)
    for m in find_skills(text):
        chars[m.start : m.end] = " " * (m.end - m.start)
    out: list[str] = []
    for clause in _CLAUSE.split("".join(chars).lower()):  # phrases never span punctuation
        prev: str | None = None
        for w in _WORD.findall(clause):
            if w in _STOP or len(w) < 3 or w.endswith("ly"):
                prev = None
                continue
            out.append(w)
            if prev:
                out.append(f"{prev} {w}")
            prev = w
    return out


@lru_cache(maxsize=1)
def _background() -> tuple[int, Counter[str]]:
    """Document frequency of each stemmed term over the shipped sample JDs."""
    df: Counter[str] = Counter()
    paths = sorted(JDS_DIR.glob("*.txt"))
    for path in paths:
        df.update({_key(t) for t in _terms(path.read_text(encoding="utf-8"))})
    return len(paths), df


def _key(term: str) -> str:
    return " ".join(stem(w) for w in term.split())


def _proper_nouns(text: str) -> set[str]:
    """Words only ever written capitalised (company, product and place names): not keywords a CV could share."""
    seen: dict[str, bool] = {}
    for m in re.finditer(r"[A-Za-z][A-Za-z'-]+", text):
        word = m.group()
        seen[word.lower()] = seen.get(word.lower(), True) and word[0].isupper()
    return {w for w, always_upper in seen.items() if always_upper}


def salient_terms(text: str, limit: int = 12) -> list[str]:
    """The `limit` most distinctive terms of `text` (surface forms, best first, ties alphabetical)."""
    n_docs, df = _background()
    names = _proper_nouns(text or "")
    counts = Counter(t for t in _terms(text or "") if not any(w in names for w in t.split()))
    surface: dict[str, str] = {}
    scores: Counter[str] = Counter()
    for term, tf in sorted(counts.items()):
        key = _key(term)
        idf = math.log((1 + n_docs) / (1 + df.get(key, 0))) + 1.0
        weight = 1.4 if " " in term else 1.0  # phrases carry more meaning than their words
        score = (1 + math.log(tf)) * idf * weight
        if score > scores.get(key, 0):
            scores[key] = score
            surface[key] = term
    ranked = sorted(scores, key=lambda k: (-round(scores[k], 9), k))
    chosen: list[str] = []
    for key in ranked:
        words = set(key.split())
        # Skip a word already covered by a chosen phrase (and vice versa) so the list stays varied.
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    return [surface[k] for k in chosen]


def contains_term(stems: set[str], stem_text: str, term: str) -> bool:
    """Whether a CV (given as its stem set and space-joined stem sequence) mentions `term`."""
    key = _key(term)
    return key in stems if " " not in key else f" {key} " in stem_text


def stem_index(text: str) -> tuple[set[str], str]:
    """Stem set and padded stem sequence of a CV text, computed once per CV."""
    words = [stem(w) for w in _WORD.findall((text or "").lower())]
    return set(words), " " + " ".join(words) + " "


def warm() -> None:
    """Load the keyword background once, at server start (see core/ui/warmup.py)."""
    _background()

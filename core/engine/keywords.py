"""Job keywords a recruiter would scan for beyond the skills, and whether a CV uses them.

Candidates are the terms of the job title and the noun phrases of the duties and qualifications that are
distinctive against the sample JDs in core/data/jds (TF-IDF), so boilerplate like "team" falls away. A
candidate must read as a noun phrase a CV could share: its head is a noun, no word is only a verb or an
adverb ("validated before", "abreast"), no plural word modifies another ("runs stores", "internships
count"), no word is used as a verb where it stands ("to answer questions"), and none is on the reviewed
list of generic words (core/data/keyword_generic.txt: "results", "expectations", "hot", "plain" …).

Matching goes by lemma and ignores hyphens, so "analyses" finds "analysis", "managed" finds "management"
and "event-driven" finds "event driven"; a keyword is always shown in the JD's own wording.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllLemmas

from core.engine.skills import find_skills

DATA_DIR = Path(__file__).parents[1] / "data"
JDS_DIR = DATA_DIR / "jds"
MAX_KEYWORDS = 10
MAX_WORDS = 3
# A single word is a keyword only when at most this share of the sample JDs uses it ("shipment", "drift"),
# a phrase when at most PHRASE_MAX_DF do: words every posting uses ("data", "design") say nothing.
WORD_MAX_DF = 0.07
PHRASE_MAX_DF = 0.2
_CLAUSE = re.compile(r"[,.;:()\[\]!?\n/|•&]+|\s-\s|\s–\s")
_TOKEN = re.compile(r"[a-z][a-z0-9'+#-]*[a-z0-9+#]|[a-z]|\d[\d.,%$k+]*")
_WORD = re.compile(r"[a-z][a-z0-9'+#]*[a-z0-9+#]|[a-z]")
# A word right after these is used as a verb ("to answer questions", "you will own roadmaps").
_VERB_CUES = frozenset(
    ["to", "will", "can", "could", "should", "must", "may", "might", "we", "you", "they", "i", "and", "or", "also",
     "then", "who", "that"]
)  # fmt: skip
# Plural nouns that do modify other nouns ("sales team", "operations manager").
_PLURAL_MODIFIERS = frozenset(
    ["sales", "operations", "systems", "analytics", "communications", "relations", "logistics", "economics",
     "graphics", "savings", "goods", "news", "physics", "mathematics", "statistics", "services"]
)  # fmt: skip


def _word_list(name: str) -> frozenset[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


_SENIORITY = frozenset(["senior", "junior", "lead", "principal", "staff", "intern", "trainee", "sr", "jr", "ii", "iii"])
_STOP = _word_list("keyword_stopwords.txt")
_GENERIC = _word_list("keyword_generic.txt")


@lru_cache(maxsize=65536)
def _pos(word: str) -> dict[str, tuple[str, ...]]:
    """Parts of speech a word can be, with their lemmas ({} for jargon the dictionary does not know)."""
    return dict(getAllLemmas(word))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The matching key of a word: its dictionary lemma (noun first; verb first for -ing/-ed forms), then long
    "-ment" nouns to their verb.

    "analyses" -> "analysis", "managed"/"management" -> "manage", "forecasting" -> "forecast".
    """
    word = word.lower().strip("'")
    forms = _pos(word)
    for tag in ("VERB", "NOUN", "ADJ") if word.endswith(("ing", "ed")) else ("NOUN", "VERB", "ADJ"):
        if forms.get(tag):
            word = forms[tag][0]
            break
    else:
        for suffix, repl in (("ies", "y"), ("ses", "sis"), ("s", "")):
            if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + repl
                break
    if word.endswith("ment") and len(word) >= 10 and "VERB" in _pos(word[:-4]):  # not statement -> state
        word = word[:-4]
    return word


def _key(term: str) -> str:
    return " ".join(stem(w) for w in term.replace("-", " ").split())


def _adverb(word: str) -> bool:
    forms = _pos(word)
    return word.endswith("ly") and "NOUN" not in forms and "ADJ" not in forms


def _nounish(word: str) -> bool:
    forms = _pos(word)
    return not forms or "NOUN" in forms


def _modifier_ok(word: str) -> bool:
    forms = _pos(word)
    if not forms:
        return True
    if "NOUN" not in forms and "ADJ" not in forms:
        return False
    lemma = (forms.get("NOUN") or (word,))[0]
    plural = "ADJ" not in forms and word.endswith("s") and lemma != word
    return not plural or word in _PLURAL_MODIFIERS


def is_candidate(phrase: str) -> bool:
    """Whether a phrase reads as a keyword a recruiter would scan for (see the module docstring)."""
    words = phrase.lower().split()
    if not words or len(words) > MAX_WORDS:
        return False
    if any(w in _STOP or w in _GENERIC or len(w) < 2 or _adverb(w) for w in words):
        return False
    if any(w.rsplit("-", 1)[-1] in _STOP | _GENERIC for w in words if "-" in w):
        return False  # "six-month", "hand-off"
    if len(words) == 1 and len(words[0]) < 4:
        return False
    return _nounish(words[-1]) and all(_modifier_ok(w) for w in words[:-1])


def _terms(text: str) -> list[str]:
    """Candidate phrases (1 to MAX_WORDS words) of the text, skill mentions masked out (scored elsewhere)."""
    chars = list(text)
    for m in find_skills(text):
        chars[m.start : m.end] = " " * (m.end - m.start)
    out: list[str] = []
    for clause in _CLAUSE.split("".join(chars).lower()):  # phrases never span punctuation
        run: list[str] = []
        prev: str | None = None
        for tok in _TOKEN.findall(clause):
            verb_use = (prev is None or prev in _VERB_CUES) and "VERB" in _pos(tok)
            prev = tok
            if not _WORD.fullmatch(tok.replace("-", "")) or tok in _STOP or tok in _GENERIC or verb_use:
                run = []
                continue
            run.append(tok)
            for n in range(1, min(MAX_WORDS, len(run)) + 1):
                phrase = " ".join(run[-n:])
                if is_candidate(phrase):
                    out.append(phrase)
    return out


@lru_cache(maxsize=1)
def _background() -> tuple[int, Counter[str]]:
    """Document frequency of each candidate's key over the shipped sample JDs."""
    df: Counter[str] = Counter()
    paths = sorted(JDS_DIR.glob("*.txt"))
    for path in paths:
        df.update({_key(t) for t in _terms(path.read_text(encoding="utf-8"))})
    return len(paths), df


def _proper_nouns(text: str) -> set[str]:
    """Words only ever written capitalised (company, product and place names): not keywords a CV could share."""
    seen: dict[str, bool] = {}
    for m in re.finditer(r"[A-Za-z][A-Za-z'-]+", text):
        word = m.group()
        seen[word.lower()] = seen.get(word.lower(), True) and word[0].isupper()
    return {w for w, always_upper in seen.items() if always_upper}


def salient_terms(text: str, limit: int = MAX_KEYWORDS) -> list[str]:
    """The `limit` most distinctive candidate phrases of `text` (JD wording, best first, ties alphabetical)."""
    n_docs, df = _background()
    names = _proper_nouns(text or "")
    counts = Counter(t for t in _terms(text or "") if not any(w in names for w in t.split()))
    surface: dict[str, str] = {}
    scores: dict[str, float] = {}
    for term, tf in sorted(counts.items()):
        key = _key(term)
        if df.get(key, 0) > (PHRASE_MAX_DF if " " in key else WORD_MAX_DF) * n_docs:
            continue
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
        # Skip a phrase overlapping one already chosen so the list stays varied.
        if any(words & set(c.split()) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    return [surface[k] for k in chosen]


def title_terms(title: str) -> list[str]:
    """The job title as a CV would echo it ("backend engineer"): no seniority, brackets or ", team" tail."""
    head = re.split(r"[,|(]|\s[-–—]\s", (title or "").lower())[0]
    words = re.findall(r"[a-z][a-z0-9+#/-]*[a-z0-9+#]", head)
    kept = [w for w in words if w not in _SENIORITY | _STOP]
    return [" ".join(kept)] if kept else []


@dataclass(frozen=True)
class CvIndex:
    """A CV's lines as lemma keys, built once per CV, so each keyword check is a lookup."""

    lines: tuple[str, ...]
    keys: tuple[str, ...]  # " key key key " per line

    def find(self, term: str) -> str | None:
        """The first CV line using `term` (the phrase, or all of its words within one line), else None."""
        want = _key(term).split()
        if not want:
            return None
        phrase = " " + " ".join(want) + " "
        for line, keys in zip(self.lines, self.keys, strict=True):
            if phrase in keys:
                return line
        for line, keys in zip(self.lines, self.keys, strict=True):
            if all(f" {w} " in keys for w in want):
                return line
        return None


def cv_index(text: str) -> CvIndex:
    """Index a CV text by line (blank lines dropped)."""
    lines = tuple(ln.strip() for ln in (text or "").splitlines() if ln.strip())
    keys = tuple(" " + _key(" ".join(_WORD.findall(ln.lower().replace("-", " ")))) + " " for ln in lines)
    return CvIndex(lines, keys)


def warm() -> None:
    """Load the keyword background once, at server start (see core/ui/warmup.py)."""
    _background()

"""How a spoken answer was delivered: pace, filler words, hedges, repeated words, length against the one-to-two
minute target, and which job terms were said.

Pure: the transcript (as the student corrected it), the recording's duration and the terms to listen for in,
figures and coaching sentences out. Filler words are the answer checks' own (`cues.FILLERS`), except "sort of"
and "kind of", which in speech are hedges and are counted there instead, never twice.

Shapes:
- answer (analyse_delivery): {"duration_seconds", "words", "words_per_minute", "fillers": {word: n},
  "fillers_per_minute", "hedges": {phrase: n}, "repeated": [[word, n]], "length": short|ok|long,
  "pace": slow|ok|fast, "terms_said": [term], "feedback": [sentence]}
- interview (summarise_delivery): {"answers", "duration_seconds", "words", "words_per_minute",
  "fillers_per_minute", "fillers": {word: n}, "hedges": {phrase: n}, "repeated": [[word, n]],
  "answers_in_target", "terms_said": [term]}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from core.engine.practice.cues import FILLERS, WORD
from core.engine.practice.text import by_count, join_words, mentions, normalise, unique
from core.engine.practice.tuning import (
    FILLERS_PER_MINUTE_HIGH,
    HEDGES_PER_ANSWER_HIGH,
    PACE_RANGE,
    REPEATED_AT,
    REPEATED_SHOWN,
    SPOKEN_SECONDS,
)

HEDGES: dict[str, re.Pattern[str]] = {
    "i think": re.compile(r"\bi think\b"),
    "maybe": re.compile(r"\bmaybe\b"),
    "sort of": FILLERS["sort of"],
    "kind of": FILLERS["kind of"],
    "i guess": re.compile(r"\bi guess\b"),
    "probably": re.compile(r"\bprobably\b"),
    "perhaps": re.compile(r"\bperhaps\b"),
    "i feel like": re.compile(r"\bi feel like\b"),
    "hopefully": re.compile(r"\bhopefully\b"),
}
SPOKEN_FILLERS = {name: pattern for name, pattern in FILLERS.items() if name not in HEDGES}
# Words that carry no topic: repeating them is not worth a remark.
_STOP_WORDS = (
    "a about after again all also am an and any are as at be because been before being between both but by can "
    "could did do does doing done during each even ever every few for from get got had has have having he her "
    "here him his how i i'd i'll i'm i've if in into is it it's its just know let's like made make me more most "
    "much my no not now of off on once one only or other our out over own really said same say see she should "
    "so some still such than that that's the their them then there these they thing things this those through "
    "to too two under until up us very was way we we're well went were what when where which while who why will "
    "with would yeah yes you your"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())


def analyse_delivery(text: str, duration_seconds: float, terms: Iterable[str] = ()) -> dict[str, Any]:
    """Figures and coaching for one spoken answer of `duration_seconds`, transcribed as `text`."""
    spoken = normalise(text)
    words = WORD.findall(spoken)
    minutes = max(duration_seconds, 1.0) / 60
    fillers = _counts(SPOKEN_FILLERS, spoken)
    delivery: dict[str, Any] = {
        "duration_seconds": round(duration_seconds, 1),
        "words": len(words),
        "words_per_minute": round(len(words) / minutes),
        "fillers": fillers,
        "fillers_per_minute": round(sum(fillers.values()) / minutes, 1),
        "hedges": _counts(HEDGES, spoken),
        "repeated": [[w, n] for w, n in repeated_words(words) if n >= REPEATED_AT][:REPEATED_SHOWN],
        "length": _band(duration_seconds, SPOKEN_SECONDS, ("short", "ok", "long")),
        "pace": _band(len(words) / minutes, PACE_RANGE, ("slow", "ok", "fast")),
        "terms_said": mentions(spoken, unique(str(t).lower() for t in terms)),
    }
    delivery["feedback"] = _feedback(delivery)
    return delivery


def summarise_delivery(answers: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """One interview's delivery over its spoken answers (rates weighted by time spoken); None without any."""
    if not answers:
        return None
    seconds = sum(a["duration_seconds"] for a in answers)
    minutes = max(seconds, 1.0) / 60
    words = sum(a["words"] for a in answers)
    fillers: Counter[str] = Counter()
    hedges: Counter[str] = Counter()
    repeated: Counter[str] = Counter()
    for a in answers:
        fillers.update(a["fillers"])
        hedges.update(a["hedges"])
        repeated.update({w: n for w, n in a["repeated"]})
    return {
        "answers": len(answers),
        "duration_seconds": round(seconds, 1),
        "words": words,
        "words_per_minute": round(words / minutes),
        "fillers_per_minute": round(sum(fillers.values()) / minutes, 1),
        "fillers": dict(sorted(fillers.items(), key=by_count)),
        "hedges": dict(sorted(hedges.items(), key=by_count)),
        "repeated": [[w, n] for w, n in sorted(repeated.items(), key=by_count)][:REPEATED_SHOWN],
        "answers_in_target": sum(1 for a in answers if a["length"] == "ok"),
        "terms_said": unique(t for a in answers for t in a["terms_said"]),
    }


def repeated_words(words: Sequence[str]) -> list[tuple[str, int]]:
    """Content words by how often they were said, most first (ties alphabetical)."""
    content = Counter(w.strip("'.-/") for w in words if len(w) > 2 and w not in STOP_WORDS and not w[0].isdigit())
    content.pop("", None)
    return sorted(content.items(), key=by_count)


def _counts(patterns: Mapping[str, re.Pattern[str]], text: str) -> dict[str, int]:
    counts = {name: len(pattern.findall(text)) for name, pattern in patterns.items()}
    return {name: n for name, n in sorted(counts.items(), key=by_count) if n}


def _band(value: float, bounds: tuple[float, float], names: tuple[str, str, str]) -> str:
    low, high = bounds
    return names[0] if value < low else names[2] if value > high else names[1]


def _feedback(d: Mapping[str, Any]) -> list[str]:
    low, high = PACE_RANGE
    lines = {
        "slow": f"You spoke at {d['words_per_minute']} words a minute; aim for {low}–{high} so the answer keeps "
        "its energy.",
        "fast": f"You spoke at {d['words_per_minute']} words a minute; slow down towards {low}–{high} and pause "
        "after the key points.",
        "ok": f"Good pace: {d['words_per_minute']} words a minute.",
    }
    feedback = [lines[d["pace"]]]
    if d["fillers_per_minute"] > FILLERS_PER_MINUTE_HIGH:
        said = ", ".join(f"“{w}” ×{n}" for w, n in d["fillers"].items())
        feedback.append(f"{d['fillers_per_minute']:g} filler words a minute ({said}); pause silently instead.")
    if sum(d["hedges"].values()) > HEDGES_PER_ANSWER_HIGH:
        feedback.append(f"Hedges ({join_words(list(d['hedges']))}) undersell you; say what you did plainly.")
    if d["repeated"]:
        feedback.append(f"You repeat “{d['repeated'][0][0]}” ×{d['repeated'][0][1]}; vary the wording.")
    first, last = SPOKEN_SECONDS
    minutes = f"{first // 60}–{last // 60} minutes"
    if d["length"] == "short":
        feedback.append(f"At {d['duration_seconds']:g} s the answer is short; aim for {minutes} with one example.")
    elif d["length"] == "long":
        feedback.append(f"At {d['duration_seconds']:g} s the answer runs long; aim for {minutes}, result first.")
    if d["terms_said"]:
        feedback.append(f"Job terms you said: {join_words(d['terms_said'][:6])}.")
    return feedback

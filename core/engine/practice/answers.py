"""Feedback for one answer: STAR parts, specifics, keywords, filler words and length, each scored 0–100 with a
sentence that says what to do next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.engine.practice.cues import FILLERS, OUTCOME, STAR_CUES, WE_ACTION, WORD
from core.engine.practice.text import by_count, find_specifics, join_words, mentions, normalise, unique
from core.engine.practice.tuning import (
    ANSWER_WEIGHTS,
    FLUENCY_PENALTY_PER_FILLER_RATE,
    KINDS,
    LENGTH_FLOOR,
    LENGTH_OVER_PENALTY,
    LENGTH_RANGE,
    OUTCOME_BONUS,
    SPECIFICS_POINTS,
    STAR_PARTS,
    STAR_POINTS_PER_PART,
    SUB_SCORES,
)


def evaluate_answer(question: Mapping[str, Any], answer_text: str) -> dict[str, Any]:
    """Feedback for one answer: STAR parts, specifics, keywords, filler words, length — each scored 0–100
    with a sentence that says what to do next."""
    kind = str(question.get("kind")) if question.get("kind") in KINDS else "role"
    expected = unique(str(k).lower() for k in question.get("keywords") or [])
    text = normalise(answer_text)
    words = WORD.findall(text)
    star = {part: bool(STAR_CUES[part].search(text)) for part in STAR_PARTS}
    specifics = find_specifics(text)
    outcome = bool(OUTCOME.search(text))
    covered = mentions(text, expected)
    fillers = {name: len(p.findall(text)) for name, p in FILLERS.items()}
    fillers = {name: count for name, count in fillers.items() if count}

    if not words:
        scores: dict[str, int | None] = dict.fromkeys(SUB_SCORES, 0)
        scores["keywords"] = 0 if expected else None
    else:
        filler_rate = 100 * sum(fillers.values()) / len(words)
        scores = {
            "star": STAR_POINTS_PER_PART * sum(star.values()),
            "specificity": min(100, SPECIFICS_POINTS[min(len(specifics), 4)] + (OUTCOME_BONUS if outcome else 0)),
            "keywords": round(100 * len(covered) / len(expected)) if expected else None,
            "fluency": max(0, round(100 - FLUENCY_PENALTY_PER_FILLER_RATE * filler_rate)),
            "length": _length_score(len(words), LENGTH_RANGE[kind]),
        }
    evaluation = {
        "question_id": question.get("id"),
        "kind": kind,
        "word_count": len(words),
        "score": weighted(scores, ANSWER_WEIGHTS[kind]),
        "scores": scores,
        "star": star,
        "specifics": specifics,
        "keywords_covered": covered,
        "keywords_missed": [k for k in expected if k not in covered],
        "filler_words": fillers,
    }
    evaluation["feedback"] = _answer_feedback(evaluation, outcome, bool(WE_ACTION.search(text)))
    return evaluation


def _length_score(words: int, ideal: tuple[int, int]) -> int:
    low, high = ideal
    if words < low:
        return round(100 * words / low)
    if words > high:
        return max(LENGTH_FLOOR, round(100 - LENGTH_OVER_PENALTY * (words - high) / high))
    return 100


def weighted(scores: Mapping[str, int | float | None], weights: Mapping[str, float]) -> int:
    """Weighted mean over the scores that apply (None = not applicable), as an int 0–100."""
    present = [(value, weight) for name, weight in weights.items() if (value := scores.get(name)) is not None]
    total = sum(weight for _, weight in present)
    if not total:
        return 0
    return max(0, min(100, round(sum(value * weight for value, weight in present) / total)))


STAR_ADVICE = {
    "situation": "Open with the situation: where you were, who was involved and what was at stake.",
    "task": "Say what your own task or goal was, so the interviewer knows what success meant.",
    "action": "Describe the steps you took yourself, starting sentences with “I …”.",
    "result": "Finish with the result: what changed, ideally with a number, and what you learned.",
}


def _answer_feedback(evaluation: dict[str, Any], outcome: bool, we_actions: bool) -> list[str]:
    words, star = evaluation["word_count"], evaluation["star"]
    if not words:
        return ["No answer was given. Even a short answer with one real example scores better than skipping."]
    feedback: list[str] = []
    missing = [part for part in STAR_PARTS if not star[part]]
    if not missing:
        feedback.append("Clear STAR structure: situation, task, action and result are all there.")
    elif evaluation["kind"] == "behavioural" or len(missing) >= 3:
        feedback += [STAR_ADVICE[part] for part in missing]
    if not star["action"] and we_actions:
        feedback.append("You describe what “we” did; make your own contribution explicit with “I”.")
    specifics = evaluation["specifics"]
    if len(specifics) >= 2:
        feedback.append(f"Good use of concrete detail ({', '.join(specifics[:4])}).")
    elif specifics:
        feedback.append(f"One concrete detail ({specifics[0]}); add another, such as the size of the result.")
    elif outcome:
        feedback.append("You name an outcome but no figure; quantify it (time saved, % change, users, money).")
    else:
        feedback.append("Add specifics: numbers, timeframes, team size and a measurable outcome.")
    missed = evaluation["keywords_missed"][:4]
    if missed:
        feedback.append(
            f"Mention {join_words(missed)} if you have used {'it' if len(missed) == 1 else 'them'}; the interviewer "
            "listens for these terms."
        )
    elif evaluation["keywords_covered"]:
        feedback.append(f"You covered the key terms ({join_words(evaluation['keywords_covered'][:4])}).")
    if evaluation["filler_words"]:
        listed = ", ".join(f"“{w}” ×{n}" for w, n in sorted(evaluation["filler_words"].items(), key=by_count))
        feedback.append(f"Cut filler words ({listed}); a short pause sounds more confident.")
    low, high = LENGTH_RANGE[evaluation["kind"]]
    if words < low:
        feedback.append(f"Too short ({words} words); aim for {low}–{high} words so there is room for detail.")
    elif words > high:
        feedback.append(f"Too long ({words} words); aim for under {high} words and lead with the result.")
    return feedback

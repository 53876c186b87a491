"""A whole interview's scores (technical, communication, job_match, overall) with strengths, weaknesses and
recommendations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from core.engine.practice.answers import STAR_ADVICE, evaluate_answer, weighted
from core.engine.practice.text import by_count, join_words, unique
from core.engine.practice.tuning import (
    AXIS_WEIGHTS,
    FILLERS_WEAK_BELOW,
    FLUENT_AT,
    FLUENT_NEEDS_LENGTH,
    LENGTH_RANGE,
    STAR_PARTS,
    STRENGTH_AT,
    SUB_SCORES,
    WEAKNESS_BELOW,
)


def score_interview(questions: Sequence[Mapping[str, Any]], evaluations: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Technical, communication, job_match and overall (0–100) with strengths, weaknesses and
    recommendations. Evaluations match questions by question_id; an unanswered question counts as 0."""
    by_id = {e.get("question_id"): e for e in evaluations}
    rows = [by_id.get(q.get("id")) or evaluate_answer(q, "") for q in questions]
    answered = [r for r in rows if r["word_count"]]

    def mean(name: str, subset: Sequence[Mapping[str, Any]]) -> float | None:
        values = [r["scores"][name] for r in subset if r["scores"].get(name) is not None]
        return sum(values) / len(values) if values else None

    technical_rows = [r for r in rows if r["kind"] == "technical"] or rows
    expected = unique(k for q in questions for k in (str(x).lower() for x in q.get("keywords") or []))
    covered = {k for r in rows for k in r["keywords_covered"]}
    coverage = 100 * len([k for k in expected if k in covered]) / len(expected) if expected else None
    role_rows = [r for r in rows if r["kind"] == "role"]
    role_answers = sum(r["score"] for r in role_rows) / len(role_rows) if role_rows else None

    axes = {
        "technical": round(sum(r["score"] for r in technical_rows) / len(technical_rows)) if technical_rows else 0,
        "communication": weighted({n: mean(n, rows) for n in SUB_SCORES}, AXIS_WEIGHTS["communication"]),
        "job_match": weighted({"coverage": coverage, "role_answers": role_answers}, AXIS_WEIGHTS["job_match"]),
    }
    if not rows:
        axes = dict.fromkeys(axes, 0)
    axes["overall"] = weighted(axes, AXIS_WEIGHTS["overall"])
    signals = {
        "star": mean("star", rows),
        "specificity": mean("specificity", rows),
        "fluency": mean("fluency", answered),
        "length": mean("length", rows),
        "coverage": coverage,
    }
    strengths, weaknesses, recommendations = _summary(axes, signals, rows, expected, covered, len(answered))
    return {
        **axes,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "recommendations": recommendations,
        "questions_total": len(rows),
        "questions_answered": len(answered),
    }


def _summary(
    axes: Mapping[str, int],
    signals: Mapping[str, float | None],
    rows: Sequence[Mapping[str, Any]],
    expected: Sequence[str],
    covered: set[str],
    answered: int,
) -> tuple[list[str], list[str], list[str]]:
    strengths: list[str] = []
    weaknesses: list[str] = []
    recommendations: list[str] = []

    def level(name: str) -> float:
        value = signals.get(name)
        return -1 if value is None else value

    if answered < len(rows):
        weaknesses.append(f"{len(rows) - answered} of {len(rows)} questions were not answered.")
        recommendations.append("Answer every question, even briefly: a skipped question scores zero.")
    if not answered:
        return strengths, weaknesses, recommendations

    star_parts = Counter(part for r in rows if r["word_count"] for part in STAR_PARTS if not r["star"][part])
    if level("star") >= STRENGTH_AT:
        strengths.append("Your answers are well structured: situation, task, action and result come through.")
    elif level("star") < WEAKNESS_BELOW:
        part = min(star_parts, key=lambda p: (-star_parts[p], STAR_PARTS.index(p))) if star_parts else "result"
        weaknesses.append(f"Answers often lack a clear STAR structure; the {part} is missing most often.")
        recommendations.append(
            "Prepare 4–5 stories in STAR form (situation, task, action, result) and practise telling each in "
            "under two minutes. " + STAR_ADVICE[part]
        )
    if level("specificity") >= STRENGTH_AT:
        strengths.append("You back up your claims with numbers and concrete outcomes.")
    elif level("specificity") < WEAKNESS_BELOW:
        weaknesses.append("Answers are vague: few numbers, timeframes or measurable outcomes.")
        recommendations.append(
            "For each story, write down one figure (time saved, % improvement, users, money) and say it."
        )
    missed = [k for k in expected if k not in covered]
    if expected and level("coverage") >= STRENGTH_AT:
        strengths.append(f"You speak the job's language: you covered {join_words(sorted(covered)[:5])}.")
    elif expected and missed and level("coverage") < WEAKNESS_BELOW:
        weaknesses.append(f"Key job terms were rarely mentioned ({join_words(missed[:5])}).")
        recommendations.append(
            f"Link your examples to the job: mention {join_words(missed[:5])} where you have real experience with them."
        )
    if level("fluency") >= FLUENT_AT and level("length") >= FLUENT_NEEDS_LENGTH:
        strengths.append("You speak cleanly, with very few filler words.")
    elif 0 <= level("fluency") < FILLERS_WEAK_BELOW:
        fillers: Counter[str] = Counter()
        for r in rows:
            fillers.update(r["filler_words"])
        top = [w for w, _ in sorted(fillers.items(), key=by_count)[:3]]
        weaknesses.append(f"Frequent filler words ({join_words([f'“{w}”' for w in top])}).")
        recommendations.append("Record yourself answering and replace filler words with a short pause.")
    lengths = [r for r in rows if r["word_count"]]
    short = [r for r in lengths if r["word_count"] < LENGTH_RANGE[r["kind"]][0]]
    long = [r for r in lengths if r["word_count"] > LENGTH_RANGE[r["kind"]][1]]
    if len(short) * 2 > len(lengths):
        weaknesses.append("Most answers are too short to show what you did and what it achieved.")
        recommendations.append("Aim for 1–2 minutes per answer (roughly 100–250 words).")
    elif len(long) * 2 > len(lengths):
        weaknesses.append("Answers run long; the key point gets lost.")
        recommendations.append("Lead with the result, then give the two or three steps that mattered most.")
    gaps = [r for r in rows if r["kind"] == "technical" and r["score"] < WEAKNESS_BELOW]
    if gaps:
        skills = [s for s in (_skill_of(r) for r in gaps) if s]
        if skills:
            recommendations.append(f"Revise {join_words(skills[:3])} and prepare one concrete example for each.")
    if axes["technical"] >= STRENGTH_AT:
        strengths.append("Strong technical answers with relevant detail.")
    if not recommendations:
        weakest = min(("technical", "communication", "job_match"), key=lambda a: (axes[a], a))
        recommendations.append(
            {
                "technical": "Deepen technical answers with the trade-offs you considered and how you verified them.",
                "communication": "Tighten your delivery: one clear story per answer, ending on the result.",
                "job_match": "Tie each answer back to what this job needs and why you fit it.",
            }[weakest]
        )
    return strengths, weaknesses, recommendations


def _skill_of(row: Mapping[str, Any]) -> str | None:
    words = [*row["keywords_missed"], *row["keywords_covered"]]
    return words[0] if words else None

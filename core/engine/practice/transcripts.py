"""Scoring a video interview from its transcript: interviewer turns are questions, the candidate's turns after
each its answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.engine.practice.answers import evaluate_answer
from core.engine.practice.cues import BEHAVIOURAL_CUE, SMALL_TALK, WORD
from core.engine.practice.scoring import score_interview
from core.engine.practice.text import mentions, normalise, unique
from core.engine.practice.tuning import (
    CONTENT_WORD_MIN_CHARS,
    MATCH_PLANNED_AT,
    MAX_ROLE_KEYWORDS,
    SMALL_TALK_MAX_WORDS,
)


def score_transcript(
    transcript: Sequence[Mapping[str, Any]],
    questions_or_context: Sequence[Mapping[str, Any]] | Mapping[str, Any],
) -> dict[str, Any]:
    """Score a video interview: each interviewer turn is a question, the candidate turns after it its answer.

    `questions_or_context` is either the generated questions (their kinds and keywords are reused when the
    interviewer asked something close to them) or a job context {"required_skills", "keywords"}. Small talk
    ("Yes, I'm ready") is not scored.
    """
    if isinstance(questions_or_context, Mapping):
        planned: list[Mapping[str, Any]] = []
        terms = unique(
            str(t).lower()
            for t in [
                *(questions_or_context.get("required_skills") or []),
                *(questions_or_context.get("keywords") or []),
            ]
        )
    else:
        planned = list(questions_or_context)
        terms = unique(str(k).lower() for q in planned for k in q.get("keywords") or [])
    skills = {str(q.get("skill")).lower() for q in planned if q.get("skill")}
    if isinstance(questions_or_context, Mapping):
        skills |= {str(s).lower() for s in questions_or_context.get("required_skills") or []}

    questions: list[dict[str, Any]] = []
    evaluations: list[dict[str, Any]] = []
    for asked, answer in _exchanges(transcript):
        if _is_small_talk(answer):
            continue
        question = _classify(asked, planned, terms, skills, f"t{len(questions) + 1}")
        questions.append(question)
        evaluations.append(evaluate_answer(question, answer))
    return score_interview(questions, evaluations)


def _exchanges(transcript: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(interviewer text, candidate text) pairs; consecutive turns of one speaker are joined."""
    pairs: list[tuple[str, str]] = []
    asked, answer = "", []
    for turn in transcript:
        role, content = turn.get("role"), str(turn.get("content") or "").strip()
        if role == "user":
            answer.append(content)
        elif role == "assistant":
            if answer:
                pairs.append((asked, " ".join(answer)))
                asked, answer = "", []
            asked = f"{asked} {content}".strip()
    if answer:
        pairs.append((asked, " ".join(answer)))
    return pairs


def _is_small_talk(answer: str) -> bool:
    words = WORD.findall(normalise(answer))
    return len(words) < SMALL_TALK_MAX_WORDS and all(SMALL_TALK.fullmatch(w.strip(".,!?")) for w in words)


def _content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(normalise(text)) if len(w) >= CONTENT_WORD_MIN_CHARS}


def _classify(
    asked: str, planned: Sequence[Mapping[str, Any]], terms: list[str], skills: set[str], qid: str
) -> dict[str, Any]:
    """Reuse the planned question the interviewer was paraphrasing (at least half of the shorter one's
    content words shared); otherwise infer the kind from cues and expect the job terms it touches."""
    asked_words = _content_words(asked)
    best, best_overlap = None, 0.0
    for candidate in planned:
        words = _content_words(candidate.get("text", ""))
        overlap = len(asked_words & words) / min(len(asked_words), len(words)) if asked_words and words else 0.0
        if overlap > best_overlap:
            best, best_overlap = candidate, overlap
    if best is not None and best_overlap >= MATCH_PLANNED_AT:
        return {**best, "id": qid, "text": asked}
    mentioned = mentions(asked, terms)
    skill = next((t for t in mentioned if t in skills), None)
    if BEHAVIOURAL_CUE.search(normalise(asked)):
        kind, expected = "behavioural", mentioned or terms[:2]
    elif skill:
        kind, expected = "technical", mentioned
    else:
        kind, expected = "role", mentioned or terms[:MAX_ROLE_KEYWORDS]
    return {
        "id": qid,
        "text": asked,
        "kind": kind,
        "skill": skill if kind == "technical" else None,
        "keywords": expected,
    }

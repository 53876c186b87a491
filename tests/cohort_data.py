"""Insert analyses, interviews and flashcards directly, so cohort tests choose the scores instead of the engines.

The stored JSON keeps the real shape (the interview's answers and result are the practice engine's own), so the
shared report and interview views can render these rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.access import Actor
from core.context import AppContext
from core.db import utcnow
from core.engine.practice import evaluate_answer, score_interview
from core.models import Analysis, Flashcard, Interview, InterviewResult, User


def report(score: int, missing: list[str]) -> dict:
    """A stored report in the DESIGN.md shape (what the analysis engine writes), with the given gaps."""
    return {
        "analysis": {
            "matching_skills": ["python"],
            "missing_skills": missing,
            "matching_keywords": ["dashboards"],
            "missing_keywords": ["stakeholders"],
            "experience_match": {"required_years": 2, "candidate_years": 1.5, "match_percentage": 75},
            "education_match": {"required": "bachelor", "candidate": "bachelor", "match": True},
            "role_compatibility": {"score": score, "reasoning": "Solid basics; some required skills missing."},
        },
        "insights": {
            "strengths": ["Clear layout"],
            "improvements": ["Add metrics"],
            "recommendations": {
                "high_priority": ["Learn " + m for m in missing],
                "medium_priority": [],
                "low_priority": [],
            },
        },
        "flashcards": [{"front": "What is a JOIN?", "back": "Combines rows of two tables."}],
        "ats_score": {
            "overall_score": score,
            "breakdown": {
                "keyword_density": score,
                "skills_match": score // 2,
                "experience_relevance": 80,
                "education_match": 100,
                "format_optimization": 90,
            },
        },
        "resume_preview": "Jane Doe, data analyst",
    }


def add_analysis(
    ctx: AppContext,
    user: Actor | int,
    score: int,
    missing: list[str] = (),
    *,
    at: datetime | None = None,
    job_title: str = "Data Analyst",
) -> int:
    user_id = user if isinstance(user, int) else user.id
    with ctx.db.session() as s:
        row = Analysis(
            user_id=user_id,
            job_title=job_title,
            cv_filename="cv.pdf",
            overall_score=score,
            keyword_density=score,
            skills_match=score // 2,
            experience_relevance=80,
            education_match=100,
            format_optimization=90,
            report=report(score, list(missing)),
            created_at=at or utcnow(),
        )
        s.add(row)
        s.flush()
        return row.id


QUESTION = {"id": "q1", "text": "Tell me about a project.", "kind": "behavioural", "skill": None, "keywords": []}
ANSWER = "I built a dashboard in SQL that cut reporting time by 30%."


def add_interview(ctx: AppContext, user: Actor, overall: int, *, at: datetime | None = None) -> int:
    """A completed practice interview in the stored shape; its four score columns are all `overall`."""
    evaluation = evaluate_answer(QUESTION, ANSWER)
    with ctx.db.session() as s:
        interview = Interview(
            user_id=user.id,
            mode="practice",
            status="completed",
            job_title="Data Analyst",
            questions=[QUESTION],
            answers=[{"question_id": QUESTION["id"], "text": ANSWER, "skipped": False, "audio": None,
                      "evaluation": evaluation, "coach": {"feedback": "Add the result.", "tips": []}}],
            created_at=at or utcnow(),
            completed_at=at or utcnow(),
        )  # fmt: skip
        s.add(interview)
        s.flush()
        s.add(
            InterviewResult(
                interview_id=interview.id,
                user_id=user.id,
                technical=overall,
                communication=overall,
                job_match=overall,
                overall=overall,
                result=score_interview([QUESTION], [evaluation]),
                created_at=at or utcnow(),
            )
        )
        return interview.id


def add_cards(ctx: AppContext, user: Actor, due: int, later: int = 0) -> None:
    now = utcnow()
    with ctx.db.session() as s:
        for n in range(due + later):
            s.add(
                Flashcard(
                    user_id=user.id,
                    front=f"card {n}",
                    back="answer",
                    due=now - timedelta(hours=1) if n < due else now + timedelta(days=3),
                )
            )


def set_last_active(ctx: AppContext, user: Actor, at: datetime | None) -> None:
    with ctx.db.session() as s:
        s.get(User, user.id).last_active_at = at

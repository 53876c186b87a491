"""A few weeks of plausible history for each demo student, made by the real engine.

Each student targets a catalogue job and uploads two or three CV versions that add the job's missing skills,
so scores rise across real analyses; they review the report's flashcards on several days (FSRS) and about
half take a practice interview. Every fifth student stalls: one weak analysis three weeks ago and nothing
since, so the cohort dashboard has someone who needs help. Students who already have analyses are skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from core.access import Actor
from core.context import AppContext
from core.db import utcnow
from core.engine import catalogue, practice
from core.engine.catalogue import CatalogueJob
from core.engine.matching import analyze
from core.engine.report import BREAKDOWN, Meta, Report
from core.models import Analysis, Interview, InterviewResult, User
from core.student import cvs, deck, interviews
from core.student.deck import Grade

TRACKS = {
    "CS2027": ["backend_python_bengaluru", "frontend_react_remote", "fullstack_intern_remote",
               "java_developer_chennai", "devops_pune"],
    "BA2027": ["data_analyst_mumbai", "business_analyst_gurugram", "data_scientist_hyderabad",
               "digital_marketing_delhi", "product_manager_bengaluru"],
}
CITIES = ["Pune, MH", "Bengaluru, KA", "Hyderabad, TS", "Chennai, TN", "Mumbai, MH", "Delhi, DL"]
STRONG_ANSWER = (
    "In my internship our weekly report took two days to build. My task was to automate it. I wrote a Python "
    "and SQL pipeline, tested it with the analysts, and documented it. As a result the report now runs in "
    "15 minutes and the team saved about 10 hours a week, which my manager shared with two other teams."
)
WEAK_ANSWER = "Um, I basically worked on some stuff with the team and it was, like, good I think."


def seed_history(ctx: AppContext, students: list[tuple[Actor, str]], now: datetime | None = None) -> int:
    """Give each (student, invite code) a history; returns how many students got one."""
    now = now or utcnow()
    seeded = 0
    for index, (student, code) in enumerate(students):
        with ctx.db.session() as session:
            if session.scalar(select(func.count(Analysis.id)).where(Analysis.user_id == student.id)):
                continue
        job = catalogue.get(TRACKS[code][index % len(TRACKS[code])])
        if job is None:
            continue
        _student_history(ctx, student, index, job, now)
        seeded += 1
    return seeded


def _student_history(ctx: AppContext, student: Actor, index: int, job: CatalogueJob, now: datetime) -> None:
    stalled = index % 5 == 4
    versions = 1 if stalled else 2 + index % 2
    start = now - timedelta(days=21 + index % 4)
    required = list(job.required_skills)
    known = max(1, len(required) * (1 + index % 3) // 6)
    analysis_ids: list[int] = []
    cards: list[dict[str, Any]] = []
    for version in range(versions):
        skills = required[: min(len(required), known + version * max(1, len(required) // 4))]
        text = _cv_text(student, index, skills, version)
        record = cvs.upload_cv(ctx, student, f"cv-v{version + 1}.txt", text.encode())
        when = start + timedelta(days=8 * version, hours=index)
        analysis_id, report = _store_analysis(ctx, student, record, job, when)
        analysis_ids.append(analysis_id)
        cards = [card.model_dump() for card in report.flashcards]
    last_active = start if stalled else now - timedelta(days=index % 3)
    with ctx.db.session() as session:
        session.execute(update(User).where(User.id == student.id).values(last_active_at=last_active))
        deck.add_generated(session, student.id, cards, analysis_id=analysis_ids[-1], job_title=job.title, now=start)
    if not stalled:
        _review_days(ctx, student, start, now)
    if index % 2 == 0 and not stalled:
        _practice_interview(ctx, student, job, record, strong=index % 4 == 0, when=now - timedelta(days=2))


def _cv_text(student: Actor, index: int, skills: list[str], version: int) -> str:
    bullets = [
        "Built a reporting dashboard used by 40 colleagues; cut weekly reporting time by 60%.",
        "Automated data checks in Python, catching 200+ errors a month before release.",
    ]
    if version:
        project = ", ".join(skills[-3:])
        bullets.append(f"Delivered a capstone project with {project}; presented it to 3 hiring managers.")
    return "\n".join([
        student.name,
        f"{student.email} | +1 (555) 01{index:02d}-{1000 + index} | {CITIES[index % len(CITIES)]}",
        "",
        "SUMMARY",
        "Final-year student preparing for my first full-time role, with internship experience.",
        "",
        "EXPERIENCE",
        f"Intern | Demo Analytics Pvt Ltd | Jun 202{4 + index % 2} - Aug 2025",
        *[f"- {b}" for b in bullets],
        "",
        "EDUCATION",
        "B.Tech in Computer Science, Demo Institute of Technology, expected 2027",
        "",
        "SKILLS",
        ", ".join([*skills, "communication", "teamwork"]),
    ])


def _store_analysis(
    ctx: AppContext, student: Actor, cv: cvs.CVRecord, job: CatalogueJob, when: datetime
) -> tuple[int, Report]:
    report = analyze(cv.parsed, cv.text, job.text)
    report.meta = Meta(sources={"insights": "local", "flashcards": "local"}, cv_filename=cv.filename,
                       job_title=job.title, job_source="catalogue")  # fmt: skip
    with ctx.db.session() as session:
        row = Analysis(
            user_id=student.id, cv_id=cv.id, cv_filename=cv.filename, job_title=job.title,
            overall_score=report.ats_score.overall_score, report=report.to_json(), provider="local",
            credits_charged=0, created_at=when, **report.ats_score.breakdown.model_dump(include=set(BREAKDOWN)),
        )
        session.add(row)
        session.flush()
        return row.id, report


def _review_days(ctx: AppContext, student: Actor, start: datetime, now: datetime) -> None:
    """Review what is due every other day since the first analysis; most answers recalled."""
    day = start + timedelta(days=1)
    turn = 0
    while day < now:
        for card in deck.due_cards(ctx, student, now=day, limit=6):
            deck.review(ctx, student, card.id, Grade.AGAIN if turn % 5 == 0 else Grade.GOOD, now=day)
            turn += 1
        day += timedelta(days=2)


def _practice_interview(
    ctx: AppContext, student: Actor, job: CatalogueJob, cv: cvs.CVRecord, *, strong: bool, when: datetime
) -> None:
    questions = practice.generate_questions(cv.parsed, job.title, job.required_skills, [])
    text = STRONG_ANSWER if strong else WEAK_ANSWER
    answers = [interviews.answer_entry(ctx, q, text, answered_at=when) for q in questions]
    result: dict[str, Any] = practice.score_interview(questions, [a["evaluation"] for a in answers])
    with ctx.db.session() as session:
        interview = Interview(
            user_id=student.id, mode="practice", status="completed", cv_id=cv.id, cv_filename=cv.filename,
            job_title=job.title, questions=questions, answers=answers,
            created_at=when, updated_at=when, completed_at=when + timedelta(minutes=25),
        )
        session.add(interview)
        session.flush()
        session.add(InterviewResult(
            interview_id=interview.id, user_id=student.id, technical=result["technical"],
            communication=result["communication"], job_match=result["job_match"], overall=result["overall"],
            result=result, created_at=when,
        ))

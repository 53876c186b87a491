"""A student's flashcard deck: cards from reports and their own, edits, and FSRS review scheduling.

Card wording comes from core.flashcards (generation); this module stores and schedules. Scheduling is the
`fsrs` library's, with fuzzing off so a rating always gives the same next due date (explainable, testable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any, cast

from fsrs import Card, Rating, Scheduler
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from core.access import Actor, Role, require_role, require_student_access, view_session
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.models import Flashcard, Review

if TYPE_CHECKING:
    from fsrs.card import CardDict

SCHEDULER = Scheduler(enable_fuzzing=False)
FRONT_MAX, BACK_MAX = 1000, 5000


class Grade(IntEnum):
    """The four answers a student gives after revealing a card (FSRS ratings)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class CardView:
    id: int
    front: str
    back: str
    skill: str | None
    job_title: str | None
    suspended: bool
    due: datetime
    reviews: int


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def add_generated(
    session: Session,
    user_id: int,
    cards: list[dict[str, Any]],
    *,
    analysis_id: int | None = None,
    job_id: int | None = None,
    job_title: str | None = None,
    now: datetime | None = None,
) -> int:
    """Add a report's cards to the deck, skipping fronts the student already has. Returns how many were added.

    `now` back-dates the cards (demo history); new cards are due at once.
    """
    existing = set(session.scalars(select(Flashcard.front).where(Flashcard.user_id == user_id)))
    added = 0
    for card in cards:
        front, back = _normalise(card["front"])[:FRONT_MAX], card["back"].strip()[:BACK_MAX]
        if not front or front in existing:
            continue
        existing.add(front)
        session.add(_new_card(user_id, front, back, card.get("skill"), analysis_id, job_id, job_title, now))
        added += 1
    return added


def _new_card(
    user_id: int, front: str, back: str, skill: str | None,
    analysis_id: int | None = None, job_id: int | None = None, job_title: str | None = None,
    now: datetime | None = None,
) -> Flashcard:
    card = Card(due=_aware(now or utcnow()))
    return Flashcard(
        user_id=user_id, front=front, back=back, skill=skill, analysis_id=analysis_id, job_id=job_id,
        job_title=job_title, fsrs_card=card.to_dict(), due=_naive(card.due),
    )


def _check_text(front: str, back: str) -> tuple[str, str]:
    front, back = _normalise(front), back.strip()
    if not front or not back:
        raise AppError(ErrorCode.INVALID_INPUT, "A card needs both a question and an answer.")
    if len(front) > FRONT_MAX or len(back) > BACK_MAX:
        raise AppError(ErrorCode.INVALID_INPUT, "That card is too long; keep the question under 1,000 characters.")
    return front, back


def _own_card(session: Session, actor: Actor, card_id: int) -> Flashcard:
    card = session.get(Flashcard, card_id)
    if card is None or card.user_id != actor.id:
        raise AppError(ErrorCode.NOT_FOUND, "That card does not exist.")
    return card


def _duplicate(session: Session, actor: Actor, front: str, other_than: int | None = None) -> bool:
    query = select(Flashcard.id).where(Flashcard.user_id == actor.id, Flashcard.front == front)
    if other_than is not None:
        query = query.where(Flashcard.id != other_than)
    return session.scalar(query) is not None


def create_card(ctx: AppContext, actor: Actor, front: str, back: str, skill: str | None = None) -> int:
    require_role(actor, Role.STUDENT)
    front, back = _check_text(front, back)
    with ctx.db.session() as session:
        if _duplicate(session, actor, front):
            raise AppError(ErrorCode.INVALID_INPUT, "You already have a card with this question.")
        card = _new_card(actor.id, front, back, (skill or "").strip().lower() or None)
        session.add(card)
        session.flush()
        return card.id


def update_card(ctx: AppContext, actor: Actor, card_id: int, front: str, back: str, skill: str | None) -> None:
    front, back = _check_text(front, back)
    with ctx.db.session() as session:
        card = _own_card(session, actor, card_id)
        if _duplicate(session, actor, front, other_than=card_id):
            raise AppError(ErrorCode.INVALID_INPUT, "You already have a card with this question.")
        card.front, card.back, card.skill = front, back, (skill or "").strip().lower() or None


def set_suspended(ctx: AppContext, actor: Actor, card_id: int, suspended: bool) -> None:
    with ctx.db.session() as session:
        _own_card(session, actor, card_id).suspended = suspended


def delete_card(ctx: AppContext, actor: Actor, card_id: int) -> None:
    with ctx.db.session() as session:
        session.delete(_own_card(session, actor, card_id))


def _filtered(actor: Actor, job_title: str | None, skill: str | None) -> Select[Flashcard]:
    query = select(Flashcard).where(Flashcard.user_id == actor.id)
    if job_title:
        query = query.where(Flashcard.job_title == job_title)
    if skill:
        query = query.where(Flashcard.skill == skill)
    return query


def _view(card: Flashcard, reviews: int = 0) -> CardView:
    return CardView(card.id, card.front, card.back, card.skill, card.job_title, card.suspended, card.due, reviews)


def list_cards(ctx: AppContext, actor: Actor, job_title: str | None = None, skill: str | None = None) -> list[CardView]:
    counts = (
        select(Review.flashcard_id, func.count(Review.id).label("n"))
        .where(Review.user_id == actor.id)
        .group_by(Review.flashcard_id)
        .subquery()
    )
    query = (
        _filtered(actor, job_title, skill)
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.flashcard_id == Flashcard.id)
        .order_by(Flashcard.due, Flashcard.id)
    )
    with ctx.db.read() as session:
        return [_view(card, reviews) for card, reviews in session.execute(query)]


def due_cards(
    ctx: AppContext, actor: Actor, job_title: str | None = None, skill: str | None = None,
    now: datetime | None = None, limit: int = 100,
) -> list[CardView]:
    """Cards to review now: every due card already studied, then new ones up to today's allowance (oldest due
    first in each group)."""
    moment = now or utcnow()
    due = _filtered(actor, job_title, skill).where(Flashcard.suspended.is_(False), Flashcard.due <= moment)
    studied = Flashcard.id.in_(select(Review.flashcard_id).where(Review.user_id == actor.id))
    with ctx.db.read() as session:
        allowance = min(limit, _new_allowance(ctx, session.scalar(_introduced_today(actor, moment)) or 0))
        seen = session.scalars(due.where(studied).order_by(Flashcard.due, Flashcard.id).limit(limit)).all()
        fresh = session.scalars(due.where(~studied).order_by(Flashcard.due, Flashcard.id).limit(allowance)).all()
        return [_view(card) for card in [*seen, *fresh][:limit]]


def _introduced_today(actor: Actor, now: datetime) -> Select[int]:
    """How many never-reviewed cards were first reviewed today (UTC day), as one count query."""
    first_reviews = (
        select(Review.flashcard_id)
        .where(Review.user_id == actor.id)
        .group_by(Review.flashcard_id)
        .having(func.min(Review.reviewed_at) >= datetime.combine(now.date(), time.min))
        .subquery()
    )
    return select(func.count()).select_from(first_reviews)


def _new_allowance(ctx: AppContext, introduced: int) -> int:
    """How many never-reviewed cards may still enter today: the daily limit less those first reviewed today."""
    return max(0, ctx.settings.flashcards_new_per_day - introduced)


def due_count(ctx: AppContext, actor: Actor, now: datetime | None = None) -> int:
    """What the Review tab will offer now (the same rule as `due_cards`, without loading the cards), in one
    query: the sidebar shows it on every run."""
    moment = now or utcnow()
    studied = Flashcard.id.in_(select(Review.flashcard_id).where(Review.user_id == actor.id))
    counts = select(
        func.count(Flashcard.id).filter(studied),
        func.count(Flashcard.id).filter(~studied),
        _introduced_today(actor, moment).scalar_subquery(),
    ).where(Flashcard.user_id == actor.id, Flashcard.suspended.is_(False), Flashcard.due <= moment)
    with ctx.db.read() as session:
        seen, fresh, introduced = session.execute(counts).one()
        return seen + min(fresh, _new_allowance(ctx, introduced))


def filters(ctx: AppContext, actor: Actor) -> tuple[list[str], list[str]]:
    """The job titles and skills the student's cards are tagged with, for the filter boxes."""
    with ctx.db.read() as session:
        jobs = session.scalars(
            select(Flashcard.job_title).where(Flashcard.user_id == actor.id, Flashcard.job_title.is_not(None))
            .distinct().order_by(Flashcard.job_title)
        ).all()
        skills = session.scalars(
            select(Flashcard.skill).where(Flashcard.user_id == actor.id, Flashcard.skill.is_not(None))
            .distinct().order_by(Flashcard.skill)
        ).all()
    return [job for job in jobs if job is not None], [skill for skill in skills if skill is not None]


def review(ctx: AppContext, actor: Actor, card_id: int, grade: Grade, now: datetime | None = None) -> datetime:
    """Record a review; FSRS decides the next due date, which is returned (naive UTC). The card's state before
    the review is kept with it, so the grade can be undone."""
    moment = _aware(now or utcnow())
    with ctx.db.session() as session:
        card = _own_card(session, actor, card_id)
        if card.suspended:
            raise AppError(ErrorCode.INVALID_INPUT, "This card is suspended; unsuspend it to review it.")
        scheduled, log = SCHEDULER.review_card(_fsrs_card(card), Rating(int(grade)), moment)
        before = {"card": card.fsrs_card, "due": card.due.isoformat()}
        card.fsrs_card, card.due = dict(scheduled.to_dict()), _naive(scheduled.due)
        session.add(Review(user_id=actor.id, flashcard_id=card.id, rating=int(grade), reviewed_at=_naive(moment),
                           review_log={**log.to_dict(), "before": before}))  # fmt: skip
        return card.due


def _fsrs_card(card: Flashcard) -> Card:
    # The column holds what Card.to_dict wrote (a CardDict), stored as plain JSON.
    return Card.from_dict(cast("CardDict", card.fsrs_card))


def next_intervals(ctx: AppContext, actor: Actor, card_id: int, now: datetime | None = None) -> dict[Grade, timedelta]:
    """How long until the card comes back after each grade, as FSRS would schedule it now (nothing is saved)."""
    moment = _aware(now or utcnow())
    with ctx.db.read() as session:
        state = _fsrs_card(_own_card(session, actor, card_id))
    return {grade: SCHEDULER.review_card(state, Rating(int(grade)), moment)[0].due - moment for grade in Grade}


def undo_last_review(ctx: AppContext, actor: Actor) -> int:
    """Take back the student's most recent grade (as Anki's undo does): the card is scheduled as it was before
    and the review is forgotten. Returns the card's id."""
    with ctx.db.session() as session:
        last = session.scalars(
            select(Review).where(Review.user_id == actor.id).order_by(Review.id.desc()).limit(1)
        ).first()
        before = (last.review_log or {}).get("before") if last else None
        if last is None or before is None:
            raise AppError(ErrorCode.NOT_FOUND, "There is no grade to undo.")
        card = _own_card(session, actor, last.flashcard_id)
        card.fsrs_card, card.due = before["card"], datetime.fromisoformat(before["due"])
        session.delete(last)
        return card.id


@dataclass(frozen=True)
class ReviewDay:
    day: date
    reviews: int
    recalled: int  # reviews not rated "Again"

    @property
    def retention(self) -> float:
        return self.recalled / self.reviews if self.reviews else 0.0


def review_days(ctx: AppContext, actor: Actor, student_id: int, days: int = 60) -> list[ReviewDay]:
    """Reviews per day and how many were recalled, aggregated in SQL (a student may have thousands)."""
    day = func.date(Review.reviewed_at)
    query = (
        select(day, func.count(Review.id), func.sum(case((Review.rating > int(Grade.AGAIN), 1), else_=0)))
        .where(Review.user_id == student_id, Review.reviewed_at >= utcnow() - timedelta(days=days))
        .group_by(day)
        .order_by(day)
    )
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="reviews")
        return [ReviewDay(_as_date(d), int(n), int(recalled or 0)) for d, n, recalled in session.execute(query)]


def _as_date(value: date | str) -> date:
    """SQLite's date() gives text, PostgreSQL's a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)

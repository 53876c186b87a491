"""The flashcard deck on SQLite and PostgreSQL: dedupe, edits, FSRS scheduling, ownership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from core.access import Role
from core.errors import AppError, ErrorCode
from core.student import deck
from core.student.deck import Grade

NOW = datetime(2026, 11, 23, 9, 0)
CARDS = [
    {"front": "Tell me about  a time you scaled a service.", "back": "STAR: ...", "skill": "kubernetes"},
    {"front": "How would you learn Terraform?", "back": "Plan: ...", "skill": "terraform"},
]


def seed_cards(ctx, student, job_title="Backend Engineer") -> list[int]:
    with ctx.db.session() as s:
        added = deck.add_generated(s, student.id, CARDS, job_title=job_title)
    assert added == 2
    return [c.id for c in deck.list_cards(ctx, student)]


def test_generated_cards_are_deduplicated_by_front(ctx, make_user):
    student = make_user()
    seed_cards(ctx, student)
    with ctx.db.session() as s:
        again = [{"front": "Tell me about a time you scaled a service.", "back": "other"}, *CARDS]
        assert deck.add_generated(s, student.id, again, job_title="Another job") == 0
    assert len(deck.list_cards(ctx, student)) == 2
    with pytest.raises(AppError, match="already have a card"):
        deck.create_card(ctx, student, "How would you learn   Terraform?", "x")


def test_review_schedules_exactly_as_fsrs_says(ctx, make_user):
    student = make_user()
    card_id = seed_cards(ctx, student)[0]
    expected = Card()
    scheduler = Scheduler(enable_fuzzing=False)
    moment = NOW.replace(tzinfo=UTC)
    for grade, rating in [(Grade.GOOD, Rating.Good), (Grade.GOOD, Rating.Good), (Grade.EASY, Rating.Easy)]:
        expected, _ = scheduler.review_card(expected, rating, moment)
        due = deck.review(ctx, student, card_id, grade, now=moment.replace(tzinfo=None))
        assert due == expected.due.replace(tzinfo=None)
        moment = expected.due
    assert due - NOW > timedelta(days=3), "after Good, Good, Easy the card is days away"
    days = deck.review_days(ctx, student, student.id, days=100_000)
    assert sum(d.reviews for d in days) == 3 and all(d.retention == 1.0 for d in days)


def test_again_brings_a_card_back_soon_and_counts_as_forgotten(ctx, make_user):
    student = make_user()
    card_id = seed_cards(ctx, student)[0]
    due = deck.review(ctx, student, card_id, Grade.AGAIN, now=NOW)
    assert due - NOW <= timedelta(minutes=10)
    [day] = deck.review_days(ctx, student, student.id, days=100_000)
    assert (day.reviews, day.recalled, day.retention) == (1, 0, 0.0)


def test_due_cards_respect_time_filters_and_suspension(ctx, make_user):
    student = make_user()
    first, second = seed_cards(ctx, student)
    assert deck.due_count(ctx, student) == 2
    deck.review(ctx, student, first, Grade.EASY)
    assert [c.id for c in deck.due_cards(ctx, student)] == [second]
    assert deck.due_cards(ctx, student, skill="kubernetes") == []
    deck.set_suspended(ctx, student, second, True)
    assert deck.due_count(ctx, student) == 0
    with pytest.raises(AppError, match="suspended"):
        deck.review(ctx, student, second, Grade.GOOD)
    assert deck.filters(ctx, student) == (["Backend Engineer"], ["kubernetes", "terraform"])


def test_student_edits_own_cards(ctx, make_user):
    student = make_user()
    card_id = deck.create_card(ctx, student, "What is a CTE?", "A named subquery.", skill="SQL")
    deck.update_card(ctx, student, card_id, "What is a CTE in SQL?", "A WITH clause.", "sql")
    [card] = deck.list_cards(ctx, student)
    assert (card.front, card.back, card.skill) == ("What is a CTE in SQL?", "A WITH clause.", "sql")
    with pytest.raises(AppError) as empty:
        deck.create_card(ctx, student, "  ", "answer")
    assert empty.value.code == ErrorCode.INVALID_INPUT
    deck.delete_card(ctx, student, card_id)
    assert deck.list_cards(ctx, student) == []


def test_another_student_cannot_touch_my_cards(ctx, make_user):
    alice, bob = make_user(), make_user()
    card_id = seed_cards(ctx, alice)[0]
    assert deck.list_cards(ctx, bob) == [] and deck.due_count(ctx, bob) == 0
    for attempt in (
        lambda: deck.review(ctx, bob, card_id, Grade.GOOD),
        lambda: deck.update_card(ctx, bob, card_id, "mine now", "x", None),
        lambda: deck.set_suspended(ctx, bob, card_id, True),
        lambda: deck.delete_card(ctx, bob, card_id),
    ):
        with pytest.raises(AppError) as denied:
            attempt()
        assert denied.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError) as denied:
        deck.review_days(ctx, bob, alice.id)
    assert denied.value.code == ErrorCode.NOT_FOUND
    counselor = make_user(Role.COUNSELOR)
    with pytest.raises(AppError):
        deck.create_card(ctx, counselor, "Q", "A")
    assert len(deck.list_cards(ctx, alice)) == 2


def many_cards(ctx, student, count: int) -> list[int]:
    with ctx.db.session() as s:
        deck.add_generated(s, student.id, [{"front": f"Question {i}?", "back": "A."} for i in range(count)], now=NOW)
    return [c.id for c in deck.list_cards(ctx, student)]


def test_new_cards_enter_at_most_the_daily_limit_and_reviews_are_never_held_back(ctx, make_user):
    student = make_user()
    ids = many_cards(ctx, student, 30)
    later = NOW + timedelta(hours=1)
    limit = ctx.settings.flashcards_new_per_day
    assert limit == 20
    assert len(deck.due_cards(ctx, student, now=later)) == deck.due_count(ctx, student, now=later) == limit
    for card_id in ids[:5]:  # five new cards studied today, graded Again so they are due again within minutes
        deck.review(ctx, student, card_id, Grade.AGAIN, now=later)
    soon = later + timedelta(hours=1)
    due = deck.due_cards(ctx, student, now=soon)
    assert {c.id for c in due[:5]} == set(ids[:5])  # the studied cards first, all of them
    assert len(due) == 5 + (limit - 5) == deck.due_count(ctx, student, now=soon)
    tomorrow = datetime.combine(NOW.date() + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
    assert deck.due_count(ctx, student, now=tomorrow) == 5 + min(25, limit)  # a new day, a new allowance


def test_buttons_show_the_interval_fsrs_will_give_and_nothing_is_saved(ctx, make_user):
    student = make_user()
    card_id = seed_cards(ctx, student)[0]
    intervals = deck.next_intervals(ctx, student, card_id, now=NOW)
    assert intervals[Grade.AGAIN] < intervals[Grade.HARD] <= intervals[Grade.GOOD] < intervals[Grade.EASY]
    assert deck.review_days(ctx, student, student.id, days=100_000) == []
    due = deck.review(ctx, student, card_id, Grade.EASY, now=NOW)
    assert due - NOW == intervals[Grade.EASY]


def test_undo_puts_the_card_back_as_it_was(ctx, make_user):
    student = make_user()
    card_id = seed_cards(ctx, student)[0]
    deck.review(ctx, student, card_id, Grade.GOOD, now=NOW)
    [before] = [c for c in deck.list_cards(ctx, student) if c.id == card_id]
    easy = deck.review(ctx, student, card_id, Grade.EASY, now=before.due)
    assert deck.undo_last_review(ctx, student) == card_id
    [after] = [c for c in deck.list_cards(ctx, student) if c.id == card_id]
    assert (after.due, after.reviews) == (before.due, 1)
    assert deck.review(ctx, student, card_id, Grade.EASY, now=before.due) == easy  # the FSRS state came back too
    deck.undo_last_review(ctx, student)
    deck.undo_last_review(ctx, student)
    with pytest.raises(AppError) as raised:
        deck.undo_last_review(ctx, student)
    assert raised.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError):
        deck.undo_last_review(ctx, make_user())  # another student has nothing to undo, not the first one's grade

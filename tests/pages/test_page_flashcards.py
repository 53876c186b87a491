"""AppTest of Flashcards: grade buttons say when the card comes back, a grade can be undone, and new cards
arrive at the daily limit."""

from __future__ import annotations

from core.student import deck
from tests.pages.shown import texts

PAGE = "app_pages/flashcards.py"


def add_cards(ctx, student, count: int) -> None:
    with ctx.db.session() as s:
        deck.add_generated(s, student.id, [{"front": f"Question {i}?", "back": f"Answer {i}."} for i in range(count)])


def button(at, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def test_grade_buttons_show_the_next_interval_and_undo_takes_the_grade_back(open_app, make_user, app_env):
    student = make_user()
    add_cards(app_env, student, 25)
    at = open_app(student, page=PAGE)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Due now"] == "20"  # 25 new cards, 20 a day
    assert "At most 20 new cards a day join your reviews; the rest wait." in texts(at, "caption")
    button(at, "Show answer").click()
    at.run()
    labels = [b.label for b in at.button if b.label.split(" · ")[0] in {"Again", "Hard", "Good", "Easy"}]
    assert labels[0] == "Again · 1 min" and labels[3].startswith("Easy · ") and labels[3].endswith(" d"), labels
    card = deck.due_cards(app_env, student)[0]
    button(at, "Easy").click()
    at.run()
    assert card.id not in [c.id for c in deck.due_cards(app_env, student)]
    button(at, "Undo last grade").click()
    at.run()
    assert not at.exception
    assert deck.due_cards(app_env, student)[0].id == card.id  # due again, as before the grade
    assert not [b for b in at.button if b.label == "Undo last grade"]


def test_progress_shows_retention_and_reviews_per_day(open_app, make_user, app_env):
    student = make_user()
    add_cards(app_env, student, 4)
    for number, card in enumerate(deck.due_cards(app_env, student)):
        deck.review(app_env, student, card.id, deck.Grade.AGAIN if number == 0 else deck.Grade.GOOD)
    at = open_app(student, page="app_pages/progress.py")
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Reviews (60 days)"], shown["Recalled"], shown["Reviews per study day"]) == ("4", "75%", "4.0")

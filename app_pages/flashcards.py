"""Flashcards: review what is due (FSRS), and manage the deck."""

from datetime import timedelta

import streamlit as st

from core.student import deck
from core.student.deck import Grade
from core.ui.clock import DATE, relative, when
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

PAGE_SIZE = 20

actor, ctx = current_actor(), get_ctx()
st.title("Flashcards")

jobs, skills = deck.filters(ctx, actor)
left, right = st.columns(2)
job = left.selectbox("Job", ["All jobs", *jobs], key="fc_job")
skill = right.selectbox("Skill", ["All skills", *skills], key="fc_skill")
job_filter = None if job == "All jobs" else job
skill_filter = None if skill == "All skills" else skill

review_tab, deck_tab = st.tabs(["Review", "Deck"])


def interval_label(wait: timedelta) -> str:
    """An FSRS interval the way Anki shows it on its buttons: 10 min, 5 h, 3 d, 2 mo, 1.5 y."""
    minutes = wait.total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))} min"
    if minutes < 24 * 60:
        return f"{round(minutes / 60)} h"
    days = minutes / (24 * 60)
    if days < 30:
        return f"{round(days)} d"
    return f"{round(days / 30)} mo" if days < 365 else f"{days / 365:.1f} y"


def reveal(card_id: int) -> None:
    st.session_state["fc_revealed"] = card_id


with review_tab:
    due = deck.due_cards(ctx, actor, job_title=job_filter, skill=skill_filter)
    st.metric("Due now", len(due))
    st.caption(f"At most {ctx.settings.flashcards_new_per_day} new cards a day join your reviews; the rest wait.")
    if not due:
        st.info("Nothing is due. Cards arrive with every job match report, or add your own in the Deck tab.",
                icon=":material/celebration:")
    else:
        card = due[0]
        with st.container(border=True):
            st.caption(plain(" · ".join(filter(None, [card.job_title, card.skill]))) or "Your card")
            st.markdown(f"### {plain(card.front)}")
            if st.session_state.get("fc_revealed") == card.id:
                st.markdown(plain(card.back))
            else:  # revealed in the click's own run, before the page is drawn: no second run
                st.button("Show answer", key="fc_reveal", type="primary", width="stretch", on_click=reveal,
                          args=(card.id,))  # fmt: skip
        if st.session_state.get("fc_revealed") == card.id:
            st.write("How well did you answer?")
            intervals = deck.next_intervals(ctx, actor, card.id)
            columns = st.columns(2) + st.columns(2)
            for column, grade in zip(columns, Grade, strict=True):
                label = f"{grade.name.title()} · {interval_label(intervals[grade])}"
                if column.button(label, key=f"fc_grade_{grade.name}", width="stretch"):
                    with user_errors():
                        deck.review(ctx, actor, card.id, grade)
                        st.session_state.pop("fc_revealed", None)
                        st.session_state["fc_can_undo"] = True
                        st.toast(f"Next review in {interval_label(intervals[grade])}.")
                        st.rerun()
    if st.session_state.get("fc_can_undo") and st.button("Undo last grade", icon=":material/undo:", key="fc_undo"):
        with user_errors():
            deck.undo_last_review(ctx, actor)
            st.session_state.pop("fc_can_undo", None)
            st.rerun()

with deck_tab:
    with st.expander("Add a card"), st.form("fc_add", clear_on_submit=True):
        front = st.text_area("Question", max_chars=deck.FRONT_MAX)
        back = st.text_area("Answer", max_chars=deck.BACK_MAX)
        new_skill = st.text_input("Skill (optional)")
        if st.form_submit_button("Add card"):
            with user_errors():
                deck.create_card(ctx, actor, front, back, new_skill)
                st.success("Card added.")
    cards = deck.list_cards(ctx, actor, job_title=job_filter, skill=skill_filter)
    if not cards:
        st.info("Your deck is empty. Run a job match to get interview cards for that job.")
    pages = max(1, -(-len(cards) // PAGE_SIZE))
    page = st.number_input(f"Page (of {pages})", 1, pages, 1, key="fc_page") if pages > 1 else 1
    st.caption(f"{len(cards)} card{'s' if len(cards) != 1 else ''}")
    for card in cards[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        label = f"{'⏸ ' if card.suspended else ''}{card.front}"
        with st.expander(plain(label[:120])):
            st.caption(f"Due {relative(card.due)} ({when(card.due, DATE)}) · reviewed {card.reviews}×")
            with st.form(f"fc_edit_{card.id}"):
                front = st.text_area("Question", card.front, max_chars=deck.FRONT_MAX)
                back = st.text_area("Answer", card.back, max_chars=deck.BACK_MAX)
                edited_skill = st.text_input("Skill", card.skill or "")
                if st.form_submit_button("Save"):
                    with user_errors():
                        deck.update_card(ctx, actor, card.id, front, back, edited_skill)
                        st.rerun()
            suspend, delete = st.columns(2)
            if suspend.button("Unsuspend" if card.suspended else "Suspend", key=f"fc_suspend_{card.id}"):
                with user_errors():
                    deck.set_suspended(ctx, actor, card.id, not card.suspended)
                    st.rerun()
            if delete.button("Delete", key=f"fc_delete_{card.id}"):
                st.session_state["fc_confirm_delete"] = card.id
            if st.session_state.get("fc_confirm_delete") == card.id:
                st.warning("Delete this card and its review history?")
                if st.button("Yes, delete", key=f"fc_confirm_{card.id}", type="primary"):
                    with user_errors():
                        deck.delete_card(ctx, actor, card.id)
                        st.session_state.pop("fc_confirm_delete", None)
                        st.rerun()

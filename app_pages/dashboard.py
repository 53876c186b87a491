"""Home: balance, latest score, cards due, the next thing to do, recent activity."""

import streamlit as st

from core.access import Role
from core.student import deck, progress
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

NEXT_PAGES = {
    "cvs": ("app_pages/cvs.py", ":material/description:"),
    "job_match": ("app_pages/job_match.py", ":material/analytics:"),
    "flashcards": ("app_pages/flashcards.py", ":material/style:"),
    "interviews": ("app_pages/interviews.py", ":material/record_voice_over:"),
    "progress": ("app_pages/progress.py", ":material/trending_up:"),
}

actor, ctx = current_actor(), get_ctx()
st.title(f"Welcome, {plain(actor.name)}")
st.caption(f"Signed in as {actor.role.title()}")

if actor.role == Role.STUDENT:
    summary = progress.summary(ctx, actor, actor.id)
    due = deck.due_count(ctx, actor)
    credits, score, cards = st.columns(3)
    credits.metric("Credits", summary.balance)
    score.metric(
        f"Latest ATS score{f' · {plain(summary.latest_job)}' if summary.latest_job else ''}",
        "—" if summary.latest_score is None else summary.latest_score,
        delta=summary.score_change,
    )
    cards.metric("Cards due", due)
    key, sentence = progress.suggest_next(summary, due)
    page, icon = NEXT_PAGES[key]
    with st.container(border=True):
        st.markdown(f"**Next step:** {sentence}")
        st.page_link(page, label="Go", icon=icon)
    events = progress.activity(ctx, actor, actor.id, limit=8)
    st.subheader("Recent activity")
    if events:
        for event in events:
            st.markdown(f"- {event.at:%d %b %H:%M} · {plain(event.text)}")
    else:
        st.caption("Nothing yet — your analyses, interviews and reviews will appear here.")
else:
    st.page_link("app_pages/cohorts.py", label="Open your cohorts", icon=":material/groups:")

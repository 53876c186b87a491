"""Home. Students: balance, latest score, cards due, the next thing to do, recent activity. Counselors: who needs
attention across their cohorts. Admins: users, locked accounts, today's activity, provider health."""

from datetime import UTC, datetime

import streamlit as st

from core import providers_health
from core.access import Role
from core.accounts import admin
from core.coaching import dashboard
from core.student import deck, progress
from core.ui import sso
from core.ui.clock import when
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

NEXT_PAGES = {
    "cvs": ("app_pages/cvs.py", ":material/description:"),
    "job_match": ("app_pages/job_match.py", ":material/analytics:"),
    "flashcards": ("app_pages/flashcards.py", ":material/style:"),
    "interviews": ("app_pages/interviews.py", ":material/record_voice_over:"),
    "progress": ("app_pages/progress.py", ":material/trending_up:"),
}

ATTENTION_SHOWN = 30
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
        delta=summary.score_change or None,  # no "0" badge when nothing changed, none before a second match
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
            st.markdown(f"- {when(event.at)} · {plain(event.text)}")
    else:
        st.caption("Nothing yet — your analyses, interviews and reviews will appear here.")
elif actor.role == Role.COUNSELOR:
    st.page_link("app_pages/cohorts.py", label="Open your cohorts", icon=":material/groups:")
    st.subheader("Who needs attention")
    st.caption(f"Students of your cohorts with no CV, inactive for {dashboard.INACTIVE_DAYS} days or more, or whose "
               "latest score fell against their previous one on the same CV and job.")  # fmt: skip
    people = dashboard.needs_attention(ctx, actor)
    if not people:
        st.success("Nobody needs attention right now.", icon=":material/check_circle:")
    for person in people[:ATTENTION_SHOWN]:
        with st.container(border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(f"**{plain(person.name)}** · {plain(person.email)}  \n{plain(', '.join(person.cohorts))}")
            left.caption(" · ".join(person.reasons))
            right.page_link("app_pages/student.py", label="Open", icon=":material/person_search:",
                            query_params={"student": str(person.user_id)})  # fmt: skip
    if len(people) > ATTENTION_SHOWN:
        st.caption(f"And {len(people) - ATTENTION_SHOWN} more: the Cohorts page lists everyone, weakest first.")
else:
    figures = admin.overview(ctx, actor)
    users_col, locked_col, today_col = st.columns(3)
    users_col.metric("Users", sum(figures.users_by_role.values()))
    locked_col.metric("Locked accounts", figures.locked)
    today_col.metric("Active today", figures.active_today)
    st.caption(" · ".join(f"{n} {role}{'s' if n != 1 else ''}" for role, n in figures.users_by_role.items()))
    st.markdown(f"**Today (UTC):** {figures.joined_today} joined · {figures.analyses_today} job matches · "
                f"{figures.interviews_today} interviews started")  # fmt: skip
    st.page_link("app_pages/admin_users.py", label="Manage users", icon=":material/manage_accounts:")
    st.subheader("Provider health")
    if "providers_checked" not in st.session_state:  # the Providers page shares this check
        with st.spinner("Asking each backend…"):
            st.session_state["providers_checked"] = (datetime.now(UTC), providers_health.check_all(
                ctx, actor, sign_in=sso.configured_providers()))  # fmt: skip
    checked_at, rows = st.session_state["providers_checked"]
    health = providers_health.summarise(rows)
    (st.warning if health.failing else st.success if health.checked else st.info)(health.sentence)
    st.page_link("app_pages/admin_providers.py", label="Providers", icon=":material/lan:")

"""Admin → Credits: grant credits to one user or a whole cohort, with a reason; recent grants."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.access import normalise_email
from core.billing import grants
from core.ui.actions import clicked, done, flash, once_button, show_flashes
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx

actor = current_actor()
ctx = get_ctx()


def credits_and_reason(prefix: str) -> tuple[int, str]:
    credits = st.number_input(
        "Credits", min_value=1, max_value=grants.MAX_GRANT, value=10, step=1, key=f"{prefix}_credits"
    )
    reason = st.text_input(
        "Reason",
        key=f"{prefix}_reason",
        placeholder="e.g. Hackathon prize, term start",
        help="Shown in the student's transaction history and kept in the audit log.",
    )
    return int(credits), reason


def grant_to_user() -> None:
    with st.form("grant_user_form"):
        email = st.text_input("Email of the account", key="grant_email")
        credits, reason = credits_and_reason("grant_user")
        once_button("Grant credits", name="grant_user", form=True, type="primary", key="grant_user_submit")
    request = clicked("grant_user")
    if request is None:
        return
    with user_errors():
        entry = grants.grant(
            ctx, actor, email=email, credits=credits, reason=reason, idempotency_key=f"grant:{request[0]}"
        )
        done("grant_user")
        flash(
            f"Granted {entry.amount} credits to {normalise_email(email)}. Their balance is now {entry.balance_after}."
        )
        st.rerun()


def grant_to_cohort() -> None:
    choices = grants.cohort_choices(ctx, actor)
    if not choices:
        st.info("There are no cohorts yet.")
        return
    with st.form("grant_cohort_form"):
        cohort = st.selectbox(
            "Cohort",
            choices,
            key="grant_cohort_choice",
            format_func=lambda c: f"{c.name} · {c.students} student{'s' * (c.students != 1)}",
        )
        credits, reason = credits_and_reason("grant_cohort")
        once_button("Grant to every student", name="grant_cohort", form=True, type="primary", key="grant_cohort_submit")
    request = clicked("grant_cohort")
    if request is None:
        return
    with user_errors():
        students = grants.grant_cohort(
            ctx,
            actor,
            cohort_id=cohort.id,
            credits=credits,
            reason=reason,
            idempotency_key=f"cohort-grant:{request[0]}",
        )
        done("grant_cohort")
        flash(f"Granted {credits} credits to each of {students} students in {cohort.name}.")
        st.rerun()


def recent() -> None:
    st.subheader("Recent grants")
    recent_rows = grants.recent_grants(ctx, actor)
    if not recent_rows:
        st.caption("No grants yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When (UTC)": g.created_at.strftime("%Y-%m-%d %H:%M"),
                    "To": g.email,
                    "Credits": g.credits,
                    "Reason": g.reason,
                    "By": g.granted_by or "—",
                }
                for g in recent_rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )


st.title("Credits")
show_flashes()
one_user, whole_cohort = st.tabs(["One user", "Whole cohort"])
with one_user:
    grant_to_user()
with whole_cohort:
    grant_to_cohort()
with user_errors():
    recent()

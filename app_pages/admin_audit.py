"""Audit log (admin): who did what to whose data, including every view of a student's data by staff."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from core.accounts import admin
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx

actor, ctx = current_actor(), get_ctx()
st.title("Audit log")

c1, c2, c3 = st.columns(3)
action = c1.text_input("Action starts with", key="audit_action", placeholder="view.  cohort.  user.")
actor_email = c2.text_input("Done by (email contains)", key="audit_actor")
subject_email = c3.text_input("About (email contains)", key="audit_subject")
d1, d2, d3 = st.columns(3)
since = d1.date_input("From (UTC)", value=None, key="audit_since")
until = d2.date_input("To (UTC, inclusive)", value=None, key="audit_until")
limit = d3.number_input("Show at most", min_value=10, max_value=admin.AUDIT_LIMIT, value=200, step=50,
                        key="audit_limit")  # fmt: skip

with user_errors():
    entries = admin.audit_log(
        ctx, actor, action=action, actor_email=actor_email, subject_email=subject_email,
        since=datetime.combine(since, time.min) if since else None,
        until=datetime.combine(until, time.min) + timedelta(days=1) if until else None, limit=int(limit),
    )  # fmt: skip
    st.caption(f"{len(entries)} entries, newest first.")
    st.dataframe(
        pd.DataFrame(
            [{"When (UTC)": e.at, "Action": e.action, "By": e.actor or "system / deleted", "About": e.subject or "",
              "Target": f"{e.target_type}:{e.target_id}" if e.target_type else "",
              "Details": ", ".join(f"{k}={v}" for k, v in e.details.items())} for e in entries],
            columns=["When (UTC)", "Action", "By", "About", "Target", "Details"],
        ),
        hide_index=True, width="stretch",
    )  # fmt: skip

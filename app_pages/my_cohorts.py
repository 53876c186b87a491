"""My cohorts: join with an invite code (with consent), see who coaches you, read their notes, leave."""

import streamlit as st

from core.coaching import cohorts, notes
from core.ui.clock import DATE, when
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

actor, ctx = current_actor(), get_ctx()
st.title("My cohorts")

# An invite link (…/?join=CODE, kept by app.py through sign-in) pre-fills the code once.
if invite := st.session_state.pop(cohorts.PENDING_INVITE, None):
    st.session_state["join_code"] = invite
    st.query_params.pop(cohorts.INVITE_PARAM, None)

with st.form("join_cohort", clear_on_submit=False):
    st.subheader("Join a cohort")
    code = st.text_input("Invite code", key="join_code", max_chars=32, placeholder="e.g. K7PM2QXA")
    consent = st.checkbox(cohorts.CONSENT_TEXT, key="join_consent")
    if st.form_submit_button("Join", type="primary"):
        with user_errors():
            joined = cohorts.join_cohort(ctx, actor, code, consent=consent)
            st.success(f"You joined {plain(joined.name)}.")

memberships: list[cohorts.Membership] = []
with user_errors():
    memberships = cohorts.my_cohorts(ctx, actor)

st.subheader("Your cohorts")
if not memberships:
    st.caption("You are not in a cohort yet. Ask your counselor for an invite code.")
for m in memberships:
    with st.container(border=True):
        st.markdown(f"**{plain(m.name)}**" + (f" · {plain(m.term)}" if m.term else ""))
        st.caption(f"Counselors: {plain(', '.join(m.counselors)) or 'none yet'} · joined {when(m.joined_at, DATE)} · "
                   f"sharing your analyses, interview results and activity with them")  # fmt: skip
        jobs = cohorts.cohort_jobs(ctx, actor, m.cohort_id)
        if jobs:
            st.markdown("Job descriptions from your counselors: " + ", ".join(
                f"**{plain(j.title)}**" + (f" ({plain(j.company)})" if j.company else "") for j in jobs))  # fmt: skip
        confirm_key = f"confirm_leave_{m.cohort_id}"
        if not st.session_state.get(confirm_key):
            if st.button("Leave cohort", key=f"leave_{m.cohort_id}"):
                st.session_state[confirm_key] = True
                st.rerun()
        else:
            st.warning("Leave? Your counselors will stop seeing your work straight away.")
            yes, no = st.columns(2)
            if yes.button("Yes, leave", key=f"leave_yes_{m.cohort_id}", type="primary"):
                with user_errors():
                    cohorts.leave_cohort(ctx, actor, m.cohort_id)
                    st.session_state.pop(confirm_key, None)
                    st.rerun()
            if no.button("Cancel", key=f"leave_no_{m.cohort_id}"):
                st.session_state.pop(confirm_key, None)
                st.rerun()

st.subheader("Notes from your counselors")
with user_errors():
    received = notes.notes_for_student(ctx, actor)
    if not received:
        st.caption("No notes yet.")
    for note in received:
        with st.container(border=True):
            st.caption(f"{when(note.created_at, DATE)} · {plain(note.author)} · {plain(note.about)}")
            st.markdown(plain(note.body))

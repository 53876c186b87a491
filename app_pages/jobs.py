"""Jobs: target roles, saved job descriptions (add, edit, delete), cohort JDs, and the catalogue search."""

from __future__ import annotations

import streamlit as st

from core.access import Role
from core.student import jobs
from core.ui.actions import flash, show_flashes
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

SOURCE_BADGES = {"saved": "", "pasted": " :gray-badge[pasted]", "catalogue": " :blue-badge[catalogue]",
                 "cohort": " :violet-badge[from your cohort]"}  # fmt: skip

actor = current_actor()
ctx = get_ctx()
state = st.session_state
is_student = actor.role == Role.STUDENT

st.title("Jobs")
st.caption("Keep the job descriptions you are aiming for, or find sample roles in the catalogue to practise on.")
show_flashes()


def target_roles_form() -> None:
    current = jobs.target_roles(ctx, actor)
    with st.form("jobs_roles", border=True):
        st.markdown("**Your target roles** — they rank the catalogue suggestions below.")
        text = st.text_input("Roles, separated by commas", value=", ".join(current), key="jobs_roles_text",
                             placeholder="e.g. Data Analyst, Business Analyst")  # fmt: skip
        if st.form_submit_button("Save target roles"):
            with user_errors():
                saved = jobs.set_target_roles(ctx, actor, text.split(","))
                flash("Target roles saved: " + (", ".join(saved) or "none") + ".")
                st.rerun()


def job_form(job: jobs.JobRecord | None) -> None:
    """Add a job (job is None) or edit one of the student's own."""
    prefix = f"jobs_edit_{job.id}" if job else "jobs_new"
    with st.form(prefix, clear_on_submit=job is None):
        title = st.text_input("Job title", value=job.title if job else "", key=f"{prefix}_title")
        company, location = st.columns(2)
        company_name = company.text_input("Company", value=(job.company or "") if job else "", key=f"{prefix}_co")
        place = location.text_input("Location", value=(job.location or "") if job else "", key=f"{prefix}_loc")
        text = st.text_area("Job description", value=job.text if job else "", height=200, key=f"{prefix}_text")
        if st.form_submit_button("Save changes" if job else "Save job", type="primary"):
            with user_errors():
                if job:
                    jobs.update_job(ctx, actor, job.id, title=title, text=text, company=company_name, location=place)
                    state.pop("jobs_editing", None)
                else:
                    jobs.save_job(ctx, actor, title=title, text=text, company=company_name, location=place)
                flash(f"Saved {title or 'the job'}.")
                st.rerun()


def job_list(saved: list[jobs.JobRecord]) -> None:
    for job in saved:
        with st.container(border=True):
            left, edit, delete = st.columns([6, 1, 1], vertical_alignment="center")
            where = " · ".join(part for part in (job.company, job.location) if part)
            left.markdown(f"**{plain(job.title)}**{SOURCE_BADGES.get(job.source, '')}  \n{plain(where)}")
            own = job.owner_id == actor.id
            edit.button("Edit", key=f"jobs_edit_btn_{job.id}", disabled=not own,
                        on_click=state.__setitem__, args=("jobs_editing", job.id))  # fmt: skip
            delete.button("Delete", key=f"jobs_delete_btn_{job.id}", disabled=not own,
                          on_click=state.__setitem__, args=("jobs_deleting", job.id))  # fmt: skip
            if state.get("jobs_deleting") == job.id:
                st.warning("Delete this job? Reports made against it keep their scores and title.")
                yes, no = st.columns(2)
                if yes.button("Delete", type="primary", key=f"jobs_delete_yes_{job.id}"):
                    state.pop("jobs_deleting", None)
                    with user_errors():
                        jobs.delete_job(ctx, actor, job.id)
                        flash(f"Deleted {job.title}.")
                        st.rerun()
                no.button("Keep it", key=f"jobs_delete_no_{job.id}", on_click=state.pop, args=("jobs_deleting", None))
            if state.get("jobs_editing") == job.id:
                job_form(job)
            with st.expander("Job description"):
                st.text(job.text)


def catalogue_search() -> None:
    st.subheader("Catalogue")
    query_col, where_col = st.columns([2, 1])
    query = query_col.text_input("Search by title or skill", key="jobs_query", placeholder="e.g. python")
    where = where_col.text_input("Location", key="jobs_where", placeholder="e.g. Pune or remote")
    if query.strip() or where.strip():
        found = jobs.search_catalogue(query, where)
    else:
        found = jobs.suggested_catalogue(ctx, actor, limit=12)
        st.caption("Suggested for your target roles." if jobs.target_roles(ctx, actor) else "All sample roles.")
    if not found:
        st.info("No catalogue roles match. Try a skill such as 'sql', or clear the location.")
    for posting in found:
        with st.container(border=True):
            left, right = st.columns([6, 1], vertical_alignment="center")
            skills = ", ".join(posting.required_skills[:6])
            left.markdown(f"**{posting.title}** — {posting.company} · {posting.location}  \nAsks for: {skills}")
            if is_student and right.button("Save", key=f"jobs_cat_{posting.key}", icon=":material/bookmark_add:"):
                with user_errors():
                    jobs.from_catalogue(ctx, actor, posting.key)
                    flash(f"{posting.title} is in your jobs; pick it on the Job match page.")
                    st.rerun()
            with st.expander("Read the posting"):
                st.text(posting.text)


if is_student:
    target_roles_form()
saved_jobs: list[jobs.JobRecord] = []
with user_errors():
    saved_jobs = jobs.list_jobs(ctx, actor)
st.subheader("Your jobs" if is_student else "Your cohorts' job descriptions")
if is_student:
    with st.expander("Add a job description", icon=":material/add:"):
        job_form(None)
if saved_jobs:
    job_list(saved_jobs)
else:
    st.caption("No jobs yet." + (" Save one above or from the catalogue." if is_student else
                                 " Publish job descriptions to a cohort from the Cohorts page."))  # fmt: skip
catalogue_search()

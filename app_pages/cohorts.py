"""Cohorts: create cohorts and invite students; the cohort dashboard that finds who needs help; admin management."""

import pandas as pd
import streamlit as st

from core.coaching import cohorts, dashboard
from core.engine.report import FAIR_SCORE
from core.ui import cohort_charts
from core.ui.charts import PLOT_CONFIG
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain
from core.ui.widgets import metrics

actor, ctx = current_actor(), get_ctx()
st.title("Cohorts")

mine: list[cohorts.CohortInfo] = []
with user_errors():
    mine = cohorts.list_cohorts(ctx, actor)

with st.expander("Create a cohort", icon=":material/add:", expanded=not mine), st.form("create_cohort"):
    name = st.text_input("Name", placeholder="Computer Science — Class of 2027")
    term = st.text_input("Term", placeholder="Spring 2027")
    roles = st.text_input("Target roles (comma-separated)", placeholder="Data Analyst, Backend Engineer")
    description = st.text_area("Description", height=80)
    if st.form_submit_button("Create cohort", type="primary"):
        with user_errors():
            created = cohorts.create_cohort(ctx, actor, name=name, term=term, target_roles=roles,
                                            description=description)  # fmt: skip
            st.session_state["cohort_id"] = created.id
            st.rerun()

if not mine:
    st.info("No cohorts yet. Create one above, then share its invite code with your students.",
            icon=":material/groups:")  # fmt: skip
    st.stop()

by_id = {c.id: c for c in mine}
if st.session_state.get("cohort_id") not in by_id:
    st.session_state["cohort_id"] = mine[0].id
cohort_id = st.selectbox("Cohort", list(by_id), key="cohort_id",
                         format_func=lambda i: f"{by_id[i].name} · {by_id[i].students} students")  # fmt: skip
info = by_id[cohort_id]
st.caption(plain(" · ".join(filter(None, [info.term, ", ".join(info.target_roles) or None,
                                          "Counselors: " + (", ".join(info.counselors) or "none")]))))  # fmt: skip

tab_names = ["Dashboard", "Invite and jobs"] + (["Manage"] if actor.is_admin else [])
tabs = st.tabs(tab_names)

# --- dashboard -------------------------------------------------------------------------------------------
with tabs[0]:
    board = None
    with user_errors():
        board = dashboard.cohort_dashboard(ctx, actor, cohort_id)
    if board is not None:
        head = board.headline
        metrics([("Students", head.students), ("Active in last 7 days", head.active_7d),
                 ("Median best ATS", "—" if head.median_best is None else f"{head.median_best:g}"),
                 ("Interviews done", head.interviews_done)])  # fmt: skip
        if not board.students:
            st.info(f"No students yet. Share the invite code **{info.invite_code}** (see Invite and jobs).")
        else:
            left, right = st.columns(2)
            left.plotly_chart(cohort_charts.best_score_histogram(board.histogram), key="chart_histogram",
                              config=PLOT_CONFIG)
            if board.no_analysis_yet:
                left.caption(f"{board.no_analysis_yet} student(s) have no analysis yet.")
            right.plotly_chart(cohort_charts.breakdown_averages(board.breakdown), key="chart_breakdown",
                               config=PLOT_CONFIG)
            left, right = st.columns(2)
            if board.missing_skills:
                left.plotly_chart(cohort_charts.missing_skills(board.missing_skills), key="chart_skills",
                                  config=PLOT_CONFIG)
            right.plotly_chart(cohort_charts.weekly_progress(board.weeks), key="chart_weeks", config=PLOT_CONFIG)

            st.subheader("Students")
            f1, f2, f3 = st.columns([1, 1, 2])
            inactive = f1.checkbox("Inactive 14 days", key="filter_inactive")
            low = f2.checkbox(f"Best score < {FAIR_SCORE}", key="filter_low",
                              help="Includes students with no analysis yet.")  # fmt: skip
            rows = dashboard.filter_students(board.students, inactive_days=14 if inactive else None,
                                             best_below=FAIR_SCORE if low else None,
                                             now=board.generated_at)  # fmt: skip
            f3.caption(f"{len(rows)} of {len(board.students)} students · weakest first · click a column to sort")
            # Scores straight after the (pinned) name and the email last: a phone shows the first columns only.
            # Nullable number types show a missing score as an empty cell, not "None".
            table = pd.DataFrame(
                [{"Student": r.name, "Best score": r.best_score, "Score change": r.score_change,
                  "Last active": r.last_active_at, "Latest score": r.latest_score, "Analyses": r.analyses,
                  "Interviews": r.interviews, "Cards due": r.cards_due, "Credits": r.credits, "Email": r.email}
                 for r in rows],
                columns=["Student", "Best score", "Score change", "Last active", "Latest score", "Analyses",
                         "Interviews", "Cards due", "Credits", "Email"],
            ).convert_dtypes()  # fmt: skip
            st.dataframe(
                table, hide_index=True, width="stretch", key="student_table",
                column_config={"Student": st.column_config.TextColumn(pinned=True),
                               "Score change": st.column_config.NumberColumn(format="%+d"),
                               "Last active": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
                               "Best score": st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                             format="%d")},
            )  # fmt: skip
            st.download_button(
                "Download CSV", data=dashboard.students_csv(rows), file_name=f"cohort-{cohort_id}-students.csv",
                mime="text/csv", icon=":material/download:", on_click="ignore", key="students_csv",
            )  # fmt: skip
            if rows:
                labels = {r.user_id: f"{r.name} ({r.email})" for r in rows}
                pick = st.selectbox("Open a student", list(labels), key="open_student",
                                    format_func=lambda i: labels[i])  # fmt: skip
                if st.button("Open student view", icon=":material/person_search:", key="open_student_button"):
                    st.switch_page("app_pages/student.py", query_params={"student": str(pick)})

# --- invite code and published job descriptions -------------------------------------------------------------
with tabs[1]:
    st.markdown(f"**Invite code:** `{info.invite_code}`")
    st.code(cohorts.invite_link(ctx.settings, info.invite_code), language=None)
    st.caption("Students open the link (or enter the code on My cohorts) and consent to share their work with you.")
    if st.button("Make a new code", key="new_code", help="The old code and link stop working; members stay."):
        with user_errors():
            cohorts.regenerate_code(ctx, actor, cohort_id)
            st.rerun()

    st.subheader("Job descriptions for this cohort")
    with st.form("publish_job", clear_on_submit=True):
        title = st.text_input("Job title")
        company = st.text_input("Company (optional)")
        text = st.text_area("Job description", height=160)
        if st.form_submit_button("Publish to cohort"):
            with user_errors():
                cohorts.publish_job(ctx, actor, cohort_id, title, company, text)
                st.success("Published. Students of this cohort can now match their CV against it.")
    with user_errors():
        for job in cohorts.cohort_jobs(ctx, actor, cohort_id):
            with st.expander(plain(job.title + (f" · {job.company}" if job.company else ""))):
                st.text(job.text)
                if st.button("Unpublish", key=f"unpublish_{job.id}"):
                    with user_errors():
                        cohorts.unpublish_job(ctx, actor, job.id)
                        st.rerun()

# --- admin: counselors and moves -------------------------------------------------------------------------
if actor.is_admin:
    with tabs[2]:
        counselors = {p.id: p for p in cohorts.list_counselors(ctx, actor)}
        st.subheader("Counselors")
        col1, col2 = st.columns(2)
        if counselors:
            who = col1.selectbox("Counselor", list(counselors), key="assign_who",
                                 format_func=lambda i: f"{counselors[i].name} ({counselors[i].email})")  # fmt: skip
            if col1.button("Assign to this cohort", key="assign"):
                with user_errors():
                    cohorts.assign_counselor(ctx, actor, cohort_id, who)
                    st.rerun()
            if col2.button("Remove from this cohort", key="unassign"):
                with user_errors():
                    cohorts.remove_counselor(ctx, actor, cohort_id, who)
                    st.rerun()
        else:
            st.caption("No counselor accounts yet: change a user's role on the Users page.")

        st.subheader("Move a student")
        students = {p.id: p for p in cohorts.list_students(ctx, actor, cohort_id)}
        others = {c.id: c for c in mine if c.id != cohort_id}
        if students and others:
            student = st.selectbox("Student", list(students), key="move_who",
                                   format_func=lambda i: f"{students[i].name} ({students[i].email})")  # fmt: skip
            target = st.selectbox("To cohort", list(others), key="move_to", format_func=lambda i: others[i].name)
            if st.button("Move student", key="move"):
                with user_errors():
                    cohorts.move_student(ctx, actor, student, cohort_id, target)
                    st.success(f"Moved {plain(students[student].name)} to {plain(others[target].name)}.")
        else:
            st.caption("Needs a student in this cohort and another cohort to move them to.")

"""Student view (read-only): one student's reports, interviews and progress, and the counselor's notes on them.

The student comes from `?student=<id>` (the cohort dashboard links here) or from the pickers. Every read goes
through services that check the counselor still coaches the student and audit-log the view.
"""

import streamlit as st

from core.coaching import cohorts, dashboard, notes
from core.student import analyses, interviews, progress, resumes
from core.ui import charts, resume_view
from core.ui.clock import DATE, relative, when
from core.ui.feedback import not_found_or_not_yours, user_errors
from core.ui.interview_view import MODE_LABELS, render_result, status_label
from core.ui.report import render_report
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain
from core.ui.widgets import metrics

actor, ctx = current_actor(), get_ctx()
st.title("Student view")


def pick_student() -> None:
    """Cohort then student pickers; the choice is kept in the URL so the view can be bookmarked and shared."""
    mine = cohorts.list_cohorts(ctx, actor)
    if not mine:
        st.info("You have no cohorts yet. Create one on the Cohorts page.")
        return
    names = {c.id: c.name for c in mine}
    left, right = st.columns(2)
    cohort_id = left.selectbox("Cohort", list(names), format_func=lambda i: names[i], key="student_view_cohort")
    if cohort_id is None:
        return
    people = {p.id: p for p in cohorts.list_students(ctx, actor, cohort_id)}
    if not people:
        right.caption("No students in this cohort yet.")
        return
    student_id = right.selectbox("Student", list(people), key="student_view_student",
                                 format_func=lambda i: f"{people[i].name} ({people[i].email})")  # fmt: skip
    if right.button("Open", key="student_view_open"):
        st.query_params["student"] = str(student_id)
        st.rerun()


requested = st.query_params.get("student")
student_id = int(requested) if requested and requested.isdigit() else None
with st.expander("Choose a student", expanded=student_id is None, icon=":material/search:"), user_errors():
    pick_student()
if student_id is None:
    st.stop()

overview, reports, sessions = None, [], []
with user_errors(), not_found_or_not_yours("This student"):
    overview = dashboard.student_overview(ctx, actor, student_id)
    reports = analyses.list_analyses(ctx, actor, student_id=student_id)
    sessions = interviews.list_interviews(ctx, actor, student_id=student_id)
if overview is None:
    st.stop()

st.header(plain(overview.name))
st.caption(" · ".join([plain(overview.email), plain(", ".join(overview.cohorts)) or "no cohort",
                       f"last active {relative(overview.last_active_at)}" if overview.last_active_at
                       else "never active"]))  # fmt: skip
metrics([("Analyses", len(reports)), ("Best ATS", max((a.overall_score for a in reports), default="—")),
         ("Interviews scored", sum(1 for i in sessions if i.overall is not None)),
         ("Flashcards due", overview.cards_due)])  # fmt: skip

tab_progress, tab_reports, tab_interviews, tab_resumes, tab_notes = st.tabs(
    ["Progress", "Reports", "Interviews", "Résumés", "Notes"]
)

with tab_progress, user_errors():
    points = progress.score_history(ctx, actor, student_id)
    if points:
        st.plotly_chart(charts.scores_by_cv_and_job(points), key="student_scores", config=charts.PLOT_CONFIG)
    history = progress.interview_history(ctx, actor, student_id)
    if history:
        st.plotly_chart(charts.interview_scores(history), key="student_interviews", config=charts.PLOT_CONFIG)
        if (delivery := charts.delivery_over_time(history)) is not None:
            st.plotly_chart(delivery, key="student_delivery", config=charts.PLOT_CONFIG)
    if not (points or history):
        st.caption("No analyses or interviews yet.")

with tab_reports:
    if not reports:
        st.caption("No reports yet.")
    else:
        by_id = {a.id: a for a in reports}
        chosen = st.selectbox("Report", list(by_id), key="student_report",
                              format_func=lambda i: f"{when(by_id[i].created_at, DATE)} · {by_id[i].job_title} · "
                              f"{by_id[i].overall_score}/100")  # fmt: skip
        with user_errors():
            render_report(analyses.get_analysis(ctx, actor, chosen), key=f"student_report_{chosen}", downloads=False)

with tab_interviews:
    if not sessions:
        st.caption("No interviews yet.")
    else:
        by_iv = {i.id: i for i in sessions}

        def interview_label(i: int) -> str:
            iv = by_iv[i]
            outcome = f"{iv.overall}/100" if iv.overall is not None else status_label(iv.status)
            mode = MODE_LABELS.get(iv.mode, iv.mode)
            return f"{when(iv.created_at, DATE)} · {iv.job_title or 'Interview'} · {mode} · {outcome}"

        picked = st.selectbox("Interview", list(by_iv), key="student_interview", format_func=interview_label)
        with user_errors():
            render_result(interviews.get_interview(ctx, actor, picked))

with tab_resumes, user_errors():  # read-only: the student edits and saves on their Résumé builder page
    versions = resumes.list_versions(ctx, actor, student_id=student_id)
    if not versions:
        st.caption("No résumé versions yet.")
    else:
        resume_view.history(versions, key="student_resumes")
        by_version = {v.id: v for v in versions}
        shown = st.selectbox(
            "Version", list(by_version), key="student_resume", format_func=lambda i: by_version[i].label
        )
        resume_view.preview(by_version[shown].resume)

with tab_notes:
    with st.form("add_note", clear_on_submit=True):
        targets: dict[str, tuple[int | None, int | None]] = {"The student in general": (None, None)}
        targets.update({f"Report: {a.job_title} ({when(a.created_at, DATE)}, {a.overall_score}/100)": (a.id, None)
                        for a in reports})  # fmt: skip
        targets.update({f"Interview: {i.job_title or 'practice'} ({when(i.created_at, DATE)})": (None, i.id)
                        for i in sessions})  # fmt: skip
        about = st.selectbox("About", list(targets))
        body = st.text_area("Note for the student", help="The student sees this on their My cohorts page.")
        if st.form_submit_button("Save note", type="primary"):
            with user_errors():
                analysis_id, interview_id = targets[about]
                notes.add_note(ctx, actor, student_id, body, analysis_id=analysis_id, interview_id=interview_id)
                st.success("Saved. The student can read it now.")
    with user_errors():
        for note in notes.notes_about(ctx, actor, student_id):
            with st.container(border=True):
                st.caption(f"{when(note.created_at)} · {plain(note.author)} · {plain(note.about)}")
                st.markdown(plain(note.body))
                if note.author_id == actor.id and st.button("Delete", key=f"delete_note_{note.id}"):
                    with user_errors():
                        notes.delete_note(ctx, actor, note.id)
                        st.rerun()

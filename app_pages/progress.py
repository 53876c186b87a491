"""Progress: scores over time, skills gained, interview scores, reviews, activity."""

import streamlit as st

from core.student import deck, progress
from core.ui import charts
from core.ui.clock import when
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain
from core.ui.widgets import metrics

actor, ctx = current_actor(), get_ctx()
st.title("Progress")

points = progress.score_history(ctx, actor, actor.id)
interviews = progress.interview_history(ctx, actor, actor.id)
review_days = deck.review_days(ctx, actor, actor.id)

if not (points or interviews or review_days):
    st.info("No history yet. Start with a job match: every report, interview and review shows up here.",
            icon=":material/insights:")
    st.page_link("app_pages/job_match.py", label="Run your first job match", icon=":material/analytics:")
    st.stop()

if points:
    st.plotly_chart(charts.scores_by_cv_and_job(points), config=charts.PLOT_CONFIG)
    lines = charts.score_lines(points)
    line = st.selectbox("Breakdown for", list(lines), key="progress_line", help="One CV against one job.")
    st.plotly_chart(charts.breakdown_over_time(lines[line], line), config=charts.PLOT_CONFIG)
    gains = progress.skill_gains(ctx, actor, actor.id)
    st.subheader("Skills you added since your first match")
    if gains:
        for job_title in sorted({g.job_title for g in gains}):
            skills = ", ".join(plain(g.skill) for g in gains if g.job_title == job_title)
            st.markdown(f"**{plain(job_title)}:** {skills}")
    else:
        st.caption("Match the same job again after improving your CV to see skills move from missing to matched.")
if interviews:
    st.plotly_chart(charts.interview_scores(interviews), config=charts.PLOT_CONFIG)
    if (delivery := charts.delivery_over_time(interviews)) is not None:
        st.plotly_chart(delivery, config=charts.PLOT_CONFIG)
    else:
        st.caption("Speak your answers in a practice interview to chart your pace and filler words here.")
if review_days:
    st.subheader("Flashcards")
    reviews, recalled = sum(d.reviews for d in review_days), sum(d.recalled for d in review_days)
    metrics([("Reviews (60 days)", reviews), ("Recalled", f"{recalled / reviews:.0%}"),
             ("Reviews per study day", f"{reviews / len(review_days):.1f}")])  # fmt: skip
    st.plotly_chart(charts.reviews_per_day(review_days), config=charts.PLOT_CONFIG)

st.subheader("Recent activity")
for event in progress.activity(ctx, actor, actor.id):
    st.markdown(f"- {when(event.at)} · {plain(event.text)}")

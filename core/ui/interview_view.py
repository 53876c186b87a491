"""How an interview's feedback and results look; shared by the Interviews page and staff views of a student."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core.engine.practice import LENGTH_RANGE, STAR_PARTS
from core.student.interviews import COMPLETED, IN_PROGRESS, PROCESSING, UNSCORED, InterviewRecord
from core.ui.text import plain
from core.ui.widgets import metrics

STATUS_LABELS = {
    IN_PROGRESS: "In progress",
    PROCESSING: "Waiting for the transcript",
    COMPLETED: "Completed",
    UNSCORED: "Ended without answers",
}
MODE_LABELS = {"practice": "Practice", "video": "Video"}
SUB_SCORES = {"star": "STAR", "specificity": "Specifics", "keywords": "Keywords", "fluency": "Fluency",
              "length": "Length"}  # fmt: skip


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def _keyword_badges(evaluation: Mapping[str, Any]) -> str:
    covered = [f":green-badge[{plain(k)}]" for k in evaluation["keywords_covered"]]
    missed = [f":orange-badge[{plain(k)} (missed)]" for k in evaluation["keywords_missed"]]
    return " ".join(covered + missed)


def render_feedback(entry: Mapping[str, Any]) -> None:
    """One answer's checks (STAR, specifics, keywords, filler words, length) and the coaching sentences."""
    evaluation, coach = entry["evaluation"], entry["coach"]
    if entry.get("skipped"):
        st.warning("You skipped this question; it counts as zero.", icon=":material/skip_next:")
        return
    st.markdown(f"**Answer score: {evaluation['score']} / 100**")
    columns = st.columns(len(SUB_SCORES))
    for column, (name, label) in zip(columns, SUB_SCORES.items(), strict=True):
        value = evaluation["scores"].get(name)
        column.metric(label, "n/a" if value is None else value)
    star = evaluation["star"]
    low, high = LENGTH_RANGE[evaluation["kind"]]
    fillers = evaluation["filler_words"]
    checks = [
        "**STAR:** " + " · ".join(f"{'✅' if star[p] else '❌'} {p}" for p in STAR_PARTS),
        "**Specifics:** "
        + (", ".join(map(plain, evaluation["specifics"][:6])) or "none: add numbers, timeframes, outcomes"),
        "**Job keywords:** " + (_keyword_badges(evaluation) or "none expected"),
        "**Filler words:** " + (", ".join(f"{plain(w)} ×{n}" for w, n in fillers.items()) or "none"),
        f"**Length:** {evaluation['word_count']} words (aim for {low}–{high})",
    ]
    st.markdown("  \n".join(checks))
    with st.container(border=True):
        st.markdown(plain(coach["feedback"]))
        for tip in coach.get("tips") or []:
            st.markdown(f"- {plain(tip)}")
        if coach.get("note"):
            st.caption(plain(coach["note"]))


def render_result(record: InterviewRecord) -> None:
    """Scores, strengths, weaknesses and recommendations, then the answers or the transcript."""
    if record.status == UNSCORED:
        st.warning(
            "The call ended before any answer could be scored. Start a new interview when you are ready.",
            icon=":material/videocam_off:",
        )
    result = record.result
    if result is not None:
        metrics([("Overall", result["overall"]), ("Technical", result["technical"]),
                 ("Communication", result["communication"]), ("Job match", result["job_match"])])
        st.caption(f"{result['questions_answered']} of {result['questions_total']} questions answered.")
        strengths, weaknesses = st.columns(2)
        with strengths:
            st.markdown("**Strengths**")
            for line in result["strengths"] or ["Keep practising: strengths show up as your answers get sharper."]:
                st.markdown(f"- {plain(line)}")
        with weaknesses:
            st.markdown("**To work on**")
            for line in result["weaknesses"] or ["Nothing stood out."]:
                st.markdown(f"- {plain(line)}")
        st.markdown("**Recommendations**")
        for line in result["recommendations"]:
            st.markdown(f"- {plain(line)}")
    if record.mode == "practice":
        for number, question in enumerate(record.questions, 1):
            entry = record.answer_for(question["id"])
            with st.expander(f"Question {number}: {plain(question['text'][:90])}"):
                st.markdown(plain(question["text"]))
                if entry is None:
                    st.caption("Not answered.")
                    continue
                if entry["text"]:
                    st.markdown(f"> {plain(entry['text'])}")
                render_feedback(entry)
    elif record.transcript:
        with st.expander("Transcript"):
            for turn in record.transcript:
                who = "Interviewer" if turn["role"] == "assistant" else "You"
                st.markdown(f"**{who}:** {plain(turn['content'])}")

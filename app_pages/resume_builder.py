"""Résumé builder: start from a CV, a JSON file or nothing; complete what is missing one field at a time; tailor
to a job truthfully; preview, download and save versions (each saved version is a CV in My CVs).

The draft lives in the session as the résumé's dict until the student saves it; widget keys carry a round
number that changes whenever the draft is replaced, so the widgets always show the draft.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.ai.base import LOCAL
from core.engine.explain import PART_LABELS
from core.engine.report import BREAKDOWN
from core.engine.resume_builder import checks, tailor
from core.engine.resume_builder.dates import normalise
from core.engine.resume_builder.model import Resume, get_field, set_field, validate
from core.errors import AppError
from core.student import cvs, jobs, resumes
from core.ui import resume_view
from core.ui.actions import flash, show_flashes
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

MY_JOBS, CATALOGUE, PASTE = "My jobs", "Catalogue", "Paste a job"
DATE_FIELDS = ("start", "end", "date")

actor, ctx = current_actor(), get_ctx()
state = st.session_state
state.setdefault("rb_round", 0)

st.title("Résumé builder")
st.caption(
    "Turn your CV into a structured résumé, complete what is missing, tailor it to a job with only what is true, "
    "and download an ATS-friendly PDF, Word file or JSON Resume. Each saved version appears in My CVs."
)
notices = st.container()  # always drawn: messages come and go without shifting (and resetting) the tabs below
with notices:
    show_flashes()


def set_draft(resume: Resume, source: str | None = None) -> None:
    """Replace the draft; `source` says how it was started or tailored (an edit keeps the draft's source)."""
    state["rb_draft"] = resume.model_dump()
    state["rb_source"] = source or state.get("rb_source", "edit")
    state["rb_round"] += 1
    state.pop("rb_proposal", None)


def key(name: str) -> str:
    return f"rb_{state.rb_round}_{name}"


# --- where the draft comes from ---------------------------------------------------------------------------------

if "rb_draft" not in state and (latest := resumes.latest_version(ctx, actor)) is not None:
    set_draft(latest.resume, "edit")
    state["rb_job"] = latest.job_title


def load_version(version_id: int) -> None:
    version = resumes.get_version(ctx, actor, version_id)
    set_draft(version.resume, "edit")
    state["rb_job"] = version.job_title
    flash(f"Version {version.number} is in the editor.")


def handle_json(uploaded: UploadedFile) -> None:
    failed = state.get("rb_failed_json")
    if failed and failed[0] == uploaded.file_id:
        st.error(plain(failed[1]), icon=":material/error:")
        return
    try:
        resume, notes = resumes.from_json(uploaded.getvalue())
    except AppError as error:
        state["rb_failed_json"] = (uploaded.file_id, error.message)
        st.error(plain(error.message), icon=":material/error:")
        return
    set_draft(resume, "json")
    state["rb_job"] = None
    flash(f"Started from {uploaded.name}. " + " ".join(notes))
    st.rerun()


with st.expander("Start from…", expanded="rb_draft" not in state, icon=":material/start:"):
    records = cvs.list_cvs(ctx, actor)
    left, right = st.columns(2)
    with left:
        if records:
            by_cv = {record.id: record for record in records}
            cv_id = st.selectbox("One of your CVs", list(by_cv), key="rb_cv", format_func=lambda i: by_cv[i].filename)
            if st.button("Start from this CV", key="rb_from_cv", icon=":material/description:"):
                with user_errors():
                    set_draft(resumes.from_cv(ctx, actor, cv_id), "cv")
                    state["rb_job"] = None
                    flash(f"Started from {by_cv[cv_id].filename}. Check the Complete tab for what is missing.")
                    st.rerun()
        else:
            st.caption("Upload a CV on the My CVs page to start from it.")
        if st.button("Start blank", key="rb_blank", icon=":material/note_add:"):
            set_draft(Resume(), "blank")
            state["rb_job"] = None
            st.rerun()
    with right:
        uploaded = st.file_uploader(
            "A JSON Resume file (jsonresume.org) or the builder's JSON", type=["json"], key=f"rb_json_{state.rb_round}"
        )
        if uploaded is not None:
            handle_json(uploaded)

if "rb_draft" not in state:
    st.info("Choose where to start: one of your CVs, a JSON Resume file, or a blank résumé.")
    st.stop()

draft = validate(state["rb_draft"])


def save() -> None:
    saved = resumes.save_version(
        ctx, actor, draft, source=state.get("rb_source", "edit"), job_title=state.get("rb_job")
    )
    if not saved.created:
        st.info(f"Nothing changed since version {saved.version.number}, so nothing new was saved.")
        return
    name = saved.cv.filename if saved.cv else ""
    flash(f"Saved version {saved.version.number}. It is in My CVs as {name}, ready for job matches and interviews.")
    state["rb_source"] = "edit"
    st.rerun()


if st.button("Save as a new version", key="rb_save", type="primary", icon=":material/save:"):
    with notices, user_errors():
        save()

tab_complete, tab_edit, tab_tailor, tab_preview, tab_versions = st.tabs(
    ["Complete", "Edit", "Tailor to a job", "Preview & download", "Versions"]
)

# --- complete: one missing or weak field at a time --------------------------------------------------------------


def apply_field(issue: checks.Issue, value: str) -> None:
    assert issue.field is not None
    if issue.field[-1] in DATE_FIELDS:
        value = normalise(value, end=issue.field[-1] == "end")
    set_draft(set_field(draft, issue.field, value))
    flash("Changed. Next one below.")
    st.rerun()


def walk(issues: list[checks.Issue]) -> None:
    skipped: set[str] = state.setdefault("rb_skipped", set())
    waiting = [issue for issue in issues if issue.key not in skipped]
    if not waiting:
        st.caption("You skipped the rest.")
        if st.button("Show the skipped ones again", key="rb_unskip"):
            skipped.clear()
            st.rerun()
        return
    issue = waiting[0]
    st.caption(f"{len(issues)} to look at · {len(waiting)} not skipped")
    badge = ":red-badge[Missing]" if issue.severity == "missing" else ":orange-badge[Could be stronger]"
    st.markdown(f"{badge} {plain(issue.message)}")
    st.markdown(f"**{plain(issue.prompt)}**")
    if issue.field is None:
        st.caption("Fix this in the Edit tab.")
    else:
        current = str(get_field(draft, issue.field))
        proposal = state.get("rb_proposal")
        if proposal and proposal["key"] == issue.key:
            show_proposal(issue, proposal)
        widget = st.text_area if issue.field == ("summary",) or "bullets" in issue.field else st.text_input
        answer = widget("Your answer", value=current, key=key(f"answer_{issue.key}"))
        with st.container(horizontal=True):
            if st.button("Apply", key="rb_apply", type="primary"):
                with user_errors():
                    apply_field(issue, answer)
            if ctx.ai.name != LOCAL and st.button("Suggest wording", key="rb_suggest", icon=":material/auto_awesome:"):
                with user_errors(), st.spinner("Asking the assistant…"):
                    state["rb_proposal"] = {"key": issue.key, **asdict(resumes.propose(ctx, draft, issue.field,
                                                                                       issue.message))}  # fmt: skip
                    st.rerun()
            if st.button("Skip for now", key="rb_skip"):
                skipped.add(issue.key)
                st.rerun()
        if ctx.ai.name == LOCAL:
            st.caption("No language model is configured: answer the question in your own words.")


def show_proposal(issue: checks.Issue, proposal: dict[str, Any]) -> None:
    if proposal["text"] is None:
        reasons = "; ".join(proposal["refused"]) or proposal["note"] or "no wording came back"
        st.warning(f"The assistant's wording was not offered ({plain(reasons)}). Write your own.")
        return
    with st.container(border=True):
        st.markdown(f"**Assistant's wording:** {plain(proposal['text'])}")
        with st.container(horizontal=True):
            if st.button("Accept", key="rb_accept", type="primary"):
                with user_errors():
                    apply_field(issue, proposal["text"])
            if st.button("Reject", key="rb_reject"):
                state.pop("rb_proposal", None)
                st.rerun()


with tab_complete:
    found = checks.issues(draft)
    if found:
        walk(found)
    else:
        st.success("Nothing is missing or weak. Preview it, tailor it to a job, and save it.")

# --- edit: every field ------------------------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    return [line.strip().lstrip("•-* ").strip() for line in text.splitlines() if line.strip()]


def edited() -> dict[str, Any]:
    """The draft as the edit form holds it (dates as typed, normalised)."""

    def value(name: str) -> str:
        return str(state.get(key(name), ""))

    def dates(prefix: str, *names: str) -> dict[str, str]:
        return {name: normalise(value(f"{prefix}_{name}"), end=name == "end") for name in names}

    data = dict(state["rb_draft"])
    data["contact"] = {f: value(f"contact_{f}") for f in ("name", "title", "location", "email", "phone")}
    data["contact"]["links"] = lines(value("contact_links"))
    data["summary"] = value("summary")
    data["experience"] = [
        {"position": value(f"exp_{i}_position"), "company": value(f"exp_{i}_company"),
         **dates(f"exp_{i}", "start", "end"), "bullets": lines(value(f"exp_{i}_bullets"))}
        for i in range(len(draft.experience)) if not state.get(key(f"exp_{i}_remove"))
    ]  # fmt: skip
    data["education"] = [
        {"degree": value(f"edu_{i}_degree"), "field": value(f"edu_{i}_field"),
         "institution": value(f"edu_{i}_institution"), **dates(f"edu_{i}", "start", "end")}
        for i in range(len(draft.education)) if not state.get(key(f"edu_{i}_remove"))
    ]  # fmt: skip
    data["skills"] = [s.strip() for s in value("skills").replace("\n", ",").split(",")]
    data["projects"] = [
        {"name": value(f"proj_{i}_name"), "description": value(f"proj_{i}_description")}
        for i in range(len(draft.projects)) if not state.get(key(f"proj_{i}_remove"))
    ]  # fmt: skip
    data["certifications"] = [
        {"name": value(f"cert_{i}_name"), "issuer": value(f"cert_{i}_issuer"), **dates(f"cert_{i}", "date")}
        for i in range(len(draft.certifications)) if not state.get(key(f"cert_{i}_remove"))
    ]  # fmt: skip
    return data


def add_entry(section: str) -> None:
    data = edited()
    data[section].append({})
    with user_errors():
        set_draft(validate(data))


with tab_edit:
    with st.form("rb_edit"):
        st.subheader("Contact")
        c = draft.contact
        left, right = st.columns(2)
        left.text_input("Name", c.name, key=key("contact_name"))
        right.text_input("Title", c.title, key=key("contact_title"), placeholder="e.g. Data Analyst")
        left.text_input("E-mail", c.email, key=key("contact_email"))
        right.text_input("Phone", c.phone, key=key("contact_phone"))
        left.text_input("Location", c.location, key=key("contact_location"), placeholder="e.g. Portland, OR")
        right.text_area("Links (one per line)", "\n".join(c.links), key=key("contact_links"), height=68)
        st.text_area("Summary", draft.summary, key=key("summary"), height=100)
        st.subheader("Experience")
        for i, job in enumerate(draft.experience):
            with st.container(border=True):
                a, b, d1, d2 = st.columns([3, 3, 2, 2])
                a.text_input("Position", job.position, key=key(f"exp_{i}_position"))
                b.text_input("Company", job.company, key=key(f"exp_{i}_company"))
                d1.text_input("Start", job.start, key=key(f"exp_{i}_start"), placeholder="2021-03")
                d2.text_input("End", job.end, key=key(f"exp_{i}_end"), placeholder="2023-06 or present")
                st.text_area("Bullets (one per line)", "\n".join(job.bullets), key=key(f"exp_{i}_bullets"))
                st.checkbox("Remove this position", key=key(f"exp_{i}_remove"))
        st.subheader("Education")
        for i, degree in enumerate(draft.education):
            with st.container(border=True):
                a, b, d = st.columns([3, 3, 4])
                a.text_input("Degree", degree.degree, key=key(f"edu_{i}_degree"), placeholder="e.g. BSc")
                b.text_input("Field", degree.field, key=key(f"edu_{i}_field"))
                d.text_input("Institution", degree.institution, key=key(f"edu_{i}_institution"))
                d1, d2, rm = st.columns([2, 2, 3], vertical_alignment="bottom")
                d1.text_input("Start", degree.start, key=key(f"edu_{i}_start"))
                d2.text_input("End", degree.end, key=key(f"edu_{i}_end"))
                rm.checkbox("Remove this degree", key=key(f"edu_{i}_remove"))
        st.text_area("Skills (comma-separated)", ", ".join(draft.skills), key=key("skills"))
        st.subheader("Projects")
        for i, project in enumerate(draft.projects):
            with st.container(border=True):
                st.text_input("Project", project.name, key=key(f"proj_{i}_name"))
                st.text_area("Description", project.description, key=key(f"proj_{i}_description"), height=68)
                st.checkbox("Remove this project", key=key(f"proj_{i}_remove"))
        st.subheader("Certifications")
        for i, cert in enumerate(draft.certifications):
            a, b, d, rm = st.columns([4, 3, 2, 2], vertical_alignment="bottom")
            a.text_input("Certification", cert.name, key=key(f"cert_{i}_name"))
            b.text_input("Issuer", cert.issuer, key=key(f"cert_{i}_issuer"))
            d.text_input("Date", cert.date, key=key(f"cert_{i}_date"))
            rm.checkbox("Remove", key=key(f"cert_{i}_remove"))
        if st.form_submit_button("Apply changes", type="primary"):
            with user_errors():
                set_draft(validate(edited()))
                flash("Changes applied to the draft. Save a version to keep them.")
                st.rerun()
    with st.container(horizontal=True):
        for section, label in (("experience", "position"), ("education", "degree"), ("projects", "project"),
                               ("certifications", "certification")):  # fmt: skip
            st.button(f"Add a {label}", key=f"rb_add_{section}", on_click=add_entry, args=(section,),
                      icon=":material/add:")  # fmt: skip

# --- tailor to a job --------------------------------------------------------------------------------------------


def choose_job() -> resumes.TargetJob | None:
    saved = jobs.list_jobs(ctx, actor)
    default = MY_JOBS if saved else CATALOGUE
    source = st.segmented_control("Job", [MY_JOBS, CATALOGUE, PASTE], default=default, key="rb_job_source") or default
    if source == MY_JOBS:
        if not saved:
            st.info("You have no saved jobs yet: pick one from the catalogue or paste one.")
            return None
        by_id = {job.id: job for job in saved}
        job_id = st.selectbox("Saved job", list(by_id), key="rb_job_id", format_func=lambda i: by_id[i].label)
        return resumes.target_job(ctx, actor, job_id=job_id)
    if source == CATALOGUE:
        postings = {p.key: p for p in jobs.suggested_catalogue(ctx, actor, limit=30) or jobs.search_catalogue()}
        chosen = st.selectbox("Catalogue role", list(postings), key="rb_catalogue",
                              format_func=lambda k: f"{postings[k].title} — {postings[k].company}")  # fmt: skip
        return resumes.target_job(ctx, actor, catalogue_key=chosen)
    text = st.text_area("Job description", key="rb_job_text", height=200, placeholder="Paste the whole posting.")
    return resumes.target_job(ctx, actor, pasted=text) if text.strip() else None


def scores(report: Any) -> dict[str, int]:
    return {"overall": report.ats_score.overall_score, **report.ats_score.breakdown.model_dump(include=set(BREAKDOWN))}


def find_gaps(job: resumes.TargetJob) -> None:
    report = tailor.score(draft, job.text)
    state["rb_tailor"] = {
        "title": job.title, "text": job.text, "before": scores(report),
        "gaps": [asdict(gap) for gap in tailor.gaps(report, job.text)],
    }  # fmt: skip
    state.pop("rb_rescore", None)


def apply_ticked(plan: dict[str, Any], gaps: list[tailor.Gap]) -> None:
    placements = [
        tailor.Placement(gap.term, state[key(f"where_{i}")], state[key(f"text_{i}_{state[key(f'where_{i}')]}")])
        for i, gap in enumerate(gaps)
        if state.get(key(f"tick_{i}"))
    ]
    if not placements:
        st.warning("Tick at least one item you really have, or leave the résumé as it is.")
        return
    tailored = tailor.apply(draft, gaps, placements)
    after = scores(tailor.score(tailored, plan["text"]))
    set_draft(tailored, "tailored")
    state["rb_job"] = plan["title"]
    state["rb_rescore"] = {"title": plan["title"], "before": plan["before"], "after": after,
                           "added": [p.text for p in placements]}  # fmt: skip
    state.pop("rb_tailor", None)
    st.rerun()


def show_rescore(rescore: dict[str, Any]) -> None:
    before, after = rescore["before"], rescore["after"]
    gain = after["overall"] - before["overall"]
    st.metric(f"ATS score for {rescore['title']}", f"{after['overall']} / 100", delta=gain,
              help="Before → after, scored offline by the engine.")  # fmt: skip
    st.table({"Part": [PART_LABELS[p] for p in BREAKDOWN], "Before": [before[p] for p in BREAKDOWN],
              "After": [after[p] for p in BREAKDOWN]})  # fmt: skip
    st.caption("Added: " + "; ".join(plain(text) for text in rescore["added"]) + ". Save a version to keep it.")


with tab_tailor:
    if (rescore := state.get("rb_rescore")) is not None:
        show_rescore(rescore)
    target: resumes.TargetJob | None = None
    with user_errors():
        target = choose_job()
    if st.button("Find what this job asks for", key="rb_find_gaps", disabled=target is None, icon=":material/search:"):
        assert target is not None
        with user_errors():
            find_gaps(target)
    if (plan := state.get("rb_tailor")) is not None:
        gaps = [tailor.Gap(**gap) for gap in plan["gaps"]]
        st.markdown(f"**{plain(plan['title'])}** · your score now: **{plan['before']['overall']} / 100**")
        if not gaps:
            st.success("Your résumé already shows every skill and keyword this job asks for.")
        else:
            st.caption("Tick only what is true. Nothing you leave unticked is added.")
        where = tailor.targets(draft)
        for i, gap in enumerate(gaps):
            with st.container(border=True):
                kind = "skill" if gap.kind == "skill" else "keyword"
                if st.checkbox(f"I have this {kind}: **{plain(gap.label)}**", key=key(f"tick_{i}")):
                    suggested = tailor.suggest(draft, gap)
                    goes_to = st.selectbox("Where it goes", list(where), index=list(where).index(suggested.target),
                                          format_func=where.__getitem__, key=key(f"where_{i}"))  # fmt: skip
                    default = gap.label if goes_to == tailor.SKILLS else tailor.bullet_for(
                        draft, int(goes_to.split(".")[1]), gap.label)  # fmt: skip
                    st.text_input("As it will read (say what you did with it)", default, key=key(f"text_{i}_{goes_to}"))
                if gap.asked_in:
                    st.caption(f"The job: “{plain(gap.asked_in)}”")
        if gaps and st.button("Add the ticked ones and rescore", key="rb_tailor_apply", type="primary"):
            with user_errors():
                apply_ticked(plan, gaps)

with tab_preview:
    resume_view.downloads(draft, key="rb_download")
    resume_view.preview(draft)

with tab_versions:
    versions = resumes.list_versions(ctx, actor)
    if not versions:
        st.caption("No saved versions yet. “Save as a new version” stores one and adds it to My CVs.")
    resume_view.history(versions, key="rb_versions", on_load=load_version)

"""Show a structured CV (the `resume` JSON) so a student sees what recruiters' software will read from it.

Missing fields are highlighted, not hidden: an absent phone number or summary is something to fix.
Shared by the student's My CVs page and a counselor's student view.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.ui.text import plain

FIELD_LABELS = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "location": "Location",
    "summary": "Summary",
    "experience": "Experience",
    "education": "Education",
    "skills": "Skills",
}
DEGREE_LABELS = {
    "none": "No degree found",
    "high_school": "High school",
    "associate": "Associate degree",
    "bachelor": "Bachelor's degree",
    "master": "Master's degree",
    "phd": "PhD",
}
MISSING = ":red-background[missing]"


def missing_fields_notice(parsed: dict[str, Any]) -> None:
    missing = parsed.get("missing_fields") or []
    if missing:
        names = ", ".join(FIELD_LABELS.get(field, field).lower() for field in missing)
        st.warning(
            f"Recruiters expect these and we could not find them: **{names}**. "
            "Add them to your CV and upload the new version.",
            icon=":material/report:",
        )
    else:
        st.success("Everything a recruiter expects to find is there.", icon=":material/task_alt:")


def structured_cv(parsed: dict[str, Any]) -> None:
    """Contact details, headline facts, skills, positions and education, with gaps marked."""
    missing_fields_notice(parsed)
    missing = set(parsed.get("missing_fields") or [])

    left, right = st.columns(2)
    with left:
        st.markdown("**Contact**")
        for field in ("name", "email", "phone", "location"):
            value = parsed.get(field)
            shown = MISSING if field in missing or not value else plain(str(value))
            st.markdown(f"{FIELD_LABELS[field]}: {shown}")
        links = {kind: url for kind, url in (parsed.get("links") or {}).items() if url}
        if links:
            st.markdown("Links: " + " · ".join(f"{kind.title()} {plain(url)}" for kind, url in links.items()))
    with right:
        st.markdown("**At a glance**")
        years = parsed.get("years_experience")
        st.markdown(f"Experience: {years:g} years" if years else f"Experience: {MISSING}")
        st.markdown(f"Highest degree: {DEGREE_LABELS.get(parsed.get('highest_degree') or 'none', 'Unknown')}")
        sections = parsed.get("sections") or []
        st.markdown("Sections found: " + (", ".join(plain(s) for s in sections) if sections else MISSING))

    skills = parsed.get("skills") or []
    st.markdown("**Skills**")
    st.markdown(" ".join(f":blue-badge[{plain(skill)}]" for skill in skills) if skills else MISSING)

    st.markdown("**Experience**")
    for job in parsed.get("experience") or []:
        dates = " – ".join(plain(part) for part in (job.get("start"), job.get("end")) if part)
        heading = " at ".join(plain(part) for part in (job.get("title"), job.get("company")) if part)
        st.markdown(f"- **{heading or 'Position'}**" + (f" ({dates})" if dates else ""))
        for bullet in job.get("bullets") or []:
            st.markdown(f"    - {plain(bullet)}")
    if not parsed.get("experience"):
        st.markdown(MISSING)

    st.markdown("**Education**")
    for school in parsed.get("education") or []:
        parts = [school.get("degree"), school.get("institution"), school.get("year")]
        st.markdown("- " + ", ".join(plain(str(part)) for part in parts if part))
    if not parsed.get("education"):
        st.markdown(MISSING)

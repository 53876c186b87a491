"""AppTest of Progress (and the counselor's Progress tab): one trend line per CV version and job, named so the
student sees which CV scored what; another CV is another line, never a fall on one."""

from __future__ import annotations

import json

from core.access import Role
from core.coaching import cohorts
from core.student import analyses, cvs
from tests.conftest import CORPUS

JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")
CV_FILES = ("07_carla_mendes.txt", "15_rafael_duran.txt")


def two_cvs_one_job(ctx, student) -> dict[str, int]:
    """Each CV matched once against the same job; returns CV file name -> score."""
    scores = {}
    for name in CV_FILES:
        cv = cvs.upload_cv(ctx, student, name, (CORPUS / "resumes" / name).read_bytes())
        record = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT, title="Data Analyst")
        scores[name] = record.overall_score
    return scores


def score_traces(at) -> dict[str, list[int]]:
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "per CV and job" in c.proto.spec)
    return {trace["name"]: trace["y"] for trace in spec["data"]}


def test_each_cv_and_job_is_its_own_labelled_line(open_app, make_user, app_env):
    student = make_user()
    scores = two_cvs_one_job(app_env, student)
    at = open_app(student, page="app_pages/progress.py")
    assert not at.exception
    assert score_traces(at) == {f"Data Analyst · {name}": [score] for name, score in scores.items()}
    picker = at.selectbox(key="progress_line")
    assert picker.options == [f"Data Analyst · {name}" for name in sorted(CV_FILES)]
    picker.select(f"Data Analyst · {CV_FILES[1]}").run()
    breakdown = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Score breakdown" in c.proto.spec)
    assert breakdown["layout"]["title"]["text"] == f"Score breakdown: Data Analyst · {CV_FILES[1]}"


def test_the_counselor_sees_the_same_lines(open_app, make_user, app_env):
    counselor, student = make_user(role=Role.COUNSELOR), make_user()
    cohort = cohorts.create_cohort(app_env, counselor, name="Progress cohort")
    cohorts.join_cohort(app_env, student, cohort.invite_code, consent=True)
    scores = two_cvs_one_job(app_env, student)
    at = open_app(counselor)
    at.query_params["student"] = str(student.id)
    at.switch_page("app_pages/student.py").run()
    assert not at.exception
    assert score_traces(at) == {f"Data Analyst · {name}": [score] for name, score in scores.items()}


def test_a_hostile_job_title_stays_text_in_the_chart(open_app, make_user, app_env):
    student = make_user()
    cv = cvs.upload_cv(app_env, student, CV_FILES[0], (CORPUS / "resumes" / CV_FILES[0]).read_bytes())
    analyses.run_analysis(app_env, student, cv.id, pasted_text=JD_TEXT, title='<a href="https://evil.test">x</a>')
    at = open_app(student, page="app_pages/progress.py")
    [name] = score_traces(at)
    assert "<a" not in name and "&lt;a href" in name


def test_score_axes_tick_at_round_numbers_and_counts_at_whole_ones():
    from datetime import date

    from core.student.deck import ReviewDay
    from core.ui import charts

    assert charts.SCORE_AXIS["dtick"] == 20
    figure = charts.reviews_per_day([ReviewDay(day=date(2026, 12, 1), reviews=7, recalled=4)])
    assert figure.layout.yaxis.dtick == 2 and figure.layout.yaxis.tickformat == "d"
    assert figure.layout.yaxis2.dtick == 20
    assert charts.count_axis([0, 1])["dtick"] == 1


def test_no_zero_badge_when_the_score_did_not_change(open_app, make_user, app_env):
    student = make_user()
    cv = cvs.upload_cv(app_env, student, CV_FILES[0], (CORPUS / "resumes" / CV_FILES[0]).read_bytes())
    for _ in range(2):  # the same question twice: the same score
        analyses.run_analysis(app_env, student, cv.id, pasted_text=JD_TEXT, title="Data Analyst")
    at = open_app(student)
    latest = next(m for m in at.metric if m.label.startswith("Latest ATS score"))
    assert latest.delta in (None, "") and "None" not in str(latest.proto)

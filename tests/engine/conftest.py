"""Engine fixtures: the labelled corpus analysed once per test session (every readable CV x every JD)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.engine.jd import parse_jd
from core.engine.matching import read_text, report_for_job
from core.engine.report import Report
from core.engine.resume import parse_resume
from core.errors import AppError

CORPUS = Path(__file__).parents[1] / "corpus"
LABELS_TODAY = date(2026, 11, 1)


@dataclass(frozen=True)
class CorpusPair:
    """One labelled CV x JD pair with the report the engine writes for it."""

    resume_file: str
    jd_file: str
    match: str  # strong | partial | weak
    cv_text: str
    resume: dict[str, Any]
    report: Report


@pytest.fixture(scope="session")
def corpus_pairs() -> list[CorpusPair]:
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    settings = Settings(app_env="test")
    cvs: dict[str, tuple[str, dict[str, Any], Any]] = {}
    for name in sorted(labels["resumes"]):
        try:
            text, layout = read_text(CORPUS / "resumes" / name, settings)
        except AppError:
            continue  # the image-only scan
        cvs[name] = (text, parse_resume(text, LABELS_TODAY, layout.headings), layout)
    jds = {name: parse_jd((CORPUS / "jds" / name).read_text(encoding="utf-8")) for name in labels["jds"]}
    pairs = []
    for pair in labels["pairs"]:
        if pair["resume"] in cvs:
            text, resume, layout = cvs[pair["resume"]]
            report = report_for_job(resume, text, jds[pair["jd"]], layout)
            pairs.append(CorpusPair(pair["resume"], pair["jd"], pair["match"], text, resume, report))
    return pairs

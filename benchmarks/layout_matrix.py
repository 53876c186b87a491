"""The layout matrix (tests/layouts): read every CV content in every layout and compare it with the
one-column reference. Shared by benchmarks/parse_quality.py and tests/engine/test_layout_invariance.py.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.engine import ats
from core.engine.documents import ReadLimits, extract_text
from core.engine.jd import JobDescription, parse_jd
from core.engine.matching import report_for_job
from core.engine.resume import parse_resume

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests" / "layouts"
JDS = ROOT / "tests" / "corpus" / "jds"
LABELS = json.loads((LAYOUTS / "labels.json").read_text(encoding="utf-8"))
LABELS_TODAY = date(2026, 11, 1)
FIELDS = ("name", "email", "phone", "highest_degree", "positions")


@dataclass(frozen=True)
class Reading:
    resume: dict[str, Any]
    text: str
    layout: ats.Layout
    seconds: float

    def fields(self) -> dict[str, Any]:
        """What must not depend on the layout: contact, highest degree, positions (start year, title)."""
        positions = [{"start_year": int(e["start"][:4]), "title": e["title"]} for e in self.resume["experience"]]
        return {**{key: self.resume[key] for key in FIELDS[:-1]}, "positions": positions}

    def scores(self, jds: dict[str, JobDescription]) -> dict[str, int]:
        return {
            name: report_for_job(self.resume, self.text, jd, self.layout).ats_score.overall_score
            for name, jd in jds.items()
        }


def read(content: str, layout: str, limits: ReadLimits) -> Reading:
    path = LAYOUTS / f"{content}.{layout}"
    started = time.perf_counter()
    document = extract_text(path.read_bytes(), path.name, limits)
    seconds = time.perf_counter() - started
    facts = ats.Layout(document.pages, document.has_columns, document.has_tables, document.headings)
    return Reading(parse_resume(document.text, LABELS_TODAY, document.headings), document.text, facts, seconds)


def corpus_jds() -> dict[str, JobDescription]:
    return {path.name: parse_jd(path.read_text(encoding="utf-8")) for path in sorted(JDS.glob("*.txt"))}


def jaccard(a: list[str], b: list[str]) -> float:
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 1.0

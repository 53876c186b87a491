"""Parse quality of core.resume on the labelled corpus, and extraction time per file.

Run: .venv/bin/python benchmarks/parse_quality.py [--verbose]
Prints exact-match accuracy of name/email/phone/location, years within ±1, degree exact, section
precision/recall and extraction time (p50, max). "Present" is read as the labels' month (2026-11).
Then, per layout of the layout matrix (tests/layouts), against the one-column reference of each content:
fields equal (name, email, phone, degree, positions), largest years error, lowest skills Jaccard, largest
ATS score spread over the 8 corpus JDs, and the extraction time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.layout_matrix import LABELS as MATRIX  # noqa: E402
from benchmarks.layout_matrix import corpus_jds, jaccard, read  # noqa: E402
from core.config import Settings  # noqa: E402
from core.engine.documents import extract_text  # noqa: E402
from core.engine.resume import parse_resume  # noqa: E402
from core.errors import AppError, ErrorCode  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
LABELS_TODAY = date(2026, 11, 1)


def main() -> None:
    verbose = "--verbose" in sys.argv
    labels = json.loads((CORPUS / "labels.json").read_text())["resumes"]
    settings = Settings()
    first_pdf = next(name for name in sorted(labels) if name.endswith(".pdf"))
    started = time.perf_counter()
    extract_text((CORPUS / "resumes" / first_pdf).read_bytes(), first_pdf, settings)
    cold_start = time.perf_counter() - started  # includes starting the parser fork server once
    hits: dict[str, list[bool]] = {key: [] for key in ("name", "email", "phone", "location", "years", "degree")}
    true_pos = false_pos = false_neg = 0
    timings: list[float] = []
    no_text_layer_ok = []
    for filename, label in sorted(labels.items()):
        data = (CORPUS / "resumes" / filename).read_bytes()
        started = time.perf_counter()
        try:
            document = extract_text(data, filename, settings)
        except AppError as error:
            timings.append(time.perf_counter() - started)
            no_text_layer_ok.append(not label["text_layer"] and error.code == ErrorCode.NO_TEXT_LAYER)
            print(f"{filename}: {error.code}")
            continue
        timings.append(time.perf_counter() - started)
        resume = parse_resume(document.text, LABELS_TODAY, document.headings)
        checks = {
            "name": resume["name"] == label["name"],
            "email": resume["email"] == label["email"],
            "phone": resume["phone"] == label["phone"],
            "location": resume["location"] == label["location"],
            "years": abs(resume["years_experience"] - label["years_experience"]) <= 1,
            "degree": resume["highest_degree"] == label["highest_degree"],
        }
        for key, ok in checks.items():
            hits[key].append(ok)
        found, expected = set(resume["sections"]), set(label["sections"])
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if verbose or not all(checks.values()) or found != expected:
            wrong = {
                key: (resume[field], label[field])
                for key, field in (
                    ("name", "name"),
                    ("email", "email"),
                    ("phone", "phone"),
                    ("location", "location"),
                    ("years", "years_experience"),
                    ("degree", "highest_degree"),
                )
                if not checks[key]
            }
            print(f"{filename}: wrong={wrong} sections +{sorted(found - expected)} -{sorted(expected - found)}")
    print()
    for key, values in hits.items():
        print(f"{key:<9} {sum(values)}/{len(values)} = {100 * sum(values) / len(values):.0f}%")
    precision, recall = true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg)
    print(f"sections  precision {precision:.2f}  recall {recall:.2f}")
    print(f"image-only PDF -> NO_TEXT_LAYER: {all(no_text_layer_ok) and bool(no_text_layer_ok)}")
    print(
        f"extraction time per file: p50 {1000 * statistics.median(timings):.0f} ms, "
        f"max {1000 * max(timings):.0f} ms ({len(timings)} files; first call of the process {1000 * cold_start:.0f} ms)"
    )

    layout_matrix(settings)


def layout_matrix(settings: Settings) -> None:
    jds = corpus_jds()
    contents = sorted(MATRIX["contents"])
    reference = {content: read(content, MATRIX["reference_layout"], settings) for content in contents}
    ref_scores = {content: reading.scores(jds) for content, reading in reference.items()}
    print()
    print(f"{'layout':22} {'fields equal':>12} {'years err':>9} {'skills J':>8} {'score spread':>12} {'p50 ms':>7}")
    for layout in MATRIX["layouts"]:
        equal = 0
        years_err = spread = 0.0
        skills_j = 1.0
        times = []
        for content in contents:
            reading = reading_ref = reference[content]
            if layout != MATRIX["reference_layout"]:
                reading = read(content, layout, settings)
            times.append(reading.seconds)
            equal += reading.fields() == reading_ref.fields()
            years_err = max(years_err, abs(reading.resume["years_experience"] - reading_ref.resume["years_experience"]))
            skills_j = min(skills_j, jaccard(reading.resume["skills"], reading_ref.resume["skills"]))
            scores = reading.scores(jds)
            spread = max(spread, *(abs(scores[jd] - ref_scores[content][jd]) for jd in jds))
        print(
            f"{layout:22} {equal:>6}/{len(contents):<5} {years_err:>9.2f} {skills_j:>8.2f} {spread:>12.0f} "
            f"{1000 * statistics.median(times):>7.0f}"
        )


if __name__ == "__main__":
    main()

"""Speed of the analysis engine.

Run: .venv/bin/python benchmarks/analyze_speed.py [--batch-size 500]
1. p50/p95 of parse_resume + analyze per CV-JD pair on the corpus texts (text already extracted: this is
   the engine's own cost; file reading is measured by the batch figure).
2. Engine batch throughput: N CV texts parsed, analysed against one JD and ranked.
3. End-to-end batch: core.matching.batch over a folder of N CV files (copies of the corpus CVs, PDFs and
   DOCX included) with file reading through core.documents, ranked and written to CSV.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.engine.jd import parse_jd  # noqa: E402
from core.engine.matching import analyze, batch, read_text, report_for_job, write_batch_csv  # noqa: E402
from core.engine.resume import parse_resume  # noqa: E402
from core.errors import AppError  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def main() -> None:
    size = int(sys.argv[sys.argv.index("--batch-size") + 1]) if "--batch-size" in sys.argv else 500
    settings = Settings()
    texts = []
    for path in sorted((CORPUS / "resumes").iterdir()):
        try:
            texts.append(read_text(path, settings)[0])
        except AppError:
            continue
    jds = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "jds").glob("*.txt"))]
    analyze(parse_resume(texts[0]), texts[0], jds[0])  # warm-up: taxonomy and TF-IDF background load once
    timings = []
    for _ in range(3):
        for text in texts:
            for jd in jds:
                started = time.perf_counter()
                analyze(parse_resume(text), text, jd)
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"parse+analyse per pair: p50 {statistics.median(timings):.1f} ms  p95 {p95:.1f} ms  ({len(timings)} runs)")

    jd = parse_jd(jds[0])
    started = time.perf_counter()
    ranked = sorted(
        (report_for_job(parse_resume(t), t, jd).ats_score.overall_score for t in (texts * size)[:size]),
        reverse=True,
    )
    elapsed = time.perf_counter() - started
    print(f"engine batch of {size} CV texts (parse+analyse+rank): {elapsed:.1f} s ({len(ranked) / elapsed:.0f} CVs/s)")

    sources = [p for p in sorted((CORPUS / "resumes").iterdir()) if p.suffix in (".pdf", ".docx", ".txt")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cvs"
        folder.mkdir()
        for i in range(size):
            src = sources[i % len(sources)]
            shutil.copy(src, folder / f"{i:04d}_{src.name}")
        started = time.perf_counter()
        rows = batch(CORPUS / "jds" / "01_senior_backend_engineer.txt", folder, settings)
        write_batch_csv(rows, Path(tmp) / "out.csv")
        elapsed = time.perf_counter() - started
    errors = sum(1 for r in rows if r["error"])
    print(f"batch of {size} CV files: {elapsed:.1f} s ({size / elapsed:.0f} CVs/s, {errors} unreadable rows)")


if __name__ == "__main__":
    main()

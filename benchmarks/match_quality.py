"""Quality of the analysis engine on the labelled corpus (tests/corpus, a copy of ../shared/corpus).

Run: .venv/bin/python benchmarks/match_quality.py [--verbose]
Prints skill-extraction precision/recall against the labels, years within ±1, degree accuracy, JD parsing
agreement, the mean keyword sub-score per label, and per JD the AUC
of ats_score.overall_score for strong-vs-weak and strong-vs-partial pairs.

Skill precision is reported twice. The labels use a closed vocabulary (every canonical name that appears
anywhere in labels.json); the taxonomy has ~2,000 skills, so a correct mention of, say, "code review" is
unlabelled rather than wrong. "In-vocabulary" precision judges only names the annotators could have used;
"strict" precision counts every extra skill as a false positive (a lower bound).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from core.config import Settings  # noqa: E402
from core.engine.jd import parse_jd  # noqa: E402
from core.engine.matching import read_text, report_for_job  # noqa: E402
from core.engine.resume import parse_resume  # noqa: E402
from core.errors import AppError  # noqa: E402

CORPUS = Path(sys.argv[sys.argv.index("--corpus") + 1]) if "--corpus" in sys.argv else ROOT / "tests" / "corpus"
LABELS_TODAY = date(2026, 11, 1)


def auc(positives: list[float], negatives: list[float]) -> float | None:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def main() -> None:
    verbose = "--verbose" in sys.argv
    labels = json.loads((CORPUS / "labels.json").read_text())
    settings = Settings()
    vocab = {s for r in labels["resumes"].values() for s in r["skills"]}
    vocab |= {s for j in labels["jds"].values() for s in j["required_skills"] + j["preferred_skills"]}

    resumes: dict[str, tuple[dict, str, object]] = {}
    tp = fp = fn = strict_fp = 0
    years_ok: list[bool] = []
    degree_ok: list[bool] = []
    for name, label in sorted(labels["resumes"].items()):
        try:
            text, layout = read_text(CORPUS / "resumes" / name, settings)
        except AppError as exc:
            print(f"  {name}: {exc.code} (text_layer={label['text_layer']})")
            continue
        resume = parse_resume(text, LABELS_TODAY, layout.headings)
        resumes[name] = (resume, text, layout)
        got, want = set(resume["skills"]), set(label["skills"])
        tp += len(got & want)
        fp += len((got & vocab) - want)
        strict_fp += len(got - want)
        fn += len(want - got)
        years_ok.append(abs((resume["years_experience"] or 0) - label["years_experience"]) <= 1)
        degree_ok.append(resume["highest_degree"] == label["highest_degree"])
        if verbose and (got & vocab) ^ want:
            print(f"  {name}: extra={sorted((got & vocab) - want)} missed={sorted(want - got)}")
    p, r = _prf(tp, fp, fn)
    sp, _ = _prf(tp, strict_fp, fn)
    print(f"skills  precision {p:.3f} (in-vocabulary)  strict {sp:.3f}  recall {r:.3f}  over {len(resumes)} CVs")
    print(f"years   within ±1: {sum(years_ok)}/{len(years_ok)} = {sum(years_ok) / len(years_ok):.3f}")
    print(f"degree  accuracy:  {sum(degree_ok)}/{len(degree_ok)} = {sum(degree_ok) / len(degree_ok):.3f}")

    jds = {}
    jtp = jfp = jfn = 0
    role_ok = years_jd = degree_jd = 0
    for name, label in sorted(labels["jds"].items()):
        jd = parse_jd((CORPUS / "jds" / name).read_text(encoding="utf-8"))
        jds[name] = jd
        for mine, theirs in (
            (jd.required_skills, label["required_skills"]),
            (jd.preferred_skills, label["preferred_skills"]),
        ):
            got, want = set(mine) & vocab, set(theirs)
            jtp, jfp, jfn = jtp + len(got & want), jfp + len(got - want), jfn + len(want - got)
        role_ok += jd.title == label["title"]
        years_jd += jd.min_years == label["min_years"]
        degree_jd += jd.degree_required == label["degree_required"]
    jp, jr = _prf(jtp, jfp, jfn)
    n = len(jds)
    print(
        f"JD      required/preferred skill P {jp:.3f} R {jr:.3f}; "
        f"title {role_ok}/{n}; min_years {years_jd}/{n}; degree {degree_jd}/{n}"
    )

    scores: dict[tuple[str, str], int] = {}
    keyword_by_label: dict[str, list[int]] = {}
    for pair in labels["pairs"]:
        if pair["resume"] in resumes:
            resume, text, layout = resumes[pair["resume"]]
            report = report_for_job(resume, text, jds[pair["jd"]], layout)
            scores[(pair["resume"], pair["jd"])] = report.ats_score.overall_score
            keyword = report.ats_score.breakdown.keyword_density
            keyword_by_label.setdefault(pair["match"], []).append(keyword)
    means = ", ".join(f"{k} {sum(v) / len(v):.1f}" for k, v in sorted(keyword_by_label.items()))
    print(f"keyword sub-score mean: {means}")
    print(f"{'JD':36} {'strong-vs-weak':>15} {'strong-vs-partial':>18}")
    all_sw, all_sp = [], []
    for jd_name in sorted(jds):
        by = {"strong": [], "partial": [], "weak": []}
        for pair in labels["pairs"]:
            if pair["jd"] == jd_name and (pair["resume"], jd_name) in scores:
                by[pair["match"]].append(scores[(pair["resume"], jd_name)])
        sw, sp_ = auc(by["strong"], by["weak"]), auc(by["strong"], by["partial"])
        all_sw += [sw] if sw is not None else []
        all_sp += [sp_] if sp_ is not None else []
        fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"{jd_name:36} {fmt(sw):>15} {fmt(sp_):>18}")
        if verbose:
            for kind in ("strong", "partial", "weak"):
                rows = sorted(
                    (
                        (scores[(p["resume"], jd_name)], p["resume"])
                        for p in labels["pairs"]
                        if p["jd"] == jd_name and p["match"] == kind and (p["resume"], jd_name) in scores
                    ),
                    reverse=True,
                )
                print(f"    {kind:8} " + ", ".join(f"{s} {r[:12]}" for s, r in rows))
    print(f"{'mean':36} {sum(all_sw) / len(all_sw):>15.3f} {sum(all_sp) / len(all_sp):>18.3f}")
    print(f"min AUC strong-vs-weak {min(all_sw):.3f}; strong-vs-partial {min(all_sp):.3f}")


if __name__ == "__main__":
    main()

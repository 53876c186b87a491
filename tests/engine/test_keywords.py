"""Job keywords: a labelled set of JD phrases that must never be keywords and real ones that must be;
lemma matching; the keyword sub-score calibrated on the labelled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engine import keywords
from core.engine.jd import parse_jd
from tests.engine.conftest import CorpusPair

CORPUS = Path(__file__).parents[1] / "corpus"
CATALOGUE = Path(__file__).parents[2] / "core" / "data" / "catalogue"

# Fragments, verb phrases and generic words seen in real postings (the first ones quoted in issue 16).
JUNK = [
    "answer questions", "internships count", "runs stores", "plain", "explain", "results", "cache hot",
    "tables hot", "before submitting", "validated before", "abreast", "goods background", "chart",
    "expectations", "design clean", "tooling around", "portfolio showing", "feel simple", "tasks feel",
    "handling loading", "equivalent practical", "second cloud", "pulling", "running", "return", "optimize",
    "money", "polished", "area", "goals", "states", "state", "stack", "performance", "everything",
    "six-month", "hand-off", "million school", "strong communication", "ability", "team", "teams",
    "benefits", "salary", "opportunity", "experience", "years", "plus", "nice", "great", "fast-paced",
    "submitting", "validated", "ahead", "around", "together", "explain results", "answer", "count",
    "keep stakeholders", "drive results", "hot", "clean", "simple", "everyone", "process", "tools",
    "decisions", "insights",
]  # fmt: skip
# Skills-adjacent terms, domain terms, title terms and the key noun phrases of responsibilities.
REAL = [
    "shipment", "customer integrations", "event-driven pipelines", "high-volume tables", "mobile app",
    "schema migrations", "web framework", "infrastructure", "cloud platform", "follow-the-sun rotation",
    "security policies", "reliability", "autoscaling", "deployment", "production monitoring",
    "web applications", "browsers", "classification", "datasets", "regression", "business audiences",
    "financial services", "model governance", "rate filings", "actuaries", "drift", "analytics sources",
    "consumer goods", "legacy workbooks", "analysis", "analyses", "lookups", "recommendations", "finance",
    "automation", "cross-functional squad", "frontline workers", "software products", "workforce management",
    "equity", "experiments", "metrics", "accessible interfaces", "savings features", "research",
    "digital channels", "lifecycle programs", "agency", "brand", "budget", "slow queries", "payments",
    "claims", "retail", "sales", "hospital readmissions", "clinical", "deployments", "organic channels",
    "campaigns", "conversions", "booking platform", "automated tests", "event streams",
    "relational databases", "warehouse robots", "learning apps", "credit unions", "responsive interfaces",
    "backend", "engineer", "analyst", "designer", "sales targets", "operations manager", "data pipelines",
    "supply chain", "merchandising",
]  # fmt: skip


def test_labelled_sets_are_large_enough() -> None:
    assert len(set(JUNK)) >= 60 and len(set(REAL)) >= 60
    assert not set(JUNK) & set(REAL)


@pytest.mark.parametrize("phrase", JUNK)
def test_junk_phrase_is_never_a_keyword(phrase: str) -> None:
    assert not keywords.is_candidate(phrase)


@pytest.mark.parametrize("phrase", REAL)
def test_real_phrase_is_a_keyword(phrase: str) -> None:
    assert keywords.is_candidate(phrase)


def _postings() -> list[Path]:
    return sorted((CORPUS / "jds").glob("*.txt")) + sorted(CATALOGUE.glob("*.txt"))


def test_no_posting_yields_a_junk_keyword() -> None:
    junk = {keywords._key(j) for j in JUNK}
    for path in _postings():
        found = {keywords._key(k) for k in parse_jd(path.read_text(encoding="utf-8")).keywords}
        assert not found & junk, path.name


def test_postings_yield_their_real_terms() -> None:
    jd = parse_jd((CORPUS / "jds" / "01_senior_backend_engineer.txt").read_text(encoding="utf-8"))
    assert {"backend engineer", "shipment", "event-driven pipelines", "schema migrations"} <= set(jd.keywords)
    harbourline = parse_jd((CATALOGUE / "data_analyst_mumbai.txt").read_text(encoding="utf-8"))
    assert {"data analyst", "retail"} <= set(harbourline.keywords)


def test_verb_use_in_context_is_not_a_phrase() -> None:
    """ "to answer questions" and a bullet opening with a verb do not make "answer questions" a keyword."""
    terms = keywords._terms("Write SQL to answer questions from store teams.\n- Review pull requests daily.")
    assert "answer questions" not in terms and "review pull" not in terms


@pytest.mark.parametrize(
    ("jd_word", "cv_line"),
    [
        ("analyses", "Ran cohort analysis for 12 stores"),
        ("management", "Managed a team of 6 analysts"),
        ("managed services", "Migrated to a managed service on AWS"),
        ("event-driven pipelines", "Built event driven pipeline for orders"),
        ("dashboards", "Built a dashboard used by 40 managers"),
        ("post-incident reviews", "Led postmortems: every post incident review within 48 hours"),
        ("forecasting", "Forecasts demand weekly"),
    ],
)
def test_matching_by_lemma_and_hyphen_variants(jd_word: str, cv_line: str) -> None:
    index = keywords.cv_index(f"Jane Doe\n{cv_line}\n")
    assert index.find(jd_word) == cv_line


def test_unrelated_line_does_not_match() -> None:
    assert keywords.cv_index("Built a payroll app").find("schema migrations") is None


def test_keyword_subscore_is_calibrated_on_the_corpus(corpus_pairs: list[CorpusPair]) -> None:
    """Strong pairs score like strong pairs (>= 60 on average) and above partial and weak ones."""
    by: dict[str, list[int]] = {}
    for pair in corpus_pairs:
        by.setdefault(pair.match, []).append(pair.report.to_json()["ats_score"]["breakdown"]["keyword_density"])
    mean = {k: sum(v) / len(v) for k, v in by.items()}
    assert mean["strong"] >= 60
    assert mean["strong"] > mean["partial"] > mean["weak"]


def test_found_keywords_cite_the_cv_line(corpus_pairs: list[CorpusPair]) -> None:
    for pair in corpus_pairs:
        analysis = pair.report.to_json()["analysis"]
        assert set(analysis["keyword_evidence"]) == set(analysis["matching_keywords"])
        for line in analysis["keyword_evidence"].values():
            assert line in pair.cv_text

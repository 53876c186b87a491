"""Job match: run a paid CV ↔ job analysis, store the report, and read stored reports back (free).

Order of work in `run_analysis`: check the inputs (no charge for a missing CV or an empty JD), charge the
price through ledger.run_paid, compute every score with the deterministic engine, ask the configured
language model to reword the insights and flashcards (never the scores), then store the report and add its
flashcards to the deck in one transaction. Any failure after the charge refunds it. The report's `meta`
block says which provider wrote which part and why the built-in wording was used, if it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from core import deadline
from core.access import Actor, readable_by, require_student_access, view_session
from core.ai.base import LOCAL, Enriched, enrich, label
from core.ai.schemas import Flashcard, FlashcardsWording, InsightsWording
from core.billing import ledger
from core.billing.ledger import Charge
from core.context import AppContext
from core.engine.documents import report_in_worker
from core.engine.report import BREAKDOWN, Card, Insights, Meta, Report, load_report
from core.errors import AppError, ErrorCode
from core.models import CV, Analysis, Transaction
from core.student import deck, jobs

log = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "We could not find that report."
CV_GONE_MESSAGE = "That CV was deleted, so it cannot be analysed. Choose another CV or upload it again."
ENGINE_FAILED_MESSAGE = (
    "We could not analyse this CV. Upload it again on the My CVs page and retry. You were not charged."
)
EXCERPT_CHARS = 1500
MAX_MODEL_CARDS = 15


@dataclass(frozen=True)
class AnalysisSummary:
    """One line of the history: enough to list and reopen a report without loading its JSON."""

    id: int
    user_id: int
    created_at: datetime
    job_title: str
    cv_filename: str
    cv_deleted: bool
    overall_score: int
    provider: str

    @property
    def cv_label(self) -> str:
        return f"{self.cv_filename} (CV deleted)" if self.cv_deleted else self.cv_filename


@dataclass(frozen=True)
class AnalysisRecord(AnalysisSummary):
    cv_id: int | None
    job_id: int | None
    breakdown: dict[str, int]
    report: Report
    credits_charged: int
    charge_id: int | None

    @property
    def meta(self) -> Meta:
        return self.report.meta or Meta()


def _summary(row: Analysis) -> AnalysisSummary:
    return AnalysisSummary(
        id=row.id, user_id=row.user_id, created_at=row.created_at, job_title=row.job_title,
        cv_filename=row.cv_filename, cv_deleted=row.cv_id is None, overall_score=row.overall_score,
        provider=row.provider,
    )  # fmt: skip


def _record(row: Analysis) -> AnalysisRecord:
    return AnalysisRecord(
        **_summary(row).__dict__,
        cv_id=row.cv_id,
        job_id=row.job_id,
        breakdown={part: getattr(row, part) for part in BREAKDOWN},
        report=load_report(dict(row.report)),
        credits_charged=row.credits_charged,
        charge_id=row.charge_id,
    )


# --- inputs -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    cv_id: int
    cv_filename: str
    cv_text: str
    resume: dict[str, Any]
    job_id: int | None  # None: a pasted JD, saved as a job when the report is stored
    job_title: str
    job_text: str
    job_source: str


def _inputs(
    ctx: AppContext, actor: Actor, cv_id: int, job_id: int | None, pasted_text: str | None, title: str | None
) -> _Inputs:
    with ctx.db.read() as session:
        cv = session.get(CV, cv_id)
        if cv is None or cv.user_id != actor.id:
            raise AppError(ErrorCode.NOT_FOUND, CV_GONE_MESSAGE)
        if job_id is not None:
            job = jobs.readable(session, actor, job_id)
            text, job_title, source = job.text, job.title, job.source
        else:
            text, job_title, source = pasted_text or "", (title or "").strip(), "pasted"
        if not text.strip():
            raise AppError(ErrorCode.MISSING_JOB_DESCRIPTION, "Add a job description first: pick a job or paste one.")
        return _Inputs(cv.id, cv.filename, cv.text, cv.parsed, job_id, job_title, text, source)


# --- the run ----------------------------------------------------------------------------------------------


def run_analysis(
    ctx: AppContext,
    actor: Actor,
    cv_id: int,
    job_id: int | None = None,
    pasted_text: str | None = None,
    title: str | None = None,
) -> AnalysisRecord:
    """Charge, analyse, word, store; the charge is refunded if no report could be stored."""
    inputs = _inputs(ctx, actor, cv_id, job_id, pasted_text, title)
    price = ctx.settings.price_cv_analysis
    reason = f"CV analysis: {inputs.job_title or 'pasted job'}"[:300]  # named after the report's title once known
    return ledger.run_paid(
        ctx, actor, price, reason, lambda paid: _analyse_and_store(ctx, actor, inputs, paid), ref_type="analysis"
    )


def _engine_report(ctx: AppContext, inputs: _Inputs) -> Report:
    try:
        report = report_in_worker(inputs.resume, inputs.cv_text, inputs.job_text, ctx.settings)
    except AppError as exc:  # a damaged stored CV must not show a traceback; the caller refunds
        if exc.code != ErrorCode.INVALID_INPUT:
            raise
        log.error("analysis engine failed on CV %s", inputs.cv_id)
        raise AppError(ErrorCode.INVALID_INPUT, ENGINE_FAILED_MESSAGE) from exc
    return Report.model_validate(report)


def _analyse_and_store(ctx: AppContext, actor: Actor, inputs: _Inputs, paid: Charge) -> AnalysisRecord:
    report = _engine_report(ctx, inputs)
    job_title = inputs.job_title or (report.job.title if report.job else "") or "Pasted job"
    with deadline.limit(ctx.settings.ai_analysis_seconds):  # both model calls share it: the worst case is bounded
        insights = _insights(ctx, report, job_title)
        cards = _flashcards(ctx, report, inputs.resume, job_title)
    report.insights = Insights.model_validate(insights.value.model_dump())
    if cards.source != LOCAL:
        report.flashcards = [Card.model_validate(card.model_dump()) for card in cards.value.cards[:MAX_MODEL_CARDS]]
    used = {part: result.source for part, result in (("insights", insights), ("flashcards", cards))}
    provider = ctx.ai.name if any(source != LOCAL for source in used.values()) else LOCAL
    report.meta = meta = Meta(
        scores="engine",
        configured_provider=ctx.ai.name,
        provider=provider,
        sources=used,
        notes=[note for note in (insights.note, cards.note) if note],
        cv_filename=inputs.cv_filename,
        job_title=job_title,
        job_source=inputs.job_source,
    )
    with ctx.db.session() as session:
        job_id = inputs.job_id or _pasted_job(session, actor, inputs, job_title)
        row = Analysis(
            user_id=actor.id, cv_id=inputs.cv_id, job_id=job_id, cv_filename=inputs.cv_filename,
            job_title=job_title[:200], overall_score=report.ats_score.overall_score,
            **report.ats_score.breakdown.model_dump(include=set(BREAKDOWN)),
            report={}, provider=provider, credits_charged=paid.amount, charge_id=paid.id,
            job_text_hash=job_text_hash(inputs.job_text),
        )  # fmt: skip
        session.add(row)
        if paid.id is not None and not inputs.job_title:  # a pasted JD without a title: the ledger line names the
            charged = session.get(Transaction, paid.id)  # title the report found, not "pasted job"
            if charged is not None:
                charged.reason = f"CV analysis: {job_title}"[:300]
        session.flush()
        meta.flashcards_added = deck.add_generated(
            session, actor.id, [card.model_dump() for card in report.flashcards], analysis_id=row.id, job_id=job_id,
            job_title=job_title[:200],
        )  # fmt: skip
        row.report = _validated(report)  # once its cards are counted (they need the row's id)
        session.flush()
        return _record(row)


def _validated(report: Report) -> dict[str, Any]:
    """The report's stored JSON, validated against the model (attribute assignments are not checked)."""
    return Report.model_validate(report.to_json()).to_json()


def _pasted_job(session: Session, actor: Actor, inputs: _Inputs, job_title: str) -> int:
    return jobs.add_job(session, actor, title=job_title, text=inputs.job_text, source="pasted").id


def _insights(ctx: AppContext, report: Report, job_title: str) -> Enriched[InsightsWording]:
    evidence = report.ats_score.evidence
    facts = {
        "analysis": report.analysis.model_dump(mode="json", exclude_unset=True),
        "ats_score": report.ats_score.model_dump(mode="json", include={"overall_score", "breakdown"}),
        "format_checks_failed": evidence.format_optimization.failed if evidence else {},
    }
    variables = {
        "job_title": job_title,
        "report": json.dumps(facts, ensure_ascii=False),
        "resume_excerpt": report.resume_preview[:EXCERPT_CHARS],
    }
    return enrich(
        ctx.ai, "analysis_insights", variables, InsightsWording,
        local=lambda: InsightsWording.model_validate(report.insights.model_dump()),
    )  # fmt: skip


def _flashcards(ctx: AppContext, report: Report, resume: dict[str, Any], job_title: str) -> Enriched[FlashcardsWording]:
    bullets = [b for job in resume.get("experience") or [] for b in job.get("bullets") or []]
    variables = {
        "job_title": job_title,
        "required_skills": report.job.required_skills if report.job else [],
        "missing_skills": report.analysis.missing_skills,
        "experience_bullets": "\n".join(f"- {b}" for b in bullets[:20]) or "(none listed)",
        "count": len(report.flashcards) or 10,
    }

    def local() -> FlashcardsWording:
        return FlashcardsWording(cards=[Flashcard(front=c.front, back=c.back) for c in report.flashcards])

    return enrich(ctx.ai, "flashcards", variables, FlashcardsWording, local=local)


# --- reading ----------------------------------------------------------------------------------------------


def list_analyses(ctx: AppContext, actor: Actor, student_id: int | None = None) -> list[AnalysisSummary]:
    """A student's reports, newest first (the actor's own, or a student they may see)."""
    owner = actor.id if student_id is None else student_id
    query = (
        select(Analysis)
        .options(defer(Analysis.report))  # the history never needs the JSON; reports can be large
        .where(Analysis.user_id == owner)
        .order_by(Analysis.created_at.desc(), Analysis.id.desc())
    )
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, owner, purpose="analyses")
        return [_summary(row) for row in session.scalars(query)]


def job_text_hash(text: str) -> str:
    """What makes two job descriptions "the same": their words, whatever the spacing or line breaks."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def same_question(ctx: AppContext, actor: Actor, cv_id: int, job_text: str) -> AnalysisSummary | None:
    """The actor's latest report on this CV version and this job text, if any.

    The scores are deterministic, so running it again would cost a credit for the same answer: pages offer to
    reopen this one for free instead.
    """
    if not job_text.strip():
        return None
    query = (
        select(Analysis)
        .options(defer(Analysis.report))
        .where(Analysis.user_id == actor.id, Analysis.cv_id == cv_id, Analysis.job_text_hash == job_text_hash(job_text))
        .order_by(Analysis.created_at.desc(), Analysis.id.desc())
        .limit(1)
    )
    with ctx.db.read() as session:
        row = session.scalar(query)
        return _summary(row) if row is not None else None


def get_analysis(ctx: AppContext, actor: Actor, analysis_id: int) -> AnalysisRecord:
    """A stored report; reopening costs nothing. Other students are told it does not exist."""
    with view_session(ctx.db, actor) as session:
        row = readable_by(
            session, actor, session.get(Analysis, analysis_id), purpose="analysis", not_found=NOT_FOUND_MESSAGE
        )
        return _record(row)


def provider_label(name: str) -> str:
    """How a report names who wrote its wording ("OpenAI", or "built-in engine")."""
    return "built-in engine" if name == LOCAL else label(name)

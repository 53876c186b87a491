"""SQLAlchemy 2 models. Every row a user owns carries `user_id`; services check it against the actor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime, default=utcnow, nullable=False)


# --- accounts and cohorts -------------------------------------------------------------------


class User(Base):
    __tablename__ = "users"
    # AUTOINCREMENT on SQLite: a deleted user's id is never reused, so audit rows keep naming the right person.
    __table_args__ = (
        CheckConstraint("role in ('student','counselor','admin')", name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(100))  # None: signs in only through SSO
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="student")
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    target_roles: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[datetime] = created_at_column()
    last_active_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when the address is known to reach the person: at creation for accounts an admin, a seed or SSO made;
    # NULL for a self-registered account until its verification link is opened.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    # Signed into every remember-me cookie and session; raising it (sign-out, password change or reset,
    # disable) ends them all on their next script run.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")


class ApiToken(Base):
    """A personal API token: only its SHA-256 is stored; the token itself is shown once when created."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class EmailToken(Base):
    """A single-use link sent by e-mail (password reset, address verification): only its SHA-256 is stored."""

    __tablename__ = "email_tokens"
    __table_args__ = (CheckConstraint("purpose in ('reset','verify')", name="purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(String(10), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class SsoIdentity(Base):
    """An OIDC account (issuer, subject) linked to a user: later sign-ins find the user by it, not by e-mail."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
        Index("ix_sso_identities_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    issuer: Mapped[str] = mapped_column(String(255), nullable=False)
    provider: Mapped[str] = mapped_column(String(60), nullable=False)  # its name in secrets, for people to read
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    term: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    invite_code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    target_roles: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()


class CohortMember(Base):
    """A student (consented to share) or a counselor (coaches) in a cohort; leaving deletes the row."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_cohort_user"),
        CheckConstraint("member_role in ('student','counselor')", name="member_role"),
        Index("ix_cohort_members_user", "user_id", "member_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    member_role: Mapped[str] = mapped_column(String(20), nullable=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    joined_at: Mapped[datetime] = created_at_column()


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_subject", "subject_user_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    subject_user_id: Mapped[int | None] = mapped_column(Integer)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


# --- billing --------------------------------------------------------------------------------


class Wallet(Base):
    __tablename__ = "wallets"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class Transaction(Base):
    """One ledger row per change of balance; the wallet balance equals the sum of `amount`."""

    __tablename__ = "transactions"
    __table_args__ = (
        CheckConstraint("kind in ('purchase','grant','welcome','charge','refund')", name="kind"),
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        Index("ix_transactions_user_created", "user_id", "created_at"),
        Index("ix_transactions_settled_at", "settled_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: the books outlive an erased account, under its (never reused) id as an opaque reference.
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    balance_after: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    ref_type: Mapped[str | None] = mapped_column(String(40))
    ref_id: Mapped[str | None] = mapped_column(String(80))
    refund_of_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    # None only for a paid action's charge that is still running (core.billing.ledger.run_paid); set when it
    # is settled or refunded, so a charge left pending by a dead process can be found and refunded once.
    settled_at: Mapped[datetime | None] = mapped_column(DateTime)


class Payment(Base):
    """A checkout with a payment provider; credited at most once per (provider, provider_ref)."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("provider", "provider_ref", name="uq_payments_provider_ref"),
        Index("ix_payments_user", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)  # kept after erasure, like the ledger's
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    provider_ref: Mapped[str] = mapped_column(String(120), nullable=False)
    credits: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="created")
    checkout_url: Mapped[str | None] = mapped_column(Text)
    # The buyer's request key: a double-clicked "Buy" finds this row instead of opening a second checkout.
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


# --- CVs, jobs, analyses --------------------------------------------------------------------


class CV(Base):
    __tablename__ = "cvs"
    __table_args__ = (UniqueConstraint("user_id", "sha256", name="uq_cvs_user_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    file_type: Mapped[str] = mapped_column(String(10), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = created_at_column()


class ResumeVersion(Base):
    """One saved version of a student's structured résumé (core.student.resumes); saving also stores its PDF as
    a CV (`cv_id`), which job matches and interviews use like an upload."""

    __tablename__ = "resume_versions"
    __table_args__ = (UniqueConstraint("user_id", "number", name="uq_resume_versions_user_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # cv | json | blank | edit | tailored
    changes: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    job_title: Mapped[str | None] = mapped_column(String(200))  # tailored to this job
    cv_id: Mapped[int | None] = mapped_column(ForeignKey("cvs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()


class Job(Base):
    """A job description: a student's own, one copied from the catalogue, or one a counselor published."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("source in ('saved','catalogue','pasted','cohort')", name="source"),
        Index("ix_jobs_owner", "owner_id"),
        Index("ix_jobs_cohort", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="saved")
    catalogue_key: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    company: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_at_column()


class Analysis(Base):
    """A stored ATS report; the five scores are columns so dashboards aggregate in SQL."""

    __tablename__ = "analyses"
    __table_args__ = (
        # Covers the cohort dashboard's per-student window (first/latest/best score) as an index-only scan,
        # so its cost follows the cohort's size, not the whole table's (benchmarks/cohort_scale.py).
        Index("ix_analyses_user_created", "user_id", "created_at", "id", postgresql_include=["overall_score"]),
        Index("ix_analyses_user_overall", "user_id", "overall_score"),
        Index("ix_analyses_same_question", "user_id", "cv_id", "job_text_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    cv_id: Mapped[int | None] = mapped_column(ForeignKey("cvs.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    cv_filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    job_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    overall_score: Mapped[int] = mapped_column(Integer, nullable=False)
    keyword_density: Mapped[int] = mapped_column(Integer, nullable=False)
    skills_match: Mapped[int] = mapped_column(Integer, nullable=False)
    experience_relevance: Mapped[int] = mapped_column(Integer, nullable=False)
    education_match: Mapped[int] = mapped_column(Integer, nullable=False)
    format_optimization: Mapped[int] = mapped_column(Integer, nullable=False)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    provider: Mapped[str] = mapped_column(String(40), nullable=False, default="local")
    credits_charged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))
    job_text_hash: Mapped[str | None] = mapped_column(String(64))  # analyses.job_text_hash: "the same job"
    created_at: Mapped[datetime] = created_at_column()


# --- flashcards -----------------------------------------------------------------------------


class Flashcard(Base):
    __tablename__ = "flashcards"
    __table_args__ = (
        UniqueConstraint("user_id", "front", name="uq_flashcards_user_front"),
        Index("ix_flashcards_user_due", "user_id", "suspended", "due"),
        # Deleting an analysis (or an account) sets flashcards.analysis_id to NULL: without it, a table scan per row.
        Index("ix_flashcards_analysis", "analysis_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analyses.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    job_title: Mapped[str | None] = mapped_column(String(200))
    skill: Mapped[str | None] = mapped_column(String(120))
    front: Mapped[str] = mapped_column(String(1000), nullable=False)
    back: Mapped[str] = mapped_column(Text, nullable=False)
    suspended: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    fsrs_card: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    due: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    created_at: Mapped[datetime] = created_at_column()


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_user_at", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    flashcard_id: Mapped[int] = mapped_column(
        ForeignKey("flashcards.id", ondelete="CASCADE"), nullable=False, index=True
    )
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    review_log: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


# --- interviews -----------------------------------------------------------------------------


class Interview(Base):
    __tablename__ = "interviews"
    __table_args__ = (
        CheckConstraint("mode in ('practice','video')", name="mode"),
        Index("ix_interviews_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    cv_id: Mapped[int | None] = mapped_column(ForeignKey("cvs.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    cv_filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    job_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    questions: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    answers: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    transcript: Mapped[list[Any] | None] = mapped_column(JSON)
    provider: Mapped[str] = mapped_column(String(40), nullable=False, default="local")
    conversation_id: Mapped[str | None] = mapped_column(String(120))
    conversation_url: Mapped[str | None] = mapped_column(Text)
    # The secret in this conversation's Tavus callback_url (/webhooks/tavus/{token}); unguessable, per interview.
    callback_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # What Tavus reported about the call (callbacks or polling; the first report of each wins).
    replica_joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)  # starts the bounded wait for the transcript
    shutdown_reason: Mapped[str | None] = mapped_column(String(200))
    recording: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {bucket_name, s3_key, duration}
    perception_analysis: Mapped[str | None] = mapped_column(Text)
    unscored_reason: Mapped[str | None] = mapped_column(String(300))  # the sentence the student is shown
    credits_charged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)


class InterviewResult(Base):
    __tablename__ = "interview_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    technical: Mapped[int] = mapped_column(Integer, nullable=False)
    communication: Mapped[int] = mapped_column(Integer, nullable=False)
    job_match: Mapped[int] = mapped_column(Integer, nullable=False)
    overall: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # Delivery over the interview's spoken answers (None when none was spoken), for the Progress charts.
    words_per_minute: Mapped[float | None] = mapped_column(Float)
    fillers_per_minute: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created_at_column()


# --- counselor notes ------------------------------------------------------------------------


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_student", "student_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analyses.id", ondelete="SET NULL"))
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_at_column()

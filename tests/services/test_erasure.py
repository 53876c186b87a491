"""Erasure keeps the books (issue #21, hole 9): deleting an account removes its personal data, scrubs its
audit rows (CV file names, e-mails, names, typed reasons), and keeps its ledger and payment rows under the
user's never-reused id, with the amounts and balances accounting needs."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from core.access import Role
from core.accounts import privacy
from core.billing import grants, purchases
from core.models import AuditLog, Payment, Transaction, User, Wallet
from core.student import analyses, cvs
from tests.conftest import CORPUS

JD = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")


def test_erasure_scrubs_audit_rows_and_keeps_pseudonymised_books(ctx, make_user):
    staff = make_user(Role.ADMIN)
    student = make_user(email="dana.doe@example.com", name="Dana Doe")
    cv = cvs.upload_cv(ctx, student, "Dana_Doe_CV_2027.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    analyses.run_analysis(ctx, student, cv.id, pasted_text=JD, title="Analyst at Dana's dream company")
    grants.grant(ctx, staff, email=student.email, credits=5, reason="Scholarship for Dana Doe")
    purchases.buy(ctx, student, 10, uuid.uuid4().hex)
    with ctx.db.session() as session:
        books_before = [(t.id, t.kind, t.amount, t.balance_after) for t in
                        session.scalars(select(Transaction).where(Transaction.user_id == student.id))]  # fmt: skip
        payments_before = session.scalar(select(func.count(Payment.id)).where(Payment.user_id == student.id))
    assert {kind for _, kind, _, _ in books_before} == {"welcome", "charge", "grant", "purchase"}

    privacy.delete_account(ctx, student, confirm_email=student.email)

    with ctx.db.session() as session:
        assert session.get(User, student.id) is None and session.get(Wallet, student.id) is None
        kept = session.scalars(select(Transaction).where(Transaction.user_id == student.id)).all()
        assert [(t.id, t.kind, t.amount, t.balance_after) for t in kept] == books_before  # the books stay
        assert all(t.reason == f"{t.kind} (erased account)" for t in kept)
        payments = session.scalars(select(Payment).where(Payment.user_id == student.id)).all()
        assert len(payments) == payments_before >= 1 and all(p.checkout_url is None for p in payments)
        stored = json.dumps([row.details for row in session.scalars(select(AuditLog))] + [t.reason for t in kept],
                            ensure_ascii=False)  # fmt: skip
    for personal in ("Dana", "dana.doe@example.com", "Dana_Doe_CV_2027", "dream company"):
        assert personal not in stored, personal

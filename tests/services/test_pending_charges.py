"""A paid action's charge is pending until settled: settled on success, refunded on failure, and a charge left
pending by a dead or stopping process is refunded exactly once (audited), however many replicas sweep."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.access import Actor
from core.billing import ledger
from core.context import AppContext
from core.db import utcnow
from core.models import AuditLog, Transaction
from tests.services.test_billing import assert_ledger_consistent


def charge_row(ctx: AppContext, charge_id: int) -> Transaction:
    with ctx.db.session() as session:
        return session.get_one(Transaction, charge_id)


def refunds_of(ctx: AppContext, charge_id: int) -> list[Transaction]:
    with ctx.db.session() as session:
        return list(session.scalars(select(Transaction).where(Transaction.refund_of_id == charge_id)))


def abandoned(ctx: AppContext, student: Actor, age_seconds: float = 3600) -> int:
    """A charge as a killed process leaves it: pending, its action gone, `age_seconds` old."""
    paid = ledger.charge(ctx, student, 2, "CV analysis: Analyst", ref_type="analysis", pending=True)
    assert paid.id is not None
    with ctx.db.session() as session:
        session.execute(
            update(Transaction)
            .where(Transaction.id == paid.id)
            .values(created_at=utcnow() - timedelta(seconds=age_seconds))
        )
    return paid.id


def test_success_settles_and_failure_refunds(ctx: AppContext, make_user: Callable[..., Actor]) -> None:
    student = make_user()
    seen: list[int] = []

    def work(paid: ledger.Charge) -> str:
        assert paid.id is not None
        seen.append(paid.id)
        assert charge_row(ctx, paid.id).settled_at is None  # pending while the action runs
        return "done"

    assert ledger.run_paid(ctx, student, 1, "CV analysis", work) == "done"
    assert charge_row(ctx, seen[0]).settled_at is not None and not refunds_of(ctx, seen[0])

    def failing(paid: ledger.Charge) -> None:
        seen.append(paid.id or 0)
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        ledger.run_paid(ctx, student, 1, "CV analysis", failing)
    assert charge_row(ctx, seen[1]).settled_at is not None and len(refunds_of(ctx, seen[1])) == 1
    assert ledger.sweep_pending(ctx, 0) == 0  # nothing left pending
    assert assert_ledger_consistent(ctx, student.id) == 9


def test_sweep_refunds_an_abandoned_charge_once_and_audits_it(ctx: AppContext, make_user: Callable[..., Actor]) -> None:
    student = make_user()
    old = abandoned(ctx, student)
    young = abandoned(ctx, student, age_seconds=1)  # maybe still running in another replica: left alone
    assert assert_ledger_consistent(ctx, student.id) == 6
    assert ledger.sweep_pending(ctx, 300) == 1
    assert ledger.sweep_pending(ctx, 300) == 0
    assert [row.amount for row in refunds_of(ctx, old)] == [2] and not refunds_of(ctx, young)
    assert assert_ledger_consistent(ctx, student.id) == 8
    with ctx.db.session() as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "credits.refund_abandoned")).all()
    assert [(row.subject_user_id, row.target_id) for row in audit] == [(student.id, str(old))]


def test_replicas_sweeping_at_once_refund_exactly_once(ctx: AppContext, make_user: Callable[..., Actor]) -> None:
    student = make_user()
    charges = [abandoned(ctx, student) for _ in range(4)]
    barrier = threading.Barrier(6)
    counts: list[int] = []

    def sweep() -> None:
        barrier.wait()
        counts.append(ledger.sweep_pending(ctx, 300))

    threads = [threading.Thread(target=sweep) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert all(len(refunds_of(ctx, charge_id)) == 1 for charge_id in charges)
    assert assert_ledger_consistent(ctx, student.id) == 10


def test_shutdown_waits_for_running_actions_then_refunds_the_rest(
    ctx: AppContext, make_user: Callable[..., Actor]
) -> None:
    student = make_user()
    release = threading.Event()
    charged: list[int] = []

    def slow(paid: ledger.Charge) -> str:
        charged.append(paid.id or 0)
        release.wait(10)
        return "stored"

    quick = threading.Thread(target=ledger.run_paid, args=(ctx, student, 1, "quick", lambda _paid: time.sleep(0.3)))
    quick.start()
    stuck = threading.Thread(target=ledger.run_paid, args=(ctx, student, 1, "stuck", slow))
    stuck.start()
    time.sleep(0.1)
    started = time.perf_counter()
    assert ledger.drain(ctx, grace_seconds=1.0) == 1  # the quick one finished in the grace period
    assert 0.9 <= time.perf_counter() - started < 3
    quick.join()
    release.set()
    stuck.join()  # it finishes after all: its settle finds the charge refunded and leaves it so
    assert len(refunds_of(ctx, charged[0])) == 1
    assert assert_ledger_consistent(ctx, student.id) == 9
    assert ledger.drain(ctx, grace_seconds=1.0) == 0

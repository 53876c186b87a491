"""Wallet and ledger on SQLite and PostgreSQL: invariants, charge-then-run, grants, access, concurrency."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.access import Actor, Role
from core.billing import grants, ledger, purchases
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.models import AuditLog, Cohort, CohortMember, Transaction, Wallet


def assert_ledger_consistent(ctx: AppContext, user_id: int) -> int:
    """Balance == ledger sum, each row's balance_after is the running sum, never negative; returns the balance."""
    with ctx.db.session() as session:
        wallet = session.get(Wallet, user_id)
        rows = session.scalars(select(Transaction).where(Transaction.user_id == user_id).order_by(Transaction.id))
        running = 0
        for row in rows:
            running += row.amount
            assert row.balance_after == running >= 0, (row.id, row.kind, row.balance_after, running)
        assert wallet.balance == running
        return wallet.balance


def test_new_student_has_welcome_credits_as_first_ledger_row(ctx, make_user):
    student = make_user()
    assert ledger.balance(ctx, student) == 10
    [welcome] = ledger.ledger(ctx, student)
    assert (welcome.kind, welcome.amount, welcome.balance_after) == ("welcome", 10, 10)


def test_charge_takes_credits_and_refuses_to_overdraw(ctx, make_user):
    student = make_user()
    paid = ledger.charge(ctx, student, 7, "CV analysis", ref_type="analysis", ref_id=3)
    assert (paid.amount, paid.balance_after) == (7, 3)
    with pytest.raises(AppError) as error:
        ledger.charge(ctx, student, 5, "Video interview")
    assert error.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert error.value.message.startswith("This needs 5 credits and you have 3.")
    assert assert_ledger_consistent(ctx, student.id) == 3
    assert [e.kind for e in ledger.ledger(ctx, student)] == ["charge", "welcome"]


@pytest.mark.parametrize("amount", [0, -1, 2.5, True])
def test_charge_rejects_amounts_that_are_not_positive_whole_numbers(ctx, make_user, amount):
    student = make_user()
    with pytest.raises(AppError) as error:
        ledger.charge(ctx, student, amount, "odd")
    assert error.value.code == ErrorCode.INVALID_INPUT
    assert ledger.balance(ctx, student) == 10


def test_charge_with_the_same_idempotency_key_charges_once(ctx, make_user):
    student = make_user()
    first = ledger.charge(ctx, student, 2, "Practice interview", idempotency_key="interview:1")
    again = ledger.charge(ctx, student, 2, "Practice interview", idempotency_key="interview:1")
    assert first == again
    assert ledger.balance(ctx, student) == 8


def test_run_paid_keeps_the_charge_when_the_action_succeeds(ctx, make_user):
    student = make_user()
    seen = []
    result = ledger.run_paid(
        ctx, student, 2, "Practice interview", lambda charge: seen.append(charge) or "done", ref_type="interview"
    )
    assert result == "done"
    assert seen[0].balance_after == 8 and seen[0].id is not None
    assert ledger.balance(ctx, student) == 8


def test_run_paid_refunds_when_the_action_fails_and_reraises(ctx, make_user):
    student = make_user()

    def dead_provider(_charge: ledger.Charge) -> None:
        assert ledger.balance(ctx, student) == 5  # charged before the work starts
        raise AppError(ErrorCode.TAVUS_ERROR)

    with pytest.raises(AppError) as error:
        ledger.run_paid(ctx, student, 5, "Video interview", dead_provider, ref_type="interview", ref_id=9)
    assert error.value.code == ErrorCode.TAVUS_ERROR
    refund, charge, _welcome = ledger.ledger(ctx, student)
    assert (charge.kind, charge.amount, charge.ref_id) == ("charge", -5, "9")
    assert (refund.kind, refund.amount, refund.refund_of_id, refund.ref_id) == ("refund", 5, charge.id, "9")
    assert assert_ledger_consistent(ctx, student.id) == 10


def test_run_paid_without_enough_credits_does_not_run_the_action(ctx, make_user):
    student = make_user()
    ran = []
    with pytest.raises(AppError) as error:
        ledger.run_paid(ctx, student, 11, "Too dear", ran.append)
    assert error.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert ran == []
    assert [e.kind for e in ledger.ledger(ctx, student)] == ["welcome"]


def test_run_paid_with_price_zero_writes_no_ledger_row(ctx, make_user):
    student = make_user()
    assert ledger.run_paid(ctx, student, 0, "Free", lambda charge: charge.id) is None
    assert len(ledger.ledger(ctx, student)) == 1


def test_a_charge_is_refunded_at_most_once(ctx, make_user):
    student = make_user()
    paid = ledger.charge(ctx, student, 3, "CV analysis")
    first = ledger.refund(ctx, student, paid.id, "failed")
    second = ledger.refund(ctx, student, paid.id, "failed again")
    assert first == second
    assert assert_ledger_consistent(ctx, student.id) == 10


def test_only_the_owner_or_an_admin_refunds_a_charge(ctx, make_user):
    student, other, admin = make_user(), make_user(), make_user(role=Role.ADMIN)
    paid = ledger.charge(ctx, student, 3, "CV analysis")
    with pytest.raises(AppError) as error:
        ledger.refund(ctx, other, paid.id, "not mine")
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    ledger.refund(ctx, admin, paid.id, "goodwill")
    assert ledger.balance(ctx, student) == 10
    with ctx.db.session() as session:
        log = session.scalar(select(AuditLog).where(AuditLog.action == "credits.refund"))
    assert (log.actor_id, log.subject_user_id) == (admin.id, student.id)


def test_refund_of_something_that_is_not_a_charge_is_not_found(ctx, make_user):
    student = make_user()
    [welcome] = ledger.ledger(ctx, student)
    with pytest.raises(AppError) as error:
        ledger.refund(ctx, student, welcome.id, "nope")
    assert error.value.code == ErrorCode.NOT_FOUND


# --- randomized invariants -------------------------------------------------------------------------------


def provider_down(_charge: ledger.Charge) -> None:
    raise RuntimeError("provider down")


operations = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.sampled_from([10, 25, 50, 100])),
        st.tuples(st.just("charge"), st.integers(min_value=1, max_value=30)),
        st.tuples(st.just("refund"), st.integers(min_value=0, max_value=5)),
        st.tuples(st.just("grant"), st.integers(min_value=1, max_value=20)),
        st.tuples(st.just("paid_action_fails"), st.integers(min_value=1, max_value=8)),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_keep_balance_equal_to_ledger_and_never_negative(ctx, make_user, ops):
    student = make_user()  # a fresh wallet per example
    admin = make_user(role=Role.ADMIN)
    expected, charges, refunded = 10, [], set()
    for op, value in ops:
        if op == "buy":
            result = purchases.buy(ctx, student, value, uuid.uuid4().hex)
            assert result.credited_now and result.is_demo
            expected += value
        elif op == "charge":
            try:
                charges.append(ledger.charge(ctx, student, value, "random charge"))
                expected -= value
            except AppError as error:
                assert error.code == ErrorCode.INSUFFICIENT_CREDITS and value > expected
        elif op == "refund" and charges:
            paid = charges[value % len(charges)]
            ledger.refund(ctx, student, paid.id, "random refund")
            if paid.id not in refunded:
                refunded.add(paid.id)
                expected += paid.amount
        elif op == "grant":
            grants.grant(ctx, admin, email=student.email, credits=value, reason="random grant")
            expected += value
        elif op == "paid_action_fails":
            with pytest.raises((RuntimeError, AppError)):
                ledger.run_paid(ctx, student, value, "flaky", provider_down)
    assert assert_ledger_consistent(ctx, student.id) == expected
    with ctx.db.session() as session:
        refunds = session.scalars(
            select(Transaction.refund_of_id).where(Transaction.kind == "refund", Transaction.user_id == student.id)
        ).all()
    assert len(refunds) == len(set(refunds))


# --- ledger access, filters and CSV -------------------------------------------------------------------------


def test_a_student_cannot_see_another_students_transactions(ctx, make_user):
    ana, ben = make_user(), make_user()
    with pytest.raises(AppError) as error:
        ledger.ledger(ctx, ben, user_id=ana.id)
    assert error.value.code == ErrorCode.NOT_FOUND


def test_admin_and_the_students_counselor_may_see_it_audited(ctx, make_user):
    ana, counselor, stranger, admin = (
        make_user(),
        make_user(role=Role.COUNSELOR),
        make_user(role=Role.COUNSELOR),
        make_user(role=Role.ADMIN),
    )
    cohort_id = add_cohort(ctx, students=[ana], counselors=[counselor])
    assert cohort_id
    assert len(ledger.ledger(ctx, admin, user_id=ana.id)) == 1
    assert len(ledger.ledger(ctx, counselor, user_id=ana.id)) == 1
    with pytest.raises(AppError):
        ledger.ledger(ctx, stranger, user_id=ana.id)
    with ctx.db.session() as session:
        assert session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "view.transactions")) == 2


def test_ledger_filters_by_kind_and_date(ctx, make_user):
    student = make_user()
    ledger.charge(ctx, student, 1, "a")
    purchases.buy(ctx, student, 10, uuid.uuid4().hex)
    assert [e.kind for e in ledger.ledger(ctx, student, kinds=["charge", "purchase"])] == ["purchase", "charge"]
    today = utcnow().date()
    assert len(ledger.ledger(ctx, student, start=today, end=today)) == 3
    assert ledger.ledger(ctx, student, start=today + timedelta(days=1)) == []
    assert ledger.ledger(ctx, student, end=today - timedelta(days=1)) == []


def test_ledger_csv_has_every_row_and_defuses_formulas(ctx, make_user):
    student, admin = make_user(), make_user(role=Role.ADMIN)
    grants.grant(ctx, admin, email=student.email, credits=3, reason='=HYPERLINK("http://evil")')
    ledger.run_paid(ctx, student, 2, "CV analysis", lambda _charge: None, ref_type="analysis", ref_id=7)
    header, *rows = csv.reader(io.StringIO(ledger.ledger_csv(ledger.ledger(ctx, student))))
    assert header == [
        "id",
        "created_at_utc",
        "kind",
        "amount",
        "balance_after",
        "reason",
        "reference",
        "refund_of",
        "demo",
    ]
    assert [row[2:7] for row in rows] == [
        ["charge", "-2", "11", "CV analysis", "analysis:7"],
        ["grant", "3", "13", '\'=HYPERLINK("http://evil")', ""],
        ["welcome", "10", "10", "Welcome credits", ""],
    ]


# --- grants ------------------------------------------------------------------------------------------------------


def add_cohort(ctx: AppContext, *, students: list[Actor], counselors: list[Actor] = ()) -> int:
    with ctx.db.session() as session:
        cohort = Cohort(name=f"Cohort {uuid.uuid4().hex[:6]}", invite_code=uuid.uuid4().hex[:12])
        session.add(cohort)
        session.flush()
        session.add_all([CohortMember(cohort_id=cohort.id, user_id=s.id, member_role="student") for s in students])
        session.add_all([CohortMember(cohort_id=cohort.id, user_id=c.id, member_role="counselor") for c in counselors])
        return cohort.id


def test_admin_grants_credits_to_a_user_audited(ctx, make_user):
    student, admin = make_user(email="ana@example.com"), make_user(role=Role.ADMIN)
    entry = grants.grant(ctx, admin, email=" ANA@example.com", credits=15, reason="  Hackathon prize ")
    assert (entry.kind, entry.amount, entry.balance_after, entry.reason) == ("grant", 15, 25, "Hackathon prize")
    with ctx.db.session() as session:
        log = session.scalar(select(AuditLog).where(AuditLog.action == "credits.grant"))
    assert (log.actor_id, log.subject_user_id, log.details) == (
        admin.id,
        student.id,
        {"credits": 15, "reason": "Hackathon prize"},
    )
    [grant] = grants.recent_grants(ctx, admin)
    assert (grant.email, grant.credits, grant.granted_by) == ("ana@example.com", 15, admin.email)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.COUNSELOR])
def test_only_admins_grant(ctx, make_user, role):
    student, someone = make_user(), make_user(role=role)
    cohort_id = add_cohort(ctx, students=[student])
    for attempt in (
        lambda: grants.grant(ctx, someone, email=student.email, credits=5, reason="please"),
        lambda: grants.grant_cohort(ctx, someone, cohort_id=cohort_id, credits=5, reason="please"),
        lambda: grants.recent_grants(ctx, someone),
    ):
        with pytest.raises(AppError) as error:
            attempt()
        assert error.value.code == ErrorCode.PERMISSION_DENIED
    assert ledger.balance(ctx, student) == 10


def test_grant_needs_a_known_email_a_reason_and_a_sane_amount(ctx, make_user):
    admin, student = make_user(role=Role.ADMIN), make_user()
    cases = [
        ("nobody@example.com", 5, "x", ErrorCode.NOT_FOUND),
        (student.email, 5, "  ", ErrorCode.INVALID_INPUT),
        (student.email, 0, "x", ErrorCode.INVALID_INPUT),
        (student.email, 10_001, "x", ErrorCode.INVALID_INPUT),
    ]
    for email, credits, reason, code in cases:
        with pytest.raises(AppError) as error:
            grants.grant(ctx, admin, email=email, credits=credits, reason=reason)
        assert error.value.code == code
    assert ledger.balance(ctx, student) == 10


def test_admin_grants_a_whole_cohort_once_per_request_key(ctx, make_user):
    admin, counselor = make_user(role=Role.ADMIN), make_user(role=Role.COUNSELOR)
    students = [make_user() for _ in range(3)]
    outsider = make_user()
    cohort_id = add_cohort(ctx, students=students, counselors=[counselor])
    assert (
        grants.grant_cohort(ctx, admin, cohort_id=cohort_id, credits=4, reason="Term start", idempotency_key="k1") == 3
    )
    assert (
        grants.grant_cohort(ctx, admin, cohort_id=cohort_id, credits=4, reason="Term start", idempotency_key="k1") == 3
    )  # a double submit
    assert [ledger.balance(ctx, s) for s in students] == [14, 14, 14]
    assert ledger.balance(ctx, outsider) == 10
    assert ledger.balance(ctx, counselor) == 0  # counselors are not granted student credits
    [choice] = grants.cohort_choices(ctx, admin)
    assert (choice.id, choice.students) == (cohort_id, 3)
    with ctx.db.session() as session:
        log = session.scalar(select(AuditLog).where(AuditLog.action == "credits.grant_cohort"))
    assert log.details == {"credits": 4, "reason": "Term start", "students": 3}


def test_granting_an_empty_or_unknown_cohort_is_explained(ctx, make_user):
    admin = make_user(role=Role.ADMIN)
    empty = add_cohort(ctx, students=[])
    with pytest.raises(AppError, match="no students"):
        grants.grant_cohort(ctx, admin, cohort_id=empty, credits=1, reason="x")
    with pytest.raises(AppError) as error:
        grants.grant_cohort(ctx, admin, cohort_id=empty + 100, credits=1, reason="x")
    assert error.value.code == ErrorCode.NOT_FOUND


# --- concurrency ----------------------------------------------------------------------------------------------------


def fire_concurrent_charges(ctx: AppContext, student: Actor, attempts: int, threads: int) -> dict[str, int]:
    """`attempts` charges of 1 credit from `threads` threads released together; counts outcomes."""
    gate = threading.Barrier(threads)
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def one(_i: int) -> None:
        if _i < threads:
            gate.wait()
        try:
            ledger.charge(ctx, student, 1, "race")
            outcome = "ok"
        except AppError as error:
            outcome = str(error.code)
        except Exception as error:  # noqa: BLE001 - any other error is what the test must catch
            outcome = type(error).__name__
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(attempts)))
    return outcomes


def test_concurrent_charges_never_overspend(ctx, make_user, database):
    student = make_user()
    attempts, threads = (100, 50) if database.is_postgres else (20, 10)
    outcomes = fire_concurrent_charges(ctx, student, attempts, threads)
    assert outcomes == {"ok": 10, "INSUFFICIENT_CREDITS": attempts - 10}
    assert assert_ledger_consistent(ctx, student.id) == 0


def test_concurrent_charges_on_different_wallets_all_succeed(ctx, make_user: Callable[..., Actor]):
    students = [make_user() for _ in range(4)]

    def spend(student: Actor) -> None:
        for _ in range(5):
            ledger.charge(ctx, student, 2, "parallel")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(spend, students))
    assert [assert_ledger_consistent(ctx, s.id) for s in students] == [0, 0, 0, 0]


def test_a_deadlock_is_retried_inside_billing_and_never_surfaces(ctx, make_user, database):
    """Two transactions lock two wallets in opposite orders: PostgreSQL aborts one, billing reruns it."""
    if not database.is_postgres:
        pytest.skip("SQLite takes the write lock at BEGIN, so it cannot deadlock")
    ana, ben = make_user(), make_user()
    both_locked_one = threading.Barrier(2, timeout=10)
    attempts: list[str] = []

    def transfer(first: Actor, second: Actor) -> None:
        def work(session) -> None:
            attempts.append(first.email)
            ledger.move_credits(session, first.id, -1, kind="charge", reason="lock 1", actor_id=first.id)
            if attempts.count(first.email) == 1:
                both_locked_one.wait()
            ledger.move_credits(session, second.id, 1, kind="grant", reason="lock 2", actor_id=first.id)

        ledger.write(ctx, work)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda pair: transfer(*pair), [(ana, ben), (ben, ana)]))
    assert len(attempts) == 3  # one of the two ran twice
    assert assert_ledger_consistent(ctx, ana.id) == 10
    assert assert_ledger_consistent(ctx, ben.id) == 10

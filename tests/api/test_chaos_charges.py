"""Chaos on PostgreSQL: a live server is killed (SIGKILL) or stopped (SIGTERM) while a paid analysis is in
flight (its language model drips a byte every 0.5 s, so the analysis is still running); after a restart the
charge has been refunded exactly once, audited, and the balance still equals the ledger."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from core.access import Actor, Role
from core.accounts import tokens, users
from core.config import Settings
from core.context import AppContext
from core.models import AuditLog, Transaction, Wallet
from tests.api.conftest import JD, corpus_file
from tests.e2e.harness import AppServer, cli, throwaway_env
from tests.fakes.hostile_server import hostile_server, origin


@pytest.fixture(scope="module")
def chaos_env(api_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    workdir = tmp_path_factory.mktemp("chaos")
    with hostile_server("drip") as slow_model:
        env = throwaway_env(workdir) | {
            "DATABASE_URL": api_database,
            "AI_PROVIDER": "openai",
            "AI_API_KEY": "sk-test",
            "AI_BASE_URL": origin(slow_model) + "/v1",
            "AI_TIMEOUT_SECONDS": "20",
            "AI_ANALYSIS_SECONDS": "8",  # the analysis ends ~8 s after it starts waiting for the model
            "CHARGE_PENDING_SECONDS": "3",
            "CHARGE_SWEEP_SECONDS": "1",
            "SHUTDOWN_GRACE_SECONDS": "1",
            "WORKER_POOL_SIZE": "2",
        }
        cli(env, "migrate")
        yield env


@pytest.fixture(scope="module")
def chaos_ctx(chaos_env: dict[str, str]) -> Iterator[AppContext]:
    ctx = AppContext(Settings(**{key.lower(): value for key, value in chaos_env.items()}))
    yield ctx
    ctx.db.dispose()


def pending_charge(ctx: AppContext, user_id: int, timeout: float = 60) -> int:
    """Wait until the user's analysis charge is in the database and still pending; its id."""
    end = time.monotonic() + timeout
    query = select(Transaction.id).where(
        Transaction.user_id == user_id, Transaction.kind == "charge", Transaction.settled_at.is_(None)
    )
    while time.monotonic() < end:
        with ctx.db.session() as session:
            found = session.scalar(query)
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError("no pending charge appeared")


def refunds(ctx: AppContext, charge_id: int) -> list[Transaction]:
    with ctx.db.session() as session:
        return list(session.scalars(select(Transaction).where(Transaction.refund_of_id == charge_id)))


def balance_and_ledger(ctx: AppContext, user_id: int) -> tuple[int, int]:
    with ctx.db.session() as session:
        total = session.scalar(select(func.sum(Transaction.amount)).where(Transaction.user_id == user_id))
        return session.get_one(Wallet, user_id).balance, int(total or 0)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_stopped_server_refunds_the_in_flight_charge_exactly_once(
    chaos_env: dict[str, str], chaos_ctx: AppContext, tmp_path: Path, stop: signal.Signals
) -> None:
    tag = uuid.uuid4().hex[:8]
    student: Actor = users.create_user(chaos_ctx, email=f"chaos-{tag}@example.com", name=f"Chaos {tag}",
                                       password="Correct-horse-42", role=Role.STUDENT)  # fmt: skip
    token = tokens.create_token(chaos_ctx, student, "chaos", 30)[1]
    server = AppServer(chaos_env, tmp_path / "first.log").start()
    call = threading.Thread(target=_analyse, args=(server.url, token))
    call.start()
    charge_id = pending_charge(chaos_ctx, student.id)
    time.sleep(0.5)  # the analysis is now waiting on the dripping model
    assert server.process is not None
    server.process.send_signal(stop)
    server.process.wait(30)
    call.join(30)
    after_stop = refunds(chaos_ctx, charge_id)
    print(f"{stop.name}: exit {server.process.returncode}; refunds right after the stop: {len(after_stop)}")

    with AppServer(chaos_env, tmp_path / "restart.log"):
        end = time.monotonic() + 30
        while not refunds(chaos_ctx, charge_id) and time.monotonic() < end:
            time.sleep(0.2)
        time.sleep(2.5)  # more sweeps run: none may refund again
    done = refunds(chaos_ctx, charge_id)
    assert len(done) == 1, done
    print(f"{stop.name}: refunded once: {done[0].reason!r}")
    balance, ledger_sum = balance_and_ledger(chaos_ctx, student.id)
    assert balance == ledger_sum == 10  # the welcome credits, whole again
    with chaos_ctx.db.session() as session:
        audited = session.scalars(
            select(AuditLog).where(AuditLog.action == "credits.refund_abandoned", AuditLog.target_id == str(charge_id))
        ).all()
    assert len(audited) == 1
    if stop == signal.SIGTERM:
        assert after_stop, "SIGTERM refunds the running action itself, before the process exits"


def _analyse(url: str, token: str) -> None:
    """One paid analysis; the request may die with its server, which is the point."""
    with contextlib.suppress(requests.RequestException):
        requests.post(url + "/analyze-resume", headers={"Authorization": f"Bearer {token}"},
                      files={"resume": corpus_file("07_carla_mendes.txt")}, data={"job_description": JD},
                      timeout=90)  # fmt: skip

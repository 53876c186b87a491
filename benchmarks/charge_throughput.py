"""Charges per second on PostgreSQL: sequential, and N threads on one wallet and on separate wallets.

Every charge is the production path (`ledger.charge`): one transaction with a conditional UPDATE of the wallet
and an INSERT of the ledger row. One wallet under N threads is the worst case (all charges queue on one row
lock); separate wallets show how far the pool scales. Runs on a throwaway database it creates and drops.

    .venv/bin/python benchmarks/charge_throughput.py [--charges 2000] [--threads 8]
    (TEST_POSTGRES_URL overrides the server, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.access import Actor, Role
from core.billing import ledger
from core.config import Settings
from core.context import AppContext
from core.db import Database
from core.models import Transaction, User, Wallet

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def make_student(ctx: AppContext, n: int, credits: int) -> Actor:
    with ctx.db.session() as session:
        user = User(email=f"bench{n}@example.com", name=f"Bench {n}", role="student", password_hash="x")
        session.add(user)
        session.flush()
        ledger.open_wallet(session, user.id, welcome_credits=credits)
        return Actor(id=user.id, email=user.email, name=user.name, role=Role.STUDENT)


def run(ctx: AppContext, actors: list[Actor], charges: int, threads: int) -> float:
    """Charges per second for `charges` 1-credit charges spread round-robin over `actors`."""

    def one(i: int) -> None:
        ledger.charge(ctx, actors[i % len(actors)], 1, "benchmark")

    start = time.perf_counter()
    if threads == 1:
        for i in range(charges):
            one(i)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(one, range(charges)))
    return charges / (time.perf_counter() - start)


def raw_commit_rate(database: Database, count: int = 300) -> float:
    """Baseline: one bare UPDATE + COMMIT per iteration, i.e. what the server and disk allow at all."""
    with database.engine.connect() as conn:
        conn.execute(text("CREATE TABLE bench_baseline (id int PRIMARY KEY, n int)"))
        conn.execute(text("INSERT INTO bench_baseline VALUES (1, 0)"))
        conn.commit()
        start = time.perf_counter()
        for _ in range(count):
            conn.execute(text("UPDATE bench_baseline SET n = n + 1 WHERE id = 1"))
            conn.commit()
        return count / (time.perf_counter() - start)


def check_ledger(ctx: AppContext) -> None:
    with ctx.db.session() as session:
        wallets = session.scalar(select(func.sum(Wallet.balance)))
        ledger = session.scalar(select(func.sum(Transaction.amount)))
    assert wallets == ledger, (wallets, ledger)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charges", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    name = f"ip_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    try:
        database.upgrade()
        ctx = AppContext(Settings(database_url=url, app_env="test"), database)
        n = args.charges
        single = make_student(ctx, 0, 3 * n)
        many = [make_student(ctx, i + 1, n) for i in range(args.threads)]
        run(ctx, [single], 100, 1)  # warm the pool and the plan cache
        with database.engine.connect() as conn:
            version = conn.execute(text("show server_version")).scalar()
        print(f"PostgreSQL {version}, {os.cpu_count()} CPUs, {n} charges of 1 credit per scenario")
        print(f"  {'baseline: bare UPDATE+COMMIT':<26} {raw_commit_rate(database):8.0f} commits/s")
        t = args.threads
        for label, actors, threads in [
            ("sequential, one wallet", [single], 1),
            (f"{t} threads, one wallet", [single], t),
            (f"{t} threads, {t} wallets", many, t),
        ]:
            print(f"  {label:<26} {run(ctx, actors, n, threads):8.0f} charges/s")
        check_ledger(ctx)
        print("  ledger sum == wallet balances: ok")
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

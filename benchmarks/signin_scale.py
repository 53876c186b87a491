"""Sign-in cost with 10,000 users: the gate looks up one user by email, never the whole table.

Usage: python benchmarks/signin_scale.py [DATABASE_URL]   (default: a temporary SQLite file; give a throwaway
PostgreSQL database, it is filled with 10,000 users). Prints the median time of a password sign-in (bcrypt included)
and of the user lookup every signed-in rerun makes.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from core.accounts import users
from core.config import Settings
from core.context import AppContext
from core.models import User

USERS = 10_000


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    ctx = AppContext(Settings(database_url=url))
    ctx.db.upgrade()
    password_hash = users.hash_password("Bench-pass-123")
    if users.count_users(ctx) < USERS:
        with ctx.db.session() as s:
            s.execute(insert(User), [
                {"email": f"user{i:05d}@bench.example", "name": f"User {i}", "password_hash": password_hash,
                 "role": "student", "failed_attempts": 0, "disabled": False, "target_roles": []}
                for i in range(USERS)
            ])
    print(f"users in database: {users.count_users(ctx)} ({ctx.db.engine.dialect.name})")
    email = f"user{USERS - 7:05d}@bench.example"
    print(f"password sign-in (bcrypt cost 12 + lockout bookkeeping): "
          f"{timed(lambda: users.authenticate(ctx, email, 'Bench-pass-123'), 10):.1f} ms median")
    lookup = timed(lambda: users.load_actor_by_email(ctx, email), 200)
    print(f"signed-in rerun, user lookup by email: {lookup:.2f} ms median")


if __name__ == "__main__":
    main()

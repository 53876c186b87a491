"""Database handle: one engine per process, a short transaction per action, Alembic migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Delete, Engine, Update, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from core.config import PROJECT_ROOT


def utcnow() -> datetime:
    """Naive UTC timestamp: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def rows_affected(session: Session, statement: Delete | Update) -> int:
    """Run a DELETE or UPDATE and say how many rows it changed.

    Such a statement returns a CursorResult, but Session.execute is typed as returning a plain Result.
    """
    return cast(CursorResult[Any], session.execute(statement)).rowcount


# Any fixed 64-bit number: the key of the PostgreSQL advisory lock migrations run under.
MIGRATION_LOCK_KEY = 0x1E7E_41EC_0021


def lock_for_migrations(connection: Connection) -> None:
    """Serialise migrations across processes: every replica migrates at start, and concurrent first runs
    on an empty database would each create the same tables. Held until the migration transaction ends.

    SQLite needs nothing here: its transactions begin with BEGIN IMMEDIATE, which already serialises them.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


READ_ONLY = "interviewprep_read_only"  # execution option of the engine behind Database.read()


def _sqlite_begin(conn: Connection) -> None:
    """Take the write lock at BEGIN so concurrent read-then-write transactions queue up instead of failing
    with "database is locked" when they upgrade to writing; read-only transactions need no lock (WAL), and
    `query_only` makes a write slipped into one fail at once instead of racing for the lock."""
    read_only = bool(conn.get_execution_options().get(READ_ONLY))
    conn.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _postgres_begin(conn: Connection) -> None:
    """A read-only transaction is declared so: PostgreSQL refuses a write slipped into it."""
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own would be deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe and never corrupts; it skips the fsync at each commit (1.5 ms here,
    # taken while holding the write lock), so only an OS crash or power cut may undo the last commits. The
    # ledger stays consistent then: the WAL is undone from its end, so a charge whose outcome was lost is left
    # pending, and the sweep refunds it.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    event.listen(engine, "begin", _postgres_begin)
    return engine


class Database:
    """Owns the engine; every service opens its own short transaction through `session()`, or through
    `read()` when it only reads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # SQLite has one writer at a time. Its own wait for the lock polls with sleeps of up to 100 ms, which
        # under a crowd lets some writers starve for seconds; this process's writers queue on a lock instead
        # and wake the moment it is free (other processes still meet SQLite's busy timeout).
        self._writers: threading.RLock | None = None if self.is_postgres else threading.RLock()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction that may write: committed when the block ends, rolled back if it raises."""
        with self._write_turn(), self._sessions() as session, session.begin():
            yield session

    def _write_turn(self) -> AbstractContextManager[object]:
        return nullcontext() if self._writers is None else self._writers

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads (a write in it fails): on SQLite it never waits for the write lock."""
        with self._readers() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Apply every Alembic migration up to head."""
        from alembic import command

        command.upgrade(alembic_config(self.url), "head")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str):
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

"""revocable sign-ins: users.session_version, signed into remember-me cookies and checked on every run

Revision ID: i21a
Revises: i19
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i21a"
down_revision: str | None = "i19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    # SQLite rebuilds the table for this; keep AUTOINCREMENT so a deleted user's id is never reused.
    with op.batch_alter_table("users", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("session_version")

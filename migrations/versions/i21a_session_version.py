"""revocable sign-ins: users.session_version, signed into remember-me cookies and checked on every run;
erasure that keeps the books: transactions and payments no longer cascade away with their user

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


BOOKS = ("transactions", "payments")


def upgrade() -> None:
    op.add_column("users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    for table in BOOKS:  # the rows keep user_id as an opaque reference after the user is erased
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_user_id_users", type_="foreignkey")


def downgrade() -> None:
    for table in BOOKS:
        op.execute(f"DELETE FROM {table} WHERE user_id NOT IN (SELECT id FROM users)")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(f"fk_{table}_user_id_users", "users", ["user_id"], ["id"], ondelete="CASCADE")
    # SQLite rebuilds the table for this; keep AUTOINCREMENT so a deleted user's id is never reused.
    with op.batch_alter_table("users", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("session_version")

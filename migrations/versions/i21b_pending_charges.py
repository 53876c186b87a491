"""pending charges: a paid action's charge stays pending (settled_at NULL) until it is settled or refunded

Revision ID: i21b
Revises: i17m
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i21b"
down_revision: str | None = "i17m"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settled_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_transactions_settled_at", ["settled_at"], unique=False)
    op.execute("UPDATE transactions SET settled_at = created_at")  # every earlier row is final


def downgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_transactions_settled_at")
        batch_op.drop_column("settled_at")

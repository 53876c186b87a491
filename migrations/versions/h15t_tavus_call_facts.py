"""what Tavus reported about a video call (callbacks or polling), and why an interview was left unscored

Revision ID: h15t
Revises: i17
Create Date: 2026-12-03

`ended_at` starts the bounded wait for the transcript; `unscored_reason` is the sentence the student sees.
Existing rows keep NULL: nothing was recorded for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h15t"
down_revision: str | None = "i17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("replica_joined_at", "ended_at", "shutdown_reason", "recording", "perception_analysis", "unscored_reason")


def upgrade() -> None:
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replica_joined_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("shutdown_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("recording", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("perception_analysis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("unscored_reason", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)

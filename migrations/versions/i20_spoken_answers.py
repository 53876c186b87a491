"""spoken practice answers: an interview's pace and filler rate, charted on the Progress page

The transcript and delivery figures of each answer live in the answer's JSON entry (interviews.answers), beside
its evaluation; the interview-level figures get columns so progress charts read them without parsing JSON.

Revision ID: i20
Revises: i21a
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i20"
down_revision: str | None = "i21a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interview_results") as batch:
        batch.add_column(sa.Column("words_per_minute", sa.Float(), nullable=True))
        batch.add_column(sa.Column("fillers_per_minute", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_results") as batch:
        batch.drop_column("fillers_per_minute")
        batch.drop_column("words_per_minute")

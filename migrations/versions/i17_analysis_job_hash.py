"""analyses remember which job text they answered, so the same CV and job reopen the report instead of charging

Revision ID: i17
Revises: i20
Create Date: 2026-12-02

Older reports keep NULL: the text they were run on is not known for sure (a saved job may have been edited
since), so they are never taken for "the same question".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i17"
down_revision: str | None = "i20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_text_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_analyses_same_question", ["user_id", "cv_id", "job_text_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.drop_index("ix_analyses_same_question")
        batch_op.drop_column("job_text_hash")

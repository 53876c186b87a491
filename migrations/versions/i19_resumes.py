"""résumé builder: saved versions of a student's structured résumé

Revision ID: i19
Revises: i21b
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i19"
down_revision: str | None = "i21b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resume_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("cv_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cv_id"], ["cvs.id"], name=op.f("fk_resume_versions_cv_id_cvs"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_resume_versions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_versions")),
        sa.UniqueConstraint("user_id", "number", name="uq_resume_versions_user_number"),
    )


def downgrade() -> None:
    op.drop_table("resume_versions")

"""erasure marks: imports leave out the events and identities of erased people

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_marks",
        sa.Column("org", sa.String(length=64), nullable=False),
        sa.Column("mark", sa.String(length=32), nullable=False),
        sa.Column("person_mark", sa.String(length=32), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org", "mark", name=op.f("pk_erasure_marks")),
    )
    with op.batch_alter_table("erasure_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_marks_person_mark"), ["person_mark"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("erasure_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_marks_person_mark"))
    op.drop_table("erasure_marks")

"""finding acknowledgements: clash findings the office has accepted, with a reason

Revision ID: 0007
Revises: 0006

Adds the table ``finding_acknowledgements`` (one row per visit and finding key: who, when,
why).  No existing table or row is touched; deleting a visit deletes its rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finding_acknowledgements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(),
                  sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("finding_key", sa.String(400), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("visit_id", "finding_key", name="uq_finding_ack"),
    )
    op.create_index("ix_finding_acknowledgements_visit_id", "finding_acknowledgements",
                    ["visit_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_acknowledgements_visit_id", "finding_acknowledgements")
    op.drop_table("finding_acknowledgements")

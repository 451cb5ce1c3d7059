"""risk reviews: a visit's review (decision, checklist, reviewer), its conditions, and
the venues that hold controlled technology

Revision ID: 0011
Revises: 0009

Adds ``venues.controlled_technology`` (false for every existing venue: a tour of one
makes a risk review required), the table ``risk_reviews`` (one per visit: the reviewer,
the decision and the reasons it was based on, the checklist, notes) and
``review_conditions`` (what a decision requires, optionally tied to one event).
Portable SQL: SQLite adds the column in place; PostgreSQL takes the same statements.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("venues", sa.Column("controlled_technology", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "risk_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(),
                  sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reviewer", sa.String(300), nullable=False, server_default=""),
        sa.Column("decision", sa.String(30), nullable=False, server_default=""),
        sa.Column("decided_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("checklist", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.UniqueConstraint("visit_id", name="uq_risk_review_visit"),
    )
    op.create_table(
        "review_conditions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(),
                  sa.ForeignKey("risk_reviews.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer(),
                  sa.ForeignKey("events.id", ondelete="SET NULL"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_review_conditions_review", "review_conditions", ["review_id"])


def downgrade() -> None:
    op.drop_index("ix_review_conditions_review", table_name="review_conditions")
    op.drop_table("review_conditions")
    op.drop_table("risk_reviews")
    with op.batch_alter_table("venues", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("controlled_technology")

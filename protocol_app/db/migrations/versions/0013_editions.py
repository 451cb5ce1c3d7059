"""editions: every printed or saved book, personal copy and card set, with a snapshot

Revision ID: 0013
Revises: 0009

Adds the table ``editions`` (one row per copy made: visit, series and number, kind,
audience, person, event, visit version, paper, path, SHA-256, when, by whom, and the
JSON snapshot of what the copy could show).  No existing table or row is touched;
deleting a visit deletes its editions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(),
                  sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("series", sa.String(80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("visit_version", sa.Integer(), nullable=False),
        sa.Column("paper", sa.String(20), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(200), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.UniqueConstraint("visit_id", "series", "number", name="uq_edition"),
    )
    op.create_index("ix_editions_visit_id", "editions", ["visit_id"])


def downgrade() -> None:
    op.drop_index("ix_editions_visit_id", "editions")
    op.drop_table("editions")

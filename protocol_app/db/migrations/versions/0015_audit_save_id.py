"""audit save id: the entries one save wrote carry the same id

Revision ID: 0015
Revises: 0014

Adds ``audit_log.save_id`` (32 characters, NULL for the entries written before it): every
entry one transaction writes gets the same id, so a visit's history groups a save
exactly instead of guessing from the clock.  No row is rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("save_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # SQLite drops a plain column in place (since 3.35), never by copying the table.
    with op.batch_alter_table("audit_log", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("save_id")

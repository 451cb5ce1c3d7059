"""event internal notes: remarks on an event for the office only

Revision ID: 0006
Revises: 0005

Adds ``events.internal_notes`` (text, never NULL).  Existing events get an empty text
through the server default; no other table or row is touched.  The field is sensitive
(``protocol_app.records.sensitivity.SENSITIVE_EVENT_FIELDS``): it never leaves the
office (host and guest books, invites).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal_notes", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    # Never by copying the table: with foreign keys on, dropping the old ``events`` would
    # cascade to its attendees, seating plans and invite ledger.  SQLite drops a plain
    # column in place (since 3.35); an older SQLite refuses, and nothing is lost.
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("internal_notes")

"""event visibility: who may see an event (the whole programme, hosts, its attendees)

Revision ID: 0009
Revises: 0008

Adds ``events.visibility`` (``all``, ``hosts`` or ``attendees``; NULL = the default
from the rules, :mod:`protocol_app.rules.visibility`).  Existing events get NULL, so
they keep the default; no other table or row is touched.  SQLite adds a nullable
column in place: no batch copy of the table is needed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("visibility", sa.String(20), nullable=True))


def downgrade() -> None:
    # Never by copying the table (with foreign keys on, dropping the old ``events`` would
    # cascade to its attendees, seating plans and invite ledger): SQLite drops a plain
    # column in place since 3.35; an older SQLite refuses, and nothing is lost.
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("visibility")

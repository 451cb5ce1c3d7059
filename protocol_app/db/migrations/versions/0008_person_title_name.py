"""person title name: the name used with a title, when the office chooses it

Revision ID: 0008
Revises: 0006

Adds ``people.title_name`` (at most 200 characters, never NULL).  Existing people get an
empty text through the server default, which means "by the naming custom"
(``protocol_app.rules.names.default_title_name``); no other table or row is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_name", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    # Never by copying the table: with foreign keys on, dropping the old ``people`` would
    # cascade to participants, overrides and gifts.  SQLite drops a plain column in place
    # (since 3.35); an older SQLite refuses, and nothing is lost.
    with op.batch_alter_table("people", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("title_name")

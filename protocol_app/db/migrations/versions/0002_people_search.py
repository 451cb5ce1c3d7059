"""people search index (FTS5 over folded names, SQLite only)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from protocol_app.db import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if not search_index.is_supported(connection):
        return
    connection.execute(sa.text(search_index.CREATE_SQL))
    rows = connection.execute(
        sa.text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    )
    for person_id, family, given, native, pronunciation in rows.fetchall():
        search_index.write_entry(
            connection,
            person_id,
            search_index.names_text(family, given, native or "", pronunciation or ""),
        )


def downgrade() -> None:
    connection = op.get_bind()
    if search_index.is_supported(connection):
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {search_index.FTS_TABLE}"))

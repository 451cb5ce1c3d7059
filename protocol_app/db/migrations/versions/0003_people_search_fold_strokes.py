"""people search: fold Latin letters with a stroke (ł, đ, ø...) and rebuild the index

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from protocol_app.db import search_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if search_index.is_supported(connection):
        search_index.rebuild(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if search_index.is_supported(connection):
        search_index.rebuild(connection)  # the index is rebuilt by whatever fold() is current

"""screening lists: restricted-party lists, their entries and their sound-key index

Revision ID: 0012
Revises: 0009

Adds the tables ``screening_lists`` (one row per loaded source), ``screening_entries``
(its entries, with their names read in Latin tokens) and ``screening_keys`` (one row per
sound key of an entry's tokens, the block the matcher reads).  No existing table or row
is touched; deleting a list deletes its entries and keys.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_lists",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(100), nullable=False, unique=True),
        sa.Column("layout", sa.String(20), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "screening_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("list_id", sa.Integer(),
                  sa.ForeignKey("screening_lists.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("countries", sa.Text(), nullable=False),
        sa.Column("programs", sa.Text(), nullable=False),
        sa.Column("birth_dates", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.String(40), nullable=False),
        sa.Column("sublist", sa.Text(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("variants", sa.Text(), nullable=False),
    )
    op.create_index("ix_screening_entries_list_id", "screening_entries", ["list_id"])
    op.create_table(
        "screening_keys",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("entry_id", sa.Integer(),
                  sa.ForeignKey("screening_entries.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("list_id", sa.Integer(),
                  sa.ForeignKey("screening_lists.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_screening_keys_list_id", "screening_keys", ["list_id"])


def downgrade() -> None:
    op.drop_index("ix_screening_keys_list_id", "screening_keys")
    op.drop_table("screening_keys")
    op.drop_index("ix_screening_entries_list_id", "screening_entries")
    op.drop_table("screening_entries")
    op.drop_table("screening_lists")

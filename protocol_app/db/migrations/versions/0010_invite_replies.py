"""invitations and replies: who is invited, calendar managers, replies received

Revision ID: 0010
Revises: 0009

- ``events.invitations``: ``on`` or ``off``; NULL = the default of the event's kind (the
  office's preferences).  Existing events get NULL.
- ``people.calendar_manager_id``: another person who receives this person's invitations
  (a chief of staff, an assistant); NULL = the person themself.
- ``invite_ledger.sent_to``: the address a message went to when it was not the
  attendee's own (their calendar manager's); empty otherwise.
- ``invite_replies``: every reply (REPLY) and counter-proposal (COUNTER) recorded.

Nullable columns are added in place (no batch copy of a table on SQLite).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("invitations", sa.String(10), nullable=True))
    op.add_column("invite_ledger", sa.Column("sent_to", sa.String(320), nullable=False,
                                             server_default=""))
    op.add_column("people", sa.Column("calendar_manager_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        # SQLite cannot add a constraint to a table (and could not drop a column carrying
        # REFERENCES on the way down): there the column is plain, and a manager who is
        # no longer there is simply not found (the invitations go to the person)
        op.create_foreign_key("fk_people_calendar_manager", "people", "people",
                              ["calendar_manager_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "invite_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("attendee_email", sa.String(length=320), nullable=False),
        sa.Column("sent_by", sa.String(length=320), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("partstat", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("dtstamp", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("proposed_start", sa.DateTime(), nullable=True),
        sa.Column("proposed_end", sa.DateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_invite_replies_event_email", "invite_replies",
                    ["event_id", "attendee_email"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_invite_replies_event_email", table_name="invite_replies")
    op.drop_table("invite_replies")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_people_calendar_manager", "people", type_="foreignkey")
    # in place (SQLite 3.35+), never by copying a table other rows refer to
    for table, column in (("people", "calendar_manager_id"), ("invite_ledger", "sent_to"),
                          ("events", "invitations")):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column(column)

"""protocol rules: precedence table and host overrides, forms of address overrides,
seating plans and seats, travel times between venues

Revision ID: 0005
Revises: 0004

The precedence table starts empty; the protocol service fills it with the default
table (``protocol_app.rules.precedence.DEFAULT_CATEGORIES``) the first time it is used.
No existing table is altered, so existing data is untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "precedence_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("plural", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("tie_rule", sa.String(length=30), nullable=False),
        sa.Column("excellency", sa.Boolean(), nullable=False),
        sa.Column("equivalents", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "precedence_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=10), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "person_id", name="uq_precedence_override_person"),
    )
    op.create_table(
        "address_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "form", name="uq_address_override"),
    )
    op.create_table(
        "seating_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Text(), nullable=False),
        sa.Column("couples_together", sa.Boolean(), nullable=False),
        sa.Column("couples", sa.Text(), nullable=False),
        sa.Column("not_together", sa.Text(), nullable=False),
        sa.Column("interpreters", sa.Text(), nullable=False),
        sa.Column("interpreters_at_table", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=False),
        sa.Column("seat_number", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("behind", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["seating_plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "person_id", name="uq_seat_person"),
    )
    op.create_table(
        "travel_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venue_a_id", sa.Integer(), nullable=False),
        sa.Column("venue_b_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["venue_a_id"], ["venues.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["venue_b_id"], ["venues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("venue_a_id", "venue_b_id", name="uq_travel_pair"),
    )


def downgrade() -> None:
    op.drop_table("travel_times")
    op.drop_table("seats")
    op.drop_table("seating_plans")
    op.drop_table("address_overrides")
    op.drop_table("precedence_overrides")
    op.drop_table("precedence_categories")

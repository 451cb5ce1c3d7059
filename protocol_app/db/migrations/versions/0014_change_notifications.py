"""change notifications: PostgreSQL tells every workstation which visit changed

Revision ID: 0014
Revises: 0013

On PostgreSQL a trigger on the tables a visit is made of (the visit, its participants,
events and their attendees and seating plans, gifts, precedence overrides) and on
``people`` sends ``NOTIFY protocol_desk_changes`` with the payload ``visit:<id>``
(``event:<id>``, ``people``).
PostgreSQL delivers it when the writing transaction commits and folds identical
payloads of one transaction into one, so a bulk import sends one notification per
visit.  A trigger rather than the service layer: it sees every write (the ORM's, the
importer's bulk inserts, an administrator's psql), and costs no extra round trip.
:mod:`protocol_app.db.changes` listens.  SQLite needs nothing: windows on one file
watch ``PRAGMA data_version``.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.engine import Connection

from protocol_app.db.dialects import per_dialect

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: The channel :mod:`protocol_app.db.changes` listens on.
CHANNEL = "protocol_desk_changes"
#: Table -> (the column naming what changed, the payload's kind): ``visit:<id>``, or
#: ``event:<id>`` for the parts of an event, or ``people`` (who belong to no one visit).
WATCHED = {"visits": ("id", "visit"), "participants": ("visit_id", "visit"),
           "events": ("visit_id", "visit"), "gifts": ("visit_id", "visit"),
           "precedence_overrides": ("visit_id", "visit"),
           "event_attendees": ("event_id", "event"), "seating_plans": ("event_id", "event"),
           "people": ("", "people")}

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION protocol_desk_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb := to_jsonb(COALESCE(NEW, OLD));
BEGIN
    IF TG_ARGV[0] = '' THEN
        PERFORM pg_notify('{CHANNEL}', TG_ARGV[1]);
    ELSIF changed ->> TG_ARGV[0] IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', TG_ARGV[1] || ':' || (changed ->> TG_ARGV[0]));
    END IF;
    RETURN NULL;
END
$$
"""


def _create_triggers(_connection: Connection) -> None:
    op.execute(_FUNCTION)
    for table, (column, kind) in WATCHED.items():
        op.execute(f"DROP TRIGGER IF EXISTS protocol_desk_notify ON {table}")
        op.execute(f"CREATE TRIGGER protocol_desk_notify AFTER INSERT OR UPDATE OR DELETE "
                   f"ON {table} FOR EACH ROW EXECUTE FUNCTION "
                   f"protocol_desk_notify_change('{column}', '{kind}')")


def _drop_triggers(_connection: Connection) -> None:
    for table in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS protocol_desk_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS protocol_desk_notify_change()")


def upgrade() -> None:
    per_dialect(op.get_bind(), sqlite=None, postgresql=_create_triggers)


def downgrade() -> None:
    per_dialect(op.get_bind(), sqlite=None, postgresql=_drop_triggers)

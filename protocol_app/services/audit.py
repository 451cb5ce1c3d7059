"""Reading the audit trail: the latest entries, and what changed a record since a version."""

from __future__ import annotations

import builtins
import json

from sqlalchemy import func, select

from protocol_app.records.models import AuditEntry
from protocol_app.services.base import ServiceBase, to_aware_utc
from protocol_app.services.values import AuditRecord


class AuditService(ServiceBase):
    """Who changed what, newest first."""

    def list(self, entity: str | None = None, entity_id: int | None = None, *,
             limit: int = 200) -> list[AuditRecord]:
        """Audit entries, optionally for one kind of record or one record."""
        with self.db.read_session() as session:
            stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if entity:
                stmt = stmt.where(AuditEntry.entity == entity)
            if entity_id is not None:
                stmt = stmt.where(AuditEntry.entity_id == entity_id)
            return [_record(a) for a in session.scalars(stmt)]

    def changes_since(self, entity: str, entity_id: int, since_version: int,
                      current_version: int) -> builtins.list[AuditRecord]:
        """The entries that took one record from ``since_version`` to ``current_version``,
        newest first: who changed it, when, and what (for the stale-write dialog).

        A record is created at version 1 and each write raises its version by one, with
        one audit entry on the record; so the writes after ``since_version`` are the
        record's newest ``current_version - since_version`` entries.  A visit's version
        also rises when its parts change (an event, a participant); those entries name
        the part, so fewer (or no) entries come back, never someone else's older ones."""
        count = current_version - since_version
        if count <= 0:
            return []
        with self.db.read_session() as session:
            stmt = (select(AuditEntry)
                    .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
                    .order_by(AuditEntry.id.desc()).limit(count))
            entries = [_record(a) for a in session.scalars(stmt)]
            ordinal = session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)) or 0
        # entries whose own version (their position in the record's history) is newer
        return [e for i, e in enumerate(entries) if ordinal - i > since_version]


def _record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(id=entry.id, at=to_aware_utc(entry.at), actor=entry.actor,
                       action=entry.action, entity=entry.entity, entity_id=entry.entity_id,
                       summary=entry.summary, old=json.loads(entry.old_values),
                       new=json.loads(entry.new_values))

"""Reading the audit trail."""

from __future__ import annotations

import json

from sqlalchemy import select

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
            return [
                AuditRecord(id=a.id, at=to_aware_utc(a.at), actor=a.actor, action=a.action,
                            entity=a.entity, entity_id=a.entity_id, summary=a.summary,
                            old=json.loads(a.old_values), new=json.loads(a.new_values))
                for a in session.scalars(stmt)
            ]

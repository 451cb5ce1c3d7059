"""What every service shares: the audit trail, version checks, time conversion."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.errors import FieldProblem, StaleWriteError, ValidationError
from protocol_app.records.models import AuditEntry
from protocol_app.records.sensitivity import is_sensitive


class ServiceBase:
    """A service bound to one database and one actor (who the audit trail names)."""

    def __init__(self, db: Database, actor: str) -> None:
        self.db = db
        self.actor = actor


class SettingsServiceBase(ServiceBase):
    """A service that also reads the user's settings (given, or loaded on first use)."""

    def __init__(self, db: Database, actor: str, settings: Settings | None = None) -> None:
        super().__init__(db, actor)
        self._settings = settings

    @property
    def settings(self) -> Settings:
        """The user's settings (read once)."""
        if self._settings is None:
            self._settings = Settings.load()
        return self._settings

    @settings.setter
    def settings(self, settings: Settings | None) -> None:
        """Use these settings from now on (None: read them again when next needed), as
        after Preferences are saved."""
        self._settings = settings


def stored_now() -> datetime:
    """The current time as the database stores it (naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(moment: datetime) -> datetime:
    """An aware datetime as the naive UTC value stored in the database."""
    if moment.tzinfo is None:
        raise ValueError("a time without a zone cannot be stored; give an aware datetime")
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_aware_utc(moment: datetime) -> datetime:
    """A stored naive UTC value as an aware UTC datetime."""
    return moment.replace(tzinfo=UTC)


def jsonable(value: Any) -> Any:
    """A value as it is written into the audit trail."""
    if value is None or isinstance(value, str | int | float):  # most values: first
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a record, ready for the audit trail."""
    return {name: jsonable(getattr(obj, name)) for name in fields}


def write_audit(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    summary: str = "",
) -> None:
    """Record one change (see :func:`audit_values`)."""
    session.add(AuditEntry(**audit_values(actor, action, entity, entity_id, old=old, new=new,
                                          summary=summary), save_id=save_id(session)))


def save_id(session: Session) -> str:
    """The id every audit entry of this session's save carries (made on first use; a
    session is one transaction: :meth:`protocol_app.db.database.Database.session`)."""
    found = session.info.get("audit_save_id")
    if found is None:
        found = session.info["audit_save_id"] = uuid.uuid4().hex
    return str(found)


def audit_values(
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    summary: str = "",
) -> dict[str, Any]:
    """The columns of one audit entry (bulk writers insert many at once).  For updates
    only the fields that changed are kept.

    Sensitive fields are recorded as changed, without their content, so the trail
    never becomes a second copy of medical or security notes."""
    old = {k: jsonable(val) for k, val in (old or {}).items()}
    new = {k: jsonable(val) for k, val in (new or {}).items()}
    if action == "update":  # keys only in ``old`` are kept too (what was taken away)
        changed = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        old = {k: old[k] for k in changed if k in old}
        new = {k: new[k] for k in changed if k in new}
    for values in (old, new):
        for key, value in values.items():
            if value and is_sensitive(key):
                values[key] = "(sensitive: changed)"
    return {"at": stored_now(), "actor": actor, "action": action, "entity": entity,
            "entity_id": entity_id, "summary": summary,
            "old_values": json.dumps(old, ensure_ascii=False),
            "new_values": json.dumps(new, ensure_ascii=False)}


def check_version(
    entity: str,
    entity_id: int,
    current_version: int,
    expected_version: int | None,
    current: Mapping[str, Any] | None = None,
    seen: Mapping[str, Any] | None = None,
) -> None:
    """Refuse a write based on an older version than the one stored.

    ``seen`` may hold the caller's values as the records give them (dates, tuples): they
    are compared with ``current`` as the audit trail writes them, so only real changes
    are named."""
    if expected_version is None or expected_version == current_version:
        return
    changed = {}
    if current is not None and seen is not None:
        changed = {k: (seen[k], current[k]) for k in seen
                   if k in current and jsonable(seen[k]) != jsonable(current[k])}
    raise StaleWriteError(entity, entity_id, expected_version, current_version, changed)


def check_seen(
    entity: str,
    entity_id: int,
    current_version: int,
    expected_version: int | None,
    current: Mapping[str, Any],
    seen: Mapping[str, Any],
) -> None:
    """Refuse a write whose caller saw other values than those stored now.

    Every field in ``seen`` must still hold what the caller saw (compared as the audit
    trail writes them); then a later version than ``expected_version`` is accepted, since
    only other parts of the record changed.  With nothing ``seen``, the version decides
    alone, as in :func:`check_version`."""
    if not seen:
        check_version(entity, entity_id, current_version, expected_version)
        return
    changed = {k: (seen[k], current[k]) for k in seen
               if k in current and jsonable(seen[k]) != jsonable(current[k])}
    if changed:
        raise StaleWriteError(entity, entity_id, expected_version or current_version,
                              current_version, changed)


def refuse_unknown_fields(values: Mapping[str, Any], known: tuple[str, ...], subject: str) -> None:
    """Unknown field names are errors (usually typos), named one by one."""
    unknown = [k for k in values if k not in known]
    if unknown:
        raise ValidationError(
            [FieldProblem(k, "is not a field of a " + subject) for k in unknown], subject=subject
        )

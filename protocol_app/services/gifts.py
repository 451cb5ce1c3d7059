"""Gifts given and received: every gift registered, for the record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.records.fields import GIFT_FIELDS, is_record_number, validate_gift_values
from protocol_app.records.models import Gift, Person, Visit
from protocol_app.services.base import (
    ServiceBase,
    check_version,
    refuse_unknown_fields,
    snapshot,
    write_audit,
)
from protocol_app.services.lookup import resolve_visit, touch
from protocol_app.services.values import GiftRecord


def gift_record(gift: Gift) -> GiftRecord:
    """The frozen value of a gift row."""
    return GiftRecord(id=gift.id, visit_id=gift.visit_id, direction=gift.direction,
                      giver_person_id=gift.giver_person_id,
                      recipient_person_id=gift.recipient_person_id,
                      description=gift.description, value=gift.value, currency=gift.currency,
                      date=gift.date, version=gift.version)


def _unknown_people(session: Session, values: Mapping[str, Any],
                    prefix: str = "") -> list[FieldProblem]:
    problems = []
    for name in ("giver_person_id", "recipient_person_id"):
        pid = values.get(name)
        if pid is not None and not is_record_number(pid):
            problems.append(FieldProblem(prefix + name, "must be a person's number"))
        elif pid is not None and session.get(Person, pid) is None:
            problems.append(FieldProblem(prefix + name, f"there is no person #{pid}"))
    return problems


def create_gift_row(session: Session, actor: str, visit: Visit | None,
                    values: Mapping[str, Any], *, prefix: str = "") -> Gift:
    """Validate and insert a gift (inside the caller's session)."""
    refuse_unknown_fields(values, GIFT_FIELDS, "gift")
    problems = validate_gift_values(values, creating=True, prefix=prefix)
    problems += _unknown_people(session, values, prefix)
    if problems:
        raise ValidationError(problems, subject="gift")
    gift = Gift(visit=visit, **{k: values.get(k) for k in GIFT_FIELDS})
    gift.currency = gift.currency or ""
    session.add(gift)
    session.flush()
    write_audit(session, actor, "create", "gift", gift.id, new=snapshot(gift, GIFT_FIELDS),
                summary=f"Registered gift: {gift.description[:60]}")
    return gift


class GiftService(ServiceBase):
    """Register, change, list and remove gifts."""

    def list(self, visit_id: int | None = None) -> list[GiftRecord]:
        """Gifts of one visit, or every gift, by date."""
        with self.db.read_session() as session:
            stmt = select(Gift).order_by(Gift.date, Gift.id)
            if visit_id is not None:
                stmt = stmt.where(Gift.visit_id == visit_id)
            return [gift_record(g) for g in session.scalars(stmt)]

    def create(self, visit_id: int | None, **values: Any) -> GiftRecord:
        """Register a gift, on a visit or on its own."""
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id) if visit_id is not None else None
            gift = create_gift_row(session, self.actor, visit, values)
            if visit is not None:
                touch(visit)
            return gift_record(gift)

    def update(self, gift_id: int, expected_version: int | None, **changes: Any) -> GiftRecord:
        """Change a gift last read at ``expected_version``."""
        refuse_unknown_fields(changes, GIFT_FIELDS, "gift")
        problems = validate_gift_values(changes, creating=False)
        if problems:
            raise ValidationError(problems, subject="gift")
        with self.db.session() as session:
            gift = self._row(session, gift_id)
            check_version("gift", gift_id, gift.version, expected_version)
            problems = _unknown_people(session, changes)
            if problems:
                raise ValidationError(problems, subject="gift")
            old = snapshot(gift, GIFT_FIELDS)
            for name, value in changes.items():
                setattr(gift, name, (value or "") if name == "currency" else value)
            session.flush()
            write_audit(session, self.actor, "update", "gift", gift_id, old=old,
                        new=snapshot(gift, GIFT_FIELDS), summary="Changed gift")
            return gift_record(gift)

    def delete(self, gift_id: int, expected_version: int | None = None) -> None:
        """Remove a gift from the register."""
        with self.db.session() as session:
            gift = self._row(session, gift_id)
            check_version("gift", gift_id, gift.version, expected_version)
            old = snapshot(gift, GIFT_FIELDS)
            session.delete(gift)
            write_audit(session, self.actor, "delete", "gift", gift_id, old=old,
                        summary="Deleted gift")

    @staticmethod
    def _row(session: Session, gift_id: int) -> Gift:
        gift = session.get(Gift, gift_id)
        if gift is None:
            raise NotFoundError(f"There is no gift #{gift_id}.")
        return gift

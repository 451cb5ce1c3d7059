"""Gifts given and received: every gift registered, for the record."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from protocol_app.config import Settings
from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.records.fields import GIFT_FIELDS, is_record_number, validate_gift_values
from protocol_app.records.models import Gift, Person, Visit
from protocol_app.rules.gift_policy import GiftAssessment, GiftPolicy
from protocol_app.rules.names import display_name
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

    def policy(self) -> GiftPolicy:
        """The office's gifts policy (from the settings)."""
        return gift_policy()

    def assess(self, gift: GiftRecord) -> GiftAssessment:
        """What the gifts policy says of one gift (must it be declared?)."""
        return self.policy().assess(gift.direction, gift.value, gift.currency)

    def register(self, date_from: date, date_to: date) -> GiftRegister:
        """The gift register of a period (every gift dated in it, given or received)."""
        with self.db.read_session() as session:
            return gift_register(session, date_from, date_to, self.policy())

    @staticmethod
    def _row(session: Session, gift_id: int) -> Gift:
        gift = session.get(Gift, gift_id)
        if gift is None:
            raise NotFoundError(f"There is no gift #{gift_id}.")
        return gift


# -- the gifts policy and the register ----------------------------------------------------
def gift_policy(settings: Settings | None = None) -> GiftPolicy:
    """The office's gifts policy from the settings (threshold, currency, rates)."""
    s = settings or Settings.load()
    return GiftPolicy(s.gift_threshold, s.gift_threshold_currency.strip().upper(),
                      dict(s.currency_rates))


@dataclass(frozen=True, slots=True)
class GiftRegisterRow:
    """One gift of the register, with what the policy says of it."""

    gift: GiftRecord
    visit: str  # the visit's public id ("" for a gift on its own)
    visit_title: str
    giver: str
    recipient: str
    assessment: GiftAssessment

    @property
    def flag(self) -> str:
        """"declare", "check" (cannot be judged) or ""."""
        verdict = self.assessment.must_declare
        return "declare" if verdict else ("check" if verdict is None else "")


@dataclass(frozen=True, slots=True)
class GiftRegister:
    """The gifts of a period, by date, and the policy they were measured against."""

    date_from: date
    date_to: date
    policy: GiftPolicy
    rows: tuple[GiftRegisterRow, ...]
    undated: int  # gifts without a date (not in any period)


#: The register's CSV columns.
REGISTER_COLUMNS = ("date", "visit", "direction", "description", "from", "to", "value",
                    "currency", "value_in_threshold_currency", "must_declare", "note")

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list:
#: the four of the issue, plus tab and carriage return that some programs skip first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe (the OWASP advice), so ``=HYPERLINK(...)`` prints and never runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def register_csv(register: GiftRegister) -> bytes:
    """The register as CSV (UTF-8 with a byte-order mark, for spreadsheets), every cell
    safe against formula injection."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(REGISTER_COLUMNS)
    for r in register.rows:
        g, a = r.gift, r.assessment
        cells = [g.date.isoformat() if g.date else "", r.visit, g.direction, g.description,
                 r.giver, r.recipient, "" if g.value is None else f"{g.value:.2f}",
                 g.currency, "" if a.converted is None else f"{a.converted:.2f}",
                 {"declare": "yes", "check": "unknown", "": "no"}[r.flag], a.note]
        out.writerow([csv_safe(str(c)) for c in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def gift_register(session: Session, date_from: date, date_to: date,
                  policy: GiftPolicy) -> GiftRegister:
    """The gifts dated within ``date_from``..``date_to`` (inclusive), in one query."""
    if date_to < date_from:
        raise ValidationError([FieldProblem("to", f"{date_to} is before {date_from}")],
                              subject="gift register")
    giver, recipient = aliased(Person), aliased(Person)
    stmt = (select(Gift, Visit.public_id, Visit.title, giver, recipient)
            .outerjoin(Visit, Gift.visit_id == Visit.id)
            .outerjoin(giver, Gift.giver_person_id == giver.id)
            .outerjoin(recipient, Gift.recipient_person_id == recipient.id)
            .where(Gift.date >= date_from, Gift.date <= date_to)
            .order_by(Gift.date, Gift.id))
    rows = tuple(
        GiftRegisterRow(gift_record(g), public_id or "", title or "",
                        display_name(gv) if gv else "", display_name(rc) if rc else "",
                        policy.assess(g.direction, g.value, g.currency))
        for g, public_id, title, gv, rc in session.execute(stmt))
    undated = session.scalar(select(func.count()).select_from(Gift).where(
        Gift.date.is_(None))) or 0
    return GiftRegister(date_from, date_to, policy, rows, undated)

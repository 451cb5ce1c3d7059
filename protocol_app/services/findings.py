"""Clash findings the office can act on: each with its kind, and acknowledged with a reason.

:meth:`FindingService.check` runs the visit's clash checks
(:meth:`TravelService.check`) and pairs each finding with its acknowledgement, if the
office has given one.  :meth:`FindingService.acknowledge` records who accepted a
finding, when and why (audited, in the table of migration 0007); the finding is still
reported, marked as acknowledged, so nothing is hidden.  A finding is known across runs
by :func:`finding_key`: its code and the events and people it names.

:data:`FINDING_KINDS` groups the codes into the kinds a person scans for (travel time,
double booking, head of delegation absent, dietary, e-mail, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.records.models import FindingAcknowledgement
from protocol_app.rules.conflicts import Finding
from protocol_app.services.base import ServiceBase, to_aware_utc, write_audit
from protocol_app.services.lookup import resolve_visit
from protocol_app.services.protocol.travel import TravelService

#: Each finding code's kind, in the order the kinds are shown.
FINDING_KINDS: dict[str, str] = {
    "travel_time_too_short": "Travel time",
    "person_double_booked": "Double booking",
    "venue_double_booked": "Double booking",
    "head_of_delegation_absent": "Head of delegation absent",
    "head_of_delegation_unseated": "Head of delegation absent",
    "no_head_of_delegation": "Head of delegation absent",
    "dietary_needs_unknown": "Dietary",
    "missing_email": "E-mail",
    "event_ends_before_start": "Times",
    "event_outside_visit": "Times",
    "invalid_time_zone": "Times",
    "unknown_attendee": "Attendees",
    "gift_must_be_declared": "Gifts",
    "gift_value_unknown": "Gifts",
}
SEVERITY_ORDER = ("error", "warning", "info")


def finding_kind(code: str) -> str:
    """The kind a finding's code belongs to (``"Other"`` for a code not listed)."""
    return FINDING_KINDS.get(code, "Other")


def finding_key(finding: Finding) -> str:
    """The finding's identity across runs: ``code|event refs|person ids``."""
    return "|".join((finding.code, ",".join(finding.event_refs),
                     ",".join(str(p) for p in finding.person_ids)))


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """Who accepted a finding, when and why."""

    finding_key: str
    code: str
    reason: str
    actor: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"by", "at", "reason"}`` (``at`` in ISO 8601 UTC)."""
        return {"by": self.actor, "at": self.at.astimezone(UTC).isoformat(),
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class CheckedFinding:
    """A finding of the checks, with its kind, key and acknowledgement (or None)."""

    finding: Finding
    acknowledgement: Acknowledgement | None = None

    @property
    def key(self) -> str:
        return finding_key(self.finding)

    @property
    def kind(self) -> str:
        return finding_kind(self.finding.code)

    def to_dict(self) -> dict[str, Any]:
        """:meth:`Finding.to_dict` plus ``key`` and ``acknowledged`` (None or who/when/why)."""
        ack = self.acknowledgement
        return {**self.finding.to_dict(), "key": self.key,
                "acknowledged": ack.to_dict() if ack is not None else None}


def _value(row: FindingAcknowledgement) -> Acknowledgement:
    return Acknowledgement(finding_key=row.finding_key, code=row.code, reason=row.reason,
                           actor=row.actor, at=to_aware_utc(row.at))


class FindingService(ServiceBase):
    """The clash checks of a visit with the office's acknowledgements."""

    def check(self, visit: int | str) -> list[CheckedFinding]:
        """Every finding of :meth:`TravelService.check`, each with its acknowledgement."""
        findings = TravelService(self.db, self.actor).check(visit)
        acknowledged = self.acknowledgements(visit)
        return [CheckedFinding(f, acknowledged.get(finding_key(f))) for f in findings]

    def acknowledgements(self, visit: int | str) -> dict[str, Acknowledgement]:
        """The visit's acknowledgements by finding key."""
        with self.db.read_session() as session:
            visit_id = resolve_visit(session, visit).id
            rows = session.scalars(select(FindingAcknowledgement).where(
                FindingAcknowledgement.visit_id == visit_id))
            return {row.finding_key: _value(row) for row in rows}

    def acknowledge(self, visit: int | str, key: str, reason: str) -> Acknowledgement:
        """Accept the finding ``key`` of a visit, for ``reason`` (audited).

        The finding must be one the checks report now; a second acknowledgement of the
        same finding replaces the first (its reason and author)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError([FieldProblem("reason", "say why this finding is accepted")],
                                  subject="acknowledgement")
        current = {finding_key(f): f for f in TravelService(self.db, self.actor).check(visit)}
        if key not in current:
            raise NotFoundError(f"The checks of this visit report no finding '{key}' (run "
                                "`protocol-app check VISIT --json` for the keys).")
        with self.db.session() as session:
            row_visit = resolve_visit(session, visit)
            row = session.scalar(select(FindingAcknowledgement).where(
                FindingAcknowledgement.visit_id == row_visit.id,
                FindingAcknowledgement.finding_key == key))
            old = {"reason": row.reason, "actor": row.actor} if row is not None else None
            if row is None:
                row = FindingAcknowledgement(visit_id=row_visit.id, finding_key=key,
                                             code=current[key].code)
                session.add(row)
            row.reason, row.actor = reason, self.actor
            row.at = datetime.now(UTC).replace(tzinfo=None)
            session.flush()
            write_audit(session, self.actor, "update" if old else "create",
                        "finding_acknowledgement", row.id, old=old,
                        new={"visit_id": row_visit.id, "finding_key": key, "reason": reason,
                             "actor": self.actor},
                        summary=f"Acknowledged {current[key].code} in visit {row_visit.title}")
            return _value(row)

    def withdraw(self, visit: int | str, key: str) -> bool:
        """Take an acknowledgement back (audited); False if there was none."""
        with self.db.session() as session:
            row_visit = resolve_visit(session, visit)
            row = session.scalar(select(FindingAcknowledgement).where(
                FindingAcknowledgement.visit_id == row_visit.id,
                FindingAcknowledgement.finding_key == key))
            if row is None:
                return False
            write_audit(session, self.actor, "delete", "finding_acknowledgement", row.id,
                        old={"finding_key": key, "reason": row.reason, "actor": row.actor},
                        summary=f"Withdrew the acknowledgement of {row.code}")
            session.execute(delete(FindingAcknowledgement).where(
                FindingAcknowledgement.id == row.id))
            return True

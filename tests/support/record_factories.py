"""Small builders for the frozen values the rules take as input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from protocol_app.services.values import (
    EventRecord,
    ParticipantRecord,
    PersonRecord,
    VisitRecord,
)


def person(pid: int, family: str, given: str = "", **fields: Any) -> PersonRecord:
    """A person with an id, names, and any other field of PersonRecord."""
    return PersonRecord(id=pid, family_name=family, given_name=given, **fields)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def event(
    eid: int,
    title: str,
    start: datetime,
    end: datetime,
    timezone: str,
    *,
    kind: str = "meeting",
    status: str = "confirmed",
    **fields: Any,
) -> EventRecord:
    """An event of visit 1, its ref "e<id>"."""
    return EventRecord(
        id=eid, visit_id=1, ref=f"e{eid}", title=title, kind=kind, start_utc=start,
        end_utc=end, timezone=timezone, status=status, **fields,
    )


def visit(
    participants: list[tuple[PersonRecord, str, str]],
    events: list[EventRecord],
    start: date = date(2027, 3, 13),
    end: date = date(2027, 3, 30),
    title: str = "Delegation from Brazil",
) -> VisitRecord:
    """A visit; ``participants`` are (person, side, role) triples."""
    return VisitRecord(
        id=1, public_id="V-2027-001", title=title, purpose="", status="planned",
        timezone="America/New_York", start_date=start, end_date=end, country="BR",
        organizer_name="", organizer_email="", responsible_officer="", version=1,
        participants=tuple(
            ParticipantRecord(p.id, side, role, p) for p, side, role in participants
        ),
        events=tuple(events),
    )

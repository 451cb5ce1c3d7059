"""Small builders of the frozen values the calendar and the plan take (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from protocol_app.services.values import (
    EventRecord,
    ParticipantRecord,
    PersonRecord,
    VisitRecord,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def person(pid: int, family: str, given: str = "", email: str | None = None,
           **fields: Any) -> PersonRecord:
    """A person; the e-mail defaults to ``p<id>@example.org``."""
    return PersonRecord(id=pid, family_name=family, given_name=given,
                        email=f"p{pid}@example.org" if email is None else email, **fields)


def event(eid: int, start: datetime, *, minutes: int = 90, timezone: str = "America/New_York",
          title: str | None = None, attendees: tuple[int, ...] = (), **fields: Any,
          ) -> EventRecord:
    """An event of visit 1 with a stable UID."""
    return EventRecord(
        id=eid, visit_id=1, ref=f"e{eid}", title=title or f"Event {eid}",
        kind=fields.pop("kind", "meeting"),
        start_utc=start, end_utc=start + timedelta(minutes=minutes), timezone=timezone,
        status=fields.pop("status", "confirmed"), attendee_ids=attendees,
        uid=f"uid-{eid}@protocol-desk.invalid", **fields,
    )


def visit(people: list[PersonRecord], events: list[EventRecord], **fields: Any) -> VisitRecord:
    """A visit with everyone as a guest member."""
    values: dict[str, Any] = dict(
        id=1, public_id="test-visit", title="Test visit", purpose="", status="confirmed",
        timezone="America/New_York", start_date=date(2027, 3, 11),
        end_date=date(2027, 3, 14), country="VN", organizer_name="Office of Protocol",
        organizer_email="protocol@example.edu", responsible_officer="", version=1,
    )
    values.update(fields)
    return VisitRecord(participants=tuple(ParticipantRecord(p.id, "guest", "member", p)
                                          for p in people),
                       events=tuple(events), **values)

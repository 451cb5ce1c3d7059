"""VCALENDAR documents for a visit: the whole itinerary (``METHOD:PUBLISH``) and one
event for one invitation message (``METHOD:REQUEST`` or ``METHOD:CANCEL``).

The documents are written directly as content lines (see
:mod:`~protocol_app.invites.contentlines`): every text escaped, every line folded on
character boundaries.  Every time is wall-clock time with the ``TZID`` of the event's
IANA zone, whose VTIMEZONE (RRULE form, :mod:`~protocol_app.invites.timezones`) is in
the same file; the second occurrence of a repeated hour (clocks going back), which a
TZID cannot name, is written in UTC instead.

Only what may leave the office goes in: people pass through
:func:`protocol_app.records.sensitivity.redact` and events through
:func:`~protocol_app.records.sensitivity.redact_event` for the guest audience (an
event's internal notes never leave), and of a person only the name and honorific are
used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from protocol_app import __version__
from protocol_app.invites.contentlines import (
    ContentWriter,
    clean_text,
    escape_text,
    format_local,
    format_utc,
    param_value,
)
from protocol_app.invites.timezones import vtimezone_lines
from protocol_app.records.sensitivity import Audience, redact, redact_event
from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord

PRODID = f"-//Protocol Desk//Protocol Desk {__version__}//EN"
#: Invitations leave the office: guests may read them.
INVITE_AUDIENCE = Audience.GUEST

METHOD_PUBLISH = "PUBLISH"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"

ROLE_CHAIR = "CHAIR"
ROLE_REQUIRED = "REQ-PARTICIPANT"

_STATUS = {"tentative": "TENTATIVE", "confirmed": "CONFIRMED", "cancelled": "CANCELLED"}


@dataclass(frozen=True, slots=True)
class Organizer:
    """Who sends the invitations (``ORGANIZER``, the e-mail's ``From``)."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class CalendarAttendee:
    """One ``ATTENDEE`` line."""

    email: str
    name: str
    role: str = ROLE_REQUIRED
    sent_by: str = ""  # a calendar manager acting for the attendee (RFC 5545 SENT-BY)


# -- what an event says ---------------------------------------------------------------
def public_person(person: PersonRecord) -> PersonRecord:
    """The person as an invitation may show them (sensitive fields removed)."""
    return redact(person, INVITE_AUDIENCE)


def public_event(event: EventRecord) -> EventRecord:
    """The event as an invitation may show it (internal notes removed)."""
    return redact_event(event, INVITE_AUDIENCE)


def event_is_cancelled(event: EventRecord, visit: VisitRecord) -> bool:
    """An event is off when it is cancelled or its whole visit is."""
    return event.status == "cancelled" or visit.status == "cancelled"


def event_status(event: EventRecord, visit: VisitRecord) -> str:
    """The iCalendar STATUS of an event: TENTATIVE, CONFIRMED or CANCELLED."""
    if event_is_cancelled(event, visit):
        return "CANCELLED"
    return _STATUS.get(event.status, "CONFIRMED")


def event_location(event: EventRecord) -> str:
    """Venue, room and address on one line: ``Marlowe Pavilion, Grand Ballroom, 300
    Lakeside Drive, Alderbrook, VA 20198``."""
    parts: list[str] = []
    for piece in (event.venue_name, event.venue_room, event.venue_address):
        for line in clean_text(piece).split("\n"):
            line = line.strip().rstrip(",").strip()
            if line:
                parts.append(line)
    return ", ".join(parts)


def event_attendee_ids(event: EventRecord) -> tuple[int, ...]:
    """The people of an event: its host first (if not listed), then its attendees."""
    ids = list(event.attendee_ids)
    if event.host_person_id is not None and event.host_person_id not in ids:
        ids.insert(0, event.host_person_id)
    return tuple(ids)


class PersonLabels:
    """How an invitation names the people of a visit ("Host:", "Attending:"): the list
    form of address, the office's override winning (``ParticipantRecord.list_name``)."""

    def __init__(self, visit: VisitRecord) -> None:
        self._labels = {p.person_id: p.list_name for p in visit.participants}

    def __call__(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        return self._labels.get(person_id, "")


def event_details(event: EventRecord, visit: VisitRecord, labels: PersonLabels | None = None,
                  ) -> tuple[str, str, str]:
    """The notes, the dress code line and the host line of an event's description."""
    labels = labels or PersonLabels(visit)
    event = public_event(event)
    host = labels(event.host_person_id)
    return (clean_text(event.notes).strip(),
            f"Dress code: {event.dress_code.strip()}" if event.dress_code.strip() else "",
            f"Host: {host}" if host else "")


def event_description(event: EventRecord, visit: VisitRecord, labels: PersonLabels | None = None,
                      ) -> str:
    """The notes, the dress code, the host and who attends, as plain text."""
    labels = labels or PersonLabels(visit)
    notes, dress, host = event_details(event, visit, labels)
    names = [n for n in (labels(pid) for pid in event_attendee_ids(event)) if n]
    facts = [line for line in (dress, host) if line]
    if names:
        facts.append("Attending: " + ", ".join(names))
    return "\n\n".join(part for part in (notes, "\n".join(facts)) if part)


# -- times ------------------------------------------------------------------------------
def _when(moment: datetime, tz: ZoneInfo, zone: str) -> tuple[str, str, bool]:
    """(params, value, uses the zone) of a DATE-TIME for ``moment`` in ``zone``."""
    local = moment.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        # A wall-clock time of the hour repeated when clocks go back: RFC 5545 reads it
        # as the first occurrence, some readers (ical.js) as the second; UTC is exact.
        return "", format_utc(moment), False
    return f";TZID={zone}", format_local(local), True


class _Zones:
    """The zones a document uses, with the local years to cover."""

    def __init__(self) -> None:
        self.years: dict[str, tuple[int, int]] = {}
        self._tz: dict[str, ZoneInfo] = {}

    def tz(self, zone: str) -> ZoneInfo:
        tz = self._tz.get(zone)
        if tz is None:
            tz = self._tz[zone] = ZoneInfo(zone)
        return tz

    def use(self, zone: str, local_year: int) -> None:
        low, high = self.years.get(zone, (local_year, local_year))
        self.years[zone] = (min(low, local_year), max(high, local_year))

    def lines(self) -> list[str]:
        out: list[str] = []
        for zone in sorted(self.years):
            first, last = self.years[zone]
            out.extend(vtimezone_lines(zone, first, last))
        return out


def _event_lines(w: ContentWriter, zones: _Zones, event: EventRecord, visit: VisitRecord,
                 labels: PersonLabels, *, sequence: int, stamp: str, status: str,
                 organizer: Organizer | None, attendees: Sequence[CalendarAttendee],
                 rsvp: bool) -> None:
    tz = zones.tz(event.timezone)
    w.begin("VEVENT")
    w.raw("UID", escape_text(event.uid))
    w.raw("SEQUENCE", str(sequence))
    w.raw("DTSTAMP", stamp)
    for name, moment in (("DTSTART", event.start_utc), ("DTEND", event.end_utc)):
        params, value, zoned = _when(moment, tz, event.timezone)
        if zoned:
            zones.use(event.timezone, int(value[:4]))
        w.raw(name, value, params)
    w.text("SUMMARY", event.title)
    location = event_location(event)
    if location:
        w.text("LOCATION", location)
    description = event_description(event, visit, labels)
    if description:
        w.text("DESCRIPTION", description)
    w.raw("STATUS", status)
    w.raw("TRANSP", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    if organizer is not None and organizer.email:
        w.raw("ORGANIZER", f"mailto:{organizer.email}", f";CN={param_value(organizer.name)}"
              if organizer.name else "")
    for a in attendees:
        params = (f";CUTYPE=INDIVIDUAL;ROLE={a.role};PARTSTAT=NEEDS-ACTION"
                  + (";RSVP=TRUE" if rsvp else "")
                  + (f";CN={param_value(a.name)}" if a.name else "")
                  + (f';SENT-BY="mailto:{a.sent_by}"' if a.sent_by else ""))
        w.raw("ATTENDEE", f"mailto:{a.email}", params)
    w.end("VEVENT")


def _document(method: str, zones: _Zones, body: ContentWriter,
              header: Iterable[tuple[str, str]] = ()) -> bytes:
    w = ContentWriter()
    w.begin("VCALENDAR")
    w.raw("VERSION", "2.0")
    w.raw("PRODID", escape_text(PRODID))
    w.raw("CALSCALE", "GREGORIAN")
    w.raw("METHOD", method)
    for name, value in header:
        w.text(name, value)
    w.extend(zones.lines())
    w.extend(body.lines)
    w.end("VCALENDAR")
    return w.to_bytes()


def _stamp(now: datetime | None) -> str:
    return format_utc(now or datetime.now(UTC))


def publish_calendar(visit: VisitRecord, *, events: Sequence[EventRecord] | None = None,
                     organizer: Organizer | None = None, now: datetime | None = None,
                     name: str | None = None) -> bytes:
    """The itinerary (or ``events`` of it) as one ``METHOD:PUBLISH`` calendar without
    attendees, for a shared or personal calendar.  Cancelled events (every event, if
    the visit is cancelled) are marked ``STATUS:CANCELLED``."""
    chosen = visit.events if events is None else events
    labels = PersonLabels(visit)
    zones = _Zones()
    body = ContentWriter()
    stamp = _stamp(now)
    for event in chosen:
        _event_lines(body, zones, event, visit, labels, sequence=event.sequence, stamp=stamp,
                     status=event_status(event, visit), organizer=organizer, attendees=(),
                     rsvp=False)
    header = [("X-WR-CALNAME", name or visit.title), ("X-WR-TIMEZONE", visit.timezone)]
    return _document(METHOD_PUBLISH, zones, body, header)


def itip_calendar(visit: VisitRecord, event: EventRecord, *, method: str, sequence: int,
                  organizer: Organizer, attendees: Sequence[CalendarAttendee],
                  now: datetime | None = None) -> bytes:
    """One event as a ``METHOD:REQUEST`` or ``METHOD:CANCEL`` calendar (RFC 5546) for an
    invitation message.  A CANCEL carries ``STATUS:CANCELLED``; a REQUEST asks every
    attendee to reply (``PARTSTAT=NEEDS-ACTION;RSVP=TRUE``)."""
    if method not in (METHOD_REQUEST, METHOD_CANCEL):
        raise ValueError(f"unsupported iTIP method {method!r}")
    status = "CANCELLED" if method == METHOD_CANCEL else event_status(event, visit)
    zones = _Zones()
    body = ContentWriter()
    _event_lines(body, zones, event, visit, PersonLabels(visit), sequence=sequence,
                 stamp=_stamp(now), status=status, organizer=organizer, attendees=attendees,
                 rsvp=method == METHOD_REQUEST)
    return _document(method, zones, body)

"""Clash checks over a visit's itinerary.

Every check compares UTC instants, so events in different time zones, or on either side
of a daylight-saving change, compare correctly; messages show each event in its own
local time with the zone's abbreviation ("14 Mar 2027 01:30 EST – 03:30 EDT").
Cancelled events are ignored.  Two events clash when one starts before the other ends
(an event ending at 10:00 and one starting at 10:00 do not clash).

Codes (stable, for the UI and the command line), with their severity:

- ``invalid_time_zone`` (error): an event's zone is not a known IANA zone
- ``event_ends_before_start`` (error): an event's end is not after its start
- ``person_double_booked`` (error): a person is in two overlapping events
- ``venue_double_booked`` (error): one venue (and room) holds two events at once
- ``travel_time_too_short`` (warning): too little time between events at two venues
- ``event_outside_visit`` (warning): an event falls outside the visit's dates
- ``unknown_attendee`` (warning): an attendee is not a participant of the visit
- ``dietary_needs_unknown`` (warning): a meal attendee has no dietary needs on record
- ``head_of_delegation_absent`` (warning): the head of delegation misses an event (in a
  diplomatic corps, only an event that someone of their own delegation attends)
- ``head_of_delegation_unseated`` (warning): the head attends but has no seat
- ``no_head_of_delegation`` (info): the visit names no head of delegation
- ``missing_email`` (info): an attendee has no e-mail address for invites

``check`` adds the warnings of :mod:`protocol_app.rules.visibility_checks` (notes
written for hosts in an event open to guests).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from protocol_app.rules.dates import format_day
from protocol_app.rules.names import display_name
from protocol_app.rules.visibility import delegation_of, is_diplomatic_corps

if TYPE_CHECKING:  # only for annotations: the rules never import the service layer
    from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}

#: Event kinds whose own venue is the journey: no travel time is needed around them.
TRANSPORT_KINDS = frozenset({"transport"})
#: Event kinds the head of delegation is not expected to attend.
HEAD_OPTIONAL_KINDS = frozenset({"private", "transport"})
DEFAULT_TRAVEL_MINUTES = 30



@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or fact) found in a visit.

    ``at`` is the UTC start of the earliest event involved (None for visit-wide
    findings); ``event_refs`` and ``person_ids`` name what is involved.
    """

    severity: str
    code: str
    message: str
    event_refs: tuple[str, ...] = ()
    person_ids: tuple[int, ...] = ()
    at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``at`` as ISO 8601 UTC, or None)."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "event_refs": list(self.event_refs),
            "person_ids": list(self.person_ids),
            "at": self.at.astimezone(UTC).isoformat() if self.at is not None else None,
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; each by time, visit-wide last."""
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(
        findings,
        key=lambda f: (
            _SEVERITY_ORDER.get(f.severity, len(SEVERITIES)),
            _utc(f.at) if f.at is not None else far,
            f.code,
            f.message,
        ),
    )


# -- time helpers -------------------------------------------------------------------------


def _utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _zone_or_utc(event: EventRecord) -> tzinfo:
    return _zone(event.timezone) or UTC


def _day(value: date | datetime) -> str:
    """"14 Mar 2027" for the local date of ``value``."""
    return format_day(value.date() if isinstance(value, datetime) else value, short=True)


def format_event_time(event: EventRecord) -> str:
    """An event's local time: "14 Mar 2027 12:00–13:30 CET", "14 Mar 2027 01:30 EST –
    03:30 EDT" across a change of offset, with both dates when it ends on another day."""
    zone = _zone_or_utc(event)
    start = _utc(event.start_utc).astimezone(zone)
    end = _utc(event.end_utc).astimezone(zone)
    start_abbr, end_abbr = start.tzname() or "", end.tzname() or ""
    if start.date() == end.date() and start_abbr == end_abbr:
        return f"{_day(start)} {start:%H:%M}–{end:%H:%M} {start_abbr}".rstrip()
    end_day = "" if start.date() == end.date() else f"{_day(end)} "
    return f"{_day(start)} {start:%H:%M} {start_abbr} – {end_day}{end:%H:%M} {end_abbr}"


def _local_instant(value: datetime, event: EventRecord) -> str:
    """One instant in the event's zone: "28 Mar 2027 03:10 CEST"."""
    moment = _utc(value).astimezone(_zone_or_utc(event))
    return f"{_day(moment)} {moment:%H:%M} {moment.tzname() or ''}".rstrip()


def describe_event(event: EventRecord) -> str:
    """“Title” (local time), as used in messages."""
    return f"“{event.title}” ({format_event_time(event)})"


def _overlap(a: EventRecord, b: EventRecord) -> bool:
    return _utc(a.start_utc) < _utc(b.end_utc) and _utc(b.start_utc) < _utc(a.end_utc)


def _by_start(events: Iterable[EventRecord]) -> list[EventRecord]:
    return sorted(events, key=lambda e: (_utc(e.start_utc), _utc(e.end_utc), e.ref, e.id))


def active_events(visit: VisitRecord) -> list[EventRecord]:
    """The visit's events that are not cancelled, by start time."""
    return _by_start(e for e in visit.events if e.status != "cancelled")


def _participants(event: EventRecord) -> tuple[int, ...]:
    """Attendees, and the event's host if not listed among them."""
    ids = list(dict.fromkeys(event.attendee_ids))
    if event.host_person_id is not None and event.host_person_id not in ids:
        ids.append(event.host_person_id)
    return tuple(ids)


class _Names:
    def __init__(self, visit: VisitRecord) -> None:
        self.visit = visit

    def person(self, pid: int) -> PersonRecord | None:
        return self.visit.person(pid)

    def __call__(self, pid: int) -> str:
        person = self.visit.person(pid)
        return (display_name(person) if person else "") or f"person {pid}"

    def many(self, ids: Iterable[int]) -> str:
        return _and(self(i) for i in ids)

    def in_visit_order(self, ids: Iterable[int]) -> list[int]:
        """People in the order the visit lists its participants (the head first),
        anyone unknown after them."""
        order = {p.person_id: i for i, p in enumerate(self.visit.participants)}
        head = self.visit.head_of_delegation
        if head is not None:
            order[head.person_id] = -1
        return sorted(dict.fromkeys(ids), key=lambda p: (order.get(p, len(order)), p))


def _and(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# -- the checks ---------------------------------------------------------------------------


def check_event_times(visit: VisitRecord) -> list[Finding]:
    """Unknown time zones and events that end before they start."""
    findings: list[Finding] = []
    for event in active_events(visit):
        if _zone(event.timezone) is None:
            findings.append(Finding(
                "error", "invalid_time_zone",
                f"“{event.title}” has the time zone {event.timezone!r}, which is not a known "
                "IANA zone (such as Europe/Berlin); times are shown in UTC until it is fixed",
                (event.ref,), (), _utc(event.start_utc),
            ))
        if _utc(event.end_utc) <= _utc(event.start_utc):
            findings.append(Finding(
                "error", "event_ends_before_start",
                f"{describe_event(event)} ends before it starts",
                (event.ref,), (), _utc(event.start_utc),
            ))
    return findings


def check_double_bookings(visit: VisitRecord) -> list[Finding]:
    """People in two overlapping events; one finding per pair of events."""
    names = _Names(visit)
    findings: list[Finding] = []
    for a, b in combinations(active_events(visit), 2):
        if not _overlap(a, b):
            continue
        both = names.in_visit_order(p for p in _participants(a) if p in _participants(b))
        if not both:
            continue
        verb = "is" if len(both) == 1 else "are"
        findings.append(Finding(
            "error", "person_double_booked",
            f"{names.many(both)} {verb} in two events at once: {describe_event(a)} and "
            f"{describe_event(b)}",
            (a.ref, b.ref), tuple(both), _utc(b.start_utc),
        ))
    return findings


def _venue_key(event: EventRecord) -> tuple[str, str] | None:
    venue = " ".join(event.venue_name.split()).casefold()
    if not venue:
        return None
    return venue, " ".join(event.venue_room.split()).casefold()


def _venue_text(event: EventRecord) -> str:
    room = event.venue_room.strip()
    return f"{event.venue_name.strip()}, {room}" if room else event.venue_name.strip()


def check_venues(visit: VisitRecord) -> list[Finding]:
    """A venue (and room) used by two events at once.  Events with no venue are skipped;
    different rooms of one venue do not clash."""
    findings: list[Finding] = []
    for a, b in combinations(active_events(visit), 2):
        key = _venue_key(a)
        if key is None or key != _venue_key(b) or not _overlap(a, b):
            continue
        findings.append(Finding(
            "error", "venue_double_booked",
            f"{_venue_text(a)} is booked twice at once: {describe_event(a)} and "
            f"{describe_event(b)}",
            (a.ref, b.ref), (), _utc(b.start_utc),
        ))
    return findings


def _travel_table(travel_minutes: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    table: dict[tuple[str, str], int] = {}
    for (a, b), minutes in travel_minutes.items():
        ka, kb = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
        table[(ka, kb)] = minutes
        table.setdefault((kb, ka), minutes)
    return table


def check_travel_time(
    visit: VisitRecord,
    travel_minutes: Mapping[tuple[str, str], int] | None = None,
    default_travel_minutes: int = DEFAULT_TRAVEL_MINUTES,
) -> list[Finding]:
    """Too little time between one person's consecutive events at different venues.

    ``travel_minutes`` maps (venue, venue) -> minutes, either direction, venue names
    compared case-insensitively; other pairs need ``default_travel_minutes``.  Events
    with no venue and transport events (the journey itself) are not judged; overlapping
    events are reported as double bookings instead.
    """
    table = _travel_table(travel_minutes or {})
    names = _Names(visit)
    events = active_events(visit)
    short: dict[tuple[int, int], list[int]] = {}  # (event index, next index) -> people
    needed: dict[tuple[int, int], int] = {}
    for pid in dict.fromkeys(p for e in events for p in _participants(e)):
        own = [i for i, e in enumerate(events) if pid in _participants(e)]
        for i, j in pairwise(own):
            a, b = events[i], events[j]
            if a.kind in TRANSPORT_KINDS or b.kind in TRANSPORT_KINDS:
                continue
            ka, kb = _venue_key(a), _venue_key(b)
            if ka is None or kb is None or ka[0] == kb[0]:
                continue
            between = _utc(b.start_utc) - _utc(a.end_utc)
            if between < timedelta(0):
                continue
            minutes = table.get((ka[0], kb[0]), default_travel_minutes)
            if between < timedelta(minutes=minutes):
                short.setdefault((i, j), []).append(pid)
                needed[(i, j)] = minutes
    findings: list[Finding] = []
    for (i, j), found in short.items():
        a, b = events[i], events[j]
        people = names.in_visit_order(found)
        gap = int((_utc(b.start_utc) - _utc(a.end_utc)).total_seconds() // 60)
        findings.append(Finding(
            "warning", "travel_time_too_short",
            f"{names.many(people)} {'has' if len(people) == 1 else 'have'} {gap} min to get "
            f"from “{a.title}” at {_venue_text(a)} (ends {_local_instant(a.end_utc, a)}) to "
            f"“{b.title}” at {_venue_text(b)} (starts {_local_instant(b.start_utc, b)}); "
            f"the journey takes {needed[(i, j)]} min",
            (a.ref, b.ref), tuple(people), _utc(a.start_utc),
        ))
    return findings


def check_visit_dates(visit: VisitRecord) -> list[Finding]:
    """Events that start before the visit's first day or end after its last, judged by
    the local date where the event happens (an event ending at midnight ends the day
    before)."""
    findings: list[Finding] = []
    for event in active_events(visit):
        zone = _zone_or_utc(event)
        first = _utc(event.start_utc).astimezone(zone).date()
        end = _utc(event.end_utc).astimezone(zone)
        if end.time() == datetime.min.time():  # ends at midnight: its last day is the one before
            end -= timedelta(microseconds=1)
        last = max(first, end.date())
        if first < visit.start_date or last > visit.end_date:
            findings.append(Finding(
                "warning", "event_outside_visit",
                f"{describe_event(event)} falls outside the visit's dates "
                f"({_day(visit.start_date)} to {_day(visit.end_date)})",
                (event.ref,), (), _utc(event.start_utc),
            ))
    return findings


def check_attendees(visit: VisitRecord) -> list[Finding]:
    """Attendees who are not participants of the visit."""
    findings: list[Finding] = []
    for event in active_events(visit):
        unknown = [p for p in _participants(event) if visit.person(p) is None]
        if unknown:
            findings.append(Finding(
                "warning", "unknown_attendee",
                f"{describe_event(event)} lists "
                f"{_and(f'person {p}' for p in unknown)}, who "
                f"{'is' if len(unknown) == 1 else 'are'} not taking part in the visit",
                (event.ref,), tuple(unknown), _utc(event.start_utc),
            ))
    return findings


def check_meal_dietary(visit: VisitRecord) -> list[Finding]:
    """Meals ("meal" events) with attendees who have no dietary needs on record."""
    names = _Names(visit)
    findings: list[Finding] = []
    for event in active_events(visit):
        if event.kind != "meal":
            continue
        missing = names.in_visit_order(
            p for p in _participants(event)
            if (person := visit.person(p)) is not None and not person.dietary.strip()
        )
        if missing:
            findings.append(Finding(
                "warning", "dietary_needs_unknown",
                f"{describe_event(event)}: no dietary needs on record for {names.many(missing)}",
                (event.ref,), tuple(missing), _utc(event.start_utc),
            ))
    return findings


def check_emails(visit: VisitRecord) -> list[Finding]:
    """Attendees with no e-mail address, who cannot be sent invites: one finding each."""
    names = _Names(visit)
    events_of: dict[int, list[EventRecord]] = {}
    for event in active_events(visit):
        for p in _participants(event):
            person = visit.person(p)
            if person is not None and not person.email.strip():
                events_of.setdefault(p, []).append(event)
    return [
        Finding(
            "info", "missing_email",
            f"No e-mail address for {names(p)}, so no invite can be sent for "
            f"{_and(f'“{e.title}”' for e in events)}",
            tuple(e.ref for e in events), (p,), _utc(events[0].start_utc),
        )
        for p, events in events_of.items()
    ]


def check_head_of_delegation(
    visit: VisitRecord, seating: Mapping[int, Collection[int]] | None = None
) -> list[Finding]:
    """The head of delegation absent from an event (private and transport events
    excepted) or, where ``seating`` (event id -> seated person ids) covers the event,
    attending but without a seat.  Where the guests come from several delegations (a
    diplomatic corps), the head heads their own delegation only: missing an event that
    nobody of it attends is no finding."""
    head = visit.head_of_delegation
    if head is None:
        return [Finding(
            "info", "no_head_of_delegation",
            f"The visit “{visit.title}” names no head of delegation",
        )]
    name = display_name(head.person) or f"person {head.person_id}"
    findings: list[Finding] = []
    corps = is_diplomatic_corps(visit)
    own = {p.person_id for p in visit.participants
           if p.side == "guest" and delegation_of(p.person) == delegation_of(head.person)}
    for event in active_events(visit):
        attends = head.person_id in _participants(event)
        expected = not corps or bool(own & set(_participants(event)))
        if not attends and expected and event.kind not in HEAD_OPTIONAL_KINDS:
            findings.append(Finding(
                "warning", "head_of_delegation_absent",
                f"The head of delegation, {name}, does not attend {describe_event(event)}",
                (event.ref,), (head.person_id,), _utc(event.start_utc),
            ))
        elif (
            attends
            and seating is not None
            and event.id in seating
            and head.person_id not in seating[event.id]
        ):
            findings.append(Finding(
                "warning", "head_of_delegation_unseated",
                f"The head of delegation, {name}, attends {describe_event(event)} "
                "but has no seat in its seating plan",
                (event.ref,), (head.person_id,), _utc(event.start_utc),
            ))
    return findings


def check_visit(
    visit: VisitRecord,
    travel_minutes: Mapping[tuple[str, str], int] | None = None,
    default_travel_minutes: int = DEFAULT_TRAVEL_MINUTES,
    seating: Mapping[int, Collection[int]] | None = None,
) -> list[Finding]:
    """Every check above, sorted by severity then time (see :func:`sort_findings`)."""
    return sort_findings([
        *check_event_times(visit),
        *check_double_bookings(visit),
        *check_venues(visit),
        *check_travel_time(visit, travel_minutes, default_travel_minutes),
        *check_visit_dates(visit),
        *check_attendees(visit),
        *check_meal_dietary(visit),
        *check_emails(visit),
        *check_head_of_delegation(visit, seating),
    ])

"""Read calendars back with three independent parsers into one comparable shape.

- icalendar (the library the project depends on),
- vobject (another Python implementation, over dateutil's VTIMEZONE reading),
- Mozilla's ical.js under Node (Thunderbird's parser; no time zone database of its own,
  so it uses the VTIMEZONE components in the file).

:func:`isolate_tzids` renames every TZID to a name no parser knows, so the UTC instants
they compute can only come from the VTIMEZONE definitions in the file (as in Outlook),
not from a built-in IANA database (as in Google Calendar).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import vobject


@dataclass(frozen=True)
class ReadAttendee:
    email: str
    cn: str | None
    role: str | None
    partstat: str | None
    rsvp: str | None


@dataclass(frozen=True)
class ReadEvent:
    uid: str
    sequence: int
    status: str | None
    summary: str | None
    description: str | None
    location: str | None
    start: datetime  # aware, UTC
    end: datetime
    organizer: tuple[str, str | None] | None
    attendees: tuple[ReadAttendee, ...]


@dataclass(frozen=True)
class ReadCalendar:
    method: str | None
    events: tuple[ReadEvent, ...]
    tzids: tuple[str, ...] = ()

    def by_uid(self) -> dict[str, ReadEvent]:
        return {e.uid: e for e in self.events}


def _mail(value: object) -> str:
    return re.sub(r"^mailto:", "", str(value), flags=re.IGNORECASE)


def unfold(data: bytes) -> str:
    """The calendar text with folded lines joined."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


_counter = itertools.count(1)


def isolate_tzids(data: bytes) -> bytes:
    """Every TZID renamed to ``X-Test-<n>-<name>`` (unique per call)."""
    n = next(_counter)
    text = unfold(data)
    names = set(re.findall(r"TZID[:=]([^:;\r\n]+)", text))
    for name in sorted(names, key=len, reverse=True):
        safe = re.sub(r"[^A-Za-z0-9]", "-", name)
        text = re.sub(rf"(TZID[:=]){re.escape(name)}(?=[:;\r\n])", rf"\g<1>X-Test-{n}-{safe}",
                      text)
    return text.encode("utf-8")


# -- icalendar ------------------------------------------------------------------------
def read_icalendar(data: bytes) -> ReadCalendar:
    cal = icalendar.Calendar.from_ical(data)
    events = []
    for ev in cal.walk("VEVENT"):
        organizer = ev.get("ORGANIZER")
        attendees = ev.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append(ReadEvent(
            uid=str(ev["UID"]), sequence=int(ev.get("SEQUENCE", 0)),
            status=str(ev["STATUS"]) if "STATUS" in ev else None,
            summary=str(ev["SUMMARY"]) if "SUMMARY" in ev else None,
            description=str(ev["DESCRIPTION"]) if "DESCRIPTION" in ev else None,
            location=str(ev["LOCATION"]) if "LOCATION" in ev else None,
            start=ev.decoded("DTSTART").astimezone(UTC),
            end=ev.decoded("DTEND").astimezone(UTC),
            organizer=(_mail(organizer), organizer.params.get("CN")) if organizer else None,
            attendees=tuple(ReadAttendee(_mail(a), a.params.get("CN"), a.params.get("ROLE"),
                                         a.params.get("PARTSTAT"), a.params.get("RSVP"))
                            for a in attendees),
        ))
    method = str(cal["METHOD"]) if "METHOD" in cal else None
    tzids = tuple(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE"))
    return ReadCalendar(method, tuple(events), tzids)


# -- vobject --------------------------------------------------------------------------
def _vparam(prop, name: str) -> str | None:
    values = prop.params.get(name)
    return values[0] if values else None


def read_vobject(data: bytes) -> ReadCalendar:
    cal = vobject.readOne(data.decode("utf-8"))
    events = []
    for ev in getattr(cal, "vevent_list", []):
        def text(name: str, ev=ev) -> str | None:
            prop = getattr(ev, name, None)
            return None if prop is None else prop.value
        organizer = getattr(ev, "organizer", None)
        events.append(ReadEvent(
            uid=ev.uid.value, sequence=int(text("sequence") or 0), status=text("status"),
            summary=text("summary"), description=text("description"),
            location=text("location"), start=ev.dtstart.value.astimezone(UTC),
            end=ev.dtend.value.astimezone(UTC),
            organizer=(_mail(organizer.value), _vparam(organizer, "CN")) if organizer else None,
            attendees=tuple(ReadAttendee(_mail(a.value), _vparam(a, "CN"), _vparam(a, "ROLE"),
                                         _vparam(a, "PARTSTAT"), _vparam(a, "RSVP"))
                            for a in getattr(ev, "attendee_list", [])),
        ))
    method = cal.method.value if hasattr(cal, "method") else None
    tzids = tuple(tz.tzid.value for tz in getattr(cal, "vtimezone_list", []))
    return ReadCalendar(method, tuple(events), tzids)


# -- ical.js --------------------------------------------------------------------------
def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def from_icaljs(doc: dict) -> ReadCalendar:
    """The JSON that tests/invites/js/read_ics.mjs printed for one file."""
    assert doc["problems"] == [], doc["problems"]
    events = []
    for ev in doc["events"]:
        org = ev["organizer"]
        events.append(ReadEvent(
            uid=ev["uid"], sequence=int(ev["sequence"] or 0), status=ev["status"],
            summary=ev["summary"], description=ev["description"], location=ev["location"],
            start=_iso(ev["dtstart"]), end=_iso(ev["dtend"]),
            organizer=(org["email"], org["cn"]) if org else None,
            attendees=tuple(ReadAttendee(a["email"], a["cn"], a["role"], a["partstat"],
                                         a["rsvp"]) for a in ev["attendees"]),
        ))
    return ReadCalendar(doc["method"], tuple(events), tuple(doc["timezones"]))

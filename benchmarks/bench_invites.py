"""Invitations: exporting a 500-event visit with 40 attendees per event, against
icalendar alone serializing the same components, measured in the same run.

- ``calendar export (PUBLISH)``: the whole itinerary as one calendar, from the visit's
  values to bytes (VTIMEZONE, escaping, folding, description with 40 names), versus
  ``icalendar.Calendar.to_ical()`` of the same VCALENDAR built beforehand (not timed).
- ``invite calendars (REQUEST)``: one calendar per event with its 40 ATTENDEE lines,
  versus ``to_ical()`` of the same 500 calendars built beforehand.

Each figure is the median of several interleaved runs; the target is a ratio ≤ 1.5.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from protocol_app.invites.calendar import (
    METHOD_REQUEST,
    CalendarAttendee,
    Organizer,
    event_description,
    event_location,
    event_status,
    itip_calendar,
    publish_calendar,
)
from protocol_app.invites.timezones import vtimezone_lines
from protocol_app.services.values import (
    EventRecord,
    ParticipantRecord,
    PersonRecord,
    VisitRecord,
)

TARGET_RATIO = 1.5
ORGANIZER = Organizer("Office of Protocol, Alderbrook University", "protocol@example.edu")
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
ZONES = ("America/New_York", "America/New_York", "Europe/Paris", "Asia/Tokyo")
GIVEN = ["Thanh Tùng", "Mai Phương", "Caroline", "Katalin", "Noa", "Yi-chun", "Samuel",
         "Ольга", "Ελένη", "فارس", "陽翔", "प्रिया", "José", "Ingrid"]
FAMILY = ["Võ", "Nguyễn", "Mercer", "Szabó", "Ben-Ami", "Lin", "Okafor", "Петрова",
          "Παπαδοπούλου", "الخطيب", "田中", "शर्मा", "García", "Johansson"]


def build_visit(events: int = 500, attendees: int = 40, people: int = 120,
                seed: int = 5) -> VisitRecord:
    """A visit of ``events`` events with ``attendees`` attendees each."""
    rnd = random.Random(seed)
    persons = [PersonRecord(id=i, family_name=f"{rnd.choice(FAMILY)}{i}",
                            given_name=rnd.choice(GIVEN), honorific=rnd.choice(["", "Dr.", "H.E."]),
                            email=f"person{i}@example.org") for i in range(1, people + 1)]
    start = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)
    records = []
    for n in range(1, events + 1):
        begin = start + timedelta(hours=5 * n + rnd.randint(0, 3))
        chosen = tuple(rnd.sample(range(1, people + 1), attendees))
        records.append(EventRecord(
            id=n, visit_id=1, ref=f"e{n}", title=f"Working meeting {n}: budget, scope; next "
                                                   "steps",
            kind="meeting", start_utc=begin, end_utc=begin + timedelta(minutes=90),
            timezone=ZONES[n % len(ZONES)], status="tentative" if n % 7 == 0 else "confirmed",
            venue_name="Founders Hall", venue_address="1 Founders Circle, Alderbrook, VA 20198",
            venue_room=f"Room {n % 40}", host_person_id=chosen[0], attendee_ids=chosen,
            dress_code="Business", notes="Agenda: review, comments; decisions.\nBring the "
                                         "signed copies\\annexes.",
            uid=f"{n:08d}-0000-4000-8000-000000000000@protocol-desk.invalid", sequence=n % 3))
    return VisitRecord(
        id=1, public_id="bench-invites", title="Benchmark visit", purpose="",
        status="confirmed", timezone="America/New_York", start_date=date(2027, 3, 1),
        end_date=date(2027, 7, 1), country="VN", organizer_name=ORGANIZER.name,
        organizer_email=ORGANIZER.email, responsible_officer="", version=1,
        participants=tuple(ParticipantRecord(p.id, "guest", "member", p) for p in persons),
        events=tuple(records))


def _timezones(visit: VisitRecord) -> list[icalendar.Timezone]:
    years: dict[str, set[int]] = {}
    for e in visit.events:
        years.setdefault(e.timezone, set()).add(e.start_utc.astimezone(ZoneInfo(e.timezone)).year)
    out = []
    for zone in sorted(years):
        text = "\r\n".join(vtimezone_lines(zone, min(years[zone]), max(years[zone]))) + "\r\n"
        out.append(icalendar.Timezone.from_ical(text))
    return out


def _icalendar_event(visit: VisitRecord, e: EventRecord,
                     attendees: list[CalendarAttendee] | None) -> icalendar.Event:
    tz = ZoneInfo(e.timezone)
    ev = icalendar.Event()
    ev.add("uid", e.uid)
    ev.add("sequence", e.sequence)
    ev.add("dtstamp", NOW)
    ev.add("dtstart", e.start_utc.astimezone(tz))
    ev.add("dtend", e.end_utc.astimezone(tz))
    ev.add("summary", e.title)
    ev.add("location", event_location(e))
    ev.add("description", event_description(e, visit))
    ev.add("status", event_status(e, visit))
    ev.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{ORGANIZER.email}")
    organizer.params["CN"] = ORGANIZER.name
    ev.add("organizer", organizer)
    for a in attendees or ():
        address = icalendar.vCalAddress(f"mailto:{a.email}")
        address.params.update({"CUTYPE": "INDIVIDUAL", "ROLE": a.role,
                               "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE", "CN": a.name})
        ev.add("attendee", address)
    return ev


def _icalendar_calendar(method: str, timezones: list, events: list) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//Protocol Desk//Benchmark//EN")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    for tz in timezones:
        cal.add_component(tz)
    for ev in events:
        cal.add_component(ev)
    return cal


def _attendees(visit: VisitRecord, e: EventRecord) -> list[CalendarAttendee]:
    people = {p.person_id: p.person for p in visit.participants}
    return [CalendarAttendee(people[i].email, people[i].display_name,
                             "CHAIR" if i == e.host_person_id else "REQ-PARTICIPANT")
            for i in e.attendee_ids]


def _median_pair(ours: Callable[[], object], base: Callable[[], object],
                 rounds: int) -> tuple[float, float]:
    ours(), base()  # warm up
    a, b = [], []
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            t = time.perf_counter()
            ours()
            a.append(time.perf_counter() - t)
            t = time.perf_counter()
            base()
            b.append(time.perf_counter() - t)
    finally:
        if gc_was:
            gc.enable()
    return statistics.median(a), statistics.median(b)


def run(events: int = 500, attendees: int = 40, rounds: int = 7) -> list[dict]:
    """Measure both exports; rows for ``python -m benchmarks``."""
    visit = build_visit(events, attendees)
    timezones = _timezones(visit)
    # The baseline components are built beforehand: only their serialization is timed.
    publish = _icalendar_calendar("PUBLISH", timezones,
                                  [_icalendar_event(visit, e, None) for e in visit.events])
    attendee_lists = {e.id: _attendees(visit, e) for e in visit.events}
    requests = []
    for e in visit.events:
        zone = [tz for tz in timezones if str(tz["TZID"]) == e.timezone]
        requests.append(_icalendar_calendar(
            METHOD_REQUEST, zone, [_icalendar_event(visit, e, attendee_lists[e.id])]))

    def ours_publish() -> bytes:
        return publish_calendar(visit, organizer=ORGANIZER, now=NOW)

    def ours_requests() -> list[bytes]:
        return [itip_calendar(visit, e, method=METHOD_REQUEST, sequence=e.sequence,
                              organizer=ORGANIZER, attendees=attendee_lists[e.id], now=NOW)
                for e in visit.events]

    export, export_base = _median_pair(ours_publish, publish.to_ical, rounds)
    invite, invite_base = _median_pair(ours_requests,
                                       lambda: [c.to_ical() for c in requests], rounds)
    size = f"{events} events × {attendees} attendees"
    rows = []
    for label, ours, base in (("calendar export (PUBLISH)", export, export_base),
                              ("invite calendars (REQUEST)", invite, invite_base)):
        ratio = ours / base
        print(f"  {label}, {size}: {ours * 1000:.1f} ms; icalendar to_ical of the same "
              f"components {base * 1000:.1f} ms; ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×)")
        rows += [
            {"name": f"{label}, {size}", "value": ours * 1000, "unit": "ms",
             "target": "see ratio", "ok": True},
            {"name": f"{label}: icalendar to_ical alone", "value": base * 1000, "unit": "ms",
             "target": "baseline", "ok": True},
            {"name": f"{label}: ours / icalendar", "value": ratio, "unit": "×",
             "target": f"≤ {TARGET_RATIO}×", "ok": ratio <= TARGET_RATIO},
        ]
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)

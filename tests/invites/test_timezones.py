"""VTIMEZONE in the RRULE form: every parser reads every time back to the same UTC
instant, near the daylight-saving changes of zones all over the world.

The TZIDs are renamed before reading (:func:`readers.isolate_tzids`), so icalendar,
vobject and ical.js can only use the VTIMEZONE in the file, as Outlook does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from protocol_app.invites.calendar import publish_calendar
from protocol_app.invites.timezones import transitions, vtimezone_lines
from tests.support.invite_factories import event, visit
from tests.support.readers import isolate_tzids, read_icalendar, read_vobject, unfold

ZONES = [
    "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
    "Europe/Paris", "Europe/Dublin", "Europe/Athens", "Australia/Sydney",
    "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham", "America/Santiago",
    "America/Havana", "America/Sao_Paulo", "Asia/Jerusalem", "Africa/Casablanca",
    "Asia/Gaza", "Asia/Tokyo", "Asia/Kolkata", "Asia/Tehran", "Asia/Ho_Chi_Minh",
    "Antarctica/Troll", "America/St_Johns", "Africa/Cairo",
]
YEARS = (2026, 2028)
OFFSETS = (-25 * 60, -61, -30, -1, 0, 1, 30, 59, 61, 90, 24 * 60)  # minutes around a change


def _instants(zone: str) -> list[datetime]:
    """Instants around every change of ``zone`` in YEARS, and the middle of each month."""
    begin = datetime(YEARS[0], 1, 1, tzinfo=UTC)
    end = datetime(YEARS[1] + 1, 1, 1, tzinfo=UTC)
    found = [t.utc for t in transitions(zone, begin, end)]
    moments = {t + timedelta(minutes=m) for t in found for m in OFFSETS}
    moments |= {datetime(y, m, 15, 12, tzinfo=UTC) for y in range(YEARS[0], YEARS[1] + 1)
                for m in range(1, 13)}
    return sorted(x for x in moments if begin <= x < end - timedelta(days=1))


def _calendar(zone: str) -> tuple[bytes, dict[str, tuple[datetime, datetime]]]:
    events = [event(i, moment, minutes=95, timezone=zone)
              for i, moment in enumerate(_instants(zone), 1)]
    expected = {e.uid: (e.start_utc, e.end_utc) for e in events}
    return publish_calendar(visit([], events), now=datetime(2027, 1, 1, tzinfo=UTC)), expected


@pytest.fixture(scope="module")
def calendars() -> dict[str, tuple[bytes, dict]]:
    return {zone: _calendar(zone) for zone in ZONES}


@pytest.mark.parametrize("zone", ZONES)
def test_the_vtimezone_uses_rules_not_lists_of_dates(zone: str) -> None:
    lines = vtimezone_lines(zone, 2027, 2027)
    assert not any(line.startswith("RDATE") for line in lines)
    assert lines[0] == "BEGIN:VTIMEZONE" and lines[1] == f"TZID:{zone}"
    if zone in ("America/New_York", "Europe/Paris", "Australia/Sydney"):
        assert sum(line.startswith("RRULE:FREQ=YEARLY") for line in lines) == 2
        assert sum(line == "BEGIN:STANDARD" for line in lines) == 1
        assert sum(line == "BEGIN:DAYLIGHT" for line in lines) == 1


def test_new_york_is_the_familiar_rule() -> None:
    lines = vtimezone_lines("America/New_York", 2027, 2027)
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" in lines
    assert "TZOFFSETTO:-0400" in lines and "TZOFFSETTO:-0500" in lines


def test_icalendars_own_generator_writes_rdate_lists_which_we_avoid() -> None:
    """Why this module exists: icalendar 7's from_tzinfo gives the RDATE form."""
    generated = icalendar.Timezone.from_tzinfo(ZoneInfo("America/New_York")).to_ical()
    assert b"RDATE" in generated


@pytest.mark.parametrize("reader", [read_icalendar, read_vobject],
                         ids=["icalendar", "vobject"])
@pytest.mark.parametrize("zone", ZONES)
def test_python_parsers_read_the_same_instants(calendars, reader, zone: str) -> None:
    data, expected = calendars[zone]
    for isolated in (False, True):
        read = reader(isolate_tzids(data) if isolated else data)
        got = {e.uid: (e.start, e.end) for e in read.events}
        wrong = {uid: (got.get(uid), want) for uid, want in expected.items()
                 if got.get(uid) != want}
        assert not wrong, f"{zone} (isolated={isolated}): {list(wrong.items())[:3]}"


def test_icaljs_reads_the_same_instants(calendars, icaljs, tmp_path) -> None:
    paths = []
    for zone in ZONES:
        path = tmp_path / f"{zone.replace('/', '_')}.ics"
        path.write_bytes(isolate_tzids(calendars[zone][0]))
        paths.append(path)
    for zone, read in zip(ZONES, icaljs(*paths), strict=True):
        expected = calendars[zone][1]
        got = {e.uid: (e.start, e.end) for e in read.events}
        wrong = {uid: (got.get(uid), want) for uid, want in expected.items()
                 if got.get(uid) != want}
        assert not wrong, f"{zone}: {list(wrong.items())[:3]}"


def test_every_tzid_has_its_vtimezone(calendars) -> None:
    for zone, (data, _expected) in calendars.items():
        text = unfold(data)
        used = {line.split("TZID=")[1].split(":")[0] for line in text.split("\r\n")
                if ";TZID=" in line}
        defined = {line[5:] for line in text.split("\r\n") if line.startswith("TZID:")}
        assert used <= defined, zone


def test_times_in_a_repeated_hour_are_written_in_utc(icaljs_bytes) -> None:
    """01:30 happens twice in New York on 7 November 2027.  RFC 5545 reads a TZID time
    there as the first, ical.js as the second: both are written in UTC instead."""
    first = datetime(2027, 11, 7, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2027, 11, 7, 6, 30, tzinfo=UTC)  # 01:30 EST
    before = datetime(2027, 11, 7, 4, 30, tzinfo=UTC)  # 00:30 EDT, not ambiguous
    data = publish_calendar(visit([], [event(1, first, minutes=30), event(2, second),
                                       event(3, before, minutes=20)]))
    text = unfold(data)
    assert "DTSTART:20271107T053000Z" in text
    assert "DTSTART:20271107T063000Z" in text
    assert "DTSTART;TZID=America/New_York:20271107T003000" in text
    for read in (read_icalendar(isolate_tzids(data)), read_vobject(isolate_tzids(data)),
                 icaljs_bytes(isolate_tzids(data))):
        assert sorted(e.start for e in read.events) == [before, first, second]


def test_a_calendar_over_several_years_covers_them_all() -> None:
    moments = [datetime(2027, 3, 14, 7, 30, tzinfo=UTC), datetime(2031, 3, 9, 6, 30, tzinfo=UTC),
               datetime(2031, 11, 2, 5, 30, tzinfo=UTC)]
    data = publish_calendar(visit([], [event(i, m) for i, m in enumerate(moments, 1)]))
    for reader in (read_icalendar, read_vobject):
        starts = sorted(e.start for e in reader(isolate_tzids(data)).events)
        assert starts == moments

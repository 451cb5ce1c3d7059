"""VTIMEZONE components in the form every calendar client reads right.

icalendar's ``Timezone.from_tzinfo`` writes one STANDARD and one DAYLIGHT component
with a long list of RDATE transitions since 1970.  Some clients read that form an hour
off near the changes and Outlook ignores it.  This module writes what Outlook, Google,
Apple, Thunderbird and ical.js all read alike: ``STANDARD``/``DAYLIGHT`` components
with a yearly ``RRULE`` (``FREQ=YEARLY;BYMONTH=3;BYDAY=2SU``), one per rule in force
over the years that matter, with ``UNTIL`` when a rule ends, from the transitions of
the IANA zone in :mod:`zoneinfo`.

How: the zone's transitions are found (a daily scan, then bisection to the second) from
the year before the first event to several years after the last; transitions of the
same kind (same offsets, name, month, weekday and wall-clock time) in consecutive years
become one run; a run is written as an RRULE (``nth`` weekday, last weekday, or a
7-day ``BYMONTHDAY`` window with a weekday), checked by expanding the rule again, or as
single components when no rule fits (zones with irregular changes, such as Morocco's
around Ramadan).  A rule already in force at the start is anchored in 1970 (as
Thunderbird and tzurl.org write zones); otherwise the state in force at the start is
one component from 1970, so readers that probe earlier years (vobject) never take the
zone for a fixed offset or for UTC.  A zone without changes gets one ``STANDARD``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from protocol_app.invites.contentlines import escape_text, format_local, format_utc

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Years after the last event over which rules are analysed (to tell "last Sunday"
#: from "4th Sunday", and to see whether a rule ends).
LOOKAHEAD_YEARS = 8
_DAY = 86_400
#: Where rules already in force at the start of the window are anchored.
ANCHOR_YEAR = 1970


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of a zone's offset or abbreviation."""

    utc: datetime  # aware, the instant of the change
    offset_from: timedelta
    offset_to: timedelta
    name: str  # abbreviation after the change, e.g. "EDT"
    dst: int  # seconds of daylight saving after the change (negative in Europe/Dublin)

    @property
    def local(self) -> datetime:
        """The onset as wall-clock time before the change (RFC 5545 DTSTART form)."""
        return (self.utc + self.offset_from).replace(tzinfo=None)


def _state(tz: ZoneInfo, ts: int) -> tuple[timedelta, str, int]:
    moment = datetime.fromtimestamp(ts, tz)
    offset = moment.utcoffset() or timedelta(0)
    dst = moment.dst() or timedelta(0)
    return offset, moment.tzname() or "", int(dst.total_seconds())


def transitions(zone: str, start: datetime, end: datetime) -> list[Transition]:
    """Every transition of ``zone`` between the aware instants ``start`` and ``end``."""
    tz = ZoneInfo(zone)
    lo_ts, end_ts = int(start.timestamp()), int(end.timestamp())
    found: list[Transition] = []
    previous = _state(tz, lo_ts)
    ts = lo_ts
    while ts < end_ts:
        nxt = min(ts + _DAY, end_ts)
        current = _state(tz, nxt)
        if current != previous:
            lo, hi = ts, nxt  # state(lo) == previous, state(hi) != previous
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _state(tz, mid) == previous:
                    lo = mid
                else:
                    hi = mid
            after = _state(tz, hi)
            found.append(Transition(datetime.fromtimestamp(hi, UTC), previous[0], after[0],
                                    after[1], after[2]))
            previous, ts = after, hi
            continue
        previous, ts = current, nxt
    return found


# -- rules --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Rule:
    """A yearly rule: ``BYMONTH`` with ``BYDAY`` (``2SU``, ``-1SU``) or a weekday in a
    window of days (``BYMONTHDAY=23,...,29;BYDAY=FR``)."""

    month: int
    weekday: int
    nth: int = 0  # 1..4, or -1 for the last; 0 when ``first_day`` is used
    first_day: int = 0  # start of a 7-day window

    def day_in(self, year: int) -> int:
        """The day of the month the rule gives in ``year``."""
        days_in_month = calendar.monthrange(year, self.month)[1]
        if self.nth > 0:
            first = (self.weekday - calendar.weekday(year, self.month, 1)) % 7 + 1
            return first + 7 * (self.nth - 1)
        if self.nth == -1:
            last_wd = calendar.weekday(year, self.month, days_in_month)
            return days_in_month - (last_wd - self.weekday) % 7
        wd = calendar.weekday(year, self.month, self.first_day)
        return self.first_day + (self.weekday - wd) % 7

    def rrule_parts(self) -> str:
        wd = _WEEKDAYS[self.weekday]
        if self.nth:
            return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={self.nth}{wd}"
        days = ",".join(str(d) for d in range(self.first_day, self.first_day + 7))
        return f"FREQ=YEARLY;BYMONTH={self.month};BYMONTHDAY={days};BYDAY={wd}"


def _rule_for(run: list[Transition]) -> _Rule | None:
    """The yearly rule that gives every transition of ``run``, if one does."""
    first = run[0].local
    month, weekday = first.month, first.weekday()
    days = [t.local.day for t in run]
    candidates: list[_Rule] = []
    if all(t.local.day + 7 > calendar.monthrange(t.local.year, month)[1] for t in run):
        candidates.append(_Rule(month, weekday, nth=-1))
    nths = {(d - 1) // 7 + 1 for d in days}
    if len(nths) == 1 and (n := nths.pop()) <= 4:
        candidates.append(_Rule(month, weekday, nth=n))
    shortest = min(calendar.monthrange(t.local.year, month)[1] for t in run)
    if max(days) - min(days) <= 6 and min(days) + 6 <= shortest:
        candidates.append(_Rule(month, weekday, first_day=min(days)))
    for rule in candidates:
        if all(rule.day_in(t.local.year) == t.local.day for t in run):
            return rule
    return None


def _key(t: Transition) -> tuple:
    local = t.local
    return (t.dst, t.offset_from, t.offset_to, t.name, local.month, local.weekday(),
            local.time())


def _runs(found: list[Transition]) -> list[list[Transition]]:
    """Transitions grouped into yearly runs of one kind, in time order of their start."""
    open_runs: dict[tuple, list[Transition]] = {}
    runs: list[list[Transition]] = []
    for t in found:
        key = _key(t)
        run = open_runs.get(key)
        if run is not None and run[-1].local.year == t.local.year - 1:
            run.append(t)
            continue
        run = [t]
        open_runs[key] = run
        runs.append(run)
    return runs


def _offset(value: timedelta) -> str:
    total = int(value.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _component(t: Transition, rrule: str = "", *, negative_dst: bool = False,
               onset: datetime | None = None) -> list[str]:
    """One STANDARD or DAYLIGHT component starting at ``t`` (or at ``onset``)."""
    # Zones with "negative" DST in tzdata (Europe/Dublin: winter is the DST) are written
    # the way Windows and most clients know them: the summer offset is DAYLIGHT.
    daylight = t.dst == 0 and t.offset_to > t.offset_from if negative_dst else t.dst > 0
    kind = "DAYLIGHT" if daylight else "STANDARD"
    lines = [f"BEGIN:{kind}", f"TZNAME:{escape_text(t.name)}",
             f"TZOFFSETFROM:{_offset(t.offset_from)}", f"TZOFFSETTO:{_offset(t.offset_to)}",
             f"DTSTART:{format_local(onset or t.local)}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines.append(f"END:{kind}")
    return lines


@lru_cache(maxsize=256)
def vtimezone_lines(zone: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """The content lines of a VTIMEZONE for ``zone`` that gives the right offset at
    every instant from the start of ``first_year`` to the end of ``last_year``."""
    tz = ZoneInfo(zone)
    begin = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    horizon_year = last_year + LOOKAHEAD_YEARS
    horizon = datetime(horizon_year + 1, 1, 1, tzinfo=UTC)
    emit_until = datetime(last_year + 2, 1, 1, tzinfo=UTC)
    found = transitions(zone, begin, horizon)
    negative = any(t.dst < 0 for t in found)
    parts: list[tuple[datetime, list[str]]] = []
    anchored = False
    for run in _runs(found):
        if run[0].utc >= emit_until:
            continue
        rule = _rule_for(run) if len(run) > 1 else None
        if rule is None:
            parts.extend((t.utc, _component(t, negative_dst=negative))
                         for t in run if t.utc < emit_until)
            continue
        ends = run[-1].local.year < horizon_year - 1
        rrule = rule.rrule_parts() + (f";UNTIL={format_utc(run[-1].utc)}" if ends else "")
        onset = None
        if run[0].local.year == first_year - 1:
            # A rule already in force: anchored in 1970, as Thunderbird and tzurl.org
            # write it, so readers that probe the zone in earlier years (vobject) see a
            # zone with changes rather than a fixed offset.
            onset = run[0].local.replace(year=ANCHOR_YEAR, day=rule.day_in(ANCHOR_YEAR))
            anchored = True
        parts.append((run[0].utc, _component(run[0], rrule, negative_dst=negative,
                                             onset=onset)))
    if not anchored:
        # The state in force at the start of the window, since 1970: a zone without
        # changes, or one whose changes follow no yearly rule (Morocco), must not look
        # like a fixed offset (or UTC) to readers that probe earlier years.
        offset, name, _dst = _state(tz, int(begin.timestamp()))
        anchor = datetime(ANCHOR_YEAR, 1, 1)
        parts.append((anchor.replace(tzinfo=UTC),
                      _component(Transition(begin, offset, offset, name, 0), onset=anchor)))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{escape_text(zone)}"]
    for _start, part in sorted(parts, key=lambda p: p[0]):
        lines.extend(part)
    lines.append("END:VTIMEZONE")
    return tuple(lines)

"""Time-zone helpers for the itinerary: pure functions, no Qt.

* :func:`home_zone` — the IANA zone most used in a country (the delegation's home time),
  read from the ``zone.tab`` table that ships with the ``tzdata`` package;
* :func:`zone_names` — every IANA zone name, sorted;
* :func:`zone_choices` — the zones a person picks from, each by its people name ("New
  York time (EST, UTC−5)") with its IANA key (labels for people — city, abbreviation,
  offset — come from :mod:`protocol_app.formatting`);
* :func:`day_transition` — the clock change (if any) on one local day, so the agenda can
  mark the skipped or repeated hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from protocol_app.formatting import zone_abbreviation, zone_label
from protocol_app.timeutil import listed_zones


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name (``Area/City``), sorted, without the legacy aliases."""
    names = {z for z in available_timezones()
             if "/" in z and not z.startswith(("Etc/", "SystemV/"))}
    names.add("UTC")
    return tuple(sorted(names))


@lru_cache(maxsize=8)
def zone_choices(on: date) -> tuple[tuple[str, str], ...]:
    """``(people name, IANA key)`` of every listed zone as its clocks read on ``on``
    (noon UTC), sorted by name: ``("New York time (EST, UTC−5)", "America/New_York")``."""
    moment = datetime.combine(on, time(12), UTC)
    pairs = [(zone_label(zone, moment), zone) for zone in listed_zones()]
    return tuple(sorted(pairs, key=lambda pair: (pair[0].casefold(), pair[1])))


def hours_between(zone_a: str, zone_b: str, moment: datetime) -> float:
    """How many hours ``zone_b``'s clocks are ahead of ``zone_a``'s at ``moment``."""
    a = moment.astimezone(ZoneInfo(zone_a)).utcoffset() or timedelta(0)
    b = moment.astimezone(ZoneInfo(zone_b)).utcoffset() or timedelta(0)
    return (b - a).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Transition:
    """A clock change on one local day.

    ``start``/``end`` are the wall-clock times bounding the skipped hour (clocks go
    forward: ``02:00``-``03:00``) or the repeated hour (clocks go back)."""

    day: date
    start: time
    end: time
    forward: bool
    before: str  # abbreviation before the change, e.g. "EST"
    after: str  # abbreviation after, e.g. "EDT"

    @property
    def text(self) -> str:
        """E.g. "Clocks go forward 02:00 → 03:00 (EST → EDT)"."""
        way = "forward" if self.forward else "back"
        a, b = (self.start, self.end) if self.forward else (self.end, self.start)
        return (f"Clocks go {way} {a:%H:%M} → {b:%H:%M} "
                f"({self.before} → {self.after})")


def day_transition(zone: str, day: date) -> Transition | None:
    """The clock change happening on ``day`` (local) in ``zone``, if any."""
    tz = ZoneInfo(zone)
    begin = datetime.combine(day, time(0), tz).astimezone(UTC)
    finish = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    before = begin.astimezone(tz).utcoffset()
    if (finish.astimezone(tz).utcoffset() == before
            and (finish - begin) == timedelta(days=1)):
        return None
    # find the instant of change to the minute by bisection on UTC
    lo, hi = begin, finish
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    change = hi.replace(second=0, microsecond=0)
    old = change.astimezone(tz).utcoffset()
    if old == before:  # rounding: step one minute on
        change += timedelta(minutes=1)
    after_local = change.astimezone(tz)
    before_local = (change - timedelta(minutes=1)).astimezone(tz)
    delta = (after_local.utcoffset() or timedelta(0)) - (before_local.utcoffset() or timedelta(0))
    forward = delta > timedelta(0)
    wall_before = (before_local + timedelta(minutes=1)).replace(tzinfo=None, fold=0)
    wall_after = after_local.replace(tzinfo=None, fold=0)
    if forward:
        start, end = wall_before.time(), wall_after.time()
    else:
        start, end = wall_after.time(), wall_before.time()
    return Transition(day=day, start=start, end=end, forward=forward,
                      before=zone_abbreviation(zone, before_local),
                      after=zone_abbreviation(zone, after_local))

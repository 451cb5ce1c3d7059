"""The itinerary's time-zone helpers (pure functions, no Qt)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from protocol_app import formatting, timeutil
from ui.models import zones


@pytest.mark.parametrize(("country", "zone"), [
    ("VN", "Asia/Ho_Chi_Minh"), ("US", "America/New_York"), ("RU", "Europe/Moscow"),
    ("IN", "Asia/Kolkata"), ("AU", "Australia/Sydney"), ("jp", "Asia/Tokyo"),
    ("CN", "Asia/Shanghai"), ("", None), ("XX", None),
])
def test_home_zone_is_the_most_used_zone_of_the_country(country: str, zone: str | None) -> None:
    assert timeutil.home_zone(country) == zone


def test_zone_names_are_sorted_iana_names() -> None:
    names = zones.zone_names()
    assert list(names) == sorted(names)
    assert {"America/New_York", "Asia/Ho_Chi_Minh", "UTC"} <= set(names)
    assert not any(n.startswith("Etc/") for n in names)


def test_clock_changes_of_the_demo_visit() -> None:
    assert zones.day_transition("America/New_York", date(2027, 3, 13)) is None
    spring = zones.day_transition("America/New_York", date(2027, 3, 14))
    assert spring is not None and spring.forward
    assert (spring.start, spring.end) == (time(2), time(3))
    assert spring.text == "Clocks go forward 02:00 → 03:00 (EST → EDT)"
    autumn = zones.day_transition("America/New_York", date(2027, 11, 7))
    assert autumn is not None and not autumn.forward
    assert (autumn.start, autumn.end) == (time(1), time(2))
    assert autumn.text == "Clocks go back 02:00 → 01:00 (EDT → EST)"
    assert zones.day_transition("Asia/Ho_Chi_Minh", date(2027, 3, 14)) is None


def test_labels_and_offsets() -> None:
    noon = datetime(2027, 3, 12, 17, tzinfo=UTC)
    assert formatting.zone_city("America/New_York") == "New York"
    assert formatting.zone_abbreviation("America/New_York", noon) == "EST"
    assert formatting.zone_abbreviation("Asia/Ho_Chi_Minh", noon) == "UTC+7"
    assert zones.hours_between("America/New_York", "Asia/Ho_Chi_Minh", noon) == 12
    after = datetime(2027, 3, 14, 17, tzinfo=UTC)
    assert zones.hours_between("America/New_York", "Asia/Ho_Chi_Minh", after) == 11
    assert zones.hours_between("America/Chicago", "Asia/Kolkata", after) == 10.5

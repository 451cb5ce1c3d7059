"""One way to write dates, ranges, zones and country names (protocol_app.formatting)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pycountry
import pytest
from pypdf import PdfReader

from protocol_app import formatting as fmt
from protocol_app.briefing.book import build_briefing
from protocol_app.briefing.cards import badges_for, write_seating_pdf
from protocol_app.resources import resource_path
from protocol_app.rules.dates import MONTHS, format_day

VISIT = "vn-moet-minister-2027"
WINTER = datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
SUMMER = datetime(2027, 7, 15, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(("day", "kwargs", "text"), [
    (date(2027, 3, 11), {"weekday": True}, "Thursday 11 March 2027"),
    (date(2027, 3, 11), {}, "11 March 2027"),
    (date(2027, 9, 2), {"short": True}, "2 Sep 2027"),
    (date(2027, 9, 2), {"short": True, "weekday": True}, "Thu 2 Sep 2027"),
])
def test_dates_as_a_protocol_office_writes_them(day, kwargs, text) -> None:
    assert fmt.format_date(day, **kwargs) == text


def test_no_date_is_empty_text() -> None:
    assert fmt.format_date(None) == ""


@pytest.mark.parametrize(("start", "end", "short", "text"), [
    (date(2027, 3, 11), date(2027, 3, 14), False, "11–14 March 2027"),
    (date(2027, 3, 30), date(2027, 4, 2), False, "30 March – 2 April 2027"),
    (date(2026, 12, 30), date(2027, 1, 2), False, "30 December 2026 – 2 January 2027"),
    (date(2027, 3, 11), date(2027, 3, 11), False, "11 March 2027"),
    (date(2027, 3, 11), date(2027, 3, 14), True, "11–14 Mar 2027"),
    (date(2027, 2, 28), date(2027, 3, 2), True, "28 Feb – 2 Mar 2027"),
])
def test_date_ranges(start, end, short, text) -> None:
    assert fmt.format_date_range(start, end, short=short) == text


def test_the_rules_month_table_says_what_cldr_says() -> None:
    for month in range(1, 13):
        assert MONTHS[month - 1] == fmt.month_name(month)
        day = date(2027, month, 9)
        assert format_day(day) == fmt.format_date(day)
        assert format_day(day, short=True) == fmt.format_date(day, short=True)


def test_zone_labels_name_the_city_the_letters_and_the_offset() -> None:
    assert fmt.zone_label("America/New_York", WINTER) == "New York time (EST, UTC\u22125)"
    assert fmt.zone_label("America/New_York", SUMMER) == "New York time (EDT, UTC\u22124)"
    assert fmt.zone_label("Asia/Ho_Chi_Minh", WINTER) == "Ho Chi Minh City time (UTC+7)"
    assert fmt.zone_label("Asia/Kolkata", WINTER) == "Kolkata time (IST, UTC+5:30)"
    assert fmt.zone_label("Europe/London", WINTER) == "London time (GMT, UTC+0)"
    assert fmt.zone_label("UTC", WINTER) == "UTC"
    assert fmt.zone_short("America/New_York") == "New York time"
    assert "-" not in fmt.utc_offset("America/Los_Angeles", WINTER)  # a real minus sign
    assert fmt.zone_abbreviation("Asia/Ho_Chi_Minh", WINTER) == "UTC+7"


def test_country_names_are_the_un_short_names() -> None:
    assert fmt.country_name("VN") == "Viet Nam"
    assert fmt.country_name("tr") == "Türkiye"
    assert fmt.country_name("KR") == "Republic of Korea"
    assert fmt.country_name("GB") == "United Kingdom of Great Britain and Northern Ireland"
    assert fmt.country_name("US") == "United States of America"
    assert fmt.country_name("JP") == "Japan"
    assert fmt.country_name("XX") == "XX"
    assert fmt.country_name("") == ""


def test_the_name_table_covers_every_code_pycountry_knows() -> None:
    table = json.loads(resource_path("data", "un_country_names.json").read_text("utf-8"))
    names = table["names"]
    assert {c.alpha_2 for c in pycountry.countries} <= set(names)
    assert all(names[code] != pycountry.countries.get(alpha_2=code).name
               for code in table["differs_from_iso"])


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_badges_and_the_book_print_the_same_country_name(demo_services, tmp_path) -> None:
    view = demo_services.seating.plan_seating(VISIT, "e17")
    badges = badges_for(view)
    assert "Viet Nam" in {b.country for b in badges}
    write_seating_pdf(tmp_path / "cards.pdf", view, parts=["badges"])
    build_briefing(demo_services, VISIT, "internal", tmp_path / "book.pdf")
    assert "VIET NAM" in _pdf_text(tmp_path / "cards.pdf")  # badges print capitals
    book = _pdf_text(tmp_path / "book.pdf")
    assert "Viet Nam" in book
    assert not re.search(r"\bVietnam\b", book)


def test_invitation_mails_name_the_zone_for_people() -> None:
    from protocol_app.invites.mail import format_when

    dinner = format_when(datetime(2027, 3, 14, 0, 30, tzinfo=UTC),
                         datetime(2027, 3, 14, 5, 15, tzinfo=UTC), "America/New_York")
    assert dinner == ("Saturday 13 March 2027, 19:30 – Sunday 14 March 2027, 00:15, "
                      "New York time (EST, UTC\u22125)")
    across = format_when(datetime(2027, 3, 14, 6, 30, tzinfo=UTC),
                         datetime(2027, 3, 14, 8, 30, tzinfo=UTC), "America/New_York")
    assert across.endswith("01:30 – 04:30, New York time (EST → EDT)")


@pytest.mark.parametrize(("hour", "minute", "text"), [
    (19, 30, "7:30 p.m."), (11, 0, "11 a.m."), (0, 5, "12:05 a.m."), (12, 0, "12 p.m."),
])
def test_times_of_day_as_invitations_write_them(hour: int, minute: int, text: str) -> None:
    assert fmt.format_time_of_day(datetime(2027, 3, 13, hour, minute)) == text

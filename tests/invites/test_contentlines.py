"""Escaping and folding: any user text, in any script, comes back exactly."""

from __future__ import annotations

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_app.invites.contentlines import (
    ContentWriter,
    escape_text,
    fold,
    param_value,
)

#: Text a user may type: any script, punctuation that iCalendar escapes, newlines.
user_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)
SAMPLES = [
    "Lunch, then; a walk\\ back",
    "Line one\nLine two\r\nLine three\rend",
    "田中 陽翔 — 東京大学の学長",
    "مأدبة عشاء رسمية على شرف الوزير",
    "ארוחת ערב חגיגית",
    "प्रधानमंत्री से मुलाक़ात",
    "Võ Thanh Tùng, Nguyễn Thị Mai Phương",
    "emoji 👩🏽‍🔬 and flags 🇻🇳🇺🇸, combining e\u0301\u0301",
    "a" * 74 + "\\,",
    "x" * 73 + "é" * 40,
    "tab\there and \x07bell",
]


def _physical_lines(folded: str) -> list[str]:
    return folded.split("\r\n")


def _unfold(folded: str) -> str:
    return folded.replace("\r\n ", "")


def _read_back(value: str) -> str:
    """``value`` written as a DESCRIPTION, read back by icalendar."""
    w = ContentWriter()
    w.begin("VCALENDAR")
    w.raw("VERSION", "2.0")
    w.raw("PRODID", "-//test//EN")
    w.begin("VEVENT")
    w.raw("UID", "x@example.invalid")
    w.raw("DTSTAMP", "20270101T000000Z")
    w.text("DESCRIPTION", value)
    w.end("VEVENT")
    w.end("VCALENDAR")
    event = icalendar.Calendar.from_ical(w.to_bytes()).walk("VEVENT")[0]
    return str(event["DESCRIPTION"])


def _expected(value: str) -> str:
    """What a reader must get back: line breaks as \\n, other controls as spaces."""
    out = value.replace("\r\n", "\n").replace("\r", "\n")
    for ch in "\x85\u2028\u2029":
        out = out.replace(ch, "\n")
    return "".join(" " if (ord(c) < 32 and c not in "\n\t") or c == "\x7f" else c for c in out)


@pytest.mark.parametrize("value", SAMPLES)
def test_samples_round_trip_through_icalendar_and_vobject(value: str) -> None:
    assert _read_back(value) == _expected(value)
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
            "UID:x\r\nDTSTAMP:20270101T000000Z\r\n"
            + fold("DESCRIPTION:" + escape_text(value)) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert vobject.readOne(text).vevent.description.value == _expected(value)


def test_escaping_of_the_special_characters() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("colon: stays") == "colon: stays"


def test_parameter_values_are_quoted_and_rfc6868_encoded() -> None:
    assert param_value("Office of Protocol, University") == '"Office of Protocol, University"'
    assert param_value('Robert "Bob" Smith') == '"Robert ^\'Bob^\' Smith"'
    assert param_value("a^b\nc") == '"a^^b^nc"'


@given(user_text)
@settings(max_examples=300, deadline=None)
def test_any_text_round_trips(value: str) -> None:
    assert _read_back(value) == _expected(value)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
@settings(max_examples=300, deadline=None)
def test_folding_keeps_lines_short_and_characters_whole(value: str) -> None:
    line = "DESCRIPTION:" + escape_text(value)
    folded = fold(line)
    assert _unfold(folded) == line
    for n, physical in enumerate(_physical_lines(folded)):
        raw = physical.encode("utf-8")
        assert len(raw) <= 75
        raw.decode("utf-8")  # every physical line is whole UTF-8
        if n:
            assert physical.startswith(" ")


def test_folding_does_not_split_an_escape_or_a_combining_sequence() -> None:
    line = "X:" + "a" * 72 + "\\,b"
    first = fold(line).split("\r\n")[0]
    assert not first.endswith("\\")
    decomposed = "X:" + "a" * 72 + "e\u0301\u0302 rest"
    first, second = fold(decomposed).split("\r\n")[:2]
    assert second[1:2] not in ("\u0301", "\u0302")
    assert first.endswith("a") or first.endswith("\u0302")
    emoji = "X:" + "a" * 70 + "👩🏽‍🔬 rest"
    parts = fold(emoji).split("\r\n")
    assert parts[1].lstrip().startswith("👩🏽‍🔬") or parts[0].endswith("🔬")


def test_a_writer_ends_every_line_with_crlf() -> None:
    w = ContentWriter()
    w.begin("VCALENDAR")
    w.text("X-NAME", "x" * 200)
    w.end("VCALENDAR")
    data = w.to_bytes()
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")

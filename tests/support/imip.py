"""Checks of an RFC 6047 (iMIP) invitation message, shared by the tests."""

from __future__ import annotations

from email.message import EmailMessage

import icalendar


def check_imip(msg: EmailMessage) -> tuple[str, bytes]:
    """Assert the structure CalConnect recommends; return (method, calendar bytes).

    multipart/mixed
      multipart/alternative: text/plain, text/html, text/calendar; method=M; charset=UTF-8
      application/ics attachment (.ics), the same calendar
    """
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["Message-ID"] and msg["Date"] and msg["From"] and msg["To"] and msg["Subject"]
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_content_charset().upper() == "UTF-8"
    method = calendar.get_param("method")
    assert method in ("REQUEST", "CANCEL")
    data = calendar.get_payload(decode=True)
    parsed = icalendar.Calendar.from_ical(data)
    assert str(parsed["METHOD"]) == method  # the parameter matches the calendar
    assert len(parsed.walk("VEVENT")) == 1  # one event per message
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename().endswith(".ics")
    assert attachment.get_payload(decode=True) == data
    assert attachment["Content-Transfer-Encoding"] == "base64"
    organizer = parsed.walk("VEVENT")[0]["ORGANIZER"]
    assert str(organizer).lower() == f"mailto:{msg['From'].addresses[0].addr_spec}".lower()
    return method, data

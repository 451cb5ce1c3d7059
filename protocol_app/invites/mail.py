"""Invitation e-mail (RFC 6047, iMIP) built with the standard :mod:`email` package.

One message carries one calendar, in the structure the CalConnect iMIP best practices
recommend from interoperability testing::

    multipart/mixed
      multipart/alternative
        text/plain                                  a readable summary
        text/html                                   the same summary
        text/calendar; method=REQUEST; charset=UTF-8   the calendar (base64)
      application/ics; name="invite.ics"            the same calendar, as an attachment

The ``method`` parameter always equals the calendar's METHOD; ``From`` is the
organizer, as in the calendar's ORGANIZER.
"""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from protocol_app.formatting import format_date, zone_abbreviation, zone_label, zone_short
from protocol_app.invites.calendar import (
    METHOD_CANCEL,
    Organizer,
    event_description,
    event_location,
)
from protocol_app.invites.values import InviteKind, PlannedInvite
from protocol_app.services.values import EventRecord, VisitRecord

ATTACHMENT_NAME = "invite.ics"


def _day(moment: datetime) -> str:
    return format_date(moment.date(), weekday=True)


def format_when(start_utc: datetime, end_utc: datetime, zone: str) -> str:
    """``Saturday 13 March 2027, 19:30 – Sunday 14 March 2027, 00:15, New York time (EST,
    UTC−5)`` in the event's own zone, in English whatever the locale; across a change of
    offset both are named (``New York time (EST → EDT)``).  The IANA name is left to the
    attached calendar file."""
    tz = ZoneInfo(zone)
    start, end = start_utc.astimezone(tz), end_utc.astimezone(tz)
    label = zone_label(zone, start_utc)
    if end.utcoffset() != start.utcoffset():
        label = (f"{zone_short(zone)} ({zone_abbreviation(zone, start_utc)} → "
                 f"{zone_abbreviation(zone, end_utc)})")
    until = f"{end:%H:%M}" if start.date() == end.date() else f"{_day(end)}, {end:%H:%M}"
    return f"{_day(start)}, {start:%H:%M} – {until}, {label}"


def _heading(item: PlannedInvite) -> str:
    if item.kind is InviteKind.NEW:
        return "Invitation"
    if item.kind is InviteKind.UPDATE:
        return "Updated invitation"
    if item.kind is InviteKind.REMINDER:
        return "Reminder"
    if item.reason in ("event cancelled", "visit cancelled"):
        return "Cancelled"
    return "No longer expected"


def compose_texts(visit: VisitRecord, event: EventRecord, item: PlannedInvite,
                  organizer: Organizer) -> tuple[str, str, str]:
    """The subject, the plain text and the HTML of an invitation message."""
    tz = ZoneInfo(event.timezone)
    heading = _heading(item)
    subject = f"{heading}: {event.title} ({_day(event.start_utc.astimezone(tz))})"
    when = format_when(event.start_utc, event.end_utc, event.timezone)
    where = event_location(event)
    if item.kind is InviteKind.UPDATE and item.changes:
        lead = f"The {', '.join(item.changes)} of this event changed."
    elif item.kind is InviteKind.CANCEL and heading == "Cancelled":
        lead = ("This event is cancelled; it is removed from your calendar."
                if item.reason == "event cancelled"
                else "The visit is cancelled; this event is removed from your calendar.")
    elif item.kind is InviteKind.CANCEL:
        lead = "You are no longer expected at this event; it is removed from your calendar."
    elif item.kind is InviteKind.REMINDER:
        lead = "We have not had an answer to this invitation yet: please reply."
    else:
        lead = "You are invited to this event of the visit."
    if item.sent_to:
        lead += f" It comes to you as the calendar manager of {item.name}."
    details = event_description(event, visit) if item.method != METHOD_CANCEL else ""
    facts = [("Event", event.title), ("When", when)]
    if where:
        facts.append(("Where", where))
    facts.append(("Visit", visit.title))
    sender = f"{organizer.name} <{organizer.email}>" if organizer.name else organizer.email
    text_lines = [f"{heading}: {event.title}", "", lead, ""]
    text_lines += [f"{label}: {value}" for label, value in facts]
    if details:
        text_lines += ["", details]
    text_lines += ["", f"Sent by {sender}."]
    text = "\n".join(text_lines) + "\n"

    def esc(value: str) -> str:
        return html.escape(value).replace("\n", "<br>\n")

    rows = "\n".join(f'<tr><th align="left" valign="top">{esc(label)}</th>'
                     f'<td dir="auto">{esc(value)}</td></tr>' for label, value in facts)
    body = f'<p dir="auto">{esc(details)}</p>\n' if details else ""
    page = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{esc(subject)}</title></head>\n<body>\n"
        f'<h2 dir="auto">{esc(heading)}: {esc(event.title)}</h2>\n'
        f"<p>{esc(lead)}</p>\n<table>\n{rows}\n</table>\n{body}"
        f"<p>Sent by {esc(sender)}.</p>\n</body></html>\n"
    )
    return subject, text, page


def _ascii_domain(email: str) -> str:
    domain = email.rpartition("@")[2].strip()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "protocol-desk.invalid"
    return domain or "protocol-desk.invalid"


def new_message_id(organizer_email: str) -> str:
    """A unique ``Message-ID`` in the organizer's domain: ``<32 hex digits@domain>``."""
    return f"<{uuid.uuid4().hex}@{_ascii_domain(organizer_email)}>"


_BREAKS_A_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: str) -> str:
    """User text made safe for an e-mail header (the subject, a display name).

    The services refuse line separators and control characters in one-line fields, but
    text stored before that rule may hold them: each run becomes one space (the
    :mod:`email` package refuses anything ``str.splitlines`` splits on).  ``=?`` gets an
    invisible WORD JOINER (U+2060) after the ``=``: the :mod:`email` package would
    otherwise decode user text that looks like an RFC 2047 encoded word, and an encoded
    CR LF would come out as a real line break (a header injection).  Long and non-ASCII
    text is folded and encoded by the ``SMTP`` policy itself."""
    return _BREAKS_A_HEADER.sub(" ", value).strip().replace("=?", "=\u2060?")


def _address(name: str, email: str) -> Address:
    local, _, domain = email.partition("@")
    return Address(display_name=header_text(name), username=local, domain=domain)


def build_message(*, calendar: bytes, method: str, subject: str, text: str, html_text: str,
                  organizer: Organizer, recipient_name: str, recipient_email: str,
                  message_id: str, date: datetime | None = None) -> EmailMessage:
    """An iMIP message for one recipient carrying one calendar (see the module doc)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address(organizer.name, organizer.email)
    msg["To"] = _address(recipient_name, recipient_email)
    msg["Subject"] = header_text(subject)
    msg["Date"] = format_datetime((date or datetime.now(UTC)).astimezone(UTC))
    msg["Message-ID"] = message_id
    msg["MIME-Version"] = "1.0"
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html_text, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(calendar, maintype="text", subtype="calendar", cte="base64",
                        params={"method": method, "charset": "UTF-8"})
    msg.make_mixed()
    msg.add_attachment(calendar, maintype="application", subtype="ics", cte="base64",
                       filename=ATTACHMENT_NAME)
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as it goes on the wire (CRLF line ends), for a ``.eml`` file."""
    return msg.as_bytes(policy=msg.policy)

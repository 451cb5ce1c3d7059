"""Replies to our invitations as other clients make them: vobject here, ical.js under Node
(tests/invites/js/make_reply.mjs) — never our own calendar writer."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import vobject
from dateutil import tz

#: vobject names only dateutil's UTC zone
_UTC = tz.tzutc()


def vobject_reply(request: bytes, attendee: str, partstat: str = "ACCEPTED", *,
                  sent_by: str = "", method: str = "REPLY", sequence: int | None = None,
                  proposed_start: datetime | None = None, stamp: datetime | None = None,
                  uid: str | None = None) -> bytes:
    """A REPLY (or COUNTER) to ``request`` from ``attendee``, built by vobject from the
    request it read: the event's UID, SEQUENCE, ORGANIZER and one ATTENDEE."""
    source = vobject.readOne(request.decode("utf-8"))
    event = source.vevent
    cal = vobject.iCalendar()
    cal.add("method").value = method
    reply = cal.add("vevent")
    reply.add("uid").value = uid or event.uid.value
    reply.add("sequence").value = str(event.sequence.value if sequence is None else sequence)
    reply.add("dtstamp").value = (stamp or datetime.now(UTC)).astimezone(_UTC)
    start = proposed_start or event.dtstart.value
    reply.add("dtstart").value = start.astimezone(_UTC)
    end = event.dtend.value.astimezone(UTC)
    if proposed_start is not None:
        end = proposed_start + (event.dtend.value - event.dtstart.value)
    reply.add("dtend").value = end.astimezone(_UTC)
    reply.add("organizer").value = event.organizer.value
    line = reply.add("attendee")
    line.value = f"mailto:{attendee}"
    line.params["PARTSTAT"] = [partstat]
    if sent_by:
        line.params["SENT-BY"] = [f"mailto:{sent_by}"]
    if method == "COUNTER":
        reply.add("comment").value = "The Minister's flight lands later; could we start later?"
    return cal.serialize().encode("utf-8")


def reply_email(calendar: bytes, sender: str, to: str, method: str = "REPLY",
                date: datetime | None = None) -> bytes:
    """An iMIP message carrying ``calendar``, as a mail client sends it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = "Accepted: invitation"
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = f"<{abs(hash(calendar))}@client.example>"
    msg.set_content("See the attached answer.")
    msg.add_alternative(calendar, maintype="text", subtype="calendar",
                        params={"method": method, "charset": "UTF-8"})
    return msg.as_bytes()

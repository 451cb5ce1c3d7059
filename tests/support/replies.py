"""Replies to our invitations as other clients make them: vobject here, ical.js under Node
(tests/invites/js/make_reply.mjs) — never our own calendar writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import vobject
from dateutil import tz

from tests.support.imip import check_imip

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


# -- the courtesy call, invited and partly answered (the app's answers views) -----------
CALL = "in-ambassador-courtesy-call-2027"
AMBASSADOR = "ambassador@in-embassy.example.org"
ASSISTANT = "assistant@in-embassy.example.org"
CONSUL = "cg@in-chicago.example.org"
PRESIDENT = "president@alderbrook.example.edu"
OKAFOR = "s.okafor@alderbrook.example.edu"
ORGANIZER = "protocol@alderbrook.example.edu"


def requests_of(folder: Path, ref: str) -> dict[str, bytes]:
    """The REQUEST calendars written for one event, by ATTENDEE (the principal's address
    for a message that went to their calendar manager)."""
    out = {}
    for path in sorted(folder.glob(f"{ref}-*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        method, calendar = check_imip(msg)
        assert method == "REQUEST"
        to = msg["To"].addresses[0].addr_spec.lower()
        out[AMBASSADOR if to == ASSISTANT else to] = calendar
    return out


def answered_call(services: Any, folder: Path) -> Path:
    """The courtesy call invited (the ambassador's invitations go to his assistant), then
    answered for the meeting c04: the assistant accepts for the ambassador (.eml), the
    consul general declines and the president is tentative (.ics), Mr Okafor proposes a
    later time (COUNTER); two have not answered.  Returns the folder of the reply files
    (not imported yet)."""
    assistant = services.people.create(family_name="Nair", given_name="Priya",
                                       email=ASSISTANT)
    services.invites.set_calendar_manager(AMBASSADOR, assistant.id)
    sent = services.invites.write_messages(CALL, folder / "sent")
    assert len(sent.delivered) == 16
    request = requests_of(folder / "sent", "c04")
    assert len(request) == 6
    start = next(e for e in services.events.list(CALL) if e.ref == "c04").start_utc
    inbox = folder / "inbox"
    inbox.mkdir()
    files = {
        "assistant.eml": reply_email(vobject_reply(request[AMBASSADOR], AMBASSADOR,
                                                   "ACCEPTED", sent_by=ASSISTANT),
                                     ASSISTANT, ORGANIZER),
        "consul.ics": vobject_reply(request[CONSUL], CONSUL, "DECLINED"),
        "president.ics": vobject_reply(request[PRESIDENT], PRESIDENT, "TENTATIVE"),
        "okafor.ics": vobject_reply(request[OKAFOR], OKAFOR, "NEEDS-ACTION",
                                    method="COUNTER",
                                    proposed_start=start + timedelta(hours=1)),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return inbox

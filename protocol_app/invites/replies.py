"""Replies to invitations (RFC 5546 REPLY and COUNTER): reading them and deciding which
count.  No database and no network here (see :mod:`~protocol_app.invites.reply_service`).

Reading: a file (or an IMAP message) is an RFC 5322 e-mail carrying a ``text/calendar``
or ``application/ics`` part, or an iCalendar file itself.  It is read whole or refused
whole, with a one-line reason: not a message nor iCalendar, truncated, a METHOD other
than REPLY or COUNTER, a REPLY naming several attendees, an event without a UID.  The
iCalendar itself is parsed by the ``icalendar`` package (never by our own writer).

Which replies count (:func:`decide`):

- its UID is one of our events, and its ATTENDEE is one we invited to that event (the
  last message there was a REQUEST) — or its ATTENDEE or SENT-BY is the calendar
  manager the invitation went to;
- its SEQUENCE is not older than the invitation that attendee holds: a reply to an
  earlier SEQUENCE answers an earlier version (reported, not counted);
- a REPLY gives ACCEPTED, DECLINED, TENTATIVE or DELEGATED; a COUNTER (another time
  proposed) is recorded as a proposal and never changes the event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from protocol_app.invites.ledger import normalize_email

METHOD_REPLY = "REPLY"
METHOD_COUNTER = "COUNTER"
#: The answers a REPLY may give (RFC 5545 §3.2.12, for a VEVENT).
ANSWERS: tuple[str, ...] = ("ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED")
NEEDS_ACTION = "NEEDS-ACTION"
#: At most this much is read of any reply file (as of any import).
MAX_REPLY_BYTES = 50 * 1024 * 1024


class ReplyFileError(ValueError):
    """A file or message that is refused whole; the text is its one-line reason."""


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """One event's answer in a REPLY or COUNTER, as the file says it."""

    uid: str
    method: str  # REPLY or COUNTER
    attendee: str  # lower case, without mailto:
    sent_by: str  # lower case, without mailto:; "" when none
    partstat: str  # upper case ("" if absent)
    sequence: int
    dtstamp: str  # as written, e.g. 20270201T090000Z
    proposed_start: datetime | None = None  # COUNTER: the time proposed (UTC)
    proposed_end: datetime | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReadMessage:
    """What one file or message holds: its answers and when it was sent."""

    lines: tuple[ReplyLine, ...]
    sent_at: datetime | None  # the e-mail's Date, if it is an e-mail with a valid one
    sender: str = ""  # the e-mail's From address


# -- reading ------------------------------------------------------------------------------
def _address(value: object) -> str:
    text = str(value or "").strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return normalize_email(text)


def _utc(value: object) -> datetime | None:
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime):
        return (moment.astimezone(UTC) if moment.tzinfo is not None
                else moment.replace(tzinfo=UTC))
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return None


def _calendar_parts(data: bytes) -> tuple[list[bytes], datetime | None, str]:
    """The calendars in ``data`` (an e-mail or an iCalendar file), its Date and From."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        return [data], None, ""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not msg.keys() or (msg.get("From") is None and msg.get("Content-Type") is None):
        raise ReplyFileError("neither an e-mail message nor an iCalendar file")
    found: list[bytes] = []
    for part in msg.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload not in found:
                found.append(payload)
    if not found:
        raise ReplyFileError("an e-mail message without a calendar (text/calendar) part")
    sent_at = None
    try:
        sent_at = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError, IndexError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=UTC)
    sender = ""
    try:
        addresses = msg["From"].addresses if msg["From"] is not None else ()
        sender = normalize_email(addresses[0].addr_spec) if addresses else ""
    except (AttributeError, IndexError, ValueError):
        sender = ""
    return found, sent_at.astimezone(UTC) if sent_at else None, sender


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:120]


def _line_of(vevent, method: str, sender: str, where: str) -> ReplyLine:
    """One VEVENT's answer (see :func:`read_message`)."""
    uid = str(vevent.get("UID", "")).strip()
    if not uid:
        raise ReplyFileError(f"{where} has no UID")
    raw = vevent.get("ATTENDEE")
    attendees = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    if not attendees:
        raise ReplyFileError(f"{where} names no ATTENDEE")
    if method == METHOD_REPLY and len(attendees) > 1:
        raise ReplyFileError(f"a REPLY names one attendee; {where} names {len(attendees)}")
    if len(attendees) > 1:  # a COUNTER may list everyone: its sender is the one
        mine = [a for a in attendees if sender and _address(a) == sender]
        if len(mine) != 1:
            raise ReplyFileError(f"a COUNTER naming {len(attendees)} attendees must come "
                                 "from one of them (its From address)")
        attendees = mine
    (attendee,) = attendees
    params = getattr(attendee, "params", {})
    try:
        sequence = int(str(vevent.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        raise ReplyFileError(f"{where} has a SEQUENCE that is not a number") from None
    stamp = vevent.get("DTSTAMP")
    counter = method == METHOD_COUNTER
    return ReplyLine(
        uid=uid, method=method, attendee=_address(attendee),
        sent_by=_address(params.get("SENT-BY", "")),
        partstat=str(params.get("PARTSTAT", "")).strip().upper(), sequence=sequence,
        dtstamp=stamp.to_ical().decode("ascii", "replace")[:40] if stamp else "",
        proposed_start=_utc(vevent.get("DTSTART")) if counter else None,
        proposed_end=_utc(vevent.get("DTEND")) if counter else None,
        comment=str(vevent.get("COMMENT", "")).strip()[:2000])


def _lines_of(calendar: bytes, sender: str) -> list[ReplyLine]:
    import icalendar

    if b"END:VCALENDAR" not in calendar.rstrip().upper()[-40:]:
        raise ReplyFileError("the calendar is truncated (it does not end with END:VCALENDAR)")
    try:
        parsed = icalendar.Calendar.from_ical(calendar)
    except Exception as exc:  # an untrusted file: whatever the parser raises is a refusal
        raise ReplyFileError(f"not valid iCalendar ({_first_line(exc)})") from None
    method = str(parsed.get("METHOD", "")).strip().upper()
    if not method:
        raise ReplyFileError("the calendar has no METHOD: it is not a reply")
    if method not in (METHOD_REPLY, METHOD_COUNTER):
        raise ReplyFileError(f"METHOD:{method[:20]} is not a reply (only REPLY and COUNTER "
                             "are read)")
    events = parsed.walk("VEVENT")
    if not events:
        raise ReplyFileError(f"the {method} holds no event (VEVENT)")
    out: list[ReplyLine] = []
    for n, vevent in enumerate(events, 1):
        where = f"event {n}" if len(events) > 1 else "the event"
        try:
            out.append(_line_of(vevent, method, sender, where))
        except ReplyFileError:
            raise
        except Exception as exc:  # icalendar reads leniently, then fails on use
            raise ReplyFileError(f"{where} has a value that cannot be read "
                                 f"({_first_line(exc)})") from None
    return out


def read_message(data: bytes) -> ReadMessage:
    """The answers in one file or message; :class:`ReplyFileError` if it is refused."""
    if not data.strip():
        raise ReplyFileError("the file is empty")
    try:
        calendars, sent_at, sender = _calendar_parts(data)
        lines: list[ReplyLine] = []
        for calendar in calendars:
            lines.extend(_lines_of(calendar, sender))
    except ReplyFileError:
        raise
    except Exception as exc:  # an untrusted file: whatever the parsers raise is a refusal
        raise ReplyFileError(f"cannot be read ({_first_line(exc)})") from None
    return ReadMessage(tuple(lines), sent_at, sender)


# -- deciding -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Invited:
    """What one attendee of one event holds now (the last message sent there)."""

    event_id: int
    event_ref: str
    event_title: str
    person_id: int | None
    email: str  # the ATTENDEE address, lower case
    name: str
    sent_to: str  # the calendar manager it went to, or ""
    sequence: int  # of the last message
    holds_event: bool  # the last message was a REQUEST


@dataclass
class ReplyContext:
    """Our side of the replies: the events by UID and who holds which invitation."""

    events: Mapping[str, tuple[int, str, str]]  # uid -> (event id, ref, title)
    invited: Mapping[tuple[int, str], Invited]  # (event id, ATTENDEE address) -> state
    by_manager: dict[tuple[int, str], list[Invited]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for state in self.invited.values():
            if state.sent_to:
                self.by_manager.setdefault((state.event_id, state.sent_to), []).append(state)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one answer: record it for ``invited``, or report ``problem``
    (``stale``: it answers an earlier version)."""

    line: ReplyLine
    invited: Invited | None = None
    problem: str = ""
    stale: bool = False

    @property
    def counts(self) -> bool:
        """True when it is recorded."""
        return self.invited is not None and not self.problem


def _whose(line: ReplyLine, event_id: int, ctx: ReplyContext) -> Invited | None:
    state = ctx.invited.get((event_id, line.attendee))
    if state is not None:
        return state
    for address in (line.sent_by, line.attendee):  # the manager answering for someone
        managed = ctx.by_manager.get((event_id, address), []) if address else []
        if len(managed) == 1:
            return managed[0]
    return None


def decide(line: ReplyLine, ctx: ReplyContext) -> Decision:
    """Whether this answer counts (see the module doc), and for whom."""
    event = ctx.events.get(line.uid)
    if event is None:
        return Decision(line, problem=f"UID {line.uid[:80]} is not one of our events")
    event_id, ref, title = event
    who = line.attendee + (f" (sent by {line.sent_by})" if line.sent_by else "")
    state = _whose(line, event_id, ctx)
    if state is None:
        return Decision(line, problem=f"{who} was not invited to {title} ({ref})")
    if not state.holds_event:
        return Decision(line, problem=f"{who} no longer has {title} ({ref}): its invitation "
                                      "was cancelled")
    if line.sequence < state.sequence:
        return Decision(line, state, stale=True, problem=(
            f"{who} answered an earlier version of {title} ({ref}): SEQUENCE "
            f"{line.sequence}, the invitation now is {state.sequence}; not counted"))
    if line.method == METHOD_REPLY and line.partstat not in ANSWERS:
        shown = line.partstat or "no PARTSTAT"
        return Decision(line, problem=f"{who} gives {shown} for {title} ({ref}): not an "
                                      f"answer ({', '.join(ANSWERS)})")
    if line.method == METHOD_COUNTER and line.proposed_start is None:
        return Decision(line, problem=f"the COUNTER of {who} for {title} ({ref}) proposes "
                                      "no time (DTSTART)")
    return Decision(line, state)


def decide_all(lines: Sequence[ReplyLine], ctx: ReplyContext) -> list[Decision]:
    """Each answer of one file decided."""
    return [decide(line, ctx) for line in lines]

"""A guest's programme by e-mail: one message holding their personal itinerary (``.ics``,
METHOD:PUBLISH, as ``ics --person`` makes it) and their personal briefing copy (a PDF,
recorded as the next edition of their personal series).

Which guests are due is read from the editions, never from a second change detector:
each sent programme is audited (entity ``programme``, the id of the edition it carried);
a guest is due when no programme was sent to them yet, or when the edition last sent
is out of date (:meth:`~protocol_app.briefing.editions.EditionService.out_of_date`, or
:meth:`~protocol_app.briefing.editions.EditionService.changes` since that edition when a
newer copy was printed and not sent).
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from protocol_app.errors import NotFoundError, ProtocolError
from protocol_app.files import write_private
from protocol_app.invites.calendar import Organizer
from protocol_app.invites.mail import _address, header_text, message_bytes, new_message_id
from protocol_app.records.editions import Edition
from protocol_app.records.models import AuditEntry
from protocol_app.services.audience import guest_principals
from protocol_app.services.base import write_audit

if TYPE_CHECKING:
    import ssl

    from protocol_app.briefing.editions import EditionRecord, EditionService
    from protocol_app.invites.sending import SmtpOptions
    from protocol_app.invites.service import InviteService
    from protocol_app.services.values import VisitRecord

#: The audit entity of a sent programme; its id is the edition the message carried.
AUDIT_ENTITY = "programme"
CALENDAR_NAME = "programme.ics"


@dataclass(frozen=True, slots=True)
class ProgrammeDue:
    """A guest whose programme is to be sent, and why."""

    person_id: int
    ref: str
    name: str
    email: str
    """Where the message goes: the guest's address, or their calendar manager's."""
    sent_to_name: str
    """The calendar manager who receives it for the guest ("" for the guest themself)."""
    reason: str
    sent_edition: int | None
    """The number of the personal-copy edition last sent to them (None: never sent)."""


@dataclass(frozen=True, slots=True)
class ProgrammeSent:
    """One programme that went (or was written as an ``.eml`` file)."""

    due: ProgrammeDue
    edition: int
    message_id: str
    path: str = ""


@dataclass(frozen=True, slots=True)
class ProgrammeReport:
    """What :meth:`ProgrammeService.send` or :meth:`ProgrammeService.write` did."""

    sent: tuple[ProgrammeSent, ...]
    failed: tuple[tuple[ProgrammeDue, str], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every programme went."""
        return not self.failed

    def lines(self) -> list[str]:
        """One line per programme, for the command line."""
        out = [f"  sent         {s.due.name} <{s.due.email}>: edition {s.edition}"
               + (f" → {s.path}" if s.path else "") for s in self.sent]
        out += [f"  FAILED       {d.name} <{d.email}>: {why}" for d, why in self.failed]
        return [f"{len(self.sent)} programme{'' if len(self.sent) == 1 else 's'} sent.", *out]


class ProgrammeService:
    """Programmes of the guests of a visit: who is due, and sending them."""

    def __init__(self, invites: InviteService, editions: EditionService) -> None:
        self.invites = invites
        self.editions = editions

    # -- who is due ------------------------------------------------------------------
    def _sent_editions(self, visit_id: int) -> tuple[dict[int, int], dict[int, int]]:
        """Per guest: the number of the last edition sent, and of the last one made."""
        with self.invites.db.read_session() as session:
            sent = session.execute(
                select(Edition.person_id, func.max(Edition.number))
                .join(AuditEntry, (AuditEntry.entity_id == Edition.id)
                      & (AuditEntry.entity == AUDIT_ENTITY))
                .where(Edition.visit_id == visit_id, Edition.kind == "personal_copy")
                .group_by(Edition.person_id)).all()
            made = session.execute(
                select(Edition.person_id, func.max(Edition.number))
                .where(Edition.visit_id == visit_id, Edition.kind == "personal_copy")
                .group_by(Edition.person_id)).all()
        return ({pid: n for pid, n in sent if pid is not None},
                {pid: n for pid, n in made if pid is not None})

    def _due(self, visit: VisitRecord, people: Collection[str] | None) -> list[ProgrammeDue]:
        guests = guest_principals(visit.participants)
        if people is not None:
            wanted = {self.invites._person_id(visit, ref)[0] for ref in people}
            guests = [g for g in guests if g.person_id in wanted]
            missing = wanted - {g.person_id for g in guests}
            if missing:
                names = ", ".join(p.person.display_name for p in visit.participants
                                  if p.person_id in missing)
                raise NotFoundError(f"person: {names} is not a guest head or member of "
                                    f"{visit.title}; programmes go to those only.")
        managers = self.invites._managers(visit)
        sent, made = self._sent_editions(visit.id)
        stale = {item.edition.person_id: item for item in self.editions.out_of_date(visit.id)
                 if item.edition.kind == "personal_copy"}
        due: list[ProgrammeDue] = []
        for guest in guests:
            manager = managers.get(guest.person_id)
            email = (manager.email if manager else guest.person.email or "").strip()
            if not email:
                continue  # nobody to receive it: listed by the plan as not invited
            number = sent.get(guest.person_id)
            if number is None:
                reason = "not sent yet"
            elif made.get(guest.person_id) == number:
                item = stale.get(guest.person_id)
                if item is None:
                    continue
                reason = item.reason
            else:  # a newer copy was printed, not sent: compare with the one sent
                report = self.editions.changes(visit.id, audience="guest",
                                               person=guest.person_id, since_edition=number)
                if not report.changes:
                    continue
                reason = "; ".join(c.text for c in report.changes[:3])
            due.append(ProgrammeDue(
                person_id=guest.person_id, ref=guest.ref, name=guest.person.display_name,
                email=email, sent_to_name=manager.name if manager else "", reason=reason,
                sent_edition=number))
        return due

    def due(self, visit_ref: int | str, people: Collection[str] | None = None,
            ) -> tuple[ProgrammeDue, ...]:
        """The guests (heads and members with an e-mail or a calendar manager; ``people``:
        only these refs, numbers or e-mails) whose programme was never sent or changed
        since it was sent."""
        return tuple(self._due(self.editions.visits.get(visit_ref), people))

    # -- the message -----------------------------------------------------------------
    def _organizer(self, visit: VisitRecord) -> Organizer:
        organizer = self.invites.organizer_for(visit)
        if organizer is None:
            raise ProtocolError(f"{visit.title} has no organizer e-mail, and none is set in "
                                "Preferences (Organizer e-mail): programmes need a sender.")
        return organizer

    def _message(self, visit: VisitRecord, due: ProgrammeDue, organizer: Organizer,
                 folder: Path, now: datetime) -> tuple[EmailMessage, str, EditionRecord]:
        """Make the personal copy (the next edition) and the message carrying it."""
        stem = _file_stem(visit.public_id, due)
        result, record = self.editions.publish_book(visit.id, "guest",
                                                    folder / f"{stem}.pdf",
                                                    person=due.person_id)
        if record is None:
            raise ProtocolError("; ".join(result.warnings) or "the copy was not recorded")
        calendar, _count, _whose = self.invites.calendar_bytes(visit.id,
                                                              person=str(due.person_id),
                                                              now=now)
        stamp = record.stamp(visit.timezone)
        subject = f"Your programme: {visit.title} ({stamp})"
        lead = (f"Attached is the programme of {due.name} for {visit.title}: the personal "
                f"briefing copy ({stamp}) and the itinerary as a calendar file.")
        if due.sent_to_name:
            lead += f" It comes to you as the calendar manager of {due.name}."
        if due.sent_edition is not None:
            lead += f" It replaces edition {due.sent_edition}: {due.reason}."
        sender = f"{organizer.name} <{organizer.email}>" if organizer.name else organizer.email
        text = f"{subject}\n\n{lead}\n\nSent by {sender}.\n"
        page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                f"{html.escape(subject)}</title></head>\n<body>\n<p dir=\"auto\">"
                f"{html.escape(lead)}</p>\n<p>Sent by {html.escape(sender)}.</p>\n"
                "</body></html>\n")
        message_id = new_message_id(organizer.email)
        msg = EmailMessage(policy=policy.SMTP)
        msg["From"] = _address(organizer.name, organizer.email)
        msg["To"] = _address(due.sent_to_name or due.name, due.email)
        msg["Subject"] = header_text(subject)
        msg["Date"] = format_datetime(now.astimezone(UTC))
        msg["Message-ID"] = message_id
        msg["MIME-Version"] = "1.0"
        msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
        msg.add_alternative(page, subtype="html", charset="utf-8", cte="quoted-printable")
        msg.add_attachment(Path(result.path).read_bytes(), maintype="application",
                           subtype="pdf", filename=f"{stem}.pdf")
        msg.add_attachment(calendar, maintype="text", subtype="calendar", cte="base64",
                           params={"method": "PUBLISH", "charset": "UTF-8"},
                           filename=CALENDAR_NAME)
        return msg, message_id, record

    def _audit(self, due: ProgrammeDue, record: EditionRecord, message_id: str,
               channel: str) -> None:
        with self.invites.db.session() as session:
            write_audit(session, self.invites.actor, "send", AUDIT_ENTITY, record.id,
                        new={"person_id": due.person_id, "to": due.email,
                             "edition": record.number, "message_id": message_id,
                             "channel": channel},
                        summary=f"Programme (edition {record.number}) of {due.name} sent "
                                f"to {due.email}")

    # -- sending -----------------------------------------------------------------------
    def send(self, visit_ref: int | str, people: Collection[str] | None = None, *,
             smtp: SmtpOptions | None = None, password: str | None = None,
             ssl_context: ssl.SSLContext | None = None, now: datetime | None = None,
             ) -> ProgrammeReport:
        """Send each due programme (:meth:`due`) through SMTP (the settings' server and
        keyring password unless given).  Each message the server accepts is audited at
        once; a refused one is reported and stays due (its edition is recorded, not
        counted as sent)."""
        from protocol_app.invites.sending import (
            DeliveryError,
            MailSetupError,
            SmtpMailer,
            SmtpOptions,
        )

        visit = self.editions.visits.get(visit_ref)
        due = self._due(visit, people)
        if not due:
            return ProgrammeReport(())
        organizer = self._organizer(visit)
        options = smtp or SmtpOptions.from_settings(self.invites.settings)
        sent: list[ProgrammeSent] = []
        failed: list[tuple[ProgrammeDue, str]] = []
        with tempfile.TemporaryDirectory() as temp, \
                SmtpMailer(options, password, ssl_context=ssl_context) as mailer:
            for n, item in enumerate(due):
                msg, message_id, record = self._message(visit, item, organizer, Path(temp),
                                                        now or datetime.now(UTC))
                try:
                    mailer.send(msg, organizer.email, item.email)
                except DeliveryError as exc:
                    failed.append((item, str(exc)))
                except MailSetupError as exc:
                    failed.extend((i, str(exc)) for i in due[n:])
                    break
                else:
                    self._audit(item, record, message_id, "smtp")
                    sent.append(ProgrammeSent(item, record.number, message_id))
        return ProgrammeReport(tuple(sent), tuple(failed))

    def write(self, visit_ref: int | str, out_dir: str | Path,
              people: Collection[str] | None = None, *, now: datetime | None = None,
              ) -> ProgrammeReport:
        """Write each due programme as an ``.eml`` file (and its PDF beside it) in
        ``out_dir``, and audit it as sent."""
        visit = self.editions.visits.get(visit_ref)
        due = self._due(visit, people)
        folder = Path(out_dir).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        sent: list[ProgrammeSent] = []
        if due:
            organizer = self._organizer(visit)
            for item in due:
                msg, message_id, record = self._message(visit, item, organizer, folder,
                                                        now or datetime.now(UTC))
                path = folder / f"{_file_stem(visit.public_id, item)}.eml"
                write_private(path, message_bytes(msg))
                self._audit(item, record, message_id, "file")
                sent.append(ProgrammeSent(item, record.number, message_id, str(path)))
        return ProgrammeReport(tuple(sent))


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_stem(visit_public_id: str, due: ProgrammeDue) -> str:
    """``jp-rector-2027-programme-p3``"""
    ref = _UNSAFE.sub("_", due.ref).strip("._") or f"person{due.person_id}"
    return f"{visit_public_id}-programme-{ref}"[:120]


"""The invitations service: what the command line and the desktop app call.

- :meth:`InviteService.plan`: who gets what now (new, update, cancellation), before
  anything is sent; people on an event without a usable address are listed as not
  invited.
- :meth:`InviteService.send`: send a plan through SMTP; each message accepted by the
  server is recorded in the ledger at once, a refused one is reported and not recorded.
- :meth:`InviteService.write_messages`: write the messages as ``.eml`` files instead,
  and record them.  Both take ``only=`` (message keys) to send a part of the plan.
- :meth:`InviteService.preview` and :meth:`InviteService.send_test`: one message as it
  would go, and that message sent to the organizer in the settings (never recorded).
- :meth:`InviteService.export_calendar`: the whole itinerary (or one person's) as one
  ``METHOD:PUBLISH`` calendar file.
- :meth:`InviteService.status` and :meth:`InviteService.changed_since_invited`: per
  event, whether it changed since it was invited.
- :meth:`InviteService.history`: the ledger itself.

Every method opens its own session and returns frozen values
(:mod:`protocol_app.invites.values`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from protocol_app.errors import FieldProblem, NotFoundError, ProtocolError, ValidationError
from protocol_app.files import write_private
from protocol_app.invites.calendar import (
    METHOD_CANCEL,
    CalendarAttendee,
    Organizer,
    event_attendee_ids,
    itip_calendar,
    public_person,
    publish_calendar,
)
from protocol_app.invites.ledger import (
    CalendarManager,
    event_invites,
    event_recipients,
    normalize_email,
    plan_invites,
)
from protocol_app.invites.mail import build_message, compose_texts, message_bytes, new_message_id
from protocol_app.invites.values import (
    CalendarExport,
    Delivered,
    DeliveryReport,
    EventInviteStatus,
    EventSnapshot,
    FailedDelivery,
    InviteKind,
    InvitePlan,
    LedgerRecord,
    LedgerState,
    MessagePreview,
    PlannedInvite,
)
from protocol_app.records.models import Event, InviteLedgerEntry, Person
from protocol_app.records.sensitivity import Audience
from protocol_app.services.audience import event_visible
from protocol_app.services.base import SettingsServiceBase, write_audit
from protocol_app.services.people import person_record
from protocol_app.services.values import EventRecord, VisitRecord

if TYPE_CHECKING:
    import ssl
    from email.message import EmailMessage

    from protocol_app.invites.sending import SmtpOptions

#: ``progress(done, total, text)``, called after each message (from the sending thread).
Progress = Callable[[int, int, str], None]


class PlanChangedError(ProtocolError):
    """What would be sent is no longer what the user reviewed."""


class InviteService(SettingsServiceBase):
    """Invitations and calendars of visits, over one database, acting as one user."""

    # -- reading ---------------------------------------------------------------------
    def _visit(self, visit_ref: int | str) -> VisitRecord:
        """The visit (people and events pass through the sensitivity list where their
        text is written: ``public_person``, ``public_event``)."""
        from protocol_app.services.visits import VisitService

        return VisitService(self.db, self.actor).get(visit_ref)

    def organizer_for(self, visit: VisitRecord) -> Organizer | None:
        """The visit's organizer, else the organizer in the settings, else None."""
        if visit.organizer_email.strip():
            return Organizer(visit.organizer_name.strip() or self.settings.office_name,
                             visit.organizer_email.strip())
        if self.settings.organizer_email.strip():
            return Organizer(self.settings.organizer_name.strip() or self.settings.office_name,
                             self.settings.organizer_email.strip())
        return None

    def _managers(self, visit: VisitRecord) -> dict[int, CalendarManager]:
        """Each participant's calendar manager, in one query (the manager need not take
        part in the visit)."""
        ids = [p.person_id for p in visit.participants]
        if not ids:
            return {}
        manager = aliased(Person)
        with self.db.read_session() as session:
            rows = session.execute(
                select(Person.id, manager).join(manager, manager.id == Person.calendar_manager_id)
                .where(Person.id.in_(ids))).all()
            return {pid: CalendarManager(m.id, public_person(person_record(m)).display_name,
                                         m.email) for pid, m in rows}

    def _plan(self, visit: VisitRecord, *, resend_all: bool = False) -> InvitePlan:
        latest, top = self._ledger(visit.id)
        return plan_invites(visit, latest, top, organizer=self.organizer_for(visit),
                            resend_all=resend_all, managers=self._managers(visit),
                            invite_kinds=self.settings.invite_kind_set)

    def _ledger(self, visit_id: int) -> tuple[dict[tuple[int, str], LedgerState],
                                               dict[int, int]]:
        latest: dict[tuple[int, str], LedgerState] = {}
        top: dict[int, int] = {}
        with self.db.read_session() as session:
            rows = session.scalars(
                select(InviteLedgerEntry).join(Event, Event.id == InviteLedgerEntry.event_id)
                .where(Event.visit_id == visit_id).order_by(InviteLedgerEntry.id))
            for row in rows:
                latest[(row.event_id, row.attendee_email)] = LedgerState(
                    event_id=row.event_id, email=row.attendee_email, name=row.attendee_name,
                    person_id=row.person_id, method=row.method, sequence=row.sequence,
                    content_hash=row.content_hash,
                    snapshot=EventSnapshot.from_json(row.snapshot), sent_to=row.sent_to or "")
                top[row.event_id] = max(top.get(row.event_id, row.sequence), row.sequence)
        return latest, top

    def plan(self, visit_ref: int | str, *, resend_all: bool = False) -> InvitePlan:
        """Who gets what if the invitations of the visit were sent now."""
        return self._plan(self._visit(visit_ref), resend_all=resend_all)

    def status(self, visit_ref: int | str) -> tuple[EventInviteStatus, ...]:
        """Per event, in time order: not invited yet, up to date, changed since invited
        (updates due), pending (new people or cancellations due), or no invitations
        (its kind or its switch invites nobody, and nothing was sent)."""
        visit = self._visit(visit_ref)
        latest, top = self._ledger(visit.id)
        plan = plan_invites(visit, latest, top, organizer=self.organizer_for(visit),
                            managers=self._managers(visit),
                            invite_kinds=self.settings.invite_kind_set)
        by_event: dict[int, list[PlannedInvite]] = {}
        for item in plan.items:
            by_event.setdefault(item.event_id, []).append(item)
        holding: dict[int, int] = {}
        for (event_id, _email), state in latest.items():
            if state.holds_event:
                holding[event_id] = holding.get(event_id, 0) + 1
        out: list[EventInviteStatus] = []
        for event in visit.events:
            items = by_event.get(event.id, [])
            new = sum(1 for i in items if i.kind is InviteKind.NEW)
            updates = sum(1 for i in items if i.kind is InviteKind.UPDATE)
            cancels = sum(1 for i in items if i.kind is InviteKind.CANCEL)
            changes = tuple(dict.fromkeys(c for i in items if i.kind is InviteKind.UPDATE
                                          for c in i.changes))
            if event.id not in top and not event_invites(event, self.settings.invite_kind_set):
                status = "no invitations"  # its kind or its switch: nobody is invited
            elif event.id not in top:
                status = "not invited"
            elif updates:
                status = "changed"
            elif new or cancels:
                status = "pending"
            else:
                status = "up to date"
            out.append(EventInviteStatus(
                event_id=event.id, event_ref=event.ref, event_title=event.title,
                start_utc=event.start_utc, state=status, invited=holding.get(event.id, 0),
                new=new, updates=updates, cancellations=cancels, changes=changes))
        return tuple(out)

    def changed_since_invited(self, visit_ref: int | str) -> tuple[EventInviteStatus, ...]:
        """The events invited before that now need messages (changed, people added or
        removed, cancelled): what the desktop app flags as "changed since invited"."""
        return tuple(s for s in self.status(visit_ref)
                     if s.state != "not invited" and s.needs_sending)

    def history(self, visit_ref: int | str) -> tuple[LedgerRecord, ...]:
        """Every message recorded for the visit, oldest first."""
        visit = self._visit(visit_ref)
        with self.db.read_session() as session:
            rows = session.execute(
                select(InviteLedgerEntry, Event.title)
                .join(Event, Event.id == InviteLedgerEntry.event_id)
                .where(Event.visit_id == visit.id).order_by(InviteLedgerEntry.id)).all()
            return tuple(LedgerRecord(
                id=r.id, event_id=r.event_id, event_title=title, uid=r.uid,
                email=r.attendee_email, name=r.attendee_name, method=r.method, kind=r.kind,
                sequence=r.sequence, sent_at=r.sent_at.replace(tzinfo=UTC),
                message_id=r.message_id, channel=r.channel, actor=r.actor)
                for r, title in rows)

    # -- calendar managers -------------------------------------------------------------
    @staticmethod
    def _person_row(session: Session, ref: int | str, field: str) -> Person:
        """A person by number or e-mail address."""
        text = str(ref).strip()
        if text.isdigit():
            row = session.get(Person, int(text))
        else:
            row = session.scalars(select(Person).where(
                func.lower(func.trim(Person.email)) == text.lower()).limit(1)).first()
        if row is None:
            raise NotFoundError(f"{field}: nobody has the number or e-mail address '{ref}'.")
        return row

    def calendar_manager(self, person: int | str) -> CalendarManager | None:
        """Who receives ``person``'s invitations (a number or e-mail address), or None
        when they receive their own."""
        with self.db.read_session() as session:
            row = self._person_row(session, person, "person")
            found = (session.get(Person, row.calendar_manager_id)
                     if row.calendar_manager_id is not None else None)
            if found is None:
                return None
            return CalendarManager(found.id, person_record(found).display_name, found.email)

    def set_calendar_manager(self, person: int | str, manager: int | str | None,
                             ) -> CalendarManager | None:
        """Send ``person``'s invitations to ``manager`` (a number or e-mail address; None:
        to the person themself).  The person stays the ATTENDEE; the manager's answers
        count for them.  Audited; returns the manager now set."""
        with self.db.session() as session:
            row = self._person_row(session, person, "person")
            chosen = None if manager is None else self._person_row(session, manager, "manager")
            if chosen is not None and chosen.id == row.id:
                raise ValidationError([FieldProblem(
                    "manager", "is the person themself (leave it empty instead)")],
                    subject="calendar manager")
            if chosen is not None and not chosen.email.strip():
                raise ValidationError([FieldProblem(
                    "manager", f"{chosen.family_name} has no e-mail address to receive "
                               "invitations at")], subject="calendar manager")
            old = row.calendar_manager_id
            new = chosen.id if chosen is not None else None
            if old != new:
                row.calendar_manager_id = new
                write_audit(session, self.actor, "update", "person", row.id,
                            old={"calendar_manager_id": old}, new={"calendar_manager_id": new},
                            summary="Calendar manager " + (
                                f"set to {chosen.email}" if chosen is not None else "removed"))
            if chosen is None:
                return None
            return CalendarManager(chosen.id, person_record(chosen).display_name, chosen.email)

    # -- calendars -------------------------------------------------------------------
    def _person_id(self, visit: VisitRecord, ref: str) -> tuple[int, str]:
        wanted = ref.strip()
        for p in visit.participants:
            if wanted in (p.ref, str(p.person_id)) or (
                    p.person.email and normalize_email(p.person.email) == wanted.lower()):
                return p.person_id, p.person.display_name
        raise NotFoundError(
            f"Nobody with the ref, number or e-mail '{ref}' takes part in {visit.title}. "
            "Use a person's ref from the visit package (such as p1), their number, or their "
            "e-mail address.")

    def calendar_bytes(self, visit_ref: int | str, *, person: str | None = None,
                       now: datetime | None = None, audience: Audience | str = Audience.GUEST,
                       ) -> tuple[bytes, int, str]:
        """The itinerary as a PUBLISH calendar: (the bytes, how many events, whose).

        It leaves the office: by default it holds only the events guests may see
        (:func:`protocol_app.services.audience.event_visible`); ``audience="host"`` or
        ``"internal"`` keeps every event.  A person's calendar holds the events they
        attend."""
        visit = self._visit(visit_ref)
        person_id = None
        whose = ""
        name = visit.title
        if person:
            person_id, whose = self._person_id(visit, person)
            name = f"{visit.title} — {whose}"
        events = [e for e in visit.events if event_visible(e, visit, audience, person_id)
                  and (person_id is None or person_id in event_attendee_ids(e))]
        data = publish_calendar(visit, events=events, organizer=self.organizer_for(visit),
                                now=now, name=name)
        return data, len(events), whose

    def export_calendar(self, visit_ref: int | str, path: str | Path, *,
                        person: str | None = None, now: datetime | None = None,
                        audience: Audience | str = Audience.GUEST) -> CalendarExport:
        """Write the itinerary (or one person's, by ref, number or e-mail) as one
        ``METHOD:PUBLISH`` calendar file; written whole or not at all."""
        data, count, whose = self.calendar_bytes(visit_ref, person=person, now=now,
                                                 audience=audience)
        target = Path(path).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, data)
        return CalendarExport(path=str(target), events=count, person=whose)

    # -- messages --------------------------------------------------------------------
    def _reminders(self, visit: VisitRecord) -> InvitePlan:
        """The current REQUEST again for each attendee still at NEEDS-ACTION whose copy is
        current (one with an update or cancellation due gets that instead)."""
        from protocol_app.invites.reply_service import ReplyService

        plan = self._plan(visit)
        due = {(i.event_id, i.email) for i in plan.items}
        latest, _top = self._ledger(visit.id)
        answers = ReplyService(self.db, self.actor, self.settings).answers(visit.id)
        items: list[PlannedInvite] = []
        events = {e.id: e for e in visit.events}
        for answer in answers:
            state = latest.get((answer.event_id, answer.email))
            if (answer.partstat != "NEEDS-ACTION" or state is None or not state.holds_event
                    or (answer.event_id, answer.email) in due):
                continue
            event = events[answer.event_id]
            items.append(PlannedInvite(
                event_id=event.id, event_ref=event.ref, event_uid=event.uid,
                event_title=event.title, start_utc=event.start_utc, end_utc=event.end_utc,
                timezone=event.timezone, email=state.email, name=state.name,
                person_id=state.person_id, kind=InviteKind.REMINDER, sequence=state.sequence,
                reason="no answer yet", changes=(), content_hash=state.content_hash,
                snapshot=state.snapshot, sent_to=state.sent_to))
        return InvitePlan(visit_id=visit.id, visit_public_id=visit.public_id,
                          visit_title=visit.title, organizer=plan.organizer, items=tuple(items),
                          problems=plan.problems if items else ())

    def reminders(self, visit_ref: int | str) -> InvitePlan:
        """Who would be reminded now ("Remind those who have not answered"): a plan of
        REMINDER items, each the current REQUEST at the SEQUENCE the attendee holds."""
        return self._reminders(self._visit(visit_ref))

    def _checked_plan(self, visit_ref: int | str, resend_all: bool,
                      expected: InvitePlan | None, reminders: bool = False,
                      ) -> tuple[VisitRecord, InvitePlan]:
        visit = self._visit(visit_ref)
        plan = (self._reminders(visit) if reminders
                else self._plan(visit, resend_all=resend_all))
        if expected is not None and expected.keys != plan.keys:
            raise PlanChangedError(
                "The itinerary or the invitations changed since this list was made (someone "
                "edited the visit or sent invitations). Review the new list; nothing was sent.")
        if plan.problems and plan.items:
            raise ProtocolError(" ".join(plan.problems))
        return visit, plan

    def _message(self, visit: VisitRecord, events: dict[int, EventRecord], plan: InvitePlan,
                 item: PlannedInvite, now: datetime,
                 managers: dict[int, CalendarManager]) -> tuple[EmailMessage, str]:
        organizer = plan.organizer
        assert organizer is not None
        event = events[item.event_id]
        if item.kind is InviteKind.CANCEL:
            if item.reason in ("event cancelled", "visit cancelled"):
                attendees = [CalendarAttendee(i.email, i.name) for i in plan.items
                             if i.event_id == event.id and i.kind is InviteKind.CANCEL]
            else:
                attendees = [CalendarAttendee(item.email, item.name)]
        else:
            recipients, _ = event_recipients(visit, event, organizer, managers)
            attendees = [r.attendee() for r in recipients]
        calendar = itip_calendar(visit, event, method=item.method, sequence=item.sequence,
                                 organizer=organizer, attendees=attendees, now=now)
        subject, text, html_text = compose_texts(visit, event, item, organizer)
        message_id = new_message_id(organizer.email)
        msg = build_message(calendar=calendar, method=item.method, subject=subject, text=text,
                            html_text=html_text, organizer=organizer,
                            recipient_name=item.sent_to_name or item.name,
                            recipient_email=item.deliver_to, message_id=message_id, date=now)
        return msg, message_id

    def _entry(self, item: PlannedInvite, message_id: str, sent_at: datetime,
               channel: str) -> InviteLedgerEntry:
        return InviteLedgerEntry(
            event_id=item.event_id, uid=item.event_uid, person_id=item.person_id,
            attendee_email=item.email, attendee_name=item.name, method=item.method,
            kind=item.kind.value, sequence=item.sequence, content_hash=item.content_hash,
            snapshot=item.snapshot.to_json(), sent_at=sent_at.astimezone(UTC).replace(
                tzinfo=None), message_id=message_id, channel=channel, actor=self.actor,
            sent_to=item.sent_to)

    def _record(self, entries: list[InviteLedgerEntry]) -> None:
        if entries:
            with self.db.session() as session:
                session.add_all(entries)

    def write_messages(self, visit_ref: int | str, out_dir: str | Path, *,
                       resend_all: bool = False, expected: InvitePlan | None = None,
                       progress: Progress | None = None, now: datetime | None = None,
                       only: Collection[tuple] | None = None,
                       reminders: bool = False) -> DeliveryReport:
        """Write what is due as RFC 6047 ``.eml`` files in ``out_dir`` (one message per
        recipient and event) and record them in the ledger as sent.  ``only``: the keys
        (:attr:`PlannedInvite.key`) of the messages to write, a part of the plan;
        ``reminders``: the reminders (:meth:`reminders`) instead."""
        visit, plan = self._checked_plan(visit_ref, resend_all, expected, reminders)
        chosen = _chosen(plan, only)
        folder = Path(out_dir).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        events = {e.id: e for e in visit.events}
        managers = self._managers(visit)
        delivered: list[Delivered] = []
        entries: list[InviteLedgerEntry] = []
        try:
            for n, item in enumerate(chosen, 1):
                moment = now or datetime.now(UTC)
                msg, message_id = self._message(visit, events, plan, item, moment, managers)
                path = folder / _file_name(item)
                write_private(path, message_bytes(msg))
                entries.append(self._entry(item, message_id, moment, "file"))
                delivered.append(Delivered(item, message_id, moment, str(path)))
                if progress is not None:
                    progress(n, len(chosen), f"{item.event_title} → {item.name}")
        finally:
            self._record(entries)
        return DeliveryReport(visit.id, "file", tuple(delivered), (), plan.not_invited)

    def send(self, visit_ref: int | str, *, resend_all: bool = False,
             expected: InvitePlan | None = None, smtp: SmtpOptions | None = None,
             password: str | None = None, ssl_context: ssl.SSLContext | None = None,
             progress: Progress | None = None, now: datetime | None = None,
             only: Collection[tuple] | None = None,
             reminders: bool = False) -> DeliveryReport:
        """Send what is due through SMTP (the settings' server unless ``smtp`` is given;
        the password from the keyring unless given).  Each message the server accepts is
        recorded in the ledger at once; one it refuses is reported in the result and not
        recorded, so the next run offers it again.  Delivery is *at least once*: the
        ledger never lists a message the server did not accept, but a crash between the
        server's acceptance and the ledger's commit leaves a message sent and not
        recorded, which the next run sends again (tests/db/test_crash_harness.py).
        ``expected``: the plan the user reviewed; if it is no longer current, nothing is
        sent.  ``only``: the keys (:attr:`PlannedInvite.key`) of the messages to send, a
        part of the plan (the others stay due); a key no longer in the plan sends nothing.
        ``reminders``: send the reminders (:meth:`reminders`) instead."""
        from protocol_app.invites.sending import (
            DeliveryError,
            MailSetupError,
            SmtpMailer,
            SmtpOptions,
        )

        visit, plan = self._checked_plan(visit_ref, resend_all, expected, reminders)
        chosen = _chosen(plan, only)
        if not chosen:
            return DeliveryReport(visit.id, "smtp", (), (), plan.not_invited)
        options = smtp or SmtpOptions.from_settings(self.settings)
        organizer = plan.organizer
        assert organizer is not None
        events = {e.id: e for e in visit.events}
        managers = self._managers(visit)
        delivered: list[Delivered] = []
        failed: list[FailedDelivery] = []
        total = len(chosen)
        with SmtpMailer(options, password, ssl_context=ssl_context) as mailer:
            for n, item in enumerate(chosen, 1):
                moment = now or datetime.now(UTC)
                msg, message_id = self._message(visit, events, plan, item, moment, managers)
                try:
                    mailer.send(msg, organizer.email, item.deliver_to)
                except DeliveryError as exc:
                    failed.append(FailedDelivery(item, str(exc)))
                except MailSetupError as exc:
                    failed.extend(FailedDelivery(i, str(exc)) for i in chosen[n - 1:])
                    break
                else:
                    self._record([self._entry(item, message_id, moment, "smtp")])
                    delivered.append(Delivered(item, message_id, moment))
                if progress is not None:
                    progress(n, total, f"{item.event_title} → {item.name}")
        return DeliveryReport(visit.id, "smtp", tuple(delivered), tuple(failed),
                              plan.not_invited)

    # -- one message: preview, and a test to oneself -----------------------------------
    def _one_message(self, visit_ref: int | str, key: tuple, resend_all: bool,
                     now: datetime | None) -> tuple[EmailMessage, PlannedInvite, Organizer]:
        visit, plan = self._checked_plan(visit_ref, resend_all, None)
        item = next((i for i in plan.items if i.key == key), None)
        if item is None:
            raise PlanChangedError("This message is no longer due (someone edited the visit "
                                   "or sent invitations). Review the new list.")
        assert plan.organizer is not None
        msg, _message_id = self._message(visit, {e.id: e for e in visit.events}, plan, item,
                                         now or datetime.now(UTC), self._managers(visit))
        return msg, item, plan.organizer

    def preview(self, visit_ref: int | str, key: tuple, *, resend_all: bool = False,
                now: datetime | None = None) -> MessagePreview:
        """The message of the plan with this key (:attr:`PlannedInvite.key`) as it would
        go: subject, sender, recipient, the event's time, the texts.  Nothing is sent or
        recorded."""
        from protocol_app.invites.mail import format_when

        msg, item, _organizer = self._one_message(visit_ref, key, resend_all, now)
        text = msg.get_body(("plain",))
        page = msg.get_body(("html",))
        return MessagePreview(
            key=item.key, subject=str(msg["Subject"]), sender=str(msg["From"]),
            recipient=str(msg["To"]), when=format_when(item.start_utc, item.end_utc,
                                                       item.timezone),
            method=item.method, sequence=item.sequence,
            text=text.get_content() if text is not None else "",
            html=page.get_content() if page is not None else "")

    def test_recipient(self) -> str:
        """Where "Send a test to me" goes: the organizer address in the settings, else a
        :class:`ProtocolError` saying where to set it."""
        address = self.settings.organizer_email.strip()
        if not address:
            raise ProtocolError("No organizer e-mail is set: enter yours in Preferences "
                                "(Organizer e-mail) to receive a test.")
        return address

    def send_test(self, visit_ref: int | str, key: tuple, *, resend_all: bool = False,
                  smtp: SmtpOptions | None = None, password: str | None = None,
                  ssl_context: ssl.SSLContext | None = None, now: datetime | None = None,
                  ) -> str:
        """Send the message with this key to the organizer address in the settings
        (:meth:`test_recipient`) instead of its recipient, its subject marked "[Test]",
        through the same server; nothing is recorded in the ledger.  Returns the address
        it went to."""
        from email.headerregistry import Address

        from protocol_app.invites.sending import DeliveryError, SmtpMailer, SmtpOptions

        to = self.test_recipient()
        msg, _item, organizer = self._one_message(visit_ref, key, resend_all, now)
        subject = str(msg["Subject"])
        del msg["Subject"], msg["To"]
        msg["Subject"] = f"[Test] {subject}"
        local, _, domain = to.partition("@")
        msg["To"] = Address(display_name=self.settings.organizer_name.strip(),
                            username=local, domain=domain)
        options = smtp or SmtpOptions.from_settings(self.settings)
        with SmtpMailer(options, password, ssl_context=ssl_context) as mailer:
            try:
                mailer.send(msg, organizer.email, to)
            except DeliveryError as exc:
                raise ProtocolError(f"The test to {to} was refused: {exc}.") from None
        return to


def _chosen(plan: InvitePlan, only: Collection[tuple] | None) -> tuple[PlannedInvite, ...]:
    """The items of ``plan`` whose keys are in ``only`` (all of them for None); a key the
    plan no longer holds raises :class:`PlanChangedError`."""
    if only is None:
        return plan.items
    wanted = set(only)
    missing = wanted - set(plan.keys)
    if missing:
        raise PlanChangedError(
            f"{len(missing)} of the chosen messages {'is' if len(missing) == 1 else 'are'} no "
            "longer due (someone edited the visit or sent invitations). Review the new list; "
            "nothing was sent.")
    return tuple(i for i in plan.items if i.key in wanted)


# -- files ------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_name(item: PlannedInvite) -> str:
    """``e17-seq2-update-n.benami_at_alderbrook.example.edu.eml``"""
    ref = _UNSAFE.sub("_", item.event_ref).strip("._") or f"event{item.event_id}"
    who = _UNSAFE.sub("_", item.email.replace("@", "_at_")).strip("._") or "recipient"
    method = "cancel" if item.method == METHOD_CANCEL else item.kind.value
    return f"{ref[:60]}-seq{item.sequence}-{method}-{who[:120]}.eml"



"""The replies service: reading answers to invitations (files, folders, an IMAP mailbox),
recording those that count, and showing who has answered.

- :meth:`ReplyService.import_paths`: ``.eml`` and ``.ics`` files, or folders of them.
- :meth:`ReplyService.import_messages`: messages already in memory (what the others use).
- :meth:`ReplyService.fetch`: the unseen messages of the office's IMAP folder (settings;
  the password in the keyring), marked as seen once processed.
- :meth:`ReplyService.answers`, :meth:`ReplyService.visit_answers`,
  :meth:`ReplyService.event_answers`, :meth:`ReplyService.proposals`: the answers that
  count now.

Each file counts whole or not at all (its reasons reported, one line each); the files
that count are recorded in one transaction, each reply with an audit entry.  The rules
are in :mod:`protocol_app.invites.replies`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.errors import NotFoundError
from protocol_app.files import FileTooLarge, read_bounded
from protocol_app.invites.calendar import METHOD_REQUEST
from protocol_app.invites.replies import (
    MAX_REPLY_BYTES,
    METHOD_COUNTER,
    METHOD_REPLY,
    NEEDS_ACTION,
    Decision,
    Invited,
    ReplyContext,
    ReplyFileError,
    ReplyLine,
    decide_all,
    read_message,
)
from protocol_app.invites.values import (
    Answer,
    AnswerCounts,
    EventAnswers,
    Proposal,
    RecordedReply,
    ReplyImportReport,
    ReplySourceResult,
    VisitAnswers,
)
from protocol_app.records.models import AuditEntry, Event, InviteLedgerEntry
from protocol_app.records.replies import InviteReply
from protocol_app.services.base import audit_values, to_aware_utc, to_naive_utc

if TYPE_CHECKING:
    import ssl

    from sqlalchemy.orm import Session

    from protocol_app.invites.mailbox import ImapOptions

#: The files a folder is searched for.
REPLY_SUFFIXES = (".eml", ".ics")


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One file or mailbox message to read: where it is from, its bytes, when received."""

    source: str
    data: bytes
    received_at: datetime | None = None  # the mailbox's arrival time, if known


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def invited_states(session: Session, *, event_ids: Sequence[int] | None = None,
                   visit_id: int | None = None) -> dict[tuple[int, str], Invited]:
    """What each attendee holds now (the last ledger row per event and address), for
    some events or a whole visit: one query per 500 events."""
    out: dict[tuple[int, str], Invited] = {}
    query = (select(InviteLedgerEntry, Event.ref, Event.title)
             .join(Event, Event.id == InviteLedgerEntry.event_id))
    batches: Iterable = ([query.where(Event.visit_id == visit_id)] if visit_id is not None
                         else (query.where(Event.id.in_(chunk))
                               for chunk in _chunks(sorted(set(event_ids or ())))))
    for batch in batches:
        for row, ref, title in session.execute(batch.order_by(InviteLedgerEntry.id)):
            out[(row.event_id, row.attendee_email)] = Invited(
                event_id=row.event_id, event_ref=ref, event_title=title,
                person_id=row.person_id, email=row.attendee_email, name=row.attendee_name,
                sent_to=row.sent_to or "", sequence=row.sequence,
                holds_event=row.method == METHOD_REQUEST)
    return out


class ReplyService:
    """Replies to the invitations of every visit, over one database, as one user."""

    def __init__(self, db: Database, actor: str, settings: Settings | None = None) -> None:
        self.db = db
        self.actor = actor
        self._settings = settings

    @property
    def settings(self) -> Settings:
        """The user's settings (read once)."""
        if self._settings is None:
            self._settings = Settings.load()
        return self._settings

    @settings.setter
    def settings(self, settings: Settings | None) -> None:
        """Use these settings from now on (None: read them again when next needed), as
        after Preferences are saved."""
        self._settings = settings

    # -- importing ---------------------------------------------------------------------
    def import_paths(self, paths: Iterable[str | Path], *, now: datetime | None = None,
                     ) -> ReplyImportReport:
        """Read ``.eml`` and ``.ics`` files, or folders of them (searched for files with
        those endings, in name order); each file is named as given."""
        incoming: list[IncomingMessage] = []
        failed: dict[int, ReplySourceResult] = {}
        for given in paths:
            path = Path(given).expanduser()
            files = (sorted(p for p in path.rglob("*") if p.suffix.lower() in REPLY_SUFFIXES
                            and p.is_file()) if path.is_dir() else [path])
            for file in files:
                shown = str(given) if file == path else str(file)
                try:
                    incoming.append(IncomingMessage(shown, read_bounded(file, MAX_REPLY_BYTES)))
                except FileTooLarge as exc:
                    failed[len(incoming)] = ReplySourceResult(
                        shown, error=f"too large ({exc.size_text}; at most "
                                     f"{MAX_REPLY_BYTES:,} bytes are read)")
                    incoming.append(IncomingMessage(shown, b""))
                except OSError as exc:
                    failed[len(incoming)] = ReplySourceResult(
                        shown, error=f"cannot be read ({exc.strerror or exc})")
                    incoming.append(IncomingMessage(shown, b""))
        report = self.import_messages([m for n, m in enumerate(incoming) if n not in failed],
                                      now=now)
        results = iter(report.results)
        return ReplyImportReport(tuple(failed[n] if n in failed else next(results)
                                       for n in range(len(incoming))))

    def import_messages(self, messages: Sequence[IncomingMessage], *,
                        now: datetime | None = None) -> ReplyImportReport:
        """Read, decide and record the replies in ``messages`` (see the module doc)."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        read: list[tuple[IncomingMessage, list | None, datetime, str]] = []
        for message in messages:
            try:
                found = read_message(message.data)
            except ReplyFileError as exc:
                read.append((message, None, moment, str(exc)))
                continue
            received = message.received_at or found.sent_at or moment
            read.append((message, list(found.lines), received.astimezone(UTC), ""))
        uids = sorted({line.uid for _m, lines, _r, _e in read if lines for line in lines})
        results: list[ReplySourceResult] = []
        with self.db.session() as session:
            ctx = self._context(session, uids)
            seen = self._recorded_keys(session, list({e[0] for e in ctx.events.values()}))
            rows: list[tuple[dict, RecordedReply]] = []
            for message, lines, received, error in read:
                if lines is None:
                    results.append(ReplySourceResult(message.source, error=error))
                    continue
                decisions = decide_all(lines, ctx)
                problems = tuple(d.problem for d in decisions if d.problem)
                if problems:  # nothing of a file is half applied
                    results.append(ReplySourceResult(message.source, problems=problems))
                    continue
                recorded: list[RecordedReply] = []
                duplicates = 0
                for decision in decisions:
                    key = _key(decision)
                    if key in seen:
                        duplicates += 1
                        continue
                    seen.add(key)
                    row, value = self._row(decision, received, message.source)
                    rows.append((row, value))
                    recorded.append(value)
                results.append(ReplySourceResult(message.source, tuple(recorded),
                                                 duplicates=duplicates))
            if rows:  # in bulk (one INSERT ... RETURNING for the replies, one for the audit)
                ids = session.scalars(insert(InviteReply).returning(
                    InviteReply.id, sort_by_parameter_order=True), [r for r, _v in rows]).all()
                session.execute(insert(AuditEntry), [audit_values(
                    self.actor, "create", "invite_reply", reply_id,
                    new={"event_id": row["event_id"], "attendee": row["attendee_email"],
                         "sent_by": row["sent_by"], "method": row["method"],
                         "partstat": row["partstat"], "sequence": row["sequence"],
                         "received_at": value.received_at.isoformat(), "source": row["source"]},
                    summary=f"Reply recorded: {value.line()}")
                    for reply_id, (row, value) in zip(ids, rows, strict=True)])
        return ReplyImportReport(tuple(results))

    def _context(self, session: Session, uids: list[str]) -> ReplyContext:
        events: dict[str, tuple[int, str, str]] = {}
        for chunk in _chunks(uids):
            for event_id, uid, ref, title in session.execute(
                    select(Event.id, Event.uid, Event.ref, Event.title)
                    .where(Event.uid.in_(chunk))):
                events[uid] = (event_id, ref, title)
        invited = invited_states(session, event_ids=[e[0] for e in events.values()])
        return ReplyContext(events=events, invited=invited)

    @staticmethod
    def _recorded_keys(session: Session, event_ids: list[int]) -> set[tuple]:
        keys: set[tuple] = set()
        for chunk in _chunks(sorted(event_ids)):
            keys.update(tuple(r) for r in session.execute(
                select(InviteReply.event_id, InviteReply.attendee_email, InviteReply.method,
                       InviteReply.partstat, InviteReply.sequence, InviteReply.dtstamp)
                .where(InviteReply.event_id.in_(chunk))))
        return keys

    def _row(self, decision: Decision, received: datetime, source: str,
             ) -> tuple[dict, RecordedReply]:
        line, who = decision.line, decision.invited
        assert who is not None
        sent_by = line.sent_by or (line.attendee if line.attendee != who.email else "")
        partstat = _partstat(line)
        row = dict(
            event_id=who.event_id, person_id=who.person_id, attendee_email=who.email,
            sent_by=sent_by, method=line.method,
            partstat=partstat, sequence=line.sequence, dtstamp=line.dtstamp,
            received_at=to_naive_utc(received),
            proposed_start=to_naive_utc(line.proposed_start) if line.proposed_start else None,
            proposed_end=to_naive_utc(line.proposed_end) if line.proposed_end else None,
            comment=line.comment, source=source[:500], actor=self.actor)
        value = RecordedReply(
            event_id=who.event_id, event_ref=who.event_ref, event_title=who.event_title,
            email=who.email, name=who.name, person_id=who.person_id, method=line.method,
            partstat=partstat, sequence=line.sequence, received_at=received,
            sent_by=sent_by, proposed_start=line.proposed_start,
            proposed_end=line.proposed_end, comment=line.comment)
        return row, value

    # -- the mailbox -------------------------------------------------------------------
    def fetch(self, *, options: ImapOptions | None = None, password: str | None = None,
              ssl_context: ssl.SSLContext | None = None, now: datetime | None = None,
              ) -> ReplyImportReport:
        """Read the unseen messages of the office's reply folder, record what counts, and
        mark every message read as seen (a refused one too: it is reported once).  A
        mailbox that cannot be reached raises :class:`~protocol_app.invites.mailbox.
        MailboxError`; nothing is recorded or marked then."""
        from protocol_app.invites.mailbox import ImapOptions, Mailbox

        chosen = options or ImapOptions.from_settings(self.settings)
        with Mailbox(chosen, password, ssl_context=ssl_context) as box:
            fetched = box.unseen()
            report = self.import_messages(
                [IncomingMessage(m.source, m.data, m.received_at) for m in fetched], now=now)
            box.mark_seen([m.uid for m in fetched])
        return report

    # -- answers -----------------------------------------------------------------------
    def _visit_events(self, visit_ref: int | str) -> tuple[int, str, list[tuple]]:
        from protocol_app.services.visits import VisitService

        visit = VisitService(self.db, self.actor).get(visit_ref)
        return visit.id, visit.title, [(e.id, e.ref, e.title, e.start_utc)
                                       for e in visit.events]

    def _answers(self, visit_id: int, events: list[tuple],
                 ) -> tuple[list[Answer], list[Proposal]]:
        with self.db.read_session() as session:
            invited = invited_states(session, visit_id=visit_id)
            replies = session.scalars(
                select(InviteReply).join(Event, Event.id == InviteReply.event_id)
                .where(Event.visit_id == visit_id)
                .order_by(InviteReply.received_at, InviteReply.id)).all()
        info = {e[0]: e for e in events}
        current: dict[tuple[int, str], InviteReply] = {}
        proposals: list[Proposal] = []
        for reply in replies:
            key = (reply.event_id, reply.attendee_email)
            state = invited.get(key)
            if state is None or not state.holds_event or reply.sequence < state.sequence:
                continue  # history: an answer to an earlier version
            if reply.method == METHOD_COUNTER:
                if reply.proposed_start is not None:
                    proposals.append(Proposal(
                        reply.event_id, state.event_ref, state.event_title, state.email,
                        state.name, to_aware_utc(reply.proposed_start),
                        to_aware_utc(reply.proposed_end) if reply.proposed_end else None,
                        reply.comment, to_aware_utc(reply.received_at), reply.sequence))
            else:
                current[key] = reply
        answers: list[Answer] = []
        for key, state in invited.items():
            if not state.holds_event or state.event_id not in info:
                continue
            _id, ref, title, start = info[state.event_id]
            found = current.get(key)
            answers.append(Answer(
                event_id=state.event_id, event_ref=ref, event_title=title, start_utc=start,
                person_id=state.person_id, email=state.email, name=state.name,
                partstat=found.partstat if found else NEEDS_ACTION,
                answered_at=to_aware_utc(found.received_at) if found else None,
                sequence=state.sequence, sent_by=found.sent_by if found else ""))
        order = {e[0]: n for n, e in enumerate(events)}
        answers.sort(key=lambda a: (order[a.event_id], a.name.casefold(), a.email))
        return answers, proposals

    def answers(self, visit_ref: int | str) -> tuple[Answer, ...]:
        """The answer that counts now for every attendee holding an invitation of the
        visit, in time order of the events (``rsvp``)."""
        visit_id, _title, events = self._visit_events(visit_ref)
        return tuple(self._answers(visit_id, events)[0])

    def proposals(self, visit_ref: int | str) -> tuple[Proposal, ...]:
        """The other times proposed (COUNTER) to the current invitations; never applied."""
        visit_id, _title, events = self._visit_events(visit_ref)
        return tuple(self._answers(visit_id, events)[1])

    def visit_answers(self, visit_ref: int | str) -> VisitAnswers:
        """The answers per event (accepted, declined, tentative, waiting) and in all."""
        visit_id, title, events = self._visit_events(visit_ref)
        answers, proposals = self._answers(visit_id, events)
        per_event = []
        for event_id, ref, event_title, start in events:
            mine = tuple(a for a in answers if a.event_id == event_id)
            per_event.append(EventAnswers(
                event_id, ref, event_title, start, AnswerCounts.of(mine), mine,
                tuple(p for p in proposals if p.event_id == event_id)))
        return VisitAnswers(visit_id, title, AnswerCounts.of(tuple(answers)), tuple(per_event))

    def event_answers(self, event_id: int) -> EventAnswers:
        """The answers to one event's invitations."""
        with self.db.read_session() as session:
            visit_id = session.scalar(select(Event.visit_id).where(Event.id == event_id))
        if visit_id is None:
            raise NotFoundError(f"There is no event number {event_id}.")
        found = next(e for e in self.visit_answers(visit_id).events if e.event_id == event_id)
        return found


def _partstat(line: ReplyLine) -> str:
    """What is stored as the answer: a REPLY's PARTSTAT; a COUNTER's, else COUNTER."""
    return line.partstat if line.method == METHOD_REPLY else (line.partstat or METHOD_COUNTER)


def _key(decision: Decision) -> tuple:
    """What makes a reply the same as one recorded before (imported twice)."""
    line, who = decision.line, decision.invited
    assert who is not None
    return (who.event_id, who.email, line.method, _partstat(line), line.sequence, line.dtstamp)

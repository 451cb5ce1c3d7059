"""Editions: every printed or saved copy of a visit, what changed since, what to reprint.

A copy is recorded with :meth:`EditionService.record` (books and personal copies through
:meth:`EditionService.publish_book`, which drafts the edition first so its number, stamp
and "Changes since the last edition" page are printed in it).  Copies are numbered per
visit and *series*: one series per audience of the book, per person for personal copies,
per event for place cards and badges, per audience (and person or event, when given) for
invitation cards.  A preview is no edition: only what is saved or printed is recorded.

Each edition keeps a snapshot of what that copy could show
(:mod:`protocol_app.services.changes`), filtered for its audience by the one filter
(:func:`~protocol_app.services.audience.audience_view`); changes are the difference of
two snapshots, never of two PDFs.  :meth:`EditionService.out_of_date` compares the last
edition of every series with the visit as it is now; :meth:`EditionService.reprint`
prints only those again.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from protocol_app.briefing.invitations import printed_values
from protocol_app.db.database import Database
from protocol_app.errors import ConflictError, DatabaseError, NotFoundError, ProtocolError
from protocol_app.formatting import format_datetime
from protocol_app.records.editions import Edition
from protocol_app.records.sensitivity import Audience
from protocol_app.services.audience import audience_view, find_participant
from protocol_app.services.base import ServiceBase, to_aware_utc, to_naive_utc
from protocol_app.services.changes import (
    Change,
    Snapshot,
    card_changes,
    card_snapshot,
    diff_snapshots,
    visit_snapshot,
)
from protocol_app.services.lookup import resolve_visit
from protocol_app.services.values import VisitRecord
from protocol_app.services.visits import VisitService

if TYPE_CHECKING:
    from protocol_app.briefing.book import BriefingResult, Progress
    from protocol_app.briefing.invitations import CardsResult
    from protocol_app.briefing.service import BriefingService, PersonalCopy
    from protocol_app.services.protocol.values import SeatingPlanView

#: What can be printed as an edition.
KINDS: tuple[str, ...] = ("book", "personal_copy", "place_cards", "badges", "invitation_cards")
KIND_LABELS: dict[str, str] = {
    "book": "Briefing book", "personal_copy": "Personal copy", "place_cards": "Place cards",
    "badges": "Name badges", "invitation_cards": "Invitation cards",
}
AUDIENCE_LABELS: dict[str, str] = {"internal": "internal", "host": "hosts'", "guest": "guests'"}
NO_EARLIER = "No earlier edition to compare with."

#: ``printer(visit_ref, item, out_dir) -> EditionRecord | None``: prints one out-of-date
#: item again and records it (see :meth:`EditionService.register_printer`).
Printer = Callable[[int | str, "StaleItem", Path], "EditionRecord | None"]


@dataclass(frozen=True, slots=True)
class EditionRecord:
    """One recorded edition (the snapshot itself stays in the database)."""

    id: int
    visit_id: int
    series: str
    number: int
    kind: str
    audience: str
    person_id: int | None
    event_id: int | None
    visit_version: int
    paper: str
    path: str
    sha256: str
    made_at: datetime
    made_by: str
    has_snapshot: bool

    def stamp(self, zone: str) -> str:
        """"Edition 4 — 10 March 2027 14:05" on the clock of ``zone``."""
        return edition_stamp(self.number, self.made_at, zone)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``editions --json``)."""
        values = dataclasses.asdict(self)
        values["made_at"] = self.made_at.isoformat()
        return values


def edition_stamp(number: int, made_at: datetime, zone: str) -> str:
    """"Edition 4 — 10 March 2027 14:05" (Babel, on the clock of ``zone``)."""
    return f"Edition {number} — {format_datetime(made_at, zone)}"


@dataclass(frozen=True)
class ChangeReport:
    """What changed since an earlier edition (or a date) for one audience or person."""

    changes: tuple[Change, ...]
    since: str
    """What the list is measured from: "Edition 2 — 9 March 2027 10:00", or a date."""
    note: str = ""
    """Set when there is nothing to compare with (then ``changes`` is empty)."""

    @property
    def comparable(self) -> bool:
        """Whether an earlier state was found to compare with."""
        return not self.note

    def to_list(self) -> list[dict[str, Any]]:
        """The JSON form: a list of changes."""
        return [c.to_dict() for c in self.changes]


@dataclass(frozen=True)
class EditionDraft:
    """The next edition of a series, before it is printed: its number and stamp, the
    snapshot it will keep and the changes since the previous edition."""

    visit_id: int
    kind: str
    series: str
    audience: str
    person_id: int | None
    event_id: int | None
    number: int
    made_at: datetime
    visit_version: int
    timezone: str
    snapshot: Snapshot
    report: ChangeReport

    @property
    def stamp(self) -> str:
        """"Edition 4 — 10 March 2027 14:05"."""
        return edition_stamp(self.number, self.made_at, self.timezone)


@dataclass(frozen=True)
class StaleItem:
    """A printed item that no longer matches the visit: the last edition of its series,
    what it is, and why (the changes, or the people whose cards differ)."""

    edition: EditionRecord
    title: str
    reason: str
    changes: tuple[Change, ...] = ()
    person_ids: tuple[int, ...] = ()
    reprintable: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``reprint --json``)."""
        return {"kind": self.edition.kind, "series": self.edition.series,
                "edition": self.edition.number, "audience": self.edition.audience,
                "person_id": self.edition.person_id, "event_id": self.edition.event_id,
                "title": self.title, "reason": self.reason,
                "person_ids": list(self.person_ids),
                "changes": [c.to_dict() for c in self.changes],
                "reprintable": self.reprintable}


def series_of(kind: str, audience: str, person_id: int | None = None,
              event_id: int | None = None) -> str:
    """The numbering series: "book/guest", "personal/12", "place_cards/5",
    "invitation_cards/guest/p12"."""
    if kind == "book":
        return f"book/{audience}"
    if kind == "personal_copy":
        return f"personal/{person_id}"
    if kind in ("place_cards", "badges"):
        return f"{kind}/{event_id}"
    return "/".join([kind, audience, *([f"p{person_id}"] if person_id is not None else []),
                     *([f"e{event_id}"] if event_id is not None else [])])


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, in hex ("" when there is no file)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _record(row: Edition) -> EditionRecord:
    return EditionRecord(
        id=row.id, visit_id=row.visit_id, series=row.series, number=row.number,
        kind=row.kind, audience=row.audience, person_id=row.person_id, event_id=row.event_id,
        visit_version=row.visit_version, paper=row.paper, path=row.path, sha256=row.sha256,
        made_at=to_aware_utc(row.made_at), made_by=row.made_by,
        has_snapshot=row.snapshot is not None)


@dataclass
class EditionService(ServiceBase):
    """Editions of a visit's printed copies (``services.editions``)."""

    db: Database
    actor: str
    briefing: BriefingService
    printers: dict[str, Printer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.visits = VisitService(self.db, self.actor)
        self.printers.setdefault("invitation_cards", self._reprint_invitations)

    # -- reading ------------------------------------------------------------------
    def list(self, visit_ref: int | str, *, kind: str | None = None,
             series: str | None = None) -> builtins.list[EditionRecord]:
        """A visit's editions, oldest first (of one kind or series when given)."""
        with self.db.read_session() as session:
            visit_id = resolve_visit(session, visit_ref).id
            stmt = (select(Edition).where(Edition.visit_id == visit_id)
                    .order_by(Edition.made_at, Edition.id))
            if kind is not None:
                stmt = stmt.where(Edition.kind == kind)
            if series is not None:
                stmt = stmt.where(Edition.series == series)
            return [_record(row) for row in session.scalars(stmt)]

    def _latest_editions(self, visit_id: int
                         ) -> builtins.list[tuple[EditionRecord, Snapshot | None]]:
        """The last edition of every series of a visit with its snapshot (one query)."""
        newest = (select(Edition.series, func.max(Edition.number).label("number"))
                  .where(Edition.visit_id == visit_id).group_by(Edition.series).subquery())
        stmt = (select(Edition).join(newest, and_(Edition.series == newest.c.series,
                                                   Edition.number == newest.c.number))
                .where(Edition.visit_id == visit_id).order_by(Edition.made_at, Edition.id))
        with self.db.read_session() as session:
            return [(_record(row), json.loads(row.snapshot) if row.snapshot else None)
                    for row in session.scalars(stmt)]

    def _snapshot_of(self, edition_id: int) -> Snapshot | None:
        with self.db.read_session() as session:
            text = session.scalar(select(Edition.snapshot).where(Edition.id == edition_id))
        return json.loads(text) if text else None

    # -- what a copy shows now --------------------------------------------------------
    def current_snapshot(self, visit: VisitRecord, kind: str, audience: str,
                         person_id: int | None = None,
                         event_id: int | None = None) -> Snapshot:
        """The snapshot a copy of ``kind`` would keep if printed now."""
        if kind in ("place_cards", "badges"):
            if event_id is None:
                raise ProtocolError(f"{KIND_LABELS[kind]} belong to an event: give its "
                                    "number or ref.")
            return card_snapshot(self._card_values(visit.id, kind, event_id), event_id)
        if kind == "personal_copy":
            audience = Audience.GUEST.value
        view = audience_view(visit, audience, person_id)
        if event_id is not None:
            view = dataclasses.replace(view, events=tuple(e for e in view.events
                                                          if e.id == event_id))
        return visit_snapshot(view, audience, person_id)

    def _card_values(self, visit_id: int, kind: str,
                     event_id: int, view: SeatingPlanView | None = None
                     ) -> dict[int, dict[str, str]]:
        from protocol_app.services.protocol.seating import SeatingService

        if view is None:
            view = SeatingService(self.db, self.actor).seating_plan(visit_id, event_id)
        return card_values(view, kind)

    # -- drafting and recording -----------------------------------------------------
    def draft(self, visit_ref: int | str, *, kind: str = "book", audience: str = "internal",
              person: int | str | None = None, event: int | str | None = None,
              cards: SeatingPlanView | None = None,
              snapshot: Snapshot | None = None) -> EditionDraft:
        """The next edition of a series, not yet recorded (see :meth:`record`);
        ``snapshot``: what the copy shows when the caller knows it (invitation cards)."""
        if kind not in KINDS:
            raise ProtocolError(f"The kind of copy must be one of {', '.join(KINDS)}, "
                                f"not '{kind}'.")
        try:
            audience = Audience(audience).value
        except ValueError:
            raise ProtocolError(f"The audience must be one of internal, host, guest, not "
                                f"'{audience}'.") from None
        visit = self.visits.get(visit_ref)
        person_id = find_participant(visit, person).person_id if person is not None else None
        if kind == "personal_copy":
            if person_id is None:
                raise ProtocolError("A personal copy is made for one person: give --person.")
            audience = Audience.GUEST.value
        event_id = self._event_id(visit, event) if event is not None else None
        if snapshot is None and cards is not None and event_id is not None:
            snapshot = card_snapshot(card_values(cards, kind), event_id)
        elif snapshot is None:
            snapshot = self.current_snapshot(visit, kind, audience, person_id, event_id)
        series = series_of(kind, audience, person_id, event_id)
        previous = self.list(visit.id, series=series)
        last = previous[-1] if previous else None
        if last is None:
            report = ChangeReport((), "", NO_EARLIER)
        else:
            report = self._compare(last, visit.timezone, snapshot)
        return EditionDraft(visit.id, kind, series, audience, person_id, event_id,
                            (last.number if last else 0) + 1,
                            datetime.now(UTC).replace(microsecond=0), visit.version,
                            visit.timezone, snapshot, report)

    def _compare(self, edition: EditionRecord, zone: str, now: Snapshot) -> ChangeReport:
        stamp = edition.stamp(zone)
        old = self._snapshot_of(edition.id) if edition.has_snapshot else None
        if old is None or "events" not in now:
            return ChangeReport((), stamp, NO_EARLIER)
        return ChangeReport(tuple(diff_snapshots(old, now)), stamp)

    @staticmethod
    def _event_id(visit: VisitRecord, ref: int | str) -> int:
        wanted = str(ref).strip()
        for e in visit.events:
            if wanted in (e.ref, str(e.id)):
                return e.id
        raise NotFoundError(f"There is no event '{ref}' in {visit.title}: use its ref "
                            "(such as e1) or number.")

    def record(self, visit_ref: int | str, *, kind: str, audience: str = "guest",
               person: int | str | None = None, event: int | str | None = None,
               path: str | Path = "", paper: str = "", printer: str | None = None,
               draft: EditionDraft | None = None,
               cards: SeatingPlanView | None = None,
               snapshot: Snapshot | None = None) -> EditionRecord:
        """Record a copy that was saved to ``path`` (or sent to ``printer``: then
        ``path`` is the file that was printed) as the next edition of its series.

        One call for every kind (:data:`KINDS`): the SHA-256 of the file and the
        snapshot of what the copy shows are kept.  ``draft`` (from :meth:`draft`)
        records the edition the file was made as (its number and stamp are printed in
        it); without it the next number is taken now.  Raises ConflictError when the
        draft's number was taken meanwhile (build the copy again)."""
        if draft is None:
            draft = self.draft(visit_ref, kind=kind, audience=audience, person=person,
                               event=event, cards=cards, snapshot=snapshot)
        digest = file_sha256(path) if path else ""
        where = f"printer: {printer}" if printer else (str(Path(path).resolve()) if path else "")
        row = Edition(visit_id=draft.visit_id, series=draft.series, number=draft.number,
                      kind=draft.kind, audience=draft.audience, person_id=draft.person_id,
                      event_id=draft.event_id, visit_version=draft.visit_version,
                      paper=paper, path=where, sha256=digest,
                      made_at=to_naive_utc(draft.made_at), made_by=self.actor,
                      snapshot=json.dumps(draft.snapshot, ensure_ascii=False,
                                          separators=(",", ":")))
        try:
            with self.db.session() as session:
                session.add(row)
                session.flush()
                return _record(row)
        except IntegrityError:
            raise ConflictError(f"Edition {draft.number} of this copy was recorded by "
                                "someone else meanwhile; make the copy again.") from None

    def publish_book(self, visit_ref: int | str, audience: str, out_path: str | Path,
                     paper: str = "A4", *, person: int | str | None = None,
                     progress: Progress | None = None,
                     office_name: str | None = None
                     ) -> tuple[BriefingResult, EditionRecord | None]:
        """Build a book (a personal copy with ``person``) as the next edition, with its
        stamp and changes page, write it to ``out_path`` and record it.

        A database that cannot be written (a read-only archive) still gives the book:
        then no edition is recorded (None) and the result's warnings say so."""
        kind = "personal_copy" if person is not None else "book"
        draft = self.draft(visit_ref, kind=kind, audience=audience, person=person)
        result = self.briefing.build(visit_ref, audience, out_path, paper, progress,
                                     office_name=office_name, person=person, edition=draft)
        try:
            return result, self.record(visit_ref, kind=kind, audience=audience,
                                       person=person, path=result.path, paper=paper,
                                       draft=draft)
        except DatabaseError as exc:
            note = f"The book was not recorded as edition {draft.number}: {exc}"
            return dataclasses.replace(result, warnings=(*result.warnings, note)), None

    def publish_personal_copies(self, visit_ref: int | str, out_dir: str | Path,
                                paper: str = "A4", progress: Progress | None = None, *,
                                office_name: str | None = None
                                ) -> tuple[PersonalCopy, ...]:
        """A personal copy for every guest principal (head or member of a delegation),
        each the next edition of that person's series (:meth:`publish_book`), into
        ``out_dir`` (made when missing), named from the person's name
        (:func:`~protocol_app.briefing.service.personal_copy_names`; a file of the same
        name is replaced).  ``progress(done, total, text)`` runs over all the copies.
        Raises NotFoundError when the visit has no guest principal; nothing is written."""
        from protocol_app.briefing.service import (
            PersonalCopy,
            guest_principals,
            personal_copy_names,
        )
        from protocol_app.rules.names import display_name

        visit = self.visits.get(visit_ref)
        principals = guest_principals(visit.participants)
        if not principals:
            raise NotFoundError(f"{visit.title} has no guest principal (a head of "
                                "delegation or a member) to make a personal copy for.")
        folder = Path(out_dir).expanduser()
        names = personal_copy_names(principals)
        copies: builtins.list[PersonalCopy] = []
        count = len(principals)
        for index, participant in enumerate(principals):
            who = display_name(participant.person)

            def step(done: int, total: int, text: str, index: int = index,
                     who: str = who) -> None:
                if progress is not None:
                    progress(index * total + done, count * total,
                             f"{who} ({index + 1} of {count}): {text}" if text else who)

            result, record = self.publish_book(
                visit.id, "guest", folder / names[participant.person_id], paper,
                person=participant.person_id, progress=step, office_name=office_name)
            copies.append(PersonalCopy(participant.person_id, participant.ref, who, result,
                                       record))
        return tuple(copies)

    def publish_invitation_cards(self, visit_ref: int | str, event_ref: int | str,
                                 out_path: str | Path, *, paper: str = "A4",
                                 envelopes: str | Path | None = None,
                                 guests: Collection[str] = ()
                                 ) -> tuple[CardsResult, EditionRecord | None]:
        """Print an event's invitation cards (``guests``: refs or numbers of some of the
        invited only) with :meth:`BriefingService.invitation_cards` and record them.

        Numbered like place cards: per event (series ``invitation_cards/guest/e<event>``);
        one guest's card alone (a reprint) is the next edition of that guest's series
        (``invitation_cards/guest/p<person>/e<event>``).  The snapshot keeps what each
        card prints; cards of the event not printed now keep what was printed before, so
        :meth:`out_of_date` knows every card in circulation.  A database that cannot be
        written gives the cards and no edition (None; the warnings say so)."""
        result = self.briefing.invitation_cards(visit_ref, event_ref, out_path, paper=paper,
                                                envelopes=envelopes, guests=tuple(guests))
        assert result.invitations is not None  # always set by invitation_cards
        printed = printed_values(result.invitations)
        visit = self.visits.get(visit_ref)
        event_id = self._event_id(visit, event_ref)
        person = next(iter(printed)) if guests and len(printed) == 1 else None
        cards = dict(printed)
        if person is None and guests:  # some cards only: the others stay as printed
            earlier = self.list(visit.id, series=series_of(
                "invitation_cards", Audience.GUEST.value, None, event_id))
            old = self._snapshot_of(earlier[-1].id) if earlier else None
            cards = {**{int(pid): v for pid, v in (old or {}).get("cards", {}).items()},
                     **printed}
        try:
            return result, self.record(visit.id, kind="invitation_cards", person=person,
                                       event=event_id, path=result.path, paper=paper,
                                       snapshot=card_snapshot(cards, event_id))
        except DatabaseError as exc:
            note = f"The cards were not recorded as an edition: {exc}"
            return dataclasses.replace(result, warnings=(*result.warnings, note)), None

    # -- changes ------------------------------------------------------------------
    def changes(self, visit_ref: int | str, *, audience: str = "internal",
                person: int | str | None = None, since_edition: int | None = None,
                since: date | datetime | None = None) -> ChangeReport:
        """What changed for ``audience`` (a personal copy with ``person``) since its
        edition ``since_edition``, since ``since`` (a date: its start on the visit's
        clock), or since its last edition."""
        draft = self.draft(visit_ref, kind="personal_copy" if person is not None else "book",
                           audience=audience, person=person)
        editions = self.list(draft.visit_id, series=draft.series)
        if since_edition is not None:
            found = [e for e in editions if e.number == since_edition]
            if not found:
                numbers = ", ".join(str(e.number) for e in editions) or "none yet"
                raise NotFoundError(f"There is no edition {since_edition} of this copy "
                                    f"(editions: {numbers}).")
            return self._compare(found[0], draft.timezone, draft.snapshot)
        if since is None:
            return draft.report
        moment = since if isinstance(since, datetime) else datetime.combine(
            since, time(0), ZoneInfo(draft.timezone))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(draft.timezone))
        before = [e for e in editions if e.made_at <= moment and e.has_snapshot]
        if before:
            return self._compare(before[-1], draft.timezone, draft.snapshot)
        from protocol_app.services.history import HistoryService

        past = HistoryService(self.db, self.actor).visit_as_of(draft.visit_id, moment)
        old = visit_snapshot(audience_view(past, draft.audience, draft.person_id),
                             draft.audience, draft.person_id)
        label = format_datetime(moment, draft.timezone)
        return ChangeReport(tuple(diff_snapshots(old, draft.snapshot)), label)

    # -- out of date and reprints -----------------------------------------------------
    def out_of_date(self, visit_ref: int | str) -> builtins.list[StaleItem]:
        """The printed items whose last edition no longer matches the visit: books and
        personal copies whose programme changed, place cards and badges whose person's
        name, form of address or seat changed, invitation cards whose content changed."""
        visit = self.visits.get(visit_ref)
        latest = self._latest_editions(visit.id)
        names = {p.person_id: p.person.display_name for p in visit.participants}
        present = {p.person_id for p in visit.participants}
        events = {e.id: e for e in visit.events}
        stale: builtins.list[StaleItem] = []
        invitations = _InvitationsNow(self, visit, [
            (e, old) for e, old in latest
            if e.kind == "invitation_cards" and old is not None and "cards" in old])
        for edition, old in latest:
            title = self._title(edition, names, events)
            if old is None:
                continue  # nothing kept to compare with: not known to be out of date
            if edition.kind == "invitation_cards" and "cards" in old:
                found_item = invitations.stale(edition, old, title, names)
                if found_item is not None:
                    stale.append(found_item)
                continue
            if edition.kind in ("place_cards", "badges"):
                if edition.event_id not in events:
                    stale.append(StaleItem(edition, title, "The event was deleted.",
                                           reprintable=False))
                    continue
                now = self._card_values(visit.id, edition.kind, edition.event_id)
                ids = tuple(card_changes(old, now))
                if ids:
                    who = ", ".join(names.get(i, f"#{i}") for i in ids)
                    stale.append(StaleItem(edition, title, f"Changed: {who}.", person_ids=ids))
                continue
            if edition.person_id is not None and edition.person_id not in present:
                continue  # the person left the visit: their copy is not reprinted
            now_snapshot = self.current_snapshot(visit, edition.kind, edition.audience,
                                                 edition.person_id, edition.event_id)
            found = tuple(diff_snapshots(old, now_snapshot))
            if found:
                reason = "; ".join(c.text for c in found[:3]) + (
                    f" (and {len(found) - 3} more)" if len(found) > 3 else "")
                stale.append(StaleItem(edition, title, reason, changes=found,
                                       reprintable=edition.kind != "invitation_cards"))
        return stale

    @staticmethod
    def _title(edition: EditionRecord, names: dict[int, str], events: dict) -> str:
        label = KIND_LABELS[edition.kind]
        if edition.kind == "book":
            label = f"{AUDIENCE_LABELS[edition.audience].capitalize()} book"
        parts = [label]
        if edition.person_id is not None:
            parts.append(names.get(edition.person_id, f"#{edition.person_id}"))
        if edition.event_id is not None:
            event = events.get(edition.event_id)
            parts.append(event.title if event is not None else f"event #{edition.event_id}")
        return f"{' – '.join(parts)} (edition {edition.number})"

    def register_printer(self, kind: str, printer: Printer) -> None:
        """Let :meth:`reprint` print items of ``kind`` again: ``printer(visit_ref, item,
        out_dir)`` prints the stale item's people and records the edition it made (the
        service registers its own invitation-card printer)."""
        self.printers[kind] = printer

    def _reprint_invitations(self, visit_ref: int | str, item: StaleItem,
                             out_dir: Path) -> EditionRecord | None:
        """Print again the invitation cards of the people whose card changed (one guest:
        the next edition of that guest's series)."""
        edition = item.edition
        assert edition.event_id is not None  # only a set of an event is reprintable
        visit = self.visits.get(visit_ref)
        people = "-".join(f"p{pid}" for pid in item.person_ids[:3])
        out = out_dir / f"{visit.public_id}-invitation_cards-e{edition.event_id}-{people}.pdf"
        _result, record = self.publish_invitation_cards(
            visit.id, edition.event_id, out, paper=edition.paper or "A4",
            guests=tuple(str(pid) for pid in item.person_ids))
        return record

    def reprint(self, visit_ref: int | str, out_dir: str | Path, *,
                paper: str | None = None,
                series: Collection[str] | None = None) -> builtins.list[EditionRecord]:
        """Print again only what is out of date (of ``series`` when given) into
        ``out_dir``; each reprint is recorded as the next edition of its series."""
        target = Path(out_dir)
        target.mkdir(parents=True, exist_ok=True)
        visit = self.visits.get(visit_ref)
        made: builtins.list[EditionRecord] = []
        for item in self.out_of_date(visit.id):
            edition = item.edition
            if not item.reprintable or (series is not None and edition.series not in series):
                continue
            use_paper = paper or edition.paper or "A4"
            stem = f"{visit.public_id}-{edition.series.replace('/', '-')}"
            if edition.kind in ("book", "personal_copy"):
                out = target / f"{stem}-edition-{edition.number + 1}.pdf"
                _result, record = self.publish_book(visit.id, edition.audience, out, use_paper,
                                                    person=edition.person_id)
                if record is not None:
                    made.append(record)
            elif edition.kind in ("place_cards", "badges"):
                made.append(self._reprint_cards(visit, item, target / f"{stem}.pdf", use_paper))
            elif edition.kind in self.printers:
                printed = self.printers[edition.kind](
                    visit.id, dataclasses.replace(item, edition=dataclasses.replace(
                        edition, paper=use_paper)), target)
                if printed is not None:
                    made.append(printed)
        return made

    def _reprint_cards(self, visit: VisitRecord, item: StaleItem, out: Path,
                       paper: str) -> EditionRecord:
        from protocol_app.briefing.cards import write_seating_pdf
        from protocol_app.config import Settings
        from protocol_app.files import write_private
        from protocol_app.services.protocol.seating import SeatingService

        edition = item.edition
        assert edition.event_id is not None  # a card set belongs to an event
        view = SeatingService(self.db, self.actor).seating_plan(visit.id, edition.event_id)
        part = "cards" if edition.kind == "place_cards" else "badges"
        office = Settings.load().office_name
        write_private(out, lambda temp: write_seating_pdf(
            temp, view, parts=[part], paper=paper, office=office, only=set(item.person_ids)))
        return self.record(visit.id, kind=edition.kind, audience=edition.audience,
                           event=edition.event_id, path=out, paper=paper, cards=view)


class _InvitationsNow:
    """What the invitation cards of a visit's events print now, and which printed cards
    no longer match (for :meth:`EditionService.out_of_date`).  Each event is read once,
    from the visit already loaded; a card printed again later (in the event's set or
    alone) is judged by its newest print only."""

    def __init__(self, editions: EditionService, visit: VisitRecord,
                 printed: builtins.list[tuple[EditionRecord, Snapshot | None]]) -> None:
        self.editions, self.visit = editions, visit
        self.events = {e.id: e for e in visit.events}
        self.printed = [(e, set((snapshot or {}).get("cards", {}))) for e, snapshot in printed]
        self._now: dict[int, dict[int, dict[str, str]] | str] = {}

    def now(self, event_id: int) -> dict[int, dict[str, str]] | str:
        """The cards of an event as they would print now, or why none can be."""
        if event_id not in self._now:
            try:
                self._now[event_id] = printed_values(
                    self.editions.briefing.invitations_for(self.visit, event_id))
            except ProtocolError as exc:
                self._now[event_id] = str(exc)
        return self._now[event_id]

    def stale(self, edition: EditionRecord, old: Snapshot, title: str,
              names: dict[int, str]) -> StaleItem | None:
        """The stale item of one edition's cards, or None when they all still match."""
        event = self.events.get(edition.event_id) if edition.event_id is not None else None
        if event is None or event.status == "cancelled":
            return StaleItem(edition, title, "The event was "
                             f"{'deleted' if event is None else 'cancelled'}.",
                             reprintable=False)
        now = self.now(event.id)
        if isinstance(now, str):
            return StaleItem(edition, title, now, reprintable=False)
        position = next(i for i, (e, _ids) in enumerate(self.printed) if e.id == edition.id)
        later = {pid for e, ids in self.printed[position + 1:] if e.event_id == event.id
                 for pid in ids}
        if edition.person_id is not None:
            now = {pid: v for pid, v in now.items() if pid == edition.person_id}
        ids = tuple(pid for pid in card_changes(old, now) if str(pid) not in later)
        if not ids:
            return None
        who = ", ".join(names.get(i, f"#{i}") for i in ids)
        return StaleItem(edition, title, f"Changed: {who}.", person_ids=ids)


def card_values(view: SeatingPlanView, kind: str) -> dict[int, dict[str, str]]:
    """What the place cards (or badges) of a plan print, per person id: the texts and,
    for place cards, the seat."""
    from protocol_app.briefing.cards import badges_for, place_cards_for

    values: dict[int, dict[str, str]] = {}
    if kind == "place_cards":
        for card in place_cards_for(view):
            if card.person_id is not None:
                values[card.person_id] = {"name": card.name, "native": card.native,
                                          "seat": f"table {card.table}, seat {card.seat}"}
    else:
        for badge in badges_for(view):
            if badge.person_id is not None:
                values[badge.person_id] = {"name": badge.name, "native": badge.native,
                                           "organization": badge.organization,
                                           "country": badge.country}
    return values


def record_seating_print(editions: EditionService, view: SeatingPlanView,
                         parts: Iterable[str], path: str | Path,
                         paper: str) -> builtins.list[EditionRecord]:
    """Record the place cards and badges of a seating PDF just written (the chart alone
    is no edition)."""
    kinds = {"cards": "place_cards", "badges": "badges"}
    return [editions.record(view.visit_id, kind=kinds[part], event=view.event.id, path=path,
                            paper=paper, cards=view)
            for part in parts if part in kinds]


__all__ = ["KINDS", "NO_EARLIER", "ChangeReport", "EditionDraft", "EditionRecord",
           "EditionService", "StaleItem", "card_values", "edition_stamp", "file_sha256",
           "record_seating_print", "series_of"]

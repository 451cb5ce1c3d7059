"""Visits and their participants (the delegation and the hosts)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, object_session

from protocol_app.db.database import Database
from protocol_app.errors import (
    ConflictError,
    FieldProblem,
    NotFoundError,
    ProtocolError,
    ValidationError,
)
from protocol_app.packages.exporter import write_package
from protocol_app.records import fields as v
from protocol_app.records import vocab
from protocol_app.records.fields import VISIT_FIELDS, validate_visit_values
from protocol_app.records.models import (
    Event,
    EventAttendee,
    Participant,
    Person,
    PrecedenceOverrideRow,
    Visit,
)
from protocol_app.records.reviews import ReviewCondition, RiskReview
from protocol_app.rules.precedence import PrecedenceOverride, order_by_precedence
from protocol_app.services.base import (
    ServiceBase,
    check_seen,
    check_version,
    jsonable,
    refuse_unknown_fields,
    snapshot,
    to_aware_utc,
    to_naive_utc,
    write_audit,
)
from protocol_app.services.events import calendars_holding, event_record, new_uid
from protocol_app.services.gifts import gift_record
from protocol_app.services.lookup import forms_in, resolve_visit, rule_categories_in, touch
from protocol_app.services.people import person_record
from protocol_app.services.reviews import (
    ScreeningMatchLike,
    ScreeningSource,
    refuse_unreviewed,
)
from protocol_app.services.values import (
    EventRecord,
    ParticipantRecord,
    VisitRecord,
    VisitSummary,
)
from protocol_app.services.visit_list import summaries_from_rows, summary_query
from protocol_app.timeutil import shift_local_days


def slug_for(title: str, start: date) -> str:
    """A readable public id from a title and a date, e.g. ``visit-of-the-rector-2027``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())[:6]
    return "-".join([*words, str(start.year)]) if words else f"visit-{start.isoformat()}"


def _unique_public_id(session: Session, wanted: str) -> str:
    candidate, n = wanted, 2
    while session.scalar(select(Visit.id).where(Visit.public_id == candidate)) is not None:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def participant_record(p: Participant) -> ParticipantRecord:
    """The frozen value of a participant row."""
    return ParticipantRecord(person_id=p.person_id, side=p.side, role=p.role,
                             person=person_record(p.person), ref=p.ref)


def _with_protocol(visit: Visit, participants: list[ParticipantRecord],
                   ) -> tuple[ParticipantRecord, ...]:
    """The participants, each with their forms of address (the office's overrides
    applied) and their place in the order of precedence (guests, then hosts)."""
    session = object_session(visit)
    if session is None or not participants:
        return tuple(participants)
    forms = forms_in(session, (p.person for p in participants))
    categories = rule_categories_in(session)
    overrides = [PrecedenceOverride(o.person_id, o.place, o.other_person_id, o.reason)
                 for o in session.scalars(select(PrecedenceOverrideRow).where(
                     PrecedenceOverrideRow.visit_id == visit.id).order_by(
                     PrecedenceOverrideRow.id))]
    place: dict[int, int] = {}
    for side in vocab.SIDES:
        people = [p.person for p in participants if p.side == side]
        for ranked in order_by_precedence(people, categories, overrides):
            place[ranked.person.id] = len(place) + 1
    return tuple(replace(p, forms=forms[p.person_id], precedence=place.get(p.person_id, 0))
                 for p in participants)


def _with_conditions(visit: Visit, events: list[EventRecord]) -> tuple[EventRecord, ...]:
    """The events, each with the conditions the visit's risk review set on it (one query)."""
    session = object_session(visit)
    if session is None or not events:
        return tuple(events)
    texts: dict[int | None, list[str]] = {}
    for event_id, text in session.execute(
            select(ReviewCondition.event_id, ReviewCondition.text)
            .join(RiskReview, ReviewCondition.review_id == RiskReview.id)
            .where(RiskReview.visit_id == visit.id, ReviewCondition.event_id.is_not(None))
            .order_by(ReviewCondition.position, ReviewCondition.id)):
        texts.setdefault(event_id, []).append(text)
    return tuple(replace(e, review_conditions="\n".join(texts[e.id])) if e.id in texts else e
                 for e in events)


def visit_record(visit: Visit) -> VisitRecord:
    """The frozen value of a visit with its participants, events and gifts."""
    return VisitRecord(
        id=visit.id, public_id=visit.public_id, title=visit.title, purpose=visit.purpose,
        status=visit.status, timezone=visit.timezone, start_date=visit.start_date,
        end_date=visit.end_date, country=visit.country, organizer_name=visit.organizer_name,
        organizer_email=visit.organizer_email, responsible_officer=visit.responsible_officer,
        version=visit.version,
        participants=_with_protocol(visit, [participant_record(p) for p in visit.participants]),
        events=_with_conditions(visit, [event_record(e) for e in sorted(
            visit.events, key=lambda e: (e.start_utc, e.id))]),
        gifts=tuple(gift_record(g) for g in visit.gifts),
    )


def visit_values(visit: Visit) -> dict[str, Any]:
    """A visit's own fields as plain values."""
    return snapshot(visit, VISIT_FIELDS)


def create_visit_row(session: Session, actor: str, values: Mapping[str, Any],
                     *, prefix: str = "") -> Visit:
    """Validate and insert a visit (inside the caller's session)."""
    refuse_unknown_fields(values, VISIT_FIELDS, "visit")
    problems = validate_visit_values(values, creating=True, prefix=prefix)
    if problems:
        raise ValidationError(problems, subject="visit")
    data = dict(values)
    wanted = data.get("public_id") or slug_for(data["title"], data["start_date"])
    if data.get("public_id"):
        if session.scalar(select(Visit.id).where(Visit.public_id == wanted)) is not None:
            raise ConflictError(f"A visit with the id '{wanted}' already exists.")
    else:
        wanted = _unique_public_id(session, wanted)
    data["public_id"] = wanted
    data.setdefault("status", "planned")
    visit = Visit(**data)
    session.add(visit)
    session.flush()
    write_audit(session, actor, "create", "visit", visit.id, new=visit_values(visit),
                summary=f"Created visit {visit.title}")
    return visit


def _free_ref(visit: Visit, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever no participant uses yet
    (refs identify people in the visit's package)."""
    used = {p.ref for p in visit.participants}
    ref, n = wanted, 2
    while ref in used:
        ref, n = f"{wanted}-{n}", n + 1
    return ref


def _moved_days(event: Event, days: int) -> tuple[datetime, datetime]:
    """An event's stored (naive UTC) start and end moved by whole days at the same local
    wall-clock times, whatever clock change lies between (a template's 10:00 stays 10:00)."""
    start = to_aware_utc(event.start_utc)
    end = to_aware_utc(event.end_utc)
    new_start = shift_local_days(start, event.timezone, days)
    new_end = shift_local_days(end, event.timezone, days)
    if new_end <= new_start:  # only if the move lands in a skipped hour
        new_end = new_start + (end - start)
    return to_naive_utc(new_start), to_naive_utc(new_end)


def _refuse_while_in_calendars(session: Session, visit: Visit) -> None:
    held = calendars_holding(session, [e.id for e in visit.events])
    if held:
        raise ConflictError(
            f"{len(held)} event{'s' if len(held) != 1 else ''} of “{visit.title}” "
            f"{'are' if len(held) != 1 else 'is'} in people's calendars: the invitations "
            "were sent. Cancel the visit and send the cancellations (Send invites…, or "
            "`protocol-app invites VISIT --send`) before deleting it; nothing was deleted.")


def _write_kept_copy(record: VisitRecord, folder: Path) -> Path:
    """Write a visit about to be deleted as a package in ``folder``; a ProtocolError
    naming the folder if it cannot be written."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return write_package(record, folder / f"{record.public_id}-{stamp}.json")
    except (OSError, ProtocolError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProtocolError(f"Cannot keep a copy of “{record.title}” in {folder} "
                            f"({reason}); nothing was deleted.") from exc


class VisitService(ServiceBase):
    """Create, change, list, duplicate and remove visits and their participants.

    A visit becomes confirmed or completed only when its required risk review allows it
    (:func:`protocol_app.services.reviews.refuse_unreviewed`); ``screening`` is the
    screening service whose matches count among the review's reasons."""

    def __init__(self, db: Database, actor: str,
                 screening: ScreeningSource | None = None) -> None:
        super().__init__(db, actor)
        self.screening = screening

    def _screened(self, visit_ref: int | str, status: Any) -> Sequence[ScreeningMatchLike]:
        """The screening matches of a visit about to take a reviewed status (asked
        before the write's transaction opens); none otherwise."""
        if self.screening is None or not isinstance(status, str) \
                or status not in vocab.REVIEWED_STATUSES:
            return ()  # (a status of another type is refused by the write itself)
        return self.screening.screen_visit(visit_ref)

    def list(self, text: str = "", *, status: str | None = None, date_from: date | None = None,
             date_to: date | None = None) -> list[VisitSummary]:
        """Visits whose title, id or country contain ``text`` (case-insensitive), in a status,
        overlapping a date range; soonest first.

        One query, the same SQL the desktop app reads at start-up without SQLAlchemy
        (:mod:`protocol_app.services.visit_list`)."""
        sql, params = summary_query(text, status=status, date_from=date_from, date_to=date_to)
        stmt = sql_text(sql)
        dates = {name: value for name, value in (("date_from", date_from), ("date_to", date_to))
                 if name in params}
        if dates:  # typed, so that databases with a real DATE type get dates, not strings
            stmt = stmt.bindparams(*(bindparam(name, type_=Date) for name in dates))
            params.update(dates)
        with self.db.read_session() as session:
            return summaries_from_rows(session.execute(stmt, params).all())

    def get(self, ref: int | str) -> VisitRecord:
        """A visit with everything it holds, by public id or number."""
        with self.db.read_session() as session:
            return visit_record(resolve_visit(session, ref))

    def resolve(self, ref: int | str) -> int:
        """The number of the visit with this public id or number."""
        with self.db.read_session() as session:
            return resolve_visit(session, ref).id

    def create(self, **values: Any) -> VisitRecord:
        """Add a visit; ``public_id`` is made from the title when not given."""
        with self.db.session() as session:
            visit = create_visit_row(session, self.actor, values)
            refuse_unreviewed(session, visit, visit.status, ())
            return visit_record(visit)

    def update(self, visit_id: int, expected_version: int | None,
               seen: Mapping[str, Any] | None = None, **changes: Any) -> VisitRecord:
        """Change a visit's own fields (status moves only along allowed transitions)."""
        refuse_unknown_fields(changes, VISIT_FIELDS, "visit")
        matches = self._screened(visit_id, changes.get("status"))
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            check_version("visit", visit.id, visit.version, expected_version,
                          visit_values(visit), seen)
            self._change_fields(session, visit, changes, matches)
            return visit_record(visit)

    def guarded_update(self, visit_id: int, expected_version: int | None,
                       seen: Mapping[str, Any], **changes: Any) -> VisitRecord:
        """Change a visit's fields if those the caller based the change on are still stored.

        Every field in ``seen`` (values as the records give them) must still hold what the
        caller saw; then the write is made even at a later version than
        ``expected_version``: only other parts of the visit changed meanwhile (an event was
        added), so nothing of anyone's is overwritten.  Otherwise :class:`StaleWriteError`
        names the fields that changed (as the audit trail writes them: dates as ISO text).
        With nothing ``seen``, the version alone decides.  A status goes along the shortest
        path of allowed transitions (undoing "cancelled" back to "confirmed" passes
        "planned"), each step recorded as by :meth:`update`; all in one transaction."""
        refuse_unknown_fields(changes, VISIT_FIELDS, "visit")
        matches = self._screened(visit_id, changes.get("status"))
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            check_seen("visit", visit.id, visit.version, expected_version, visit_values(visit),
                       {name: jsonable(value) for name, value in seen.items()})
            fields = {k: value for k, value in changes.items() if k != "status"}
            steps: tuple[str, ...] = ()
            if "status" in changes:
                steps = (vocab.visit_status_path(visit.status, changes["status"])
                         or (changes["status"],))  # unreachable: the check says why
            if steps:
                fields["status"] = steps[0]
            if fields:
                self._change_fields(session, visit, fields, matches)
            for status in steps[1:]:
                self._change_fields(session, visit, {"status": status}, matches)
            return visit_record(visit)

    def _change_fields(self, session: Session, visit: Visit, changes: Mapping[str, Any],
                       matches: Sequence[ScreeningMatchLike] = ()) -> None:
        """Validate and write changes of a visit's own fields, with their audit entry
        (a new status must pass the risk review's gate; ``matches``: the screening's)."""
        old = visit_values(visit)
        problems = validate_visit_values(
            {"start_date": changes.get("start_date", visit.start_date),
             "end_date": changes.get("end_date", visit.end_date)} | dict(changes),
            creating=False)
        if "status" in changes and changes["status"] != visit.status:
            msg = v.visit_status_change_problem(visit.status, changes["status"])
            if msg:
                problems.append(FieldProblem("status", msg))
        if ("public_id" in changes and isinstance(changes["public_id"], str)
                and changes["public_id"] != visit.public_id):
            taken = session.scalar(select(Visit.id).where(
                Visit.public_id == changes["public_id"]))
            if taken is not None:
                problems.append(FieldProblem("public_id", "is already used by another visit"))
        if problems:
            raise ValidationError(problems, subject="visit")
        if "status" in changes and changes["status"] != visit.status:
            refuse_unreviewed(session, visit, changes["status"], matches)
        for name, value in changes.items():
            setattr(visit, name, value)
        session.flush()
        new = visit_values(visit)
        if new != old:
            write_audit(session, self.actor, "update", "visit", visit.id, old=old, new=new,
                        summary=f"Changed visit {visit.title}")

    def cancel(self, visit_id: int, expected_version: int | None) -> VisitRecord:
        """Mark a visit cancelled (its record and itinerary are kept)."""
        return self.update(visit_id, expected_version, status="cancelled")

    def check_deletable(self, visit_id: int) -> None:
        """Raise ConflictError if the visit cannot be deleted now: some of its events are
        still in people's calendars (their invitations were sent and not cancelled)."""
        with self.db.read_session() as session:
            _refuse_while_in_calendars(session, resolve_visit(session, visit_id))

    def delete(self, visit_ref: int | str, expected_version: int | None = None, *,
               keep_copy: Path | None = None) -> Path | None:
        """Remove a visit with its itinerary, participants and gifts (refused while any
        of its events is in someone's calendar: see :meth:`check_deletable`).

        With ``keep_copy`` (a folder, created owner-only if missing) the visit is first
        written there as a package, ``<public id>-<UTC time>.json``, and its path is
        returned: importing it brings the visit back.  If the copy cannot be written,
        nothing is deleted; if the deletion fails, the copy is removed again."""
        kept: Path | None = None
        try:
            with self.db.session() as session:
                visit = resolve_visit(session, visit_ref)
                check_version("visit", visit.id, visit.version, expected_version)
                _refuse_while_in_calendars(session, visit)
                if keep_copy is not None:
                    kept = _write_kept_copy(visit_record(visit), Path(keep_copy))
                old = visit_values(visit)
                old["events"] = len(visit.events)
                old["participants"] = len(visit.participants)
                session.delete(visit)
                write_audit(session, self.actor, "delete", "visit", visit.id, old=old,
                            summary=f"Deleted visit {old['title']}")
        except BaseException:
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        return kept

    def duplicate(self, visit_id: int, start_date: date, *, title: str | None = None,
                  public_id: str | None = None) -> VisitRecord:
        """A new visit made from this one as a template: same people and itinerary moved to
        ``start_date``, status "proposed", new calendar ids (invites start afresh)."""
        with self.db.session() as session:
            source = resolve_visit(session, visit_id)
            shift = start_date - source.start_date
            values: dict[str, Any] = {
                name: getattr(source, name) for name in VISIT_FIELDS if name != "public_id"
            }
            values.update(title=title or source.title, status="proposed",
                          start_date=start_date, end_date=source.end_date + shift)
            if public_id:
                values["public_id"] = public_id
            copy = create_visit_row(session, self.actor, values)
            for p in source.participants:
                copy.participants.append(Participant(person_id=p.person_id, side=p.side,
                                                     role=p.role, ref=p.ref))
            for e in source.events:
                start, end = _moved_days(e, shift.days)
                clone = Event(
                    ref=e.ref, uid=new_uid(), sequence=0, title=e.title, kind=e.kind,
                    start_utc=start, end_utc=end,
                    timezone=e.timezone, status="tentative" if e.status == "cancelled"
                    else e.status, venue_id=e.venue_id, room=e.room,
                    host_person_id=e.host_person_id, dress_code=e.dress_code, notes=e.notes,
                    internal_notes=e.internal_notes, visibility=e.visibility,
                    invitations=e.invitations,
                    attendees=[EventAttendee(person_id=a.person_id, position=a.position)
                               for a in e.attendees],
                )
                copy.events.append(clone)
            session.flush()
            write_audit(session, self.actor, "create", "visit", copy.id,
                        new={"duplicated_from": source.public_id, "start_date": str(start_date)},
                        summary=f"Duplicated {source.title} to {start_date.isoformat()}")
            return visit_record(copy)

    # -- participants ------------------------------------------------------------
    def add_participant(self, visit_id: int, person_id: int, side: str, role: str,
                        expected_version: int | None = None) -> VisitRecord:
        """Add a person to the visit on a side, in a role."""
        problems = [FieldProblem(name, msg) for name, msg in (
            ("side", v.choice_problem(side, vocab.SIDES)),
            ("role", v.choice_problem(role, vocab.ROLES))) if msg]
        if problems:
            raise ValidationError(problems, subject="participant")
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            check_version("visit", visit.id, visit.version, expected_version)
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(f"There is no person #{person_id}.")
            if any(p.person_id == person_id for p in visit.participants):
                raise ConflictError(
                    f"{person_record(person).display_name} already takes part in this visit.")
            visit.participants.append(Participant(person_id=person_id, side=side, role=role,
                                                  ref=_free_ref(visit, f"p{person_id}")))
            touch(visit)
            session.flush()
            write_audit(session, self.actor, "update", "visit", visit.id,
                        old={}, new={"participant": person_record(person).display_name,
                                     "side": side, "role": role},
                        summary=f"Added {person_record(person).display_name} as {side} {role}")
            return visit_record(visit)

    def update_participant(self, visit_id: int, person_id: int, *, side: str, role: str,
                           expected_version: int | None = None,
                           seen: Mapping[str, Any] | None = None) -> VisitRecord:
        """Change a participant's side or role.

        With ``seen`` (the ``side`` and ``role`` the caller last saw), the write is refused
        when this participant's side or role is no longer that, and made otherwise, even on
        a visit changed since ``expected_version`` (see :func:`base.check_seen`)."""
        problems = [FieldProblem(name, msg) for name, msg in (
            ("side", v.choice_problem(side, vocab.SIDES)),
            ("role", v.choice_problem(role, vocab.ROLES))) if msg]
        if problems:
            raise ValidationError(problems, subject="participant")
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            participant = self._participant(visit, person_id)
            old = {"side": participant.side, "role": participant.role}
            if seen is None:
                check_version("visit", visit.id, visit.version, expected_version)
            else:
                check_seen("visit", visit.id, visit.version, expected_version, old, seen)
            participant.side, participant.role = side, role
            touch(visit)
            session.flush()
            write_audit(session, self.actor, "update", "participant", participant.id, old=old,
                        new={"side": side, "role": role},
                        summary=f"Changed {person_record(participant.person).display_name}")
            return visit_record(visit)

    def remove_participant(self, visit_id: int, person_id: int,
                           expected_version: int | None = None) -> VisitRecord:
        """Take a person off the visit, and off every event of it they attended."""
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            check_version("visit", visit.id, visit.version, expected_version)
            participant = self._participant(visit, person_id)
            name = person_record(participant.person).display_name
            for event in visit.events:
                event.attendees = [a for a in event.attendees if a.person_id != person_id]
                if event.host_person_id == person_id:
                    event.host_person_id = None
            for gift in visit.gifts:
                if person_id in (gift.giver_person_id, gift.recipient_person_id):
                    raise ConflictError(f"{name} gave or received a gift on this visit; "
                                        "change the gift first. Nothing was removed.")
            visit.participants.remove(participant)
            touch(visit)
            session.flush()
            write_audit(session, self.actor, "update", "visit", visit.id,
                        old={"participant": name}, new={},
                        summary=f"Removed {name} from the visit")
            return visit_record(visit)

    @staticmethod
    def _participant(visit: Visit, person_id: int) -> Participant:
        for p in visit.participants:
            if p.person_id == person_id:
                return p
        raise NotFoundError(f"Person #{person_id} does not take part in {visit.title}.")



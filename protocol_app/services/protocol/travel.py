"""Venues, the office's travel times between them, and the clash checks of a visit
(which use those travel times and the stored seating plans)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from protocol_app.db.database import Database
from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.records.models import SeatingPlanRow, TravelTime, Venue
from protocol_app.rules import conflicts as conflict_rules
from protocol_app.rules import visibility_checks
from protocol_app.rules.address_notes import address_note_conflicts, misnamed_in_notes
from protocol_app.rules.gift_policy import gift_findings
from protocol_app.rules.names import display_name
from protocol_app.services.base import ServiceBase, write_audit
from protocol_app.services.gifts import gift_policy
from protocol_app.services.protocol.address import forms_in
from protocol_app.services.protocol.values import TravelTimeRecord, VenueRecord
from protocol_app.services.values import VisitRecord
from protocol_app.services.visits import resolve_visit, visit_record

#: The code of the finding that a person's printed form contradicts their protocol notes.
ADDRESS_FORM_CONTRADICTS_NOTES = "address_form_contradicts_notes"
#: The code of the finding that an event's notes call a person by the wrong name.
EVENT_NOTES_MISNAME = "event_notes_misname"


def address_findings(session: Session, record: VisitRecord) -> list[conflict_rules.Finding]:
    """One warning per form of address quoted in a participant's protocol notes that the
    printed forms (the office's overrides applied) contradict, naming the person."""
    people = [p.person for p in record.participants if p.person.protocol_notes.strip()]
    forms = forms_in(session, people)
    return [
        conflict_rules.Finding(
            "warning", ADDRESS_FORM_CONTRADICTS_NOTES,
            f"{display_name(person)}: {conflict.message}; change the form of address or "
            "the notes", person_ids=(person.id,))
        for person in people
        for conflict in address_note_conflicts(person.protocol_notes, forms[person.id])
    ]


def event_note_findings(record: VisitRecord) -> list[conflict_rules.Finding]:
    """One warning per person an active event's notes (which print in the books) call by
    an honorific and their family name where their custom uses another name."""
    people = [p.person for p in record.participants]
    return [
        conflict_rules.Finding(
            "warning", EVENT_NOTES_MISNAME,
            f"The notes of “{event.title}” call {display_name(wrong.person)} "
            f"“{wrong.written}”; by the name used with a title that is “{wrong.right}”",
            event_refs=(event.ref,), person_ids=(getattr(wrong.person, "id", 0),),
            at=event.start_utc)
        for event in record.events if event.status != "cancelled" and event.notes
        for wrong in misnamed_in_notes(event.notes, people)
    ]


def _venue_record(row: Venue) -> VenueRecord:
    return VenueRecord(row.id, row.name, row.address, row.controlled_technology)


class TravelService(ServiceBase):
    """Venues, travel times between them, and the clash checks of visits."""

    def __init__(self, db: Database, actor: str,
                 default_travel_minutes: int | None = None) -> None:
        """``default_travel_minutes``: fixed default (tests); None reads the settings."""
        super().__init__(db, actor)
        self._default_travel_minutes = default_travel_minutes

    @property
    def default_travel_minutes(self) -> int:
        """Minutes assumed between two venues with no travel time on record (the
        office's setting ``default_travel_minutes``)."""
        if self._default_travel_minutes is not None:
            return self._default_travel_minutes
        from protocol_app.config import Settings

        return Settings.load().default_travel_minutes

    def venues(self) -> list[VenueRecord]:
        """Every venue on record, by name."""
        with self.db.read_session() as session:
            return [_venue_record(r) for r in session.scalars(
                select(Venue).order_by(Venue.name, Venue.address, Venue.id))]

    def travel_times(self) -> list[TravelTimeRecord]:
        """Every travel time on record."""
        with self.db.read_session() as session:
            venues = {r.id: _venue_record(r) for r in session.scalars(select(Venue))}
            return [
                TravelTimeRecord(venues[r.venue_a_id], venues[r.venue_b_id], r.minutes)
                for r in session.scalars(select(TravelTime).order_by(TravelTime.id))
            ]

    def travel_time(self, venue_a: int | str, venue_b: int | str) -> int:
        """Minutes between two venues (either way): the stored time, else the default,
        0 within one venue."""
        with self.db.read_session() as session:
            a, b = self._venue(session, venue_a), self._venue(session, venue_b)
            if a.id == b.id:
                return 0
            row = self._travel_row(session, a.id, b.id)
            return row.minutes if row is not None else self.default_travel_minutes

    def set_travel_time(self, venue_a: int | str, venue_b: int | str,
                        minutes: int | None) -> TravelTimeRecord | None:
        """Store the minutes between two venues (by id or name), either way; ``None``
        removes the entry so the default applies again."""
        if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool)
                                    or not 0 <= minutes <= 24 * 60):
            raise ValidationError([FieldProblem(
                "minutes", "must be a whole number of minutes from 0 to 1440")],
                subject="travel time")
        with self.db.session() as session:
            a, b = self._venue(session, venue_a), self._venue(session, venue_b)
            if a.id == b.id:
                raise ValidationError([FieldProblem(
                    "venue_b", f"is the same venue as venue_a ({a.name})")],
                    subject="travel time")
            row = self._travel_row(session, a.id, b.id)
            old = {"minutes": row.minutes} if row is not None else {}
            pair = f"{a.name} ↔ {b.name}"
            if minutes is None:
                if row is not None:
                    session.delete(row)
                    write_audit(session, self.actor, "delete", "travel_time", row.id, old=old,
                                summary=f"Removed the travel time {pair}")
                return None
            lo, hi = sorted((a.id, b.id))
            if row is None:
                row = TravelTime(venue_a_id=lo, venue_b_id=hi, minutes=minutes)
                session.add(row)
            else:
                row.minutes = minutes
            session.flush()
            if old.get("minutes") != minutes:
                write_audit(session, self.actor, "update" if old else "create", "travel_time",
                            row.id, old=old, new={"venue_a": a.name, "venue_b": b.name,
                                                  "minutes": minutes},
                            summary=f"Travel time {pair}: {minutes} min")
            return TravelTimeRecord(_venue_record(a), _venue_record(b), minutes)

    @staticmethod
    def _travel_row(session: Session, a: int, b: int) -> TravelTime | None:
        lo, hi = sorted((a, b))
        return session.scalar(select(TravelTime).where(
            TravelTime.venue_a_id == lo, TravelTime.venue_b_id == hi))

    @staticmethod
    def _venue(session: Session, ref: int | str) -> Venue:
        if isinstance(ref, int):
            found = session.get(Venue, ref)
            if found is None:
                raise NotFoundError(f"There is no venue #{ref}.")
            return found
        matches = session.scalars(select(Venue).where(
            func.lower(Venue.name) == " ".join(ref.split()).lower())).all()
        if not matches:
            raise NotFoundError(f"There is no venue named '{ref}'.")
        if len(matches) > 1:
            raise ConflictError(f"{len(matches)} venues are named '{ref}'; give the venue's "
                                "number instead.")
        return matches[0]

    # -- clash checks ---------------------------------------------------------------------

    def check(self, visit: int | str) -> list[conflict_rules.Finding]:
        """Every clash finding of a visit, using the office's travel times and the stored
        seating plans (see :func:`protocol_app.rules.conflicts.check_visit`), every
        form of address that contradicts a participant's protocol notes, and the
        notes written for hosts in events open to guests
        (:mod:`protocol_app.rules.visibility_checks`), and the received gifts the gifts
        policy says must be declared (:mod:`protocol_app.rules.gift_policy`)."""
        default = self.default_travel_minutes
        with self.db.read_session() as session:
            row = resolve_visit(session, visit)
            record = visit_record(row)
            venue_ids = {e.venue_id for e in row.events if e.venue_id is not None}
            travel: dict[tuple[str, str], int] = {}
            if venue_ids:
                names = {r.id: r.name for r in session.scalars(
                    select(Venue).where(Venue.id.in_(venue_ids)))}
                for t in session.scalars(select(TravelTime).where(
                        TravelTime.venue_a_id.in_(venue_ids),
                        TravelTime.venue_b_id.in_(venue_ids))):
                    travel[(names[t.venue_a_id], names[t.venue_b_id])] = t.minutes
            seating: dict[int, set[int]] = {}
            event_ids = [e.id for e in row.events]
            if event_ids:
                for plan in session.scalars(select(SeatingPlanRow).where(
                        SeatingPlanRow.event_id.in_(event_ids))):
                    seating[plan.event_id] = {s.person_id for s in plan.seats}
            addresses = address_findings(session, record)
        names = {p.person_id: display_name(p.person) for p in record.participants}
        return conflict_rules.sort_findings([
            *conflict_rules.check_visit(record, travel, default, seating), *addresses,
            *event_note_findings(record),
            *visibility_checks.check_visibility(record),
            *gift_findings(record.gifts, gift_policy(), names)])


__all__ = ["ADDRESS_FORM_CONTRADICTS_NOTES", "EVENT_NOTES_MISNAME", "TravelService",
           "address_findings", "event_note_findings"]

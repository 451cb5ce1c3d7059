"""Importing a visit package: all or nothing, in one transaction.

A package whose ``visit.id`` is already stored updates that visit in place: people and
events are matched by ``ref``, new ones added, changed ones changed (events' calendar
SEQUENCE raised where it matters), missing events cancelled (so their invites can be
withdrawn) and missing people taken off the visit.  The :class:`ImportReport` says
what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from protocol_app.db.database import Database
from protocol_app.errors import FieldProblem, PackageError, ProtocolError, ValidationError
from protocol_app.files import FileTooLarge, read_bounded
from protocol_app.packages.reader import Package, read_package
from protocol_app.records import fields as v
from protocol_app.records import vocab
from protocol_app.records.fields import (
    VISIT_FIELDS,
    validate_person_values,
    validate_visit_values,
)
from protocol_app.records.models import Gift, Participant, Person, Venue, Visit
from protocol_app.services.base import write_audit
from protocol_app.services.bulk import insert_rows, table_row
from protocol_app.services.events import VenueCache, create_event_rows, update_event_row
from protocol_app.services.gifts import create_gift_row
from protocol_app.services.lookup import touch
from protocol_app.services.people import (
    PeopleMatcher,
    apply_person_values,
    create_person_rows,
    person_record,
    person_values,
    with_table_rank,
)
from protocol_app.services.reviews import (
    ScreeningMatchLike,
    ScreeningSource,
    gate_message,
    review_in_session,
)
from protocol_app.services.visits import create_visit_row, visit_values

MAX_PACKAGE_BYTES = 50 * 1024 * 1024


@dataclass
class ImportReport:
    """What an import did."""

    visit_id: int
    public_id: str
    title: str
    created: bool
    people_added: list[str] = field(default_factory=list)
    people_changed: list[str] = field(default_factory=list)
    people_removed: list[str] = field(default_factory=list)
    events_added: list[str] = field(default_factory=list)
    events_changed: list[str] = field(default_factory=list)
    events_cancelled: list[str] = field(default_factory=list)
    gifts_replaced: bool = False
    visit_changed: bool = False
    visit_changes: list[str] = field(default_factory=list)  # "title: old → new"
    #: Why the package's status (confirmed, completed) was not taken: the risk review
    status_held: str = ""
    #: The visit's risk review was decided, and this import re-opened it
    review_reopened: str = ""

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.visit_changed or self.gifts_replaced or any((
            self.people_added, self.people_changed, self.people_removed, self.events_added,
            self.events_changed, self.events_cancelled)))

    def lines(self) -> list[str]:
        """The report as short lines for a person to read."""
        verb = "Imported new visit" if self.created else "Updated visit"
        out = [f"{verb} {self.public_id}: {self.title}"]
        if self.visit_changes:
            out.append(f"  visit changed: {'; '.join(self.visit_changes)}")
        for label, items in (("people added", self.people_added),
                             ("people changed", self.people_changed),
                             ("people taken off the visit", self.people_removed),
                             ("events added", self.events_added),
                             ("events changed", self.events_changed),
                             ("events cancelled", self.events_cancelled)):
            if items:
                out.append(f"  {len(items)} {label}: {', '.join(items)}")
        if self.gifts_replaced:
            out.append("  gifts updated")
        if self.status_held:
            out.append(f"  status kept at planned: {self.status_held}")
        if self.review_reopened:
            out.append(f"  risk review re-opened: {self.review_reopened}")
        if not self.created and not self.changed_anything:
            out.append("  nothing changed")
        return out


def import_file(db: Database, actor: str, path: Path, *,
                screening: ScreeningSource | None = None) -> ImportReport:
    """Import the package in ``path``; see :func:`import_bytes`."""
    path = Path(path)
    try:
        data = read_bounded(path, MAX_PACKAGE_BYTES)  # any file: regular, pipe, device
    except FileTooLarge as exc:
        raise PackageError([FieldProblem("", f"{path} is too large ({exc.size_text}) to be "
                                             "a visit package.")]) from None
    except OSError as exc:
        raise ProtocolError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return import_bytes(db, actor, data, source=str(path), screening=screening)


def import_bytes(db: Database, actor: str, data: bytes, source: str = "the package", *,
                 screening: ScreeningSource | None = None) -> ImportReport:
    """Check and import a package in one transaction; nothing is stored on any error.

    A package status of confirmed or completed is taken only when the visit's risk
    review allows it once everything else is imported (the people the package adds are
    screened too, in the import's transaction); otherwise the visit is stored as planned
    and the report says why."""
    package = read_package(data, source)
    try:
        with db.session() as session:
            return _import(session, actor, package, screening)
    except PackageError:
        raise
    except ValidationError as exc:
        raise PackageError(exc.problems, subject=source) from None


def _import(session: Session, actor: str, package: Package,
            screening: ScreeningSource | None = None) -> ImportReport:
    public_id = package.visit.get("public_id")
    visit = (session.scalar(select(Visit).where(Visit.public_id == public_id))
             if public_id else None)
    created = visit is None
    wanted_status = package.visit.get("status")
    held = wanted_status if wanted_status in vocab.REVIEWED_STATUSES else None
    if visit is None:
        visit_values_in = dict(package.visit)
        if held:  # taken at the end, if the risk review allows it
            visit_values_in["status"] = "planned"
        visit = create_visit_row(session, actor, visit_values_in, prefix="visit.")
        report = ImportReport(visit.id, visit.public_id, visit.title, created=True)
    else:
        report = ImportReport(visit.id, visit.public_id, visit.title, created=False)
        held = held if held and held != visit.status else None
        _update_visit(session, actor, visit, package.visit, report, hold_status=bool(held))

    # people: reuse by ref within this visit, then by e-mail or name and organization
    by_ref = {p.ref: p.person for p in visit.participants if p.ref}
    matcher = PeopleMatcher(session, (item.values for item in package.people
                                      if item.ref not in by_ref))
    people: dict[str, int] = {}  # package ref -> person id
    names: dict[int, str] = {}  # person id -> the name the report shows
    first_index: dict[int, int] = {}  # stored person id -> the package person it was found for
    new_people: list[tuple[dict[str, Any], str]] = []
    new_refs: list[str] = []
    duplicates: list[FieldProblem] = []
    for i, item in enumerate(package.people):
        existing = by_ref.get(item.ref) or matcher.find(item.values)
        if isinstance(existing, Person) and existing.id in first_index:
            existing = first_index[existing.id]
        if isinstance(existing, int):  # a person of this package, found again
            duplicates.append(FieldProblem(
                f"people[{i}]", f"is the same person as people[{existing}] "
                "(same e-mail, or same name and organization); list each person once"))
            continue
        if existing is None:
            matcher.learn(i, item.values)
            new_people.append((item.values, f"people[{i}]."))
            new_refs.append(item.ref)
            continue
        first_index[existing.id] = i
        old = person_values(existing)
        values = with_table_rank(session, item.values, prefix=f"people[{i}].")
        wanted = {k: val for k, val in values.items() if old.get(k) != val}
        if wanted:
            problems = validate_person_values(wanted, creating=False, prefix=f"people[{i}].")
            if problems:
                raise ValidationError(problems)
            apply_person_values(session, existing, wanted)
            matcher.learn(existing)
            write_audit(session, actor, "update", "person", existing.id, old=old,
                        new=person_values(existing),
                        summary=f"Updated from package {visit.public_id}")
            report.people_changed.append(person_record(existing).display_name)
        people[item.ref] = existing.id
        names[existing.id] = person_record(existing).display_name
    if duplicates:
        raise ValidationError(duplicates)
    for ref, record in zip(new_refs, create_person_rows(session, actor, new_people),
                           strict=True):
        people[ref] = record.id
        names[record.id] = record.display_name
        report.people_added.append(record.display_name)

    _calendar_managers(session, actor, package, people, names, report)

    # the delegation
    current = {p.person_id: p for p in visit.participants}
    wanted_ids: set[int] = set()
    joining: list[dict[str, Any]] = []
    added, changed = set(report.people_added), set(report.people_changed)
    for ref, side, role in package.delegation:
        person_id = people[ref]
        wanted_ids.add(person_id)
        part = current.get(person_id)
        if part is None:
            joining.append({"visit_id": visit.id, "person_id": person_id, "side": side,
                            "role": role, "ref": ref})
            name = names[person_id]
            if not created and name not in added:
                report.people_added.append(name)  # added to the visit (the record may exist)
                added.add(name)
        elif (part.side, part.role, part.ref) != (side, role, ref):
            part.side, part.role, part.ref = side, role, ref
            name = names[person_id]
            if name not in changed:
                report.people_changed.append(name)
                changed.add(name)
    table = Participant.__table__
    insert_rows(session, table, [table_row(table, row) for row in joining])
    if joining:
        session.expire(visit, ["participants"])  # read again, with the new rows, when used
    session.flush()

    # events: the changed ones updated, the new ones inserted together (by batches)
    existing_events = {e.ref: e for e in visit.events}
    seen_refs: set[str] = set()
    venues: VenueCache = {}
    new_events: list[tuple[dict[str, Any], str]] = []
    for i, incoming in enumerate(package.events):
        seen_refs.add(incoming.ref)
        values = dict(incoming.values)
        values["attendee_ids"] = tuple(people[r] for r in incoming.attendee_refs)
        values["host_person_id"] = people[incoming.host_ref] if incoming.host_ref else None
        values.setdefault("venue_name", "")
        values.setdefault("venue_address", "")
        values.setdefault("venue_room", "")
        event = existing_events.get(incoming.ref)
        if event is None:
            values["ref"] = incoming.ref
            new_events.append((values, f"events[{i}]."))
        elif update_event_row(session, actor, event, values, prefix=f"events[{i}].",
                              venues=venues):
            report.events_changed.append(f"{incoming.ref} ({event.title})")
    create_event_rows(session, actor, visit, new_events,
                      participants={*current, *wanted_ids})
    if not created:
        report.events_added += [f"{values['ref']} ({values['title']})"
                                for values, _prefix in new_events]
    _venue_flags(session, actor, package)
    for ref, event in existing_events.items():
        if ref not in seen_refs and event.status != "cancelled":
            update_event_row(session, actor, event, {"status": "cancelled"}, venues=venues)
            report.events_cancelled.append(f"{ref} ({event.title})")
    session.flush()

    # participants no longer in the package (after events, so no event still needs them)
    for person_id, part in current.items():
        if person_id not in wanted_ids:
            still_used = any(
                person_id in {a.person_id for a in e.attendees} or e.host_person_id == person_id
                for e in visit.events if e.status != "cancelled")
            if not still_used:
                for e in visit.events:
                    e.attendees = [a for a in e.attendees if a.person_id != person_id]
                    if e.host_person_id == person_id:
                        e.host_person_id = None
                visit.participants.remove(part)
                report.people_removed.append(person_record(part.person).display_name)

    # gifts: replaced as a whole when they differ
    wanted_gifts = [(g.values, people[g.giver_ref] if g.giver_ref else None,
                     people[g.recipient_ref] if g.recipient_ref else None)
                    for g in package.gifts]
    if _gift_keys(visit.gifts) != [_gift_key(vals, giver, rec) for vals, giver, rec
                                   in wanted_gifts]:
        if not created or visit.gifts:
            report.gifts_replaced = True
        for gift in list(visit.gifts):
            visit.gifts.remove(gift)
            session.delete(gift)
        session.flush()
        for i, (vals, giver, rec) in enumerate(wanted_gifts):
            create_gift_row(session, actor, visit, {**vals, "giver_person_id": giver,
                                                    "recipient_person_id": rec},
                            prefix=f"gifts[{i}].")
        if created:
            report.gifts_replaced = False
    matches = screening.screen_in_session(session, visit.id) if screening else ()
    _review_status(session, actor, visit, held, matches, report)
    if not created and report.changed_anything:
        touch(visit)
    session.flush()
    report.title = visit.title
    write_audit(session, actor, "import", "visit", visit.id,
                new={"package": visit.public_id, "report": report.lines()},
                summary=report.lines()[0])
    return report


def _calendar_managers(session: Session, actor: str, package: Package, people: dict[str, int],
                       names: dict[int, str], report: ImportReport) -> None:
    """Set the calendar managers the package names (``null``: none; left out: kept)."""
    wanted = {people[p.ref]: (people[p.manager_ref] if p.manager_ref else None)
              for p in package.people if p.manager_ref is not None}
    if not wanted:
        return
    rows = session.scalars(select(Person).where(Person.id.in_(list(wanted)))).all()
    for row in rows:
        new = wanted[row.id]
        if row.calendar_manager_id == new:
            continue
        old = row.calendar_manager_id
        row.calendar_manager_id = new
        write_audit(session, actor, "update", "person", row.id,
                    old={"calendar_manager_id": old}, new={"calendar_manager_id": new},
                    summary="Calendar manager " + ("set from the package" if new is not None
                                                   else "removed by the package"))
        name = names[row.id]
        if name not in report.people_changed and name not in report.people_added:
            report.people_changed.append(name)


def _gift_key(values: dict[str, Any], giver: int | None, recipient: int | None) -> tuple:
    return (values["direction"], giver, recipient, values["description"], values.get("value"),
            values.get("currency") or "", values.get("date"))


def _gift_keys(gifts: list[Gift]) -> list[tuple]:
    return [(g.direction, g.giver_person_id, g.recipient_person_id, g.description, g.value,
             g.currency or "", g.date) for g in gifts]


def _venue_flags(session: Session, actor: str, package: Package) -> None:
    """Mark the venues the package says hold controlled technology (or not); one query
    for all of them.  A venue the package says nothing about keeps its flag."""
    wanted = {(e.values.get("venue_name", ""), e.values.get("venue_address", "")):
              e.venue_controlled for e in package.events if e.venue_controlled is not None}
    if not wanted:
        return
    session.flush()
    names = {name for name, _address in wanted}
    for venue in session.scalars(select(Venue).where(Venue.name.in_(names))):
        flag = wanted.get((venue.name, venue.address))
        if flag is not None and venue.controlled_technology != flag:
            write_audit(session, actor, "update", "venue", venue.id,
                        old={"controlled_technology": venue.controlled_technology},
                        new={"controlled_technology": flag},
                        summary=f"{venue.name}: controlled technology from the package")
            venue.controlled_technology = flag


def _review_status(session: Session, actor: str, visit: Visit, wanted: str | None,
                   matches: Sequence[ScreeningMatchLike], report: ImportReport) -> None:
    """Give the visit the package's held-back status if its risk review allows it, else
    say why in the report; say too when the import re-opened a decided review."""
    review = review_in_session(session, visit, matches)
    if review.reopened:
        report.review_reopened = "; ".join(
            f.reason for f in review.findings if f.key in review.new_findings)
    if wanted is None:
        return
    message = gate_message(review, wanted)
    if message:
        report.status_held = message
        return
    old = visit_values(visit)
    visit.status = wanted
    session.flush()
    write_audit(session, actor, "update", "visit", visit.id, old=old, new=visit_values(visit),
                summary=f"Updated from package {visit.public_id}")
    if not report.created:
        report.visit_changed = True
        report.visit_changes.append(f"status: {old['status']} → {wanted}")


def _update_visit(session: Session, actor: str, visit: Visit, values: dict[str, Any],
                  report: ImportReport, *, hold_status: bool = False) -> None:
    """Write the package's visit fields (with ``hold_status``, all but the status: it
    waits for :func:`_review_status`)."""
    old = visit_values(visit)
    changes = {k: val for k, val in values.items() if k in VISIT_FIELDS and old.get(k) != (
        val.isoformat() if hasattr(val, "isoformat") else val)}
    if not changes:
        return
    problems = validate_visit_values(changes, creating=False, prefix="visit.")
    if "status" in changes:
        msg = v.visit_status_change_problem(visit.status, changes["status"])
        if msg:
            problems.append(FieldProblem("visit.status", msg))
    if problems:
        raise ValidationError(problems)
    if hold_status:
        changes.pop("status", None)
        if not changes:
            return
    for name, value in changes.items():
        setattr(visit, name, value)
    session.flush()
    new = visit_values(visit)
    write_audit(session, actor, "update", "visit", visit.id, old=old, new=new,
                summary=f"Updated from package {visit.public_id}")
    report.visit_changed = True
    report.visit_changes = [f"{name}: {_shown(old[name])} → {_shown(new[name])}"
                            for name in VISIT_FIELDS if old[name] != new[name]]


def _shown(value: Any) -> str:
    """A field's value as the report shows it: empty text as "(empty)", long text cut."""
    text = str(value) if value not in (None, "") else "(empty)"
    return text if len(text) <= 60 else text[:59] + "…"


__all__ = ["ImportReport", "import_bytes", "import_file"]

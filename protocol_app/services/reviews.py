"""International risk reviews of visits: when one is required, what it holds, the gate.

A visit needs a review when any of these holds (each is a *finding* with a stable key):

- ``screening``: the screening service matched a person of the visit, or their
  organization, against a restricted-party list (every match it returns counts: the
  screening service applies its threshold);
- ``country``: the delegation's country, or a guest's country, is one of the office's
  countries of concern (``Settings.countries_of_concern``, empty by default);
- ``organization``: a guest's organization is in such a country;
- ``venue``: an event that is not cancelled is a tour of a venue marked as holding
  controlled technology (``Venue.controlled_technology``).

Whether a review is required is computed from the visit as it is now; what people
decided is stored (:mod:`protocol_app.records.reviews`).  A decision remembers the
findings it was based on: a later finding not among them (a new guest who matches, a
new lab tour) re-opens the review, whose state is then ``pending`` again, with
``reopened`` set, while the visit's status is left as it is.

The gate (:func:`refuse_unreviewed`, called by :class:`VisitService` for every status
change): a visit cannot become confirmed or completed while its required review is
pending or rejected.

The screening lists and matching belong to another service; this module reads it
through the small :class:`ScreeningSource` protocol and works without one (no
screening findings, and a warning that none was made).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.errors import (
    FieldProblem,
    NotFoundError,
    ReviewPendingError,
    ValidationError,
)
from protocol_app.formatting import country_name
from protocol_app.records import vocab
from protocol_app.records.models import Event, Organization, Participant, Person, Venue, Visit
from protocol_app.records.reviews import ReviewCondition, RiskReview
from protocol_app.rules.names import display_name
from protocol_app.services.base import (
    ServiceBase,
    check_version,
    stored_now,
    to_aware_utc,
    write_audit,
)
from protocol_app.services.lookup import resolve_visit


# -- the screening service, as this module sees it ---------------------------------------
class ScreeningMatchLike(Protocol):
    """One match of a person (or their organization) against a list entry."""

    @property
    def person_ref(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def subject(self) -> str: ...  # what was matched: the person's name or organization
    @property
    def list(self) -> str: ...
    @property
    def entry(self) -> str: ...
    @property
    def entry_details(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def reason(self) -> str: ...


class ScreeningListLike(Protocol):
    """One loaded screening list."""

    @property
    def source(self) -> str: ...
    @property
    def entries(self) -> int: ...
    @property
    def loaded_at(self) -> datetime: ...
    @property
    def stale(self) -> bool: ...


class ScreeningSource(Protocol):
    """What the review needs of the screening service (``Services.screening``)."""

    def screen_visit(self, visit_ref: int | str) -> Sequence[ScreeningMatchLike]: ...

    def screen_in_session(self, session: Session, visit_id: int,
                          ) -> Sequence[ScreeningMatchLike]: ...

    def lists(self) -> Sequence[ScreeningListLike]: ...


# -- values -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One reason a review is required.  ``kind``: screening, country, organization or
    venue; ``key`` identifies it across runs (a decision remembers the keys)."""

    kind: str
    key: str
    reason: str
    name: str = ""  # the person, organization or event named
    ref: str = ""  # the person's or event's ref in the visit
    list: str = ""  # screening: the list and the entry matched, side by side
    entry: str = ""
    entry_details: str = ""
    subject: str = ""
    score: float | None = None
    country: str = ""
    event_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The finding as ``review --json`` writes it."""
        out: dict[str, Any] = {"kind": self.kind, "key": self.key, "reason": self.reason,
                               "name": self.name, "ref": self.ref}
        if self.kind == "screening":
            out.update(list=self.list, entry=self.entry, entry_details=self.entry_details,
                       subject=self.subject, score=self.score)
        if self.country:
            out["country"] = self.country
        return out


@dataclass(frozen=True, slots=True)
class ConditionRecord:
    """A condition of a decision, on the whole visit or on one event."""

    text: str
    event_id: int | None = None
    event_ref: str = ""
    event_title: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One dimension of the checklist: considered or not, with the reviewer's note."""

    dimension: str
    label: str
    done: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """A visit's risk review as it stands now."""

    visit_id: int
    public_id: str
    title: str
    visit_status: str
    required: bool
    state: str
    findings: tuple[ReviewFinding, ...] = ()
    reopened: bool = False
    new_findings: tuple[str, ...] = ()  # keys of findings the decision did not see
    decision: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    reviewer: str = ""
    notes: str = ""
    conditions: tuple[ConditionRecord, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    warnings: tuple[str, ...] = ()
    version: int = 0  # 0: nothing stored yet

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the review is required, one sentence per finding."""
        return tuple(f.reason for f in self.findings)

    @property
    def state_label(self) -> str:
        return vocab.ReviewState.label_of(self.state) + (" (re-opened)" if self.reopened
                                                         else "")

    def waiting_for(self) -> str:
        """What the review waits for, in words ("" when it waits for nothing)."""
        if self.state == "rejected":
            return "it was rejected; a new decision is needed"
        if self.state != "pending":
            return ""
        if self.reopened:
            new = [f.reason for f in self.findings if f.key in self.new_findings]
            return ("it was re-opened by a change after its decision (" + "; ".join(new)
                    + "); a new decision is needed")
        return "a decision (approved, approved with conditions or rejected)"

    def conditions_for(self, event_id: int) -> tuple[ConditionRecord, ...]:
        """The conditions tied to one event."""
        return tuple(c for c in self.conditions if c.event_id == event_id)

    def as_json(self) -> dict[str, Any]:
        """The review as ``protocol-app review --json`` writes it."""
        decision = None
        if self.decision:
            decision = {
                "decision": self.decision, "label": vocab.ReviewDecision.label_of(self.decision),
                "by": self.decided_by,
                "at": self.decided_at.isoformat() if self.decided_at else None,
                "note": self.notes,
                "conditions": [{"text": c.text, "event": c.event_ref or None}
                               for c in self.conditions]}
        return {
            "visit": self.public_id, "title": self.title, "visit_status": self.visit_status,
            "required": self.required, "reasons": list(self.reasons), "state": self.state,
            "reopened": self.reopened, "waiting_for": self.waiting_for(),
            "findings": [f.as_json() for f in self.findings], "decision": decision,
            "reviewer": self.reviewer,
            "checklist": [{"dimension": c.dimension, "label": c.label, "done": c.done,
                           "note": c.note} for c in self.checklist],
            "warnings": list(self.warnings)}


# -- findings ---------------------------------------------------------------------------
def screening_findings(matches: Iterable[ScreeningMatchLike]) -> list[ReviewFinding]:
    """A finding per screening match, the person beside the list entry."""
    return [ReviewFinding(
        kind="screening", key=f"screening:{m.person_ref}:{m.list}:{m.entry}",
        reason=(f"{m.name}" + (f" ({m.subject})" if m.subject and m.subject != m.name else "")
                + f" matches {m.entry} on {m.list} (score {m.score:.2f})"
                + (f": {m.reason}" if m.reason else "")),
        name=m.name, ref=m.person_ref, list=m.list, entry=m.entry,
        entry_details=m.entry_details, subject=m.subject, score=float(m.score))
        for m in matches]


def visit_findings(session: Session, visit_ids: Sequence[int],
                   concern: frozenset[str]) -> dict[int, list[ReviewFinding]]:
    """The country, organization and controlled-venue findings of some visits, in three
    queries whatever their number (only the rows that are findings are read)."""
    found: dict[int, list[ReviewFinding]] = {vid: [] for vid in visit_ids}
    if not visit_ids:
        return found
    if concern:
        for vid, title, country in session.execute(
                select(Visit.id, Visit.title, Visit.country).where(
                    Visit.id.in_(visit_ids), func.upper(Visit.country).in_(concern))):
            code = country.upper()
            found[vid].append(ReviewFinding(
                "country", f"country:visit:{code}",
                f"The delegation comes from {country_name(code)}, a country of concern",
                name=title, country=code))
        guests = (select(Participant.visit_id, Participant.ref, Person, Organization)
                  .join(Person, Participant.person_id == Person.id)
                  .outerjoin(Organization, Person.organization_id == Organization.id)
                  .where(Participant.visit_id.in_(visit_ids), Participant.side == "guest",
                         or_(func.upper(Person.country).in_(concern),
                             func.upper(Organization.country).in_(concern)))
                  .order_by(Participant.visit_id, Participant.id))
        for vid, ref, person, org in session.execute(guests):
            name = display_name(person)
            own = (person.country or "").upper()
            if own in concern:
                found[vid].append(ReviewFinding(
                    "country", f"country:person:{ref}:{own}",
                    f"{name} is from {country_name(own)}, a country of concern",
                    name=name, ref=ref, country=own))
            org_country = (org.country or "").upper() if org is not None else ""
            if org is not None and org_country in concern:
                found[vid].append(ReviewFinding(
                    "organization", f"organization:{ref}:{org.name}:{org_country}",
                    f"{name}'s organization, {org.name}, is in {country_name(org_country)}, "
                    "a country of concern", name=name, ref=ref, country=org_country))
    tours = (select(Event.visit_id, Event.id, Event.ref, Event.title, Venue.name)
             .join(Venue, Event.venue_id == Venue.id)
             .where(Event.visit_id.in_(visit_ids), Event.kind == vocab.EventKind.TOUR.value,
                    Event.status != "cancelled", Venue.controlled_technology.is_(True))
             .order_by(Event.visit_id, Event.start_utc, Event.id))
    for vid, event_id, ref, title, venue_name in session.execute(tours):
        found[vid].append(ReviewFinding(
            "venue", f"venue:{ref}",
            f"“{title}” is a tour of {venue_name}, which holds controlled technology "
            "(a possible deemed export)", name=title, ref=ref, event_id=event_id))
    return found


def _checklist(raw: str) -> tuple[ChecklistItem, ...]:
    try:
        stored = json.loads(raw or "{}")
    except ValueError:
        stored = {}
    stored = stored if isinstance(stored, dict) else {}
    items = []
    for dim in vocab.ReviewDimension:
        value = stored.get(dim.value)
        entry: dict[str, Any] = value if isinstance(value, dict) else {}
        items.append(ChecklistItem(dim.value, dim.label, bool(entry.get("done")),
                                   str(entry.get("note") or "")))
    return tuple(items)


def _review_row(session: Session, visit_id: int) -> RiskReview | None:
    return session.scalar(select(RiskReview).where(RiskReview.visit_id == visit_id))


def review_in_session(session: Session, visit: Visit, matches: Iterable[ScreeningMatchLike],
                      *, settings: Settings | None = None,
                      warnings: Sequence[str] = ()) -> ReviewRecord:
    """The review of ``visit`` as it stands in ``session`` (with ``matches``, the
    screening service's matches for it, computed before the session opened)."""
    settings = settings or Settings.load()
    session.flush()
    findings = visit_findings(session, [visit.id], settings.concerning_countries())
    return review_of(visit.id, visit.public_id, visit.title, visit.status,
                     _review_row(session, visit.id), screening_findings(matches)
                     + findings[visit.id], _event_names(session, [visit.id]),
                     warnings=warnings)


def _event_names(session: Session, visit_ids: Sequence[int],
                 ) -> dict[int, tuple[str, str]]:
    """Event id -> (ref, title) of the events some conditions name (one query)."""
    rows = session.execute(
        select(Event.id, Event.ref, Event.title)
        .join(ReviewCondition, ReviewCondition.event_id == Event.id)
        .where(Event.visit_id.in_(visit_ids)))
    return {event_id: (ref, title) for event_id, ref, title in rows}


def review_of(visit_id: int, public_id: str, title: str, visit_status: str,
              row: RiskReview | None, findings: list[ReviewFinding],
              events: Mapping[int, tuple[str, str]], *,
              warnings: Sequence[str] = ()) -> ReviewRecord:
    """The review of a visit from its stored ``row`` (None: nothing decided yet) and its
    findings now; ``events``: the ref and title of the events its conditions name."""
    keys = [f.key for f in findings]
    required = bool(findings)
    decision = row.decision if row else ""
    basis = set(json.loads(row.basis or "[]")) if row and decision else set()
    new = tuple(k for k in keys if k not in basis) if decision else ()
    if decision and new:
        state = vocab.ReviewState.PENDING.value
    elif decision:
        state = decision
    else:
        state = "pending" if required else "not_required"
    conditions: tuple[ConditionRecord, ...] = ()
    if row is not None:
        conditions = tuple(
            ConditionRecord(c.text, c.event_id, *events.get(c.event_id or 0, ("", "")))
            for c in row.conditions)
    return ReviewRecord(
        visit_id=visit_id, public_id=public_id, title=title,
        visit_status=visit_status, required=required, state=state, findings=tuple(findings),
        reopened=bool(decision and new), new_findings=new, decision=decision,
        decided_by=row.decided_by if row else "",
        decided_at=to_aware_utc(row.decided_at) if row and row.decided_at else None,
        reviewer=row.reviewer if row else "", notes=row.notes if row else "",
        conditions=conditions, checklist=_checklist(row.checklist if row else "{}"),
        warnings=tuple(warnings), version=row.version if row else 0)


def gate_message(review: ReviewRecord, status: str) -> str:
    """Why ``review`` keeps its visit from ``status`` ("" when it does not)."""
    if status not in vocab.REVIEWED_STATUSES or not review.required:
        return ""
    if review.state not in ("pending", "rejected"):
        return ""
    return (f"“{review.title}” cannot become {status}: its risk review "
            f"(`protocol-app review {review.public_id}`) is {review.state_label.lower()} and "
            f"waits for {review.waiting_for()}. Reasons: " + "; ".join(review.reasons) + ".")


def refuse_unreviewed(session: Session, visit: Visit, status: str,
                      matches: Iterable[ScreeningMatchLike]) -> None:
    """Raise :class:`ReviewPendingError` if ``visit`` may not take ``status`` now."""
    if status not in vocab.REVIEWED_STATUSES:
        return
    review = review_in_session(session, visit, matches)
    message = gate_message(review, status)
    if message:
        raise ReviewPendingError(message, visit.public_id, review.state)


def screen(screening: ScreeningSource | None, visit_ref: int | str,
           ) -> tuple[Sequence[ScreeningMatchLike], tuple[str, ...]]:
    """The screening matches of a visit and the warnings about the lists (none loaded,
    a list older than 30 days, no screening service)."""
    if screening is None:
        return (), ("No screening was made: the screening lists are not available.",)
    warnings = []
    lists = screening.lists()
    if not lists:
        warnings.append("No screening list is loaded, so nobody was screened: load one under "
                        "Edit → Preferences → Screening lists (or with `protocol-app "
                        "screening load FILE.csv`).")
    for item in lists:
        if item.stale:
            warnings.append(f"The screening list {item.source} is more than 30 days old "
                            f"(loaded {item.loaded_at:%Y-%m-%d}); load a current copy under "
                            "Edit → Preferences → Screening lists.")
    return screening.screen_visit(visit_ref), tuple(warnings)


# -- the service ------------------------------------------------------------------------
#: ``--decide`` words (and the stored decisions) -> the stored decision.
DECISION_WORDS: dict[str, str] = {"approved": "approved", "conditions":
                                  "approved_with_conditions",
                                  "approved_with_conditions": "approved_with_conditions",
                                  "rejected": "rejected"}

#: A condition: its text, or its text and the ref (or number) of the event it concerns.
ConditionInput = str | tuple[str, str | int | None]


class ReviewService(ServiceBase):
    """Read a visit's risk review, assign its reviewer, fill its checklist, decide."""

    def __init__(self, db: Database, actor: str,
                 screening: ScreeningSource | None = None) -> None:
        super().__init__(db, actor)
        self.screening = screening

    def get(self, visit_ref: int | str) -> ReviewRecord:
        """The review of a visit as it stands now."""
        matches, warnings = screen(self.screening, visit_ref)
        with self.db.read_session() as session:
            return review_in_session(session, resolve_visit(session, visit_ref), matches,
                                     warnings=warnings)

    def many(self, visit_ids: Iterable[int]) -> dict[int, ReviewRecord]:
        """The reviews of several visits (for lists), read in a fixed number of queries
        (the screening service is asked once per visit)."""
        ids = list(dict.fromkeys(visit_ids))
        if not ids:
            return {}
        screened = {vid: screen(self.screening, vid) for vid in ids} if self.screening else {}
        concern = Settings.load().concerning_countries()
        with self.db.read_session() as session:
            visits = session.execute(select(Visit.id, Visit.public_id, Visit.title,
                                            Visit.status).where(Visit.id.in_(ids))).all()
            rows = {r.visit_id: r for r in session.scalars(
                select(RiskReview).where(RiskReview.visit_id.in_(ids)))}
            findings = visit_findings(session, ids, concern)
            events = _event_names(session, ids) if rows else {}
            out = {}
            for vid, public_id, title, status in visits:
                matches, warnings = screened.get(vid, ((), ()))
                out[vid] = review_of(vid, public_id, title, status, rows.get(vid),
                                     screening_findings(matches) + findings[vid], events,
                                     warnings=warnings)
            return out

    def decide(self, visit_ref: int | str, decision: str, note: str,
               conditions: Sequence[ConditionInput] = (), *,
               expected_version: int | None = None) -> ReviewRecord:
        """Record a decision (``approved``, ``conditions`` / ``approved_with_conditions``
        or ``rejected``) with its note and conditions, replacing any earlier one; the
        decision is based on the findings of now."""
        problems = []
        stored = DECISION_WORDS.get(decision)
        if stored is None:
            problems.append(FieldProblem("decision", "must be approved, conditions or "
                                         f"rejected, not '{decision}'"))
        if not note.strip():
            problems.append(FieldProblem("note", "a decision needs a note saying why"))
        wanted = [(c, None) if isinstance(c, str) else c for c in conditions]
        for i, (text, _event) in enumerate(wanted):
            if not text.strip():
                problems.append(FieldProblem(f"conditions[{i}]", "is empty"))
        if stored == "approved_with_conditions" and not wanted:
            problems.append(FieldProblem("conditions", "approved with conditions needs at "
                                         "least one condition"))
        if stored in ("approved", "rejected") and wanted:
            problems.append(FieldProblem("conditions", f"a decision '{stored}' has no "
                                         "conditions; decide 'conditions' to set some"))
        if problems:
            raise ValidationError(problems, subject="review decision")
        matches, warnings = screen(self.screening, visit_ref)
        with self.db.session() as session:
            visit = resolve_visit(session, visit_ref)
            events = {e.ref: e for e in visit.events}
            events_by_id = {str(e.id): e for e in visit.events}
            rows = []
            for i, (text, event_ref) in enumerate(wanted):
                event = None
                if event_ref not in (None, ""):
                    event = events.get(str(event_ref)) or events_by_id.get(str(event_ref))
                    if event is None:
                        raise ValidationError([FieldProblem(
                            f"conditions[{i}].event",
                            f"{visit.title} has no event '{event_ref}'")],
                            subject="review decision")
                rows.append(ReviewCondition(text=text.strip(), position=i,
                                            event_id=event.id if event else None))
            current = review_in_session(session, visit, matches, warnings=warnings)
            row = self._row(session, visit, expected_version)
            old = _audit_values(row)
            row.decision = stored or ""
            row.decided_by = self.actor
            row.decided_at = stored_now()
            row.basis = json.dumps([f.key for f in current.findings])
            row.notes = note.strip()
            row.reviewer = row.reviewer or self.actor
            row.conditions = rows
            session.flush()
            write_audit(session, self.actor, "update", "risk_review", row.id, old=old,
                        new=_audit_values(row) | {"reasons": list(current.reasons)},
                        summary=f"Risk review of {visit.title}: "
                                f"{vocab.ReviewDecision.label_of(row.decision).lower()}")
            return review_in_session(session, visit, matches, warnings=warnings)

    def set_reviewer(self, visit_ref: int | str, reviewer: str, *,
                     expected_version: int | None = None) -> ReviewRecord:
        """Assign the review to someone."""
        return self._change(visit_ref, expected_version, "Reviewer",
                            lambda row: setattr(row, "reviewer", reviewer.strip()[:300]))

    def set_checklist(self, visit_ref: int | str, dimension: str, *, done: bool,
                      note: str = "", expected_version: int | None = None) -> ReviewRecord:
        """Mark one dimension of the checklist considered (or not), with a note."""
        if dimension not in vocab.ReviewDimension.values():
            raise ValidationError([FieldProblem(
                "dimension", "must be one of " + ", ".join(vocab.ReviewDimension.values()))],
                subject="review checklist")

        def apply(row: RiskReview) -> None:
            items = {c.dimension: {"done": c.done, "note": c.note}
                     for c in _checklist(row.checklist)}
            items[dimension] = {"done": bool(done), "note": note.strip()}
            row.checklist = json.dumps(items, ensure_ascii=False)
        return self._change(visit_ref, expected_version,
                            vocab.ReviewDimension.label_of(dimension), apply)

    def set_venue_controlled(self, venue_id: int, controlled: bool) -> None:
        """Mark a venue as holding controlled technology (a tour of it then needs a
        review) or not."""
        with self.db.session() as session:
            venue = session.get(Venue, venue_id)
            if venue is None:
                raise NotFoundError(f"There is no venue #{venue_id}.")
            if venue.controlled_technology == bool(controlled):
                return
            old = {"controlled_technology": venue.controlled_technology}
            venue.controlled_technology = bool(controlled)
            write_audit(session, self.actor, "update", "venue", venue.id, old=old,
                        new={"controlled_technology": venue.controlled_technology},
                        summary=f"{venue.name}: " + ("holds controlled technology"
                                                     if controlled else
                                                     "holds no controlled technology"))

    def controlled_venue_ids(self) -> frozenset[int]:
        """The venues marked as holding controlled technology."""
        with self.db.read_session() as session:
            return frozenset(session.scalars(
                select(Venue.id).where(Venue.controlled_technology.is_(True))))

    # -- helpers ----------------------------------------------------------------------
    def _change(self, visit_ref: int | str, expected_version: int | None, what: str,
                apply: Any) -> ReviewRecord:
        matches, warnings = screen(self.screening, visit_ref)
        with self.db.session() as session:
            visit = resolve_visit(session, visit_ref)
            row = self._row(session, visit, expected_version)
            old = _audit_values(row)
            apply(row)
            session.flush()
            write_audit(session, self.actor, "update", "risk_review", row.id, old=old,
                        new=_audit_values(row), summary=f"Risk review of {visit.title}: {what}")
            return review_in_session(session, visit, matches, warnings=warnings)

    @staticmethod
    def _row(session: Session, visit: Visit, expected_version: int | None) -> RiskReview:
        """The visit's review row, made when first written."""
        row = _review_row(session, visit.id)
        if row is None:
            row = RiskReview(visit_id=visit.id, checklist="{}", basis="[]")
            session.add(row)
            session.flush()
            return row
        check_version("risk_review", row.id, row.version, expected_version)
        return row


def _audit_values(row: RiskReview) -> dict[str, Any]:
    return {"reviewer": row.reviewer, "decision": row.decision, "notes": row.notes,
            "checklist": row.checklist,
            "conditions": [c.text for c in row.conditions]}


__all__ = [
    "ChecklistItem", "ConditionRecord", "ReviewFinding", "ReviewRecord", "ReviewService",
    "ScreeningListLike", "ScreeningMatchLike", "ScreeningSource", "gate_message",
    "refuse_unreviewed", "review_in_session", "screen", "visit_findings",
]

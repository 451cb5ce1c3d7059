"""Protocol rules made a product: the office's table of precedence and the host's
overrides, forms of address with the office's own wording, seating plans for meals and
ceremonies, travel times between venues and the clash checks of a visit.

The pure rules live in :mod:`protocol_app.rules`; this service stores what the office
decides (in the tables of migration 0005), feeds the rules with it, and returns frozen
values.  Every write is audited and every plan or table line carries a version.

Decisions worth knowing
-----------------------
* **Precedence table.**  One table for the office, in ``precedence_categories``.  When
  it is empty it is filled with :data:`~protocol_app.rules.precedence.DEFAULT_CATEGORIES`
  (and that is audited).  A person's ``rank`` names a category key (aliases such as
  ``"high_commissioner"`` are understood); a visiting official takes the category of
  their host-country equivalent, as each line's ``equivalents`` note says.  Moving a
  line renumbers the table in steps of 10.
* **Overrides** belong to a visit: "place X before/after Y", with a reason that the
  order shows.  One override per person and visit (a new one replaces the old one);
  they are applied in the order they were made.
* **Seating: who is the host side.**  The event's host sits at the place of honour of
  the first table.  The host side is the event host's side (the host side of the
  visit when the event names no host); its other attendees follow in order of
  precedence, so the second becomes the co-host.  To change the co-host, add a
  precedence override.
* **Interpreters.**  An attendee whose role in the visit is ``"interpreter"`` sits with
  a principal.  The plan stores a mapping interpreter -> principal
  (:attr:`SeatingOptions.interpreters`); an interpreter not in it is linked by default
  to the head of delegation when on the guest side, and to the event's host (else the
  first host) when on the host side, provided that person attends.  An interpreter
  whose principal does not attend is seated like any other attendee.
* **Locked seats** are kept when the plan is made again; a person may not be moved
  into or out of a locked seat until it is unlocked.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from protocol_app.db.database import Database
from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.records.models import (
    AddressOverride,
    Event,
    Person,
    PrecedenceCategoryRow,
    PrecedenceOverrideRow,
    SeatingPlanRow,
    SeatRow,
    TravelTime,
    Venue,
    Visit,
)
from protocol_app.rules import address as address_rules
from protocol_app.rules import conflicts as conflict_rules
from protocol_app.rules import precedence as precedence_rules
from protocol_app.rules import seating as seating_rules
from protocol_app.rules.address import FORM_NAMES, FormsOfAddress
from protocol_app.rules.names import display_name
from protocol_app.rules.precedence import (
    DEFAULT_CATEGORIES,
    TIE_RULES,
    PrecedenceCategory,
    PrecedenceOverride,
    category_for,
    normalize_key,
    order_by_precedence,
)
from protocol_app.rules.seating import (
    RECTANGULAR,
    ROUND,
    TABLE_SHAPES,
    SeatAssignment,
    SeatingFinding,
    SeatingPlan,
    SeatRef,
    Table,
)
from protocol_app.services import validation as v
from protocol_app.services.base import ServiceBase, check_version, to_aware_utc, write_audit
from protocol_app.services.events import event_record
from protocol_app.services.people import person_record
from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord
from protocol_app.services.visits import resolve_visit, visit_record

#: Event kinds that can have a seating plan.
SEATED_KINDS: tuple[str, ...] = ("meal", "ceremony")
#: Fields of a table line that :meth:`ProtocolService.update_category` can change.
CATEGORY_FIELDS: tuple[str, ...] = (
    "label", "plural", "order", "tie_rule", "excellency", "equivalents",
)
#: Headings of the forms of address, in :data:`FORM_NAMES` order.
FORM_LABELS: Mapping[str, str] = MappingProxyType({
    "salutation": "Salutation (letters)",
    "address_block": "Address block (envelope)",
    "spoken": "Spoken form",
    "place_card": "Place card",
    "badge": "Name badge",
    "list_form": "Lists and programmes",
})
_MULTILINE_FORMS = frozenset({"address_block"})
_NO_DIETARY_NEEDS = frozenset({"none", "no", "n/a", "na", "-", "nil", "no restrictions"})
_SIDES = ("guest", "host")


# -- values ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    """One line of the office's table of precedence."""

    id: int
    key: str
    label: str
    plural: str
    order: int
    tie_rule: str
    excellency: bool
    equivalents: str
    version: int

    def to_rule(self) -> PrecedenceCategory:
        """The line as the precedence rules take it."""
        return PrecedenceCategory(
            self.key, self.label, self.plural or self.label, self.order, self.tie_rule,
            self.excellency, self.equivalents,
        )


@dataclass(frozen=True, slots=True)
class OverrideRecord:
    """The host's decision to place one person before or after another in a visit."""

    id: int
    visit_id: int
    person_id: int
    place: str  # "before" or "after"
    other_person_id: int
    reason: str
    created_by: str
    created_at: datetime  # aware UTC


@dataclass(frozen=True, slots=True)
class PrecedenceEntry:
    """One place in a visit's order of precedence, with the sentence explaining it."""

    position: int
    person: PersonRecord
    side: str
    role: str
    category_key: str
    category_label: str
    explanation: str
    override_reason: str = ""
    override_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``precedence --json`` form)."""
        p = self.person
        return {
            "position": self.position,
            "person_id": p.id,
            "name": display_name(p),
            "family_name": p.family_name,
            "given_name": p.given_name,
            "native_name": p.native_name,
            "side": self.side,
            "role": self.role,
            "category": self.category_key,
            "category_label": self.category_label,
            "rank_date": p.rank_date.isoformat() if p.rank_date else None,
            "explanation": self.explanation,
            "override_reason": self.override_reason or None,
        }


@dataclass(frozen=True, slots=True)
class AddressForm:
    """One form of address of a person: what the rules generate and the office's own
    wording, if any (``override_version`` is 0 when there is none)."""

    name: str
    label: str
    generated: str
    override: str | None = None
    override_version: int = 0

    @property
    def effective(self) -> str:
        """The form in use: the override when there is one."""
        return self.override if self.override is not None else self.generated

    @property
    def multiline(self) -> bool:
        """True for the address block (several lines)."""
        return self.name in _MULTILINE_FORMS


@dataclass(frozen=True, slots=True)
class VenueRecord:
    """A venue events can take place in."""

    id: int
    name: str
    address: str = ""


@dataclass(frozen=True, slots=True)
class TravelTimeRecord:
    """Minutes to get from one venue to the other, either way."""

    venue_a: VenueRecord
    venue_b: VenueRecord
    minutes: int


@dataclass(frozen=True, slots=True)
class SeatingOptions:
    """How a plan is made.  Pairs are person ids; ``interpreters`` holds
    (interpreter, principal) pairs set by the office (defaults are added when planning,
    see the module docstring)."""

    couples_together: bool = True
    couples: tuple[tuple[int, int], ...] = ()
    not_together: tuple[tuple[int, int], ...] = ()
    interpreters: tuple[tuple[int, int], ...] = ()
    interpreters_at_table: bool = True


@dataclass(frozen=True, slots=True)
class SeatSpec:
    """A person in a seat, as stored (``behind``: on a chair behind that seat)."""

    table: int
    seat: int
    person_id: int
    locked: bool = False
    behind: bool = False


@dataclass(frozen=True, slots=True)
class DietaryNote:
    """One dietary need at a table and who has it."""

    need: str
    person_ids: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SeatView:
    """One seat of a table: who sits there (if anyone), who sits behind, whether it is
    locked, and its ``marker``: "host", "guest_of_honour", "cohost" or ""."""

    table: int
    seat: int
    person: PersonRecord | None
    locked: bool = False
    behind: tuple[PersonRecord, ...] = ()
    marker: str = ""
    side: str = ""
    role: str = ""

    @property
    def ref(self) -> SeatRef:
        """The seat as a (table, seat) pair."""
        return SeatRef(self.table, self.seat)


@dataclass(frozen=True, slots=True)
class TableView:
    """A table of a plan with its seats, in seat order, and its dietary needs."""

    number: int
    shape: str
    seat_count: int
    name: str
    host_seat: int
    cohost_seat: int | None
    guest_of_honour_seat: int | None
    places: tuple[SeatView, ...]
    dietary: tuple[DietaryNote, ...] = ()

    def to_table(self) -> Table:
        """The table as the seating rules take it."""
        return Table(self.number, self.seat_count, self.shape, self.name)

    def place(self, seat: int) -> SeatView:
        """The view of one seat."""
        return self.places[seat - 1]

    @property
    def title(self) -> str:
        """"Table 1" or "Table 1 – High table"."""
        return f"Table {self.number}" + (f" – {self.name}" if self.name else "")


@dataclass(frozen=True, slots=True)
class SeatingPlanView:
    """A meal's or ceremony's seating plan as the UI, the command line and the printed
    cards show it.  ``stored`` is False for a plan not saved (no plan yet, or a
    preview); ``version`` is 0 then.  ``forms`` holds the forms of address (with the
    office's overrides) of everyone attending."""

    visit_id: int
    visit_title: str
    event: EventRecord
    stored: bool
    version: int
    tables: tuple[TableView, ...]
    unseated: tuple[PersonRecord, ...]
    findings: tuple[SeatingFinding, ...]
    options: SeatingOptions
    interpreters: tuple[tuple[int, int], ...]
    host_ids: tuple[int, ...]
    attendee_ids: tuple[int, ...]
    forms: Mapping[int, FormsOfAddress] = field(default_factory=dict)
    updated_at: datetime | None = None
    updated_by: str = ""

    def table(self, number: int) -> TableView | None:
        """The table with this number."""
        return next((t for t in self.tables if t.number == number), None)

    def place(self, table: int, seat: int) -> SeatView | None:
        """The view of one seat, if it exists."""
        found = self.table(table)
        if found is None or not 1 <= seat <= found.seat_count:
            return None
        return found.place(seat)

    def seat_of(self, person_id: int) -> SeatRef | None:
        """Where a person sits at a table (not behind someone), if anywhere."""
        for t in self.tables:
            for p in t.places:
                if p.person is not None and p.person.id == person_id:
                    return p.ref
        return None

    def person_at(self, table: int, seat: int) -> PersonRecord | None:
        """Who sits at a seat."""
        place = self.place(table, seat)
        return place.person if place else None

    @property
    def seated_ids(self) -> tuple[int, ...]:
        """Everyone with a seat or a chair behind one, table by table."""
        out: list[int] = []
        for t in self.tables:
            for p in t.places:
                if p.person is not None:
                    out.append(p.person.id)
                out.extend(b.id for b in p.behind)
        return tuple(dict.fromkeys(out))

    @property
    def people(self) -> dict[int, PersonRecord]:
        """Everyone in the plan (seated, behind or unseated) by id."""
        found: dict[int, PersonRecord] = {}
        for t in self.tables:
            for p in t.places:
                if p.person is not None:
                    found[p.person.id] = p.person
                for b in p.behind:
                    found[b.id] = b
        for person in self.unseated:
            found[person.id] = person
        return found

    def seats(self) -> tuple[SeatSpec, ...]:
        """The plan's seats as stored (for undo: :meth:`ProtocolService.save_plan`)."""
        out: list[SeatSpec] = []
        for t in self.tables:
            for p in t.places:
                if p.person is not None:
                    out.append(SeatSpec(t.number, p.seat, p.person.id, p.locked))
                out.extend(SeatSpec(t.number, p.seat, b.id, False, True) for b in p.behind)
        return tuple(out)

    def table_specs(self) -> tuple[Table, ...]:
        """The tables as the seating rules take them."""
        return tuple(t.to_table() for t in self.tables)

    def place_card(self, person: PersonRecord) -> str:
        """The person's name as the place card prints it."""
        forms = self.forms.get(person.id)
        return forms.place_card if forms else display_name(person)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``seating --json`` form)."""

        def who(person: PersonRecord) -> dict[str, Any]:
            forms = self.forms.get(person.id)
            return {
                "person_id": person.id,
                "name": display_name(person),
                "native_name": person.native_name,
                "place_card": forms.place_card if forms else display_name(person),
                "dietary": person.dietary,
            }

        return {
            "visit": self.visit_id,
            "event": self.event.ref,
            "title": self.event.title,
            "stored": self.stored,
            "version": self.version,
            "options": {
                "couples_together": self.options.couples_together,
                "couples": [list(p) for p in self.options.couples],
                "not_together": [list(p) for p in self.options.not_together],
                "interpreters_at_table": self.options.interpreters_at_table,
            },
            "interpreters": {str(i): p for i, p in self.interpreters},
            "tables": [
                {
                    "number": t.number,
                    "shape": t.shape,
                    "seats": t.seat_count,
                    "name": t.name,
                    "places": [
                        {
                            "seat": p.seat,
                            "marker": p.marker,
                            "locked": p.locked,
                            **(who(p.person) if p.person else {"person_id": None}),
                            "behind": [who(b) for b in p.behind],
                        }
                        for p in t.places
                    ],
                    "dietary": {n.need: list(n.person_ids) for n in t.dietary},
                }
                for t in self.tables
            ],
            "unseated": [who(p) for p in self.unseated],
            "findings": [f.to_dict() for f in self.findings],
        }


# -- helpers -----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _category_record(row: PrecedenceCategoryRow) -> CategoryRecord:
    return CategoryRecord(
        id=row.id, key=row.key, label=row.label, plural=row.plural, order=row.order,
        tie_rule=row.tie_rule, excellency=bool(row.excellency), equivalents=row.equivalents,
        version=row.version,
    )


def _category_values(row: PrecedenceCategoryRow) -> dict[str, Any]:
    return {
        "key": row.key, "label": row.label, "plural": row.plural, "order": row.order,
        "tie_rule": row.tie_rule, "excellency": bool(row.excellency),
        "equivalents": row.equivalents,
    }


def _override_record(row: PrecedenceOverrideRow) -> OverrideRecord:
    return OverrideRecord(
        id=row.id, visit_id=row.visit_id, person_id=row.person_id, place=row.place,
        other_person_id=row.other_person_id, reason=row.reason, created_by=row.created_by,
        created_at=to_aware_utc(row.created_at),
    )


def _venue_record(row: Venue) -> VenueRecord:
    return VenueRecord(row.id, row.name, row.address)


def _pairs(raw: object) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append((int(item[0]), int(item[1])))
    return tuple(out)


def _options(row: SeatingPlanRow) -> SeatingOptions:
    interpreters = json.loads(row.interpreters or "{}")
    return SeatingOptions(
        couples_together=bool(row.couples_together),
        couples=_pairs(json.loads(row.couples or "[]")),
        not_together=_pairs(json.loads(row.not_together or "[]")),
        interpreters=tuple((int(k), int(p)) for k, p in interpreters.items()),
        interpreters_at_table=bool(row.interpreters_at_table),
    )


def _store_options(row: SeatingPlanRow, options: SeatingOptions) -> None:
    row.couples_together = options.couples_together
    row.couples = json.dumps([list(p) for p in options.couples])
    row.not_together = json.dumps([list(p) for p in options.not_together])
    row.interpreters = json.dumps({str(i): p for i, p in options.interpreters})
    row.interpreters_at_table = options.interpreters_at_table


def _tables_json(tables: Sequence[Table]) -> str:
    return json.dumps([
        {"number": t.number, "shape": t.shape, "seats": t.seats, "name": t.name} for t in tables
    ], ensure_ascii=False)


def _tables_from_json(text: str) -> tuple[Table, ...]:
    return tuple(
        Table(int(t["number"]), int(t["seats"]), str(t.get("shape", ROUND)),
              str(t.get("name", "")))
        for t in json.loads(text or "[]")
    )


def _plain_options(options: SeatingOptions) -> dict[str, Any]:
    return {
        "couples_together": options.couples_together,
        "couples": [list(p) for p in options.couples],
        "not_together": [list(p) for p in options.not_together],
        "interpreters": [list(p) for p in options.interpreters],
        "interpreters_at_table": options.interpreters_at_table,
    }


def _seat_text(table: int, seat: int) -> str:
    return f"seat {seat} at table {table}"


def validate_tables(tables: Sequence[Table | Mapping[str, Any]]) -> tuple[Table, ...]:
    """Tables from :class:`Table` values or dicts ``{"number", "seats", "shape", "name"}``;
    every problem is reported at once as a :class:`ValidationError`."""
    problems: list[FieldProblem] = []
    out: list[Table] = []
    if not tables:
        problems.append(FieldProblem("tables", "a plan needs at least one table"))
    for i, spec in enumerate(tables):
        try:
            if isinstance(spec, Table):
                out.append(spec)
            else:
                out.append(Table(int(spec.get("number", i + 1)), int(spec["seats"]),
                                 str(spec.get("shape", ROUND)), str(spec.get("name", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(FieldProblem(f"tables[{i}]", str(exc).strip("'")))
    numbers = [t.number for t in out]
    if len(set(numbers)) != len(numbers):
        problems.append(FieldProblem("tables", f"table numbers must differ: {numbers}"))
    if problems:
        raise ValidationError(problems, subject="seating plan")
    return tuple(out)


def parse_tables(text: str) -> tuple[Table, ...]:
    """Tables from a short text: ``"head:8, round:10, round:10"`` or ``"rect:16"``
    (shape ``round``, ``rectangular``/``rect`` or ``head``, then the seat count), numbered
    from 1 in the order given."""
    specs: list[dict[str, Any]] = []
    problems: list[FieldProblem] = []
    for i, part in enumerate(p.strip() for p in text.split(",") if p.strip()):
        shape, _, count = part.partition(":")
        shape = {"rect": RECTANGULAR, "rectangle": RECTANGULAR}.get(shape.strip().lower(),
                                                                    shape.strip().lower())
        if shape not in TABLE_SHAPES or not count.strip().isdigit():
            problems.append(FieldProblem(
                f"tables[{i}]", f"{part!r} is not SHAPE:SEATS (such as round:10, rect:16, "
                "head:8)"))
            continue
        specs.append({"number": i + 1, "shape": shape, "seats": int(count)})
    if problems:
        raise ValidationError(problems, subject="tables")
    return validate_tables(specs)


def suggest_tables(attendees: int) -> tuple[Table, ...]:
    """A first set of tables for a number of attendees: one round table up to 10, one
    rectangular (French-style) table up to 24, round tables of 10 beyond."""
    n = max(attendees, 2)
    if n <= 10:
        return (Table(1, n, ROUND),)
    if n <= 24:
        return (Table(1, n + n % 2, RECTANGULAR),)
    return tuple(Table(i + 1, 10, ROUND) for i in range(math.ceil(n / 10)))


def has_dietary_need(text: str) -> bool:
    """False for no dietary need on record, blank or written as "None", "n/a"..."""
    return bool(text.strip()) and text.strip().casefold().rstrip(".") not in _NO_DIETARY_NEEDS


# -- the service --------------------------------------------------------------------------


class ProtocolService(ServiceBase):
    """Precedence, forms of address, seating plans, travel times and clash checks."""

    def __init__(self, db: Database, actor: str,
                 default_travel_minutes: int | None = None) -> None:
        """``default_travel_minutes``: fixed default (tests); None reads the settings."""
        super().__init__(db, actor)
        self._default_travel_minutes = default_travel_minutes

    # -- the table of precedence ---------------------------------------------------------

    def categories(self) -> list[CategoryRecord]:
        """The office's table of precedence, highest first (filled with the default
        table the first time)."""
        with self.db.read_session() as session:
            rows = self._category_rows(session)
        if rows:
            return [_category_record(r) for r in rows]
        with self.db.session() as session:
            return [_category_record(r) for r in self._seeded(session)]

    def rule_categories(self) -> tuple[PrecedenceCategory, ...]:
        """The table as the precedence rules take it."""
        return tuple(c.to_rule() for c in self.categories())

    def category(self, key: str) -> CategoryRecord:
        """One line of the table by key."""
        for c in self.categories():
            if c.key == key:
                return c
        raise NotFoundError(f"The table of precedence has no line '{key}'.")

    def add_category(self, key: str, label: str, plural: str = "", *, order: int | None = None,
                     tie_rule: str = precedence_rules.NO_TIE_RULE, excellency: bool = False,
                     equivalents: str = "") -> CategoryRecord:
        """Add a line; ``key`` is normalised ("Chief Justice" -> "chief_justice"); without
        ``order`` it goes just above the "other" line."""
        canonical = normalize_key(key)
        values = {"label": label, "plural": plural or label, "tie_rule": tie_rule,
                  "excellency": excellency, "equivalents": equivalents}
        if order is not None:
            values["order"] = order
        problems = self._category_problems(values)
        if not canonical:
            problems.append(FieldProblem("key", "is required (letters and digits)"))
        if problems:
            raise ValidationError(problems, subject="precedence category")
        with self.db.session() as session:
            rows = self._seeded(session)
            if any(r.key == canonical for r in rows):
                raise ConflictError(f"The table of precedence already has a line '{canonical}'.")
            if order is None:
                others = [r.order for r in rows if r.key != precedence_rules.OTHER]
                order = (max(others) + 10) if others else 10
            row = PrecedenceCategoryRow(key=canonical, order=order, **{
                k: val for k, val in values.items() if k != "order"})
            session.add(row)
            session.flush()
            write_audit(session, self.actor, "create", "precedence_category", row.id,
                        new=_category_values(row),
                        summary=f"Added '{row.label}' to the table of precedence")
            return _category_record(row)

    def update_category(self, key: str, expected_version: int | None, /,
                        **changes: Any) -> CategoryRecord:
        """Change a line read at ``expected_version`` (label, plural, order, tie rule,
        excellency, equivalents; the key is fixed, as people's ranks refer to it)."""
        unknown = [k for k in changes if k not in CATEGORY_FIELDS]
        problems = [FieldProblem(k, "cannot be changed (fields: " + ", ".join(CATEGORY_FIELDS)
                                 + ")") for k in unknown]
        problems += self._category_problems(changes)
        if problems:
            raise ValidationError(problems, subject="precedence category")
        with self.db.session() as session:
            row = self._category_row(session, key)
            old = _category_values(row)
            check_version("precedence category", row.id, row.version, expected_version, old)
            for name, value in changes.items():
                setattr(row, name, value.strip() if isinstance(value, str) else value)
            session.flush()
            new = _category_values(row)
            if new != old:
                write_audit(session, self.actor, "update", "precedence_category", row.id,
                            old=old, new=new,
                            summary=f"Changed '{row.label}' in the table of precedence")
            return _category_record(row)

    def delete_category(self, key: str, expected_version: int | None = None) -> None:
        """Remove a line no one's rank uses (the "other" line stays)."""
        if key == precedence_rules.OTHER:
            raise ConflictError("The 'other' line takes every unknown rank and cannot be "
                                "removed. Nothing was deleted.")
        with self.db.session() as session:
            row = self._category_row(session, key)
            check_version("precedence category", row.id, row.version, expected_version)
            users = session.scalars(select(Person).where(Person.rank != "")).all()
            using = [p for p in users if normalize_key(p.rank) == key
                     or precedence_rules.KEY_ALIASES.get(normalize_key(p.rank)) == key]
            if using:
                names = ", ".join(person_record(p).display_name for p in using[:3])
                raise ConflictError(
                    f"{len(using)} people have the rank '{row.label}' ({names}"
                    f"{', ...' if len(using) > 3 else ''}); change their rank first. "
                    "Nothing was deleted.")
            old = _category_values(row)
            session.delete(row)
            write_audit(session, self.actor, "delete", "precedence_category", row.id, old=old,
                        summary=f"Removed '{old['label']}' from the table of precedence")

    def move_category(self, key: str, to_index: int,
                      expected_version: int | None = None) -> list[CategoryRecord]:
        """Move a line to ``to_index`` (0 = highest) and renumber the table in steps of
        10; returns the whole table."""
        with self.db.session() as session:
            rows = self._seeded(session)
            row = next((r for r in rows if r.key == key), None)
            if row is None:
                raise NotFoundError(f"The table of precedence has no line '{key}'.")
            check_version("precedence category", row.id, row.version, expected_version)
            old_index = rows.index(row)
            to_index = max(0, min(to_index, len(rows) - 1))
            rows.remove(row)
            rows.insert(to_index, row)
            before = {r.key: r.order for r in rows}
            for i, r in enumerate(rows):
                if r.order != (i + 1) * 10:
                    r.order = (i + 1) * 10
            session.flush()
            if old_index != to_index:
                write_audit(session, self.actor, "update", "precedence_category", row.id,
                            old={"position": old_index + 1, "orders": before},
                            new={"position": to_index + 1,
                                 "orders": {r.key: r.order for r in rows}},
                            summary=f"Moved '{row.label}' from place {old_index + 1} to "
                                    f"{to_index + 1} in the table of precedence")
            return [_category_record(r) for r in rows]

    def reset_categories(self) -> list[CategoryRecord]:
        """Replace the table by the default one (audited)."""
        with self.db.session() as session:
            old = [_category_values(r) for r in self._category_rows(session)]
            session.execute(delete(PrecedenceCategoryRow))
            session.flush()
            rows = self._seeded(session, audit=False)
            write_audit(session, self.actor, "update", "precedence_category", 0,
                        old={"table": old}, new={"table": [_category_values(r) for r in rows]},
                        summary="Restored the default table of precedence")
            return [_category_record(r) for r in rows]

    @staticmethod
    def _category_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        for name in ("label", "plural"):
            if name in values:
                msg = v.text_problem(values[name], required=name == "label", max_length=200)
                if msg:
                    problems.append(FieldProblem(name, msg))
        if "equivalents" in values:
            msg = v.text_problem(values["equivalents"], max_length=v.MAX_LONG, multiline=True)
            if msg:
                problems.append(FieldProblem("equivalents", msg))
        if "tie_rule" in values and values["tie_rule"] not in TIE_RULES:
            problems.append(FieldProblem("tie_rule", f"must be one of {', '.join(TIE_RULES)}"))
        if "order" in values and (not isinstance(values["order"], int)
                                  or isinstance(values["order"], bool)):
            problems.append(FieldProblem("order", "must be a whole number"))
        if "excellency" in values and not isinstance(values["excellency"], bool):
            problems.append(FieldProblem("excellency", "must be true or false"))
        return problems

    @staticmethod
    def _category_rows(session: Session) -> list[PrecedenceCategoryRow]:
        return list(session.scalars(select(PrecedenceCategoryRow).order_by(
            PrecedenceCategoryRow.order, PrecedenceCategoryRow.key)))

    def _seeded(self, session: Session, *, audit: bool = True) -> list[PrecedenceCategoryRow]:
        rows = self._category_rows(session)
        if rows:
            return rows
        for c in DEFAULT_CATEGORIES:
            session.add(PrecedenceCategoryRow(
                key=c.key, label=c.label, plural=c.plural, order=c.order, tie_rule=c.tie_rule,
                excellency=c.excellency, equivalents=c.equivalents))
        session.flush()
        if audit:
            write_audit(session, self.actor, "create", "precedence_category", 0,
                        new={"lines": len(DEFAULT_CATEGORIES)},
                        summary="Filled the table of precedence with the default table")
        return self._category_rows(session)

    def _category_row(self, session: Session, key: str) -> PrecedenceCategoryRow:
        self._seeded(session)
        row = session.scalar(select(PrecedenceCategoryRow).where(
            PrecedenceCategoryRow.key == key))
        if row is None:
            raise NotFoundError(f"The table of precedence has no line '{key}' (it may have "
                                "been removed).")
        return row

    def _rule_categories(self, session: Session) -> tuple[PrecedenceCategory, ...]:
        rows = self._category_rows(session)
        if not rows:
            return DEFAULT_CATEGORIES
        return tuple(_category_record(r).to_rule() for r in rows)

    # -- precedence of a visit -----------------------------------------------------------

    def precedence(self, visit: int | str, side: str | None = None) -> list[PrecedenceEntry]:
        """The visit's participants in order of precedence, each place explained;
        ``side`` "guest" or "host" keeps one side (overrides naming someone of the
        other side are then not applied)."""
        if side is not None and side not in _SIDES:
            raise ValidationError([FieldProblem("side", "must be 'guest', 'host' or empty")])
        self.categories()  # make sure the table exists
        with self.db.read_session() as session:
            record = visit_record(resolve_visit(session, visit))
            categories = self._rule_categories(session)
            overrides = self._override_rows(session, record.id)
        return self._ranked(record, categories, overrides, side=side)

    def _ranked(self, record: VisitRecord, categories: Sequence[PrecedenceCategory],
                overrides: Sequence[PrecedenceOverrideRow], *, side: str | None = None,
                only: Iterable[int] | None = None) -> list[PrecedenceEntry]:
        wanted = set(only) if only is not None else None
        participants = [p for p in record.participants
                        if (side is None or p.side == side)
                        and (wanted is None or p.person_id in wanted)]
        by_id = {p.person_id: p for p in participants}
        rules_overrides = [
            PrecedenceOverride(o.person_id, o.place, o.other_person_id, o.reason)
            for o in overrides
        ]
        ids = {o.person_id: o.id for o in overrides}
        ranked = order_by_precedence([p.person for p in participants], categories,
                                     rules_overrides)
        return [
            PrecedenceEntry(
                position=r.position, person=by_id[r.person.id].person,
                side=by_id[r.person.id].side, role=by_id[r.person.id].role,
                category_key=r.category.key, category_label=r.category.label,
                explanation=r.explanation,
                override_reason=r.override.reason if r.override else "",
                override_id=ids.get(r.person.id) if r.override else None,
            )
            for r in ranked
        ]

    def overrides(self, visit: int | str) -> list[OverrideRecord]:
        """The host's overrides of a visit, in the order they apply."""
        with self.db.read_session() as session:
            visit_id = resolve_visit(session, visit).id
            return [_override_record(r) for r in self._override_rows(session, visit_id)]

    def add_override(self, visit: int | str, person_id: int, place: str, other_person_id: int,
                     reason: str) -> OverrideRecord:
        """Place a person before or after another in the visit's order, for ``reason``
        (required; shown in the order).  Replaces the person's earlier override."""
        problems: list[FieldProblem] = []
        if place not in ("before", "after"):
            problems.append(FieldProblem("place", "must be 'before' or 'after'"))
        msg = v.text_problem(reason, required=True, max_length=1000)
        if msg:
            problems.append(FieldProblem("reason", msg + " (it is shown to everyone who reads "
                                         "the order of precedence)" if "required" in msg
                                         else msg))
        if person_id == other_person_id:
            problems.append(FieldProblem("other_person_id",
                                         "a person cannot be placed relative to themselves"))
        if problems:
            raise ValidationError(problems, subject="precedence override")
        with self.db.session() as session:
            row_visit = resolve_visit(session, visit)
            names = {p.person_id: person_record(p.person).display_name
                     for p in row_visit.participants}
            for pid, what in ((person_id, "person_id"), (other_person_id, "other_person_id")):
                if pid not in names:
                    problems.append(FieldProblem(
                        what, f"person #{pid} does not take part in {row_visit.title}"))
            if problems:
                raise ValidationError(problems, subject="precedence override")
            existing = session.scalar(select(PrecedenceOverrideRow).where(
                PrecedenceOverrideRow.visit_id == row_visit.id,
                PrecedenceOverrideRow.person_id == person_id))
            old: dict[str, Any] = {}
            if existing is not None:
                old = self._override_values(existing, names)
                session.delete(existing)
                session.flush()
            row = PrecedenceOverrideRow(
                visit_id=row_visit.id, person_id=person_id, place=place,
                other_person_id=other_person_id, reason=reason.strip(),
                created_by=self.actor, created_at=_now())
            session.add(row)
            session.flush()
            write_audit(session, self.actor, "update" if old else "create",
                        "precedence_override", row_visit.id, old=old,
                        new=self._override_values(row, names),
                        summary=f"Placed {names[person_id]} {place} {names[other_person_id]} "
                                f"in {row_visit.title}: {reason.strip()}")
            return _override_record(row)

    def remove_override(self, override_id: int) -> None:
        """Withdraw an override (the natural order applies again)."""
        with self.db.session() as session:
            row = session.get(PrecedenceOverrideRow, override_id)
            if row is None:
                raise NotFoundError(f"There is no precedence override #{override_id} (it may "
                                    "have been removed already).")
            visit = session.get(Visit, row.visit_id)
            assert visit is not None
            names = {p.person_id: person_record(p.person).display_name
                     for p in visit.participants}
            old = self._override_values(row, names)
            session.delete(row)
            write_audit(session, self.actor, "delete", "precedence_override", visit.id, old=old,
                        summary=f"Withdrew the override placing {old['person']} "
                                f"{row.place} {old['other_person']} in {visit.title}")

    @staticmethod
    def _override_values(row: PrecedenceOverrideRow, names: Mapping[int, str]) -> dict[str, Any]:
        return {
            "override_id": row.id, "person_id": row.person_id,
            "person": names.get(row.person_id, f"person {row.person_id}"),
            "place": row.place, "other_person_id": row.other_person_id,
            "other_person": names.get(row.other_person_id, f"person {row.other_person_id}"),
            "reason": row.reason,
        }

    @staticmethod
    def _override_rows(session: Session, visit_id: int) -> list[PrecedenceOverrideRow]:
        return list(session.scalars(select(PrecedenceOverrideRow).where(
            PrecedenceOverrideRow.visit_id == visit_id).order_by(PrecedenceOverrideRow.id)))

    # -- forms of address -----------------------------------------------------------------

    def forms_of_address(self, person_id: int) -> FormsOfAddress:
        """A person's forms of address, the office's overrides applied."""
        return self.forms_of_address_many([person_id])[person_id]

    def forms_of_address_many(self, person_ids: Iterable[int]) -> dict[int, FormsOfAddress]:
        """Forms of address of many people at once (for the briefing book and cards);
        an unknown id raises :class:`NotFoundError`."""
        ids = list(dict.fromkeys(person_ids))
        self.categories()
        with self.db.read_session() as session:
            people = {p.id: person_record(p) for p in session.scalars(
                select(Person).where(Person.id.in_(ids)))} if ids else {}
            missing = [i for i in ids if i not in people]
            if missing:
                raise NotFoundError(f"There is no person #{missing[0]} (it may have been "
                                    "deleted).")
            return self._forms(session, people.values())

    def _forms(self, session: Session,
               people: Iterable[PersonRecord]) -> dict[int, FormsOfAddress]:
        people = list(people)
        categories = self._rule_categories(session)
        overrides: dict[int, dict[str, str]] = {}
        if people:
            for row in session.scalars(select(AddressOverride).where(
                    AddressOverride.person_id.in_([p.id for p in people]))):
                if row.form in FORM_NAMES:
                    overrides.setdefault(row.person_id, {})[row.form] = row.text
        return {
            p.id: address_rules.forms_of_address(p, category_for(p.rank, categories),
                                                 overrides.get(p.id))
            for p in people
        }

    def address_forms(self, person_id: int) -> tuple[AddressForm, ...]:
        """Each form of address of a person: generated, and the office's override."""
        self.categories()
        with self.db.read_session() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(f"There is no person #{person_id} (it may have been "
                                    "deleted).")
            record = person_record(person)
            category = category_for(record.rank, self._rule_categories(session))
            generated = address_rules.forms_of_address(record, category)
            rows = {r.form: r for r in session.scalars(select(AddressOverride).where(
                AddressOverride.person_id == person_id))}
            return tuple(
                AddressForm(
                    name=name, label=FORM_LABELS[name], generated=getattr(generated, name),
                    override=rows[name].text if name in rows else None,
                    override_version=rows[name].version if name in rows else 0,
                )
                for name in FORM_NAMES
            )

    def set_address_override(self, person_id: int, form: str, text: str | None,
                             expected_version: int | None = None) -> AddressForm:
        """Store the office's wording of one form (``None`` or blank text removes it, so
        the generated form applies again).  ``expected_version``: the override's version
        as read (0 = there was none); a different stored one is refused."""
        if form not in FORM_NAMES:
            raise ValidationError([FieldProblem(
                "form", f"'{form}' is not a form of address ({', '.join(FORM_NAMES)})")],
                subject="form of address")
        if text is not None:
            text = "\n".join(line.strip() for line in text.strip().splitlines())
            msg = v.text_problem(text, max_length=1000, multiline=form in _MULTILINE_FORMS)
            if msg:
                raise ValidationError([FieldProblem(form, msg)], subject="form of address")
        with self.db.session() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(f"There is no person #{person_id} (it may have been "
                                    "deleted).")
            row = session.scalar(select(AddressOverride).where(
                AddressOverride.person_id == person_id, AddressOverride.form == form))
            current = row.version if row is not None else 0
            check_version("form of address", person_id, current, expected_version)
            old_text = row.text if row is not None else None
            name = person_record(person).display_name
            key = f"address.{form}"
            if not text:
                if row is not None:
                    session.delete(row)
                    write_audit(session, self.actor, "update", "person", person_id,
                                old={key: old_text}, new={key: None},
                                summary=f"Restored the generated {FORM_LABELS[form].lower()} "
                                        f"of {name}")
            elif text != old_text:
                if row is None:
                    row = AddressOverride(person_id=person_id, form=form, text=text)
                    session.add(row)
                else:
                    row.text = text
                session.flush()
                write_audit(session, self.actor, "update", "person", person_id,
                            old={key: old_text}, new={key: text},
                            summary=f"Set the {FORM_LABELS[form].lower()} of {name}")
        return next(f for f in self.address_forms(person_id) if f.name == form)

    # -- venues and travel times ----------------------------------------------------------

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
        seating plans (see :func:`protocol_app.rules.conflicts.check_visit`)."""
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
        return conflict_rules.check_visit(record, travel, default, seating)

    # -- seating ----------------------------------------------------------------------------

    def seating_events(self, visit: int | str) -> list[EventRecord]:
        """The visit's meals and ceremonies (not cancelled), which can be seated."""
        with self.db.read_session() as session:
            row = resolve_visit(session, visit)
            return [event_record(e) for e in sorted(row.events, key=lambda e: (e.start_utc, e.id))
                    if e.kind in SEATED_KINDS and e.status != "cancelled"]

    def seating_plans(self, visit: int | str) -> dict[str, int]:
        """Event ref -> plan version, for the visit's events that have a stored plan."""
        with self.db.read_session() as session:
            row = resolve_visit(session, visit)
            refs = {e.id: e.ref for e in row.events}
            if not refs:
                return {}
            return {refs[p.event_id]: p.version for p in session.scalars(
                select(SeatingPlanRow).where(SeatingPlanRow.event_id.in_(list(refs))))}

    def seating_plan(self, visit: int | str, event_ref: str | int) -> SeatingPlanView:
        """The stored plan of a meal or ceremony; without one, an empty view
        (``stored`` False, no tables)."""
        self.categories()
        with self.db.read_session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            return self._view(session, ctx, ctx.plan)

    def preview_plan(self, visit: int | str, event_ref: str | int,
                     tables: Sequence[Table | Mapping[str, Any]] | None = None,
                     options: SeatingOptions | None = None) -> SeatingPlanView:
        """An automatic plan, not saved (the stored plan's locked seats are kept).
        Without ``tables``: the stored tables, else :func:`suggest_tables`."""
        self.categories()
        with self.db.read_session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            table_specs, opts = self._plan_inputs(ctx, tables, options)
            plan = self._auto_plan(session, ctx, table_specs, opts)
            return self._view_of_plan(session, ctx, plan, opts, stored=False,
                                      locked=self._locked(ctx, table_specs))

    def plan_seating(self, visit: int | str, event_ref: str | int,
                     tables: Sequence[Table | Mapping[str, Any]] | None = None,
                     options: SeatingOptions | None = None, *,
                     expected_version: int | None = None) -> SeatingPlanView:
        """Make the plan automatically (by precedence and convention) and store it,
        keeping locked seats.  ``tables`` and ``options`` default to the stored ones
        (else :func:`suggest_tables` and :class:`SeatingOptions`).  ``expected_version``
        is the plan's version as read (0 = there was no plan)."""
        self.categories()
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._check_plan_version(ctx, expected_version)
            table_specs, opts = self._plan_inputs(ctx, tables, options)
            locked = self._locked(ctx, table_specs)
            plan = self._auto_plan(session, ctx, table_specs, opts)
            seats = [SeatSpec(a.seat.table, a.seat.seat, a.person_id,
                              not a.behind and locked.get(a.seat) == a.person_id, a.behind)
                     for a in plan.assignments]
            created = ctx.plan is None
            row = self._write_plan(session, ctx, table_specs, seats, opts)
            write_audit(session, self.actor, "create" if created else "update", "seating_plan",
                        row.id, new={"tables": json.loads(row.tables),
                                     "seated": len(plan.seated_ids), "locked_kept": len(locked),
                                     "unseated": list(plan.unseated)},
                        summary=f"Planned the seating of {ctx.event.title} automatically"
                                + (f", keeping {len(locked)} locked seats" if locked else ""))
            return self._view(session, ctx, row)

    def save_plan(self, visit: int | str, event_ref: str | int,
                  tables: Sequence[Table | Mapping[str, Any]], seats: Iterable[SeatSpec],
                  options: SeatingOptions | None = None, *,
                  expected_version: int | None = None) -> SeatingPlanView:
        """Store a plan exactly as given (used to undo an automatic plan).  Seats must
        exist, hold one person each (plus anyone behind), and seat attendees only once."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._check_plan_version(ctx, expected_version)
            table_specs = validate_tables(tables)
            specs = list(seats)
            self._validate_seats(ctx, table_specs, specs)
            opts = options or (_options(ctx.plan) if ctx.plan else SeatingOptions())
            created = ctx.plan is None
            row = self._write_plan(session, ctx, table_specs, specs, opts)
            write_audit(session, self.actor, "create" if created else "update", "seating_plan",
                        row.id, new={"tables": json.loads(row.tables), "seats": len(specs)},
                        summary=f"Saved the seating of {ctx.event.title}")
            return self._view(session, ctx, row)

    def set_seating_options(self, visit: int | str, event_ref: str | int,
                            options: SeatingOptions, *,
                            expected_version: int | None = None) -> SeatingPlanView:
        """Change how a stored plan is made (couples, pairs to keep apart, interpreters);
        the seats stay as they are until the plan is made again."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._validate_options(options, ctx)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            old = _plain_options(_options(row))
            _store_options(row, options)
            self._touch(row)
            session.flush()
            write_audit(session, self.actor, "update", "seating_plan", row.id, old=old,
                        new=_plain_options(options),
                        summary=f"Changed the seating options of {ctx.event.title}")
            return self._view(session, ctx, row)

    def delete_plan(self, visit: int | str, event_ref: str | int, *,
                    expected_version: int | None = None) -> None:
        """Remove a meal's seating plan."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            old = {"tables": json.loads(row.tables), "seats": len(row.seats)}
            session.delete(row)
            write_audit(session, self.actor, "delete", "seating_plan", row.id, old=old,
                        summary=f"Removed the seating plan of {ctx.event.title}")

    def swap(self, visit: int | str, event_ref: str | int, seat_a: tuple[int, int],
             seat_b: tuple[int, int], *, expected_version: int | None = None) -> SeatingPlanView:
        """Exchange who sits at two seats (anyone behind a seat follows its person);
        either seat may be empty.  Locked seats are refused."""
        a, b = SeatRef(*seat_a), SeatRef(*seat_b)
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            tables = {t.number: t for t in _tables_from_json(row.tables)}
            for ref in (a, b):
                self._check_seat(tables, ref)
            at_a = [s for s in row.seats if (s.table, s.seat) == a]
            at_b = [s for s in row.seats if (s.table, s.seat) == b]
            self._refuse_locked(ctx, at_a + at_b)
            if a == b or not (at_a or at_b):
                return self._view(session, ctx, row)
            self._swap_rows(row, a, b)
            self._touch(row)
            session.flush()
            names = [self._name(ctx, s.person_id) for s in (at_a + at_b) if not s.behind]
            write_audit(session, self.actor, "update", "seating_plan", row.id,
                        old={"seat_a": list(a), "seat_b": list(b)},
                        new={"moved": [s.person_id for s in at_a + at_b]},
                        summary=f"Swapped {_seat_text(*a)} and {_seat_text(*b)} "
                                f"({' and '.join(names)}) at {ctx.event.title}")
            return self._view(session, ctx, row)

    def move_seat(self, visit: int | str, event_ref: str | int, person_id: int,
                  to: tuple[int, int] | None, *,
                  expected_version: int | None = None) -> SeatingPlanView:
        """Put an attendee in a seat; ``to=None`` unseats them.

        A seated person moving to an occupied seat swaps with its occupant (anyone behind
        either seat follows their person); an unseated person (or an interpreter from a
        chair behind) takes the seat and its occupant becomes unseated.  Locked seats
        are refused."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            if person_id not in ctx.attendees:
                raise ValidationError([FieldProblem(
                    "person_id", f"{self._name(ctx, person_id)} does not attend "
                                 f"{ctx.event.title}")], subject="seating plan")
            tables = {t.number: t for t in _tables_from_json(row.tables)}
            target = SeatRef(*to) if to is not None else None
            if target is not None:
                self._check_seat(tables, target)
            mine = next((s for s in row.seats if s.person_id == person_id), None)
            origin = SeatRef(mine.table, mine.seat) if mine is not None else None
            occupant = next((s for s in row.seats if target is not None and not s.behind
                             and (s.table, s.seat) == target and s is not mine), None)
            self._refuse_locked(ctx, [s for s in (mine, occupant) if s is not None])
            if target is None:
                if mine is not None:
                    row.seats.remove(mine)
            elif mine is not None and not mine.behind:
                if origin != target:
                    self._swap_rows(row, origin, target)
            else:
                if occupant is not None:
                    row.seats.remove(occupant)
                if mine is None:
                    row.seats.append(SeatRow(table=target.table, seat=target.seat,
                                             person_id=person_id, locked=False, behind=False))
                else:
                    mine.table, mine.seat, mine.behind = target.table, target.seat, False
            self._touch(row)
            session.flush()
            where = _seat_text(*target) if target else "no seat"
            displaced = [occupant.person_id] if occupant is not None else []
            write_audit(session, self.actor, "update", "seating_plan", row.id,
                        old={"person_id": person_id, "seat": list(origin) if origin else None},
                        new={"person_id": person_id, "seat": list(target) if target else None,
                             "displaced": displaced},
                        summary=f"Moved {self._name(ctx, person_id)} to {where} at "
                                f"{ctx.event.title}")
            return self._view(session, ctx, row)

    @staticmethod
    def _swap_rows(row: SeatingPlanRow, a: SeatRef, b: SeatRef) -> None:
        at_a = [s for s in row.seats if (s.table, s.seat) == a]
        at_b = [s for s in row.seats if (s.table, s.seat) == b]
        for s in at_a:
            s.table, s.seat = b
        for s in at_b:
            s.table, s.seat = a

    def set_locked(self, visit: int | str, event_ref: str | int, seat: tuple[int, int],
                   locked: bool, *, expected_version: int | None = None) -> SeatingPlanView:
        """Lock a seat (kept as it is when the plan is made again) or unlock it."""
        ref = SeatRef(*seat)
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            self._check_seat({t.number: t for t in _tables_from_json(row.tables)}, ref)
            occupant = next((s for s in row.seats
                             if (s.table, s.seat) == ref and not s.behind), None)
            if occupant is None:
                raise ValidationError([FieldProblem(
                    "seat", f"{_seat_text(*ref)} is empty; only a seat with someone in it "
                            "can be locked")], subject="seating plan")
            if occupant.locked != locked:
                occupant.locked = locked
                self._touch(row)
                session.flush()
                write_audit(session, self.actor, "update", "seating_plan", row.id,
                            old={"seat": list(ref), "locked": not locked},
                            new={"seat": list(ref), "locked": locked},
                            summary=f"{'Locked' if locked else 'Unlocked'} {_seat_text(*ref)} "
                                    f"({self._name(ctx, occupant.person_id)}) at "
                                    f"{ctx.event.title}")
            return self._view(session, ctx, row)

    def lock(self, visit: int | str, event_ref: str | int, seat: tuple[int, int], *,
             expected_version: int | None = None) -> SeatingPlanView:
        """Lock a seat: re-planning keeps its person there."""
        return self.set_locked(visit, event_ref, seat, True, expected_version=expected_version)

    def unlock(self, visit: int | str, event_ref: str | int, seat: tuple[int, int], *,
               expected_version: int | None = None) -> SeatingPlanView:
        """Unlock a seat."""
        return self.set_locked(visit, event_ref, seat, False, expected_version=expected_version)

    # -- seating internals ------------------------------------------------------------------

    @dataclass
    class _Context:
        visit: VisitRecord
        event: EventRecord
        event_row: Event
        plan: SeatingPlanRow | None
        attendees: list[int]
        people: dict[int, PersonRecord]
        sides: dict[int, tuple[str, str]]
        categories: tuple[PrecedenceCategory, ...]
        overrides: list[PrecedenceOverrideRow]

    def _seating_context(self, session: Session, visit: int | str,
                         event_ref: str | int) -> ProtocolService._Context:
        row = resolve_visit(session, visit)
        record = visit_record(row)
        event_row = next((e for e in row.events if e.ref == event_ref or (
            isinstance(event_ref, int) and e.id == event_ref)), None)
        if event_row is None:
            refs = ", ".join(e.ref for e in row.events if e.kind in SEATED_KINDS) or "none"
            raise NotFoundError(f"{row.title} has no event '{event_ref}' (its meals and "
                                f"ceremonies: {refs}).")
        event = event_record(event_row)
        if event.kind not in SEATED_KINDS:
            raise ValidationError([FieldProblem(
                "event", f"“{event.title}” is a {event.kind}; only meals and ceremonies have "
                         "seating plans")], subject="seating plan")
        people = {p.person_id: p.person for p in record.participants}
        attendees = [p for p in dict.fromkeys(
            [*event.attendee_ids, *([event.host_person_id] if event.host_person_id else [])])
            if p in people]
        plan = session.scalar(select(SeatingPlanRow).where(
            SeatingPlanRow.event_id == event.id))
        return self._Context(
            visit=record, event=event, event_row=event_row, plan=plan, attendees=attendees,
            people=people, sides={p.person_id: (p.side, p.role) for p in record.participants},
            categories=self._rule_categories(session),
            overrides=self._override_rows(session, record.id),
        )

    @staticmethod
    def _name(ctx: ProtocolService._Context, person_id: int) -> str:
        person = ctx.people.get(person_id)
        return (display_name(person) if person else "") or f"person {person_id}"

    @staticmethod
    def _touch(row: SeatingPlanRow) -> None:
        row.updated_at = _now()

    @staticmethod
    def _existing_plan(ctx: ProtocolService._Context) -> SeatingPlanRow:
        if ctx.plan is None:
            raise NotFoundError(f"“{ctx.event.title}” has no seating plan yet; make one first "
                                "(Plan automatically).")
        return ctx.plan

    @staticmethod
    def _check_plan_version(ctx: ProtocolService._Context, expected: int | None) -> None:
        current = ctx.plan.version if ctx.plan is not None else 0
        check_version("seating plan", ctx.plan.id if ctx.plan else ctx.event.id, current,
                      expected)

    @staticmethod
    def _check_seat(tables: Mapping[int, Table], ref: SeatRef) -> None:
        table = tables.get(ref.table)
        if table is None or not table.has_seat(ref.seat):
            raise ValidationError([FieldProblem(
                "seat", f"{_seat_text(*ref)} does not exist in this plan")],
                subject="seating plan")

    def _refuse_locked(self, ctx: ProtocolService._Context, rows: Iterable[SeatRow]) -> None:
        for s in rows:
            if s.locked and not s.behind:
                raise ConflictError(
                    f"{_seat_text(s.table, s.seat)} ({self._name(ctx, s.person_id)}) is "
                    "locked; unlock it first. Nothing was changed.")

    def _validate_options(self, options: SeatingOptions,
                          ctx: ProtocolService._Context | None = None) -> None:
        problems: list[FieldProblem] = []
        interpreters = [i for i, _ in options.interpreters]
        if len(set(interpreters)) != len(interpreters):
            problems.append(FieldProblem("interpreters", "an interpreter has one principal"))
        for name, pairs in (("couples", options.couples),
                            ("not_together", options.not_together),
                            ("interpreters", options.interpreters)):
            for i, (a, b) in enumerate(pairs):
                if a == b:
                    problems.append(FieldProblem(f"{name}[{i}]", "names the same person twice"))
                elif ctx is not None:
                    for pid in (a, b):
                        if pid not in ctx.people:
                            problems.append(FieldProblem(
                                f"{name}[{i}]", f"person #{pid} does not take part in the "
                                                "visit"))
        if problems:
            raise ValidationError(problems, subject="seating options")

    def _plan_inputs(self, ctx: ProtocolService._Context,
                     tables: Sequence[Table | Mapping[str, Any]] | None,
                     options: SeatingOptions | None) -> tuple[tuple[Table, ...], SeatingOptions]:
        if tables is not None:
            table_specs = validate_tables(tables)
        elif ctx.plan is not None:
            table_specs = _tables_from_json(ctx.plan.tables)
        else:
            table_specs = suggest_tables(len(ctx.attendees))
        opts = options if options is not None else (
            _options(ctx.plan) if ctx.plan is not None else SeatingOptions())
        self._validate_options(opts, ctx)
        return table_specs, opts

    def _locked(self, ctx: ProtocolService._Context,
                tables: Sequence[Table]) -> dict[SeatRef, int]:
        """The stored plan's locked seats, checked against (new) tables."""
        if ctx.plan is None:
            return {}
        by_number = {t.number: t for t in tables}
        locked: dict[SeatRef, int] = {}
        problems: list[FieldProblem] = []
        for s in ctx.plan.seats:
            if not s.locked or s.behind or s.person_id not in ctx.attendees:
                continue
            table = by_number.get(s.table)
            if table is None or not table.has_seat(s.seat):
                problems.append(FieldProblem(
                    "tables", f"{_seat_text(s.table, s.seat)} is locked for "
                              f"{self._name(ctx, s.person_id)} but the new tables have no such "
                              "seat; unlock it first"))
                continue
            locked[SeatRef(s.table, s.seat)] = s.person_id
        if problems:
            raise ValidationError(problems, subject="seating plan")
        return locked

    def _hosts(self, ctx: ProtocolService._Context, ranked: Sequence[int]) -> list[int]:
        """The host first, then the host side by precedence (co-host second)."""
        host = ctx.event.host_person_id if ctx.event.host_person_id in ctx.attendees else None
        host_side = ctx.sides[host][0] if host is not None else "host"
        others = [p for p in ranked if ctx.sides[p][0] == host_side and p != host]
        return ([host] if host is not None else []) + others

    def _interpreters(self, ctx: ProtocolService._Context, options: SeatingOptions,
                      hosts: Sequence[int]) -> dict[int, int]:
        """Interpreter -> principal for this event (see the module docstring)."""
        mapping: dict[int, int] = {}
        stored = dict(options.interpreters)
        head = ctx.visit.head_of_delegation
        for pid in ctx.attendees:
            side, role = ctx.sides[pid]
            if role != "interpreter":
                continue
            principal = stored.get(pid)
            if principal is None:
                if side == "guest":
                    principal = head.person_id if head is not None else None
                else:
                    principal = next((h for h in hosts if ctx.sides[h][1] != "interpreter"),
                                     None)
            if principal is not None and principal in ctx.attendees and principal != pid:
                mapping[pid] = principal
        return mapping

    def _ranking(self, ctx: ProtocolService._Context) -> list[int]:
        ranked = self._ranked(ctx.visit, ctx.categories, ctx.overrides, only=ctx.attendees)
        return [r.person.id for r in ranked]

    def _auto_plan(self, session: Session, ctx: ProtocolService._Context,
                   tables: Sequence[Table], options: SeatingOptions) -> SeatingPlan:
        ranked = self._ranking(ctx)
        hosts = self._hosts(ctx, ranked)
        interpreters = self._interpreters(ctx, options, hosts)
        locked = self._locked(ctx, tables)
        try:
            return seating_rules.plan_seating(
                ctx.attendees, hosts, tables, ranked,
                couples_together=options.couples_together, couples=options.couples,
                locked=locked, interpreters=interpreters,
                interpreters_at_table=options.interpreters_at_table,
            )
        except ValueError as exc:
            raise ValidationError([FieldProblem("tables", str(exc))],
                                  subject="seating plan") from None

    def _validate_seats(self, ctx: ProtocolService._Context, tables: Sequence[Table],
                        seats: Sequence[SeatSpec]) -> None:
        problems: list[FieldProblem] = []
        by_number = {t.number: t for t in tables}
        taken: set[tuple[int, int]] = set()
        people: set[int] = set()
        for i, s in enumerate(seats):
            table = by_number.get(s.table)
            if table is None or not table.has_seat(s.seat):
                problems.append(FieldProblem(f"seats[{i}]",
                                             f"{_seat_text(s.table, s.seat)} does not exist"))
            if s.person_id in people:
                problems.append(FieldProblem(f"seats[{i}]",
                                             f"{self._name(ctx, s.person_id)} is seated twice"))
            if s.person_id not in ctx.people:
                problems.append(FieldProblem(f"seats[{i}]", f"person #{s.person_id} does not "
                                                            "take part in the visit"))
            if not s.behind:
                if (s.table, s.seat) in taken:
                    problems.append(FieldProblem(
                        f"seats[{i}]", f"{_seat_text(s.table, s.seat)} is given twice"))
                taken.add((s.table, s.seat))
            people.add(s.person_id)
        if problems:
            raise ValidationError(problems, subject="seating plan")

    def _write_plan(self, session: Session, ctx: ProtocolService._Context,
                    tables: Sequence[Table], seats: Iterable[SeatSpec],
                    options: SeatingOptions) -> SeatingPlanRow:
        row = ctx.plan
        if row is None:
            row = SeatingPlanRow(event_id=ctx.event.id, updated_at=_now(),
                                 updated_by=self.actor)
            session.add(row)
        row.tables = _tables_json(tables)
        _store_options(row, options)
        row.updated_at, row.updated_by = _now(), self.actor
        if row.seats:  # old seats go first: a person may keep their seat row's key
            row.seats.clear()
            session.flush()
        row.seats = [SeatRow(table=s.table, seat=s.seat, person_id=s.person_id,
                             locked=s.locked and not s.behind, behind=s.behind) for s in seats]
        session.flush()
        ctx.plan = row
        return row

    def _view(self, session: Session, ctx: ProtocolService._Context,
              row: SeatingPlanRow | None) -> SeatingPlanView:
        if row is None:
            return self._view_of_plan(session, ctx, None, SeatingOptions(), stored=False)
        tables = _tables_from_json(row.tables)
        assignments = tuple(SeatAssignment(SeatRef(s.table, s.seat), s.person_id, s.behind)
                            for s in row.seats)
        ranked = self._ranking(ctx)
        options = _options(row)
        hosts = self._hosts(ctx, ranked)
        interpreters = self._interpreters(ctx, options, hosts)
        seated = {a.person_id for a in assignments}
        plan = SeatingPlan(
            tables=tables, assignments=assignments,
            unseated=tuple(p for p in ctx.attendees if p not in seated),
            interpreters=MappingProxyType(interpreters), hosts=frozenset(hosts),
        )
        locked = {SeatRef(s.table, s.seat): s.person_id for s in row.seats
                  if s.locked and not s.behind}
        return self._view_of_plan(session, ctx, plan, options, stored=True, locked=locked,
                                  version=row.version, updated_at=row.updated_at,
                                  updated_by=row.updated_by)

    def _view_of_plan(self, session: Session, ctx: ProtocolService._Context,
                      plan: SeatingPlan | None, options: SeatingOptions, *, stored: bool,
                      locked: Mapping[SeatRef, int] | None = None, version: int = 0,
                      updated_at: datetime | None = None, updated_by: str = "") -> SeatingPlanView:
        locked = locked or {}
        ranked = self._ranking(ctx)
        hosts = self._hosts(ctx, ranked)
        everyone = list(dict.fromkeys([*ctx.attendees,
                                       *(plan.seated_ids if plan is not None else ())]))
        people = {pid: ctx.people[pid] for pid in everyone if pid in ctx.people}
        forms = self._forms(session, people.values())
        if plan is None:
            return SeatingPlanView(
                visit_id=ctx.visit.id, visit_title=ctx.visit.title, event=ctx.event,
                stored=False, version=0, tables=(),
                unseated=tuple(people[p] for p in ctx.attendees), findings=(),
                options=options, interpreters=tuple(self._interpreters(ctx, options, hosts)
                                                    .items()),
                host_ids=tuple(hosts), attendee_ids=tuple(ctx.attendees),
                forms=MappingProxyType(forms),
            )
        # Dietary needs as the caterer reads them: "None" on record is no need.
        checked = {pid: replace(p, dietary=p.dietary if has_dietary_need(p.dietary) else "")
                   for pid, p in people.items()}
        findings = seating_rules.check_seating(plan, checked, options.not_together,
                                               ctx.attendees)
        for pid in plan.seated_ids:
            if pid not in ctx.attendees:
                seat = next(a.seat for a in plan.assignments if a.person_id == pid)
                findings.append(SeatingFinding(
                    "warning", "seated_not_attending",
                    f"{self._name(ctx, pid)} has {_seat_text(*seat)} but does not attend "
                    f"{ctx.event.title} any more", seat.table, (seat,), (pid,)))
        dietary = seating_rules.dietary_by_table(plan, checked)
        tables: list[TableView] = []
        for index, table in enumerate(plan.tables):
            places: list[SeatView] = []
            for seat in range(1, table.seats + 1):
                ref = SeatRef(table.number, seat)
                pid = plan.person_at(ref)
                person = people.get(pid) if pid is not None else None
                marker = ""
                if seat == table.host_seat:
                    marker = "host"
                elif seat == table.guest_of_honour_seat and index == 0:
                    marker = "guest_of_honour"
                elif seat == table.cohost_seat:
                    marker = "cohost"
                side, role = ctx.sides.get(pid, ("", "")) if pid is not None else ("", "")
                places.append(SeatView(
                    table=table.number, seat=seat, person=person,
                    locked=locked.get(ref) == pid and pid is not None,
                    behind=tuple(people[b] for b in plan.behind_of(ref) if b in people),
                    marker=marker, side=side, role=role,
                ))
            notes = tuple(
                DietaryNote(need, ids, tuple(self._name(ctx, i) for i in ids))
                for need, ids in dietary.get(table.number, {}).items() if need
            )
            tables.append(TableView(
                number=table.number, shape=table.shape, seat_count=table.seats,
                name=table.name, host_seat=table.host_seat, cohost_seat=table.cohost_seat,
                guest_of_honour_seat=table.guest_of_honour_seat, places=tuple(places),
                dietary=notes))
        return SeatingPlanView(
            visit_id=ctx.visit.id, visit_title=ctx.visit.title, event=ctx.event, stored=stored,
            version=version, tables=tuple(tables),
            unseated=tuple(people[p] for p in ctx.attendees if p not in set(plan.seated_ids)),
            findings=tuple(findings), options=options,
            interpreters=tuple(plan.interpreters.items()),
            host_ids=tuple(hosts),
            attendee_ids=tuple(ctx.attendees), forms=MappingProxyType(forms),
            updated_at=to_aware_utc(updated_at) if updated_at else None, updated_by=updated_by,
        )


__all__ = [
    "FORM_LABELS",
    "SEATED_KINDS",
    "AddressForm",
    "CategoryRecord",
    "DietaryNote",
    "OverrideRecord",
    "PrecedenceEntry",
    "ProtocolService",
    "SeatSpec",
    "SeatView",
    "SeatingOptions",
    "SeatingPlanView",
    "TableView",
    "TravelTimeRecord",
    "VenueRecord",
    "has_dietary_need",
    "parse_tables",
    "suggest_tables",
    "validate_tables",
]

"""The frozen values of the protocol services and their pure helpers.

No SQLAlchemy here (a test guards this): the desktop app imports these values (seating
views, table specs, records of the table of precedence) before the database layer
loads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from protocol_app.errors import FieldProblem, ValidationError
from protocol_app.rules.address import FormsOfAddress
from protocol_app.rules.arrangements import Arrangement
from protocol_app.rules.names import display_name
from protocol_app.rules.precedence import PrecedenceCategory
from protocol_app.rules.seating import (
    RECTANGULAR,
    ROUND,
    TABLE_SHAPES,
    SeatingFinding,
    SeatRef,
    Table,
)
from protocol_app.services.values import EventRecord, PersonRecord

#: Event kinds that can have a seating plan (an arrangement: tables, a signing table, two
#: sides facing, a receiving line, front rows or a car plan; see rules.arrangements).
SEATED_KINDS: tuple[str, ...] = ("meal", "ceremony", "meeting", "press", "transport")
#: Fields of a table line that :meth:`PrecedenceService.update_category` can change.
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
#: Forms of address written on several lines.
MULTILINE_FORMS = frozenset({"address_block"})
_NO_DIETARY_NEEDS = frozenset({"none", "no", "n/a", "na", "-", "nil", "no restrictions"})


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
        return self.name in MULTILINE_FORMS


@dataclass(frozen=True, slots=True)
class VenueRecord:
    """A venue events can take place in."""

    id: int
    name: str
    address: str = ""
    controlled_technology: bool = False  # a tour of it needs a risk review


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
    #: An :class:`~protocol_app.rules.arrangements.Arrangement` value; "" = the default
    #: for the event's kind and title.
    arrangement: str = ""
    #: People on duty (security, staff, escorts) the officer asked to seat anyway.
    seat_anyway: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class LeftOutView:
    """A person not placed because they are on duty, and why (they can be seated
    anyway: :meth:`SeatingService.seat_anyway`)."""

    person: PersonRecord
    reason: str
    ref: str = ""


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
    arrangement: Arrangement = Arrangement.TABLES
    left_out: tuple[LeftOutView, ...] = ()
    #: A reception's receiving line, from the entrance, and its order of announcement.
    receiving_line: tuple[PersonRecord, ...] = ()
    announced: tuple[PersonRecord, ...] = ()

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
        """The plan's seats as stored (for undo: :meth:`SeatingService.save_plan`)."""
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
            "arrangement": self.arrangement.value,
            "arrangement_label": self.arrangement.label,
            "left_out": [{"person": lo.ref or lo.person.id, "person_id": lo.person.id,
                          "name": display_name(lo.person), "reason": lo.reason}
                         for lo in self.left_out],
            "seat_anyway": list(self.options.seat_anyway),
            "receiving_line": [display_name(p) for p in self.receiving_line],
            "announced": [display_name(p) for p in self.announced],
        }



def validate_tables(tables: Sequence[Table | Mapping[str, Any]], *,
                    allow_none: bool = False) -> tuple[Table, ...]:
    """Tables from :class:`Table` values or dicts ``{"number", "seats", "shape", "name"}``;
    every problem is reported at once as a :class:`ValidationError`.  ``allow_none``: no
    tables at all is fine (a reception's receiving line)."""
    problems: list[FieldProblem] = []
    out: list[Table] = []
    if not tables and not allow_none:
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


__all__ = [
    "CATEGORY_FIELDS",
    "FORM_LABELS",
    "MULTILINE_FORMS",
    "SEATED_KINDS",
    "AddressForm",
    "CategoryRecord",
    "DietaryNote",
    "LeftOutView",
    "OverrideRecord",
    "PrecedenceEntry",
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

"""Where everything goes in the drawing of an arrangement that is not a banquet table:
a signing table, a meeting's two sides, a receiving line, front rows and a car plan.

:func:`diagram_of` turns a :class:`~protocol_app.services.protocol.values.SeatingPlanView`
into a :class:`Diagram`: outlines (a table, a stage, a car, the entrance), captions (a
side's delegation, a row's letter, where the room is) and spots (a seat, a place to stand,
a chair behind a principal), in drawing units with y growing downwards.  The seating PDF
(:mod:`protocol_app.briefing.arrangement_chart`) and the seating page
(:mod:`ui.seating.arrangement_items`) both draw this one layout, in the colours of
:mod:`protocol_app.rules.seat_style`, so the screen and the paper agree; the tests read the
layout without drawing anything.

Conventions (see ``docs/protocol-rules.md``):

* **Signing** - the table faces the room (drawn below it); the visiting signatory sits at
  the host signatory's right, which is the room's left.  Each side's witnesses stand
  behind their own signatory in order of precedence: witness 1 nearest the middle, then
  outwards, four to a row, the next row further back.
* **Meeting** - the hosts on the near side (below the table), the guests on the far side,
  head opposite head; each side is labelled with its delegation; an interpreter on a
  chair behind sits right behind the principal.
* **Receiving line** - the line from the entrance, in order, standing (no seats); the
  order in which the guests are announced is a numbered list.
* **Rows** - the stage at the top; rows lettered A, B, ... from the front; the host in
  the middle of row A and the guest of honour at the host's right (the right as one
  faces the stage).
* **Cars** - seen from above, the front at the top (left-hand drive): rear right (the
  seat of honour), rear left, front passenger; the driver's seat is shown, never given.
  Car 1, the principals' car, comes first, the others in order of the motorcade.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from protocol_app.formatting import country_name
from protocol_app.rules.arrangements import CAR_SEATS, Arrangement, row_letter
from protocol_app.services.protocol.values import SeatingPlanView, SeatView, TableView
from protocol_app.services.values import PersonRecord

SPOT_R = 9.0  # a spot's radius, in drawing units (points on paper)
PITCH = 110.0  # the room a person takes beside the next one (their label's width)
ROW_STEP = 74.0  # from one row of people to the next
WITNESSES_PER_ROW = 4
CARS_PER_ROW = 4
CAR_W, CAR_H = 104.0, 170.0


@dataclass(frozen=True, slots=True)
class Outline:
    """A thing drawn as a box: ``kind`` "table", "stage", "car" or "entrance"; ``title``
    written in it (``subtitle`` under it)."""

    kind: str
    x: float
    y: float
    w: float
    h: float
    title: str = ""
    subtitle: str = ""


@dataclass(frozen=True, slots=True)
class Caption:
    """A line of text at (x, y) (its baseline's middle, left or right end by ``align``):
    ``kind`` "side" (a side's delegation), "row" (a row's letter), "note" or "list"."""

    x: float
    y: float
    text: str
    kind: str = "note"
    align: str = "center"


@dataclass(frozen=True, slots=True)
class Spot:
    """Where one person sits or stands.

    ``place``: the seat of the plan (None for a place to stand or a chair behind);
    ``person``: who is there (None for an empty seat or the driver's seat); ``number``:
    what is written in the circle (the seat's number, the place in the line, "W1" for the
    first witness); ``posture``: "seat", "standing" or "behind"; ``caption``: what the
    place is ("Witness 1", "Rear right", "Interpreter"); ``label``: where the name goes
    ("below", "above", "left", "right" or "none")."""

    x: float
    y: float
    person: PersonRecord | None
    number: str
    posture: str = "seat"
    caption: str = ""
    place: SeatView | None = None
    side: str = ""
    label: str = "below"
    label_w: float = PITCH - 6


@dataclass(frozen=True, slots=True)
class Diagram:
    """One arrangement laid out; ``lists`` are numbered lists printed beside it
    (heading, lines)."""

    arrangement: Arrangement
    heading: str
    width: float
    height: float
    outlines: tuple[Outline, ...] = ()
    captions: tuple[Caption, ...] = ()
    spots: tuple[Spot, ...] = ()
    lists: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def to_dict(self, view: SeatingPlanView) -> dict[str, Any]:
        """A JSON-ready dict (``seating --json``'s ``drawing``): what each outline,
        caption and spot says, in layout order, names in place-card form."""
        def spot(s: Spot) -> dict[str, Any]:
            return {"posture": s.posture, "number": s.number, "caption": s.caption,
                    "person_id": s.person.id if s.person is not None else None,
                    "name": view.place_card(s.person) if s.person is not None else "",
                    "seat": [s.place.table, s.place.seat] if s.place is not None else None,
                    "side": s.side}
        return {
            "arrangement": self.arrangement.value, "heading": self.heading,
            "outlines": [{"kind": o.kind, "title": o.title, "subtitle": o.subtitle}
                         for o in self.outlines],
            "captions": [{"kind": c.kind, "text": c.text} for c in self.captions],
            "spots": [spot(s) for s in self.spots],
            "lists": [{"heading": h, "lines": list(lines)} for h, lines in self.lists],
        }

    def spot_of(self, person_id: int) -> Spot | None:
        """Where a person is in the drawing."""
        return next((s for s in self.spots if s.person is not None
                     and s.person.id == person_id), None)

    def captions_of(self, kind: str) -> list[str]:
        """The texts of the captions of one kind, top to bottom."""
        return [c.text for c in sorted(self.captions, key=lambda c: (c.y, c.x))
                if c.kind == kind]


def side_label(view: SeatingPlanView, side: str) -> str:
    """A side's delegation: "Hosts – Alderbrook University", "Guests – Viet Nam
    delegation" (from its head: the first host, else the guest of honour's seat, else
    the side's first person)."""
    hosts = set(view.host_ids)
    people = [p for pid, p in view.people.items()
              if (pid in hosts) == (side == "host")]
    ordered = sorted(people, key=lambda p: _rank_in(view, p.id))
    head = ordered[0] if ordered else None
    if side == "host":
        what = head.organization if head is not None and head.organization else ""
        return "Hosts" + (f" – {what}" if what else "")
    country = country_name(head.country) if head is not None and head.country else ""
    what = f"{country} delegation" if country else (head.organization if head else "")
    return "Guests" + (f" – {what}" if what else "")


def _rank_in(view: SeatingPlanView, person_id: int) -> int:
    order = list(view.host_ids) + list(view.attendee_ids)
    return order.index(person_id) if person_id in order else len(order)


def _side_of(view: SeatingPlanView, person: PersonRecord) -> str:
    return "host" if person.id in set(view.host_ids) else "guest"


# -- signing ------------------------------------------------------------------------------


def _signing(view: SeatingPlanView) -> Diagram:
    table = view.tables[0]
    host_place = next(p for p in table.places if p.seat == table.host_seat)
    guest_place = next(p for p in table.places if p.seat != table.host_seat)
    rows = max(1, math.ceil(max(len(host_place.behind), len(guest_place.behind), 1)
                            / WITNESSES_PER_ROW))
    half = WITNESSES_PER_ROW * PITCH + PITCH / 2
    width = 2 * half
    cx = width / 2
    top = 30.0
    behind_gap = 84.0  # from the chairs to the first row of witnesses: room for labels
    chairs_y = top + 20 + behind_gap + (rows - 1) * ROW_STEP
    spots: list[Spot] = []
    interpreting = {interpreter for interpreter, _principal in view.interpreters}
    captions = [Caption(cx - half / 2, 12, side_label(view, "guest"), "side"),
                Caption(cx + half / 2, 12, side_label(view, "host"), "side")]
    # Seen from the room, the host's right (the visiting signatory) is on the left.
    for place, toward in ((guest_place, -1), (host_place, +1)):
        x_chair = cx + toward * PITCH * 0.75
        # the witnesses are drawn standing, so the chair carries nobody "behind" (no
        # interpreter mark, no "behind:" lines)
        spots.append(Spot(x_chair, chairs_y, place.person, str(place.seat), "seat",
                          "Signatory", replace(place, behind=()), place.side,
                          "left" if toward < 0 else "right", 2 * PITCH))
        witnesses = 0
        for index, person in enumerate(place.behind):
            row, column = divmod(index, WITNESSES_PER_ROW)
            x = cx + toward * (PITCH / 2 + column * PITCH)
            y = chairs_y - behind_gap - row * ROW_STEP
            if person.id in interpreting:  # no witness: stands by to interpret
                spots.append(Spot(x, y, person, "i", "standing", "Interpreter", None,
                                  _side_of(view, person)))
                continue
            witnesses += 1
            spots.append(Spot(x, y, person, f"W{witnesses}", "standing",
                              f"Witness {witnesses}", None, _side_of(view, person)))
    table_y = chairs_y + 22
    outline = Outline("table", cx - PITCH * 1.6, table_y, PITCH * 3.2, 36,
                      "Signing table", "the two signatories")
    height = table_y + 36 + 30
    captions.append(Caption(cx, height - 8, "The room: the signing table faces this way",
                            "note"))
    return Diagram(Arrangement.SIGNING, "Signing table – signatories seated, witnesses "
                   "standing behind in order of precedence", width, height, (outline,),
                   tuple(captions), tuple(spots))


# -- meeting ------------------------------------------------------------------------------


def _facing(view: SeatingPlanView) -> Diagram:
    table = view.tables[0]
    per_side = table.seat_count // 2
    table_w = per_side * PITCH
    width = table_w + 40
    cx = width / 2
    far_y = 30 + 16 + ROW_STEP  # room above for chairs behind and the side's caption
    table_y = far_y + SPOT_R + 40
    table_h = 60.0
    near_y = table_y + table_h + SPOT_R + 40
    rule = table.to_table()
    spots: list[Spot] = []
    for place in table.places:
        pos = rule.position(place.seat)
        near = pos.y < 0
        x = cx + pos.x * table_w / 2
        y = near_y if near else far_y
        spots.append(Spot(x, y, place.person, str(place.seat), "seat", "", place,
                          place.side, "below" if near else "above"))
        for person in place.behind:
            behind_y = y + ROW_STEP - 12 if near else y - ROW_STEP + 12
            spots.append(Spot(x, behind_y, person, "i", "behind", "Interpreter", None,
                              _side_of(view, person), "below" if near else "above"))
    height = near_y + ROW_STEP + 30
    captions = (Caption(cx, 12, side_label(view, "guest"), "side"),
                Caption(cx, height - 4, side_label(view, "host"), "side"))
    outline = Outline("table", cx - table_w / 2, table_y, table_w, table_h,
                      "Meeting table", "head opposite head")
    return Diagram(Arrangement.FACING, "Meeting – two sides facing, head opposite head",
                   width, height, (outline,), captions, tuple(spots))


# -- receiving line -----------------------------------------------------------------------


def _receiving_line(view: SeatingPlanView) -> Diagram:
    line = view.receiving_line
    entrance_w = 70.0
    x0 = entrance_w + 50
    width = x0 + max(1, len(line)) * PITCH
    y = 60.0
    host_of_line = line[0].id if line else None
    spots: list[Spot] = []
    for index, person in enumerate(line):
        caption = "Host" if person.id == host_of_line else (
            "Guest of honour" if _side_of(view, person) == "guest" else "")
        spots.append(Spot(x0 + PITCH / 2 + index * PITCH, y, person, str(index + 1),
                          "standing", caption, None, _side_of(view, person)))
    outline = Outline("entrance", 0, y - 26, entrance_w, 52, "Entrance")
    captions = (Caption(x0 + (width - x0) / 2, 18,
                        "Receiving line – the guests pass along it in this order →", "side"),)
    announced = tuple(f"{n}. {view.place_card(p)}"
                      for n, p in enumerate(view.announced, start=1))
    return Diagram(Arrangement.RECEIVING_LINE, "Reception – receiving line and order of "
                   "announcement (no seats)", width, y + 70, (outline,), captions,
                   tuple(spots), (("Order of announcement", announced),))


# -- rows ---------------------------------------------------------------------------------


def _rows(view: SeatingPlanView) -> Diagram:
    seats = max((t.seat_count for t in view.tables), default=1)
    row_w = seats * PITCH * 0.9
    margin = 60.0
    width = row_w + 2 * margin
    cx = width / 2
    stage = Outline("stage", cx - row_w / 2, 0, row_w, 40, "Stage",
                    "the rows face this way")
    spots: list[Spot] = []
    captions: list[Caption] = []
    for index, table in enumerate(sorted(view.tables, key=lambda t: t.number)):
        y = 40 + 40 + index * ROW_STEP
        letter = row_letter(index + 1)
        captions.append(Caption(margin - 12, y + 3, f"Row {letter}", "row", "right"))
        captions.append(Caption(width - margin + 12, y + 3, f"Row {letter}", "row", "left"))
        rule = table.to_table()
        for place in table.places:
            # A head table's positions face the room; the rows face the stage: mirrored.
            x = cx - rule.position(place.seat).x * row_w / 2
            spots.append(Spot(x, y, place.person, str(place.seat), "seat", "", place,
                              place.side, "below", PITCH * 0.9 - 4))
    height = 40 + 40 + len(view.tables) * ROW_STEP
    return Diagram(Arrangement.ROWS, "Front rows by precedence – the host in the middle of "
                   "row A, the guest of honour at the host's right", width, height,
                   (stage,), tuple(captions), tuple(spots))


# -- cars ---------------------------------------------------------------------------------

#: Where each seat sits in a car seen from above, front at the top, as a fraction of the
#: car's half width and half length (x to the right, y downwards).
_CAR_SPOTS = {1: (0.45, 0.45), 2: (-0.45, 0.45), 3: (0.45, -0.2)}
_DRIVER = (-0.45, -0.2)


def car_title(table: TableView) -> tuple[str, str]:
    """"Car 1" and "Principals' car" (the first car), "Car 2" and "" for the others."""
    return f"Car {table.number}", ("Principals' car" if table.number == 1 else "")


def _cars(view: SeatingPlanView) -> Diagram:
    tables = sorted(view.tables, key=lambda t: t.number)
    columns = max(1, min(CARS_PER_ROW, len(tables)))
    cell_w, cell_h = CAR_W + 76, CAR_H + 40 + 4 * 13
    outlines: list[Outline] = []
    spots: list[Spot] = []
    captions: list[Caption] = []
    for index, table in enumerate(tables):
        column, row = index % columns, index // columns
        x = column * cell_w + (cell_w - CAR_W) / 2
        y = row * cell_h + 20
        title, subtitle = car_title(table)
        outlines.append(Outline("car", x, y, CAR_W, CAR_H, title, subtitle))
        cx, cy = x + CAR_W / 2, y + CAR_H / 2
        listing_y = y + CAR_H + 14
        for place in table.places:
            fx, fy = _CAR_SPOTS.get(place.seat, (0.0, 0.0))
            where = CAR_SEATS.get(place.seat, f"seat {place.seat}").capitalize()
            spots.append(Spot(cx + fx * CAR_W / 2, cy + fy * CAR_H / 2, place.person,
                              str(place.seat), "seat", where, place, place.side, "none"))
            name = view.place_card(place.person) if place.person is not None else "—"
            captions.append(Caption(x - 30, listing_y, f"{place.seat}  {where}: {name}",
                                    "list", "left"))
            listing_y += 13
        spots.append(Spot(cx + _DRIVER[0] * CAR_W / 2, cy + _DRIVER[1] * CAR_H / 2, None,
                          "D", "seat", "Driver", None, "", "none"))
    rows = max(1, math.ceil(len(tables) / columns))
    return Diagram(Arrangement.CARS, "Car plan – the principals' car first; seen from above, "
                   "the front at the top", columns * cell_w, rows * cell_h,
                   tuple(outlines), tuple(captions), tuple(spots))


def diagram_of(view: SeatingPlanView) -> Diagram | None:
    """The drawing of a plan that is not a seated meal; None for a seated meal (drawn
    table by table) or for a plan with nothing to draw yet."""
    arrangement = view.arrangement
    if arrangement is Arrangement.RECEIVING_LINE:
        return _receiving_line(view) if view.receiving_line or view.announced else None
    if arrangement is Arrangement.TABLES or not view.tables:
        return None
    draw = {Arrangement.SIGNING: _signing, Arrangement.FACING: _facing,
            Arrangement.ROWS: _rows, Arrangement.CARS: _cars}[arrangement]
    return draw(view)


def spots_in_order(diagram: Diagram, posture: str) -> Sequence[Spot]:
    """The spots of one posture, in the order they were laid out."""
    return [s for s in diagram.spots if s.posture == posture]


__all__ = ["Caption", "Diagram", "Outline", "Spot", "car_title", "diagram_of", "row_letter",
           "side_label", "spots_in_order"]

"""The drawings of the arrangements that are not banquet tables, on the demo data: the
layout (services/protocol/diagrams.py), ``seating --json``'s ``drawing``, the PDF read
back with pypdf and the seating page's graphics items."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from protocol_app.briefing.cards import write_seating_pdf
from protocol_app.services.protocol.diagrams import diagram_of, spots_in_order
from tests.support.demo_refs import MINISTERIAL, RECEPTION
from tests.support.helpers import run_cli as run


def _pdf_text(view, tmp_path: Path, name: str) -> str:
    target = tmp_path / f"{name}.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    return "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)


def test_witnesses_stand_behind_their_signatory_in_order_of_precedence(demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e06")
    diagram = diagram_of(view)
    assert diagram is not None
    table = view.tables[0]
    host = table.place(table.host_seat)
    guest = next(p for p in table.places if p.seat != table.host_seat)
    standing = spots_in_order(diagram, "standing")
    host_side = [s for s in standing if s.person.id in {b.id for b in host.behind}]
    ranked = [pid for pid in view.host_ids if pid in {b.id for b in host.behind}]
    assert [s.person.id for s in host_side] == ranked  # in order of precedence
    assert [s.caption for s in host_side] == [f"Witness {n}"
                                              for n in range(1, len(ranked) + 1)]
    chairs = {s.person.id: s for s in diagram.spots if s.posture == "seat"}
    # standing behind (above) their own signatory, on their signatory's side of the table
    for side, signatory in ((host_side, host), ([s for s in standing if s not in host_side],
                                                guest)):
        chair = chairs[signatory.person.id]
        assert all(s.y < chair.y for s in side)
        assert all((s.x - 0.5 * diagram.width) * (chair.x - 0.5 * diagram.width) > 0
                   for s in side)
    first_row = [s for s in host_side if s.y == host_side[0].y]
    distances = [abs(s.x - diagram.width / 2) for s in first_row]
    assert distances == sorted(distances)  # witness 1 nearest the middle, then outwards
    # the visiting signatory at the host's right: the room's left
    assert chairs[guest.person.id].x < chairs[host.person.id].x
    assert [o.title for o in diagram.outlines] == ["Signing table"]


def test_a_meeting_has_two_labelled_sides_head_opposite_head(demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e05")
    diagram = diagram_of(view)
    table_y = diagram.outlines[0].y
    seats = [s for s in diagram.spots if s.posture == "seat" and s.person is not None]
    assert all(s.y < table_y for s in seats if s.place.side == "guest")
    assert all(s.y > table_y for s in seats if s.place.side == "host")
    host = next(s for s in seats if s.place.marker == "host")
    head = next(s for s in seats if s.place.marker == "guest_of_honour")
    assert host.x == head.x and view.place_card(head.person) == "Minister Tùng"
    assert diagram.captions_of("side") == ["Guests – Viet Nam delegation",
                                           "Hosts – Alderbrook University"]


def test_rows_are_lettered_and_the_guest_of_honour_sits_at_the_hosts_right(
        demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e07")
    diagram = diagram_of(view)
    assert diagram.captions_of("row")[:2] == ["Row A", "Row A"]
    assert [o.kind for o in diagram.outlines] == ["stage"]
    seats = {s.place.marker: s for s in diagram.spots if s.place is not None}
    # facing the stage (at the top), the host's right is the drawing's right
    assert seats["guest_of_honour"].x > seats["host"].x


def test_the_car_plan_puts_the_principals_car_first(demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e19")
    diagram = diagram_of(view)
    titles = [(o.title, o.subtitle) for o in diagram.outlines]
    assert titles[0] == ("Car 1", "Principals' car")
    assert [t for t, _ in titles] == [f"Car {n}" for n in range(1, len(titles) + 1)]
    assert all(sub == "" for _, sub in titles[1:])
    rear_right = next(s for s in diagram.spots if s.place is not None
                      and s.place.table == 1 and s.place.seat == 1)
    assert rear_right.caption == "Rear right" and rear_right.person.display_name == "Võ Thanh Tùng"
    # only the principals' car marks the host's and the guest of honour's seats
    assert {p.marker for t in view.tables[1:] for p in t.places} == {""}
    drivers = [s for s in diagram.spots if s.caption == "Driver"]
    assert len(drivers) == len(view.tables) and all(d.person is None for d in drivers)


def test_the_command_line_adds_the_drawing_and_keeps_the_shape(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e06", "--plan",
                       "--json")
    plan = json.loads(out)
    assert code == 0 and {"tables", "left_out", "drawing"} <= set(plan)
    assert {"name", "marker"} <= set(plan["tables"][0]["places"][0])
    witnesses = [s for s in plan["drawing"]["spots"] if s["posture"] == "standing"]
    assert witnesses and witnesses[0]["caption"] == "Witness 1"
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e07", "--json")
    rows = json.loads(out)["drawing"]
    assert {"kind": "row", "text": "Row A"} in rows["captions"]
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e02", "--json")
    cars = json.loads(out)["drawing"]
    assert cars["outlines"][0]["title"] == "Car 1"
    code, out, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04", "--json")
    line = json.loads(out)["drawing"]
    assert [s["number"] for s in line["spots"]][:2] == ["1", "2"]
    assert line["lists"][0]["heading"] == "Order of announcement"
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e17", "--json")
    assert json.loads(out)["drawing"] is None  # a banquet is drawn table by table


def test_the_pdf_prints_each_drawing_and_those_not_seated(demo_services,
                                                          tmp_path: Path) -> None:
    seating = demo_services.seating
    signing = _pdf_text(seating.plan_seating(MINISTERIAL, "e06"), tmp_path, "signing")
    assert "Signing table" in signing and "Witness 1" in signing
    assert "Not seated (on duty), with the reason" in signing
    assert "close protection is on duty" in signing
    meeting = _pdf_text(seating.plan_seating(MINISTERIAL, "e05"), tmp_path, "meeting")
    assert "Guests – Viet Nam delegation" in meeting
    assert "Hosts – Alderbrook University" in meeting and "Table 1" not in meeting
    rows = _pdf_text(seating.plan_seating(MINISTERIAL, "e07"), tmp_path, "rows")
    assert "Row A" in rows and "Stage" in rows
    cars = _pdf_text(seating.plan_seating(MINISTERIAL, "e02"), tmp_path, "cars")
    assert "Car 1" in cars and "Principals' car" in cars and "Rear right: Minister Tùng" in cars
    line = _pdf_text(seating.plan_seating(RECEPTION, "r04"), tmp_path, "line")
    assert "Entrance" in line and "Order of announcement" in line
    assert "1. Ambassador Valadares" in line and "escorts are on duty" in line


def test_the_seating_page_draws_each_arrangement(qtbot, demo_services) -> None:
    from PySide6.QtGui import QUndoStack

    from ui.seating.arrangement_items import CaptionItem, OutlineItem, PersonSpotItem
    from ui.seating.page import SeatingView

    view = SeatingView(demo_services, QUndoStack())
    qtbot.addWidget(view)

    def drawn(visit: str, ref: str) -> tuple[list, list, list]:
        demo_services.seating.plan_seating(visit, ref)
        view.set_visit(demo_services.visits.get(visit))
        view.set_event(ref)
        items = view.scene.items()
        return ([i.title for i in items if isinstance(i, OutlineItem)],
                [i.text() for i in items if isinstance(i, CaptionItem)],
                [i for i in items if isinstance(i, PersonSpotItem)])

    outlines, captions, spots = drawn(MINISTERIAL, "e06")
    assert outlines == ["Signing table"]
    assert {s.spot.caption for s in spots} >= {"Witness 1", "Witness 2"}
    assert len(view.scene.seats) == 2  # the two signatories' chairs, editable seats
    assert not any(item.show_behind for item in view.scene.seats.values())
    outlines, captions, _ = drawn(MINISTERIAL, "e05")
    assert "Guests – Viet Nam delegation" in captions and outlines == ["Meeting table"]
    _, captions, _ = drawn(MINISTERIAL, "e07")
    assert "Row A" in captions
    outlines, _, spots = drawn(MINISTERIAL, "e02")
    assert sorted(outlines)[0] == "Car 1" and {s.spot.caption for s in spots} == {"Driver"}
    outlines, _, spots = drawn(RECEPTION, "r04")
    assert "Entrance" in outlines
    assert [s.spot.number for s in sorted(spots, key=lambda s: s.x())][:3] == ["1", "2", "3"]
    assert view.line_list.isVisibleTo(view) and view.left_out_list.count() == 2


def test_witnesses_are_not_taken_for_interpreters(demo_services) -> None:
    """A signatory's chair has witnesses standing behind it, not an interpreter: the
    chair carries no interpreter mark (it did when the chair held the witnesses)."""
    from protocol_app.rules.seat_style import style_of_seat

    view = demo_services.seating.plan_seating(MINISTERIAL, "e06")
    chairs = [s for s in diagram_of(view).spots if s.posture == "seat"]
    assert len(chairs) == 2
    for chair in chairs:
        assert "interpreter" not in style_of_seat(chair.place, dietary=False).marks


def test_a_banquets_first_table_page_lists_those_not_seated(demo_services,
                                                             tmp_path: Path) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e17")
    assert view.left_out
    target = tmp_path / "dinner.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages]
    assert "Not seated (on duty), with the reason" in pages[-1]
    for left in view.left_out:
        assert f"{view.place_card(left.person)} –" in pages[-1]


def test_the_plain_listing_names_cars_rows_and_seats(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e02", "--plan")
    assert code == 0 and "Car 1 (principals' car)" in out and "Table 1" not in out
    assert "Minister Tùng  [rear right; guest of honour]" in out
    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e07")
    assert code == 0 and "Row A (head, 10 seats)" in out


def test_only_a_meal_summarises_dietary_needs(demo_services) -> None:
    """Nobody eats in a car or at a signing table: the checks summarise the diets of a
    seated meal only."""
    seating = demo_services.seating
    for ref in ("e02", "e05", "e06", "e07"):
        view = seating.plan_seating(MINISTERIAL, ref)
        assert "dietary_summary" not in {f.code for f in view.findings}, ref
    dinner = seating.plan_seating(MINISTERIAL, "e17")
    assert "dietary_summary" in {f.code for f in dinner.findings}


def test_an_interpreter_at_a_signing_stands_by_and_is_no_witness(demo_services) -> None:
    """At the ministerial signing the Minister's interpreter stood fifth among the
    witnesses ("W5"); an interpreter is no witness: drawn as the interpreter, after the
    witnesses of their principal's side, who are numbered without them."""
    view = demo_services.seating.plan_seating(MINISTERIAL, "e06")
    interpreting = dict(view.interpreters)
    assert interpreting, "the demo's signing must have an interpreter for this to mean anything"
    standing = spots_in_order(diagram_of(view), "standing")
    interpreters = [s for s in standing if s.person.id in interpreting]
    witnesses = [s for s in standing if s.person.id not in interpreting]
    assert interpreters and all(s.caption == "Interpreter" and s.number == "i"
                                for s in interpreters)
    for side in ("host", "guest"):
        numbers = [int(s.number[1:]) for s in witnesses if s.side == side]
        assert numbers == list(range(1, len(numbers) + 1))
    table = view.tables[0]
    for interpreter, principal in interpreting.items():
        place = next(p for p in table.places if principal in
                     {p.person.id, *(b.id for b in p.behind)})
        behind = [b.id for b in place.behind]
        assert behind.index(interpreter) == len(behind) - 1  # after the witnesses

"""Seating by kind of event, on the demo data: through the service, the command line,
the seating page and the printed PDF."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from protocol_app.briefing.cards import write_seating_pdf
from protocol_app.rules.arrangements import Arrangement
from tests.support.demo_refs import MINISTERIAL, RECEPTION, person_id
from tests.support.helpers import run_cli as run
from ui.seating.page import SeatingView

ON_DUTY = {"security", "staff", "escort"}


def test_the_state_dinner_seats_the_host_first_and_nobody_on_duty(demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e17")
    assert view.arrangement is Arrangement.TABLES
    table = view.tables[0]
    assert table.place(table.host_seat).person.display_name == "Caroline Mercer"
    assert view.person_at(1, 1).display_name != "Phạm Hữu Nghĩa"
    assert not {p.role for t in view.tables for p in t.places if p.person} & ON_DUTY
    assert {lo.person.display_name for lo in view.left_out} == {
        "Phạm Hữu Nghĩa", "Bùi Ngọc Anh", "Małgorzata Wiśniewska", "Ethan Caldwell"}
    assert view.unseated == () and not [f for f in view.findings if f.code == "unseated"]


def test_seat_anyway_places_staff_after_everyone_of_rank_and_is_saved(demo_services) -> None:
    view = demo_services.seating.plan_seating(MINISTERIAL, "e17")
    chief = person_id(demo_services, MINISTERIAL, "Małgorzata Wiśniewska")
    seated = demo_services.seating.seat_anyway(MINISTERIAL, "e17", chief,
                                               expected_version=view.version)
    assert seated.seat_of(chief) is not None and seated.options.seat_anyway == (chief,)
    assert chief not in {lo.person.id for lo in seated.left_out}
    table = seated.tables[0].to_table()
    honour = table.honour_order()
    guests = [p.seat for p in seated.tables[0].places if p.person and p.side == "guest"]
    assert honour.index(seated.seat_of(chief).seat) > max(honour.index(g) for g in guests)
    again = demo_services.seating.seating_plan(MINISTERIAL, "e17")
    assert again.options.seat_anyway == (chief,) and again.seat_of(chief) is not None


def test_signing_meeting_and_motorcade_layouts(demo_services) -> None:
    signing = demo_services.seating.plan_seating(MINISTERIAL, "e06")
    assert signing.arrangement is Arrangement.SIGNING
    assert [(t.shape, t.seat_count) for t in signing.tables] == [("head", 2)]
    host, guest = signing.tables[0].places
    assert (host.person.display_name, guest.person.display_name) == (
        "Caroline Mercer", "Võ Thanh Tùng")
    assert host.behind and guest.behind  # witnesses standing behind their signatory

    cars = demo_services.seating.plan_seating(MINISTERIAL, "e19")
    assert cars.arrangement is Arrangement.CARS
    assert cars.person_at(1, 1).display_name == "Võ Thanh Tùng"  # rear right
    assert cars.person_at(1, 2).display_name == "Caroline Mercer"  # rear left
    assert cars.person_at(1, 3).display_name == "Phạm Hữu Nghĩa"  # close protection

    meeting = demo_services.seating.plan_seating(MINISTERIAL, "e05")
    assert meeting.arrangement is Arrangement.FACING
    table = meeting.tables[0]
    assert table.place(table.host_seat).person.display_name == "Caroline Mercer"
    assert table.place(table.cohost_seat).person.display_name == "Võ Thanh Tùng"


def test_the_receiving_line_is_a_line_with_an_order_of_announcement(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r03")
    assert view.arrangement is Arrangement.RECEIVING_LINE and view.tables == ()
    assert view.receiving_line[0].display_name == "Caroline Mercer"
    # a diplomatic corps is received by the hosts alone (the Provost beside the President)
    assert view.receiving_line[1].display_name == "Szabó Katalin"
    assert view.announced and view.unseated == () and view.stored


def test_the_arrangement_can_be_changed_and_is_kept(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04")
    assert view.arrangement is Arrangement.RECEIVING_LINE
    dinner = demo_services.seating.set_arrangement(RECEPTION, "r04", "tables",
                                                   expected_version=view.version)
    assert dinner.arrangement is Arrangement.TABLES and dinner.tables
    assert demo_services.seating.seating_plan(RECEPTION, "r04").arrangement is Arrangement.TABLES


def test_the_command_line_adds_fields_and_options(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r03", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["arrangement"] == "receiving_line" and plan["tables"] == []
    assert plan["receiving_line"][0] == "Caroline Mercer" and plan["announced"]
    assert {"person", "name", "reason"} <= set(plan["left_out"][0])

    code, out, _ = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e17", "--json",
                       "--seat", "vn-security", "--arrangement", "tables")
    plan = json.loads(out)
    assert code == 0 and set(plan) >= {"tables", "left_out", "arrangement"}
    assert "vn-security" not in [lo["person"] for lo in plan["left_out"]]
    places = [p for t in plan["tables"] for p in t["places"]]
    assert {"name", "marker"} <= set(places[0])
    code, _, err = run(capsys, "--db", demo_db, "seating", MINISTERIAL, "e17", "--seat", "nobody")
    assert code == 1 and "nobody" in err


def test_the_pdf_has_car_pages_and_a_printed_receiving_line(demo_services,
                                                            tmp_path: Path) -> None:
    cars = demo_services.seating.plan_seating(MINISTERIAL, "e19")
    target = tmp_path / "cars.pdf"
    write_seating_pdf(target, cars)
    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Car 1" in text and "Place cards" not in text
    line = demo_services.seating.plan_seating(RECEPTION, "r03")
    target = tmp_path / "line.pdf"
    write_seating_pdf(target, line, parts=["chart", "cards"])
    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Receiving line" in text and "Order of announcement" in text
    assert "President Mercer" in text


def test_the_page_chooses_an_arrangement_and_seats_anyway(qtbot, demo_services) -> None:
    from PySide6.QtGui import QUndoStack

    stack = QUndoStack()
    view = SeatingView(demo_services, stack)
    qtbot.addWidget(view)
    view.set_visit(demo_services.visits.get(MINISTERIAL))
    view.set_event("e06")
    assert view.arrangement_box.currentData() == "signing"
    view.set_event("e17")
    assert view.plan_automatically()
    assert view.left_out_list.count() == 4
    view.left_out_list.setCurrentRow(0)
    assert view.seat_anyway_button.isEnabled()
    view.seat_anyway_button.click()
    assert view.left_out_list.count() == 3
    stack.undo()
    assert view.left_out_list.count() == 4
    view.set_event("e19")
    assert view.arrangement_box.currentData() == "cars"
    view.set_visit(demo_services.visits.get(RECEPTION))
    view.set_event("r03")
    view.plan_automatically()
    assert view.line_list.isVisibleTo(view)
    assert view.line_list.count() > 3

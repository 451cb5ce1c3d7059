"""What a protocol officer checks on the demo's seating plans: the marks of honour go to
the right side, nobody on duty rides above a guest of rank, and a reception for a whole
diplomatic corps has no guest standing in the hosts' receiving line."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from protocol_app.briefing.cards import write_seating_pdf
from protocol_app.rules.arrangements import Arrangement
from tests.support.demo_refs import MINISTERIAL, RECEPTION, RECEPTION_GUESTS

ON_DUTY = {"security", "staff", "escort"}


def _marked(view) -> dict[str, tuple[str, str]]:
    """Marker -> (name, side) of the person in the marked seat (every table)."""
    return {p.marker: (p.person.display_name, p.side)
            for t in view.tables for p in t.places if p.marker and p.person}


def test_a_guest_opposite_the_host_is_not_marked_co_host(demo_services) -> None:
    # The farewell breakfast (e18) and the museum lunch (e15) have no co-host of the host
    # side: the Ambassador of Viet Nam, a guest, sits opposite the host.
    for event in ("e18", "e15"):
        view = demo_services.seating.plan_seating(MINISTERIAL, event)
        marked = _marked(view)
        assert "cohost" not in marked or marked["cohost"][1] == "host", (event, marked)
        assert marked["host"][1] == "host" and marked["guest_of_honour"][1] == "guest"


def test_nobody_on_duty_takes_the_hosts_seat_or_rides_above_a_guest_of_rank(
        demo_services) -> None:
    # e02: the escort officer is the only host-side rider; e19: he rides with the
    # President's motorcade.  Neither makes him the host of the principals' car nor puts
    # him in a rear seat ahead of the Vice Ministers.
    for event in ("e02", "e19"):
        view = demo_services.seating.plan_seating(MINISTERIAL, event)
        assert view.arrangement is Arrangement.CARS
        car_one = view.tables[0]
        rear_left = car_one.place(2)
        assert rear_left.person is not None and rear_left.role not in ON_DUTY, event
        assert rear_left.marker != "host" or rear_left.side == "host", event
        # Every guest or host of rank sits in a rear seat of a car before any rear seat
        # taken by someone on duty (car by car, rear right then rear left).
        rear = [p for t in view.tables for p in t.places[:2] if p.person]
        ranks = [p.role in ON_DUTY for p in rear]
        assert ranks == sorted(ranks), (event, [(p.person.display_name, p.role) for p in rear])
    e02 = demo_services.seating.plan_seating(MINISTERIAL, "e02")
    assert e02.person_at(1, 1).display_name == "Võ Thanh Tùng"
    assert e02.person_at(1, 2).display_name == "Đỗ Quang Huy"  # the next guest beside him


def test_a_diplomatic_corps_reception_is_received_by_the_hosts_alone(
        demo_services, tmp_path: Path) -> None:
    # "The President and the Provost receive": the most senior ambassador is received and
    # announced with her colleagues, first, not put in the hosts' line.
    view = demo_services.seating.plan_seating(RECEPTION, "r03")
    names = [p.display_name for p in view.receiving_line]
    assert names[:2] == ["Caroline Mercer", "Szabó Katalin"]
    assert not set(names) & set(RECEPTION_GUESTS)
    assert [p.display_name for p in view.announced] == RECEPTION_GUESTS
    target = tmp_path / "line.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    line_part = text.split("Order of announcement")[0]
    assert "Valadares" not in line_part


def test_the_seating_chart_names_the_city_of_its_times(demo_services, tmp_path: Path) -> None:
    # As every book does: "New York time (EST, UTC−5)", not a bare "EST".
    view = demo_services.seating.plan_seating(MINISTERIAL, "e17")
    target = tmp_path / "dinner.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    first = PdfReader(str(target)).pages[0].extract_text()
    assert "Saturday 13 March 2027, 19:30–00:15 New York time (EST, UTC−5)" in first

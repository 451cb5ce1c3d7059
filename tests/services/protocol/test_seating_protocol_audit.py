"""What a protocol officer checks on the demo's seating plans: the marks of honour go to
the right side."""

from __future__ import annotations

from tests.support.demo_refs import MINISTERIAL


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

"""The screens name zones for people; the IANA name is left to the tooltips."""

from __future__ import annotations

VISIT = "vn-moet-minister-2027"


def test_the_visit_header_names_the_zone_and_the_country_for_people(demo_services,
                                                                     make_window) -> None:
    window = make_window(demo_services)
    assert window.visit_actions.open_visit(demo_services.visits.resolve(VISIT))
    workspace = window.workspace
    subtitle = workspace.subtitle.text()
    assert "11–14 Mar 2027" in subtitle
    assert "Delegation from Viet Nam" in subtitle
    assert "New York time" in subtitle and "America" not in subtitle
    assert "America/New_York" in workspace.subtitle.toolTip()
    agenda_zone = workspace.itinerary.zones_label.text()
    assert agenda_zone.startswith("Times in New York time (EST, UTC\u22125)")

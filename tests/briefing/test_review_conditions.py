"""The risk review's conditions print on their events' pages: internal and hosts' books only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from protocol_app.records.sensitivity import Audience
from protocol_app.services.audience import audience_view


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def conditioned(world):
    s = world.services
    tour = s.events.create(world.visit_id, title="Tour of the nanofabrication lab", kind="tour",
                           start=ny(2027, 3, 13, 10), end=ny(2027, 3, 13, 11),
                           venue_name="Kessler Lab", attendee_ids=(world.guest_id,))
    s.events.create(world.visit_id, title="Working lunch", kind="meal",
                    start=ny(2027, 3, 13, 12), end=ny(2027, 3, 13, 13),
                    attendee_ids=(world.guest_id,))
    s.reviews.decide(world.visit_id, "conditions", "Low risk",
                     [("Escorted lab tour only", tour.ref), ("No photography in B-114", tour.ref),
                      "Visitors sign the visitor log"])
    return world


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.parametrize("audience", ["internal", "host", "guest"])
def test_conditions_on_the_event_page_for_the_office_and_hosts_only(conditioned, tmp_path,
                                                                     audience):
    out = tmp_path / f"{audience}.pdf"
    conditioned.services.briefing.build(conditioned.visit_id, audience, out)
    pages = _pages(out)
    text = "\n".join(pages)
    assert "Tour of the nanofabrication lab" in text
    if audience == "guest":
        assert "Escorted lab tour only" not in text and "B-114" not in text
        assert "RISK REVIEW" not in text.upper().replace("\n", " ")
        return
    (page,) = [p for p in pages if "Escorted lab tour only" in p]
    assert "Tour of the nanofabrication lab" in page and "No photography in B-114" in page
    assert "CONDITIONS OF THE RISK REVIEW" in page
    assert "visitor log" not in text  # a condition on no event prints on no event page


def test_the_one_audience_filter_removes_the_conditions(conditioned):
    visit = conditioned.services.visits.get(conditioned.visit_id)
    tour = next(e for e in visit.events if e.kind == "tour")
    assert tour.review_conditions == "Escorted lab tour only\nNo photography in B-114"
    for audience, kept in ((Audience.INTERNAL, True), (Audience.HOST, True),
                           (Audience.GUEST, False)):
        view = audience_view(visit, audience)
        shown = next(e for e in view.events if e.kind == "tour")
        assert bool(shown.review_conditions) is kept

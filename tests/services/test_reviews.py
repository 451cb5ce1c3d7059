"""Risk reviews: when one is required, decisions, re-opening, and the status gate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from protocol_app.config import Settings
from protocol_app.errors import ReviewPendingError, ValidationError


@dataclass(frozen=True)
class Match:
    person_ref: str
    name: str
    subject: str
    list: str
    entry: str
    entry_details: str
    score: float
    reason: str


@dataclass(frozen=True)
class LoadedList:
    source: str
    entries: int
    loaded_at: datetime
    stale: bool


class ListScreening:
    """A small real screening source: people of the visit whose "Given Family" name is
    an entry of the list (case-insensitive), read through the visit service."""

    def __init__(self, services, entries: dict[str, str], *, stale: bool = False) -> None:
        self.services = services
        self.entries = {k.casefold(): v for k, v in entries.items()}
        self.stale = stale
        self.calls = 0

    def screen_visit(self, visit_ref):
        self.calls += 1
        visit = self.services.visits.get(visit_ref)
        return self._matches((p.ref, p.person) for p in visit.participants)

    def screen_in_session(self, session, visit_id):
        from sqlalchemy import select

        from protocol_app.records.models import Participant

        self.calls += 1
        rows = session.scalars(select(Participant).where(Participant.visit_id == visit_id))
        return self._matches((p.ref, p.person) for p in rows)

    def _matches(self, people):
        found = []
        for ref, person in people:
            name = f"{person.given_name} {person.family_name}"
            entry = self.entries.get(name.casefold())
            if entry:
                found.append(Match(ref, name, name, "Test list", entry,
                                   f"{entry}; program TEST", 0.97, "same name"))
        return tuple(found)

    def lists(self):
        return (LoadedList("Test list", len(self.entries), datetime(2026, 1, 1, tzinfo=UTC),
                           self.stale),)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("America/New_York"))


def concern(*codes: str) -> None:
    Settings(countries_of_concern=list(codes)).save()


def lab_tour(world, controlled: bool = True):
    s = world.services
    event = s.events.create(world.visit_id, title="Tour of the nanofabrication lab", kind="tour",
                            start=ny(2027, 3, 13, 10), end=ny(2027, 3, 13, 11),
                            venue_name="Kessler Lab", venue_address="5 Science Way")
    venue = next(v for v in s.travel.venues() if v.name == "Kessler Lab")
    if controlled:
        s.reviews.set_venue_controlled(venue.id, True)
    return event


def test_a_visit_with_no_reason_needs_no_review_and_confirms(world):
    s = world.services
    review = s.reviews.get(world.visit_id)
    assert (review.required, review.state, review.findings) == (False, "not_required", ())
    assert s.visits.guarded_update(world.visit_id, None, {}, status="confirmed").status \
        == "confirmed"


def test_a_country_of_concern_requires_a_review_and_holds_the_visit(world):
    concern("JP")
    s = world.services
    review = s.reviews.get(world.visit_id)
    assert review.required and review.state == "pending"
    kinds = sorted((f.kind, f.ref) for f in review.findings)
    # the delegation's country and both guests' own country; the host (US) is not a guest
    assert kinds == [("country", ""), ("country", "p1"), ("country", "p2")]
    assert "Japan" in review.reasons[0]
    version = s.visits.get(world.visit_id).version
    with pytest.raises(ReviewPendingError) as refused:
        s.visits.update(world.visit_id, version, status="confirmed")
    message = str(refused.value)
    assert "risk review" in message and "protocol-app review" in message
    assert "waits for a decision" in message
    assert s.visits.get(world.visit_id).status == "planned"  # nothing changed
    s.reviews.decide(world.visit_id, "approved", "Standard academic exchange")
    assert s.visits.update(world.visit_id, version, status="confirmed").status == "confirmed"
    assert s.visits.guarded_update(world.visit_id, None, {}, status="completed").status \
        == "completed"


def test_an_organization_in_a_country_of_concern_is_a_reason(world):
    concern("XK")
    s = world.services
    person = s.people.create(family_name="Berisha", given_name="Arta",
                             organization="Prishtina Institute")
    org_country_set = s.people.update(person.id, person.version, country="")
    assert org_country_set.country == ""
    from protocol_app.records.models import Organization

    with s.db.session() as session:  # organizations have no editor: set its country here
        org = session.query(Organization).filter_by(name="Prishtina Institute").one()
        org.country = "XK"
    s.visits.add_participant(world.visit_id, person.id, "guest", "member")
    review = s.reviews.get(world.visit_id)
    assert [(f.kind, f.name) for f in review.findings] == [("organization", "Arta Berisha")]
    assert "Prishtina Institute" in review.reasons[0]


def test_a_tour_of_a_controlled_venue_requires_a_review_and_conditions_tie_to_it(world):
    s = world.services
    tour = lab_tour(world, controlled=False)
    assert not s.reviews.get(world.visit_id).required  # the same tour, an unmarked venue
    lab_tour_venue = next(v for v in s.travel.venues() if v.name == "Kessler Lab")
    s.reviews.set_venue_controlled(lab_tour_venue.id, True)
    review = s.reviews.get(world.visit_id)
    assert [(f.kind, f.ref) for f in review.findings] == [("venue", tour.ref)]
    with pytest.raises(ValidationError, match="at least one condition"):
        s.reviews.decide(world.visit_id, "conditions", "Lab tour with limits")
    with pytest.raises(ValidationError, match="has no event 'nope'"):
        s.reviews.decide(world.visit_id, "conditions", "x", [("Escorted", "nope")])
    decided = s.reviews.decide(world.visit_id, "conditions", "Deemed export risk is low",
                               [("Escorted lab tour only", tour.ref),
                                "No photography in B-114"])
    assert decided.state == "approved_with_conditions"
    assert decided.conditions_for(tour.id)[0].text == "Escorted lab tour only"
    assert [c.event_ref for c in decided.conditions] == [tour.ref, ""]
    assert s.visits.guarded_update(world.visit_id, None, {}, status="confirmed").status \
        == "confirmed"
    # a cancelled tour is no reason
    s.events.cancel(tour.id, None)
    assert not s.reviews.get(world.visit_id).required


def test_screening_matches_are_findings_beside_the_list_entry(world):
    s = world.services
    s.wire_screening(ListScreening(s, {"Yui Sato": "SATO, Yui"}, stale=True))
    review = s.reviews.get(world.visit_id)
    (finding,) = review.findings
    assert (finding.kind, finding.name, finding.ref, finding.list, finding.entry,
            finding.score) == ("screening", "Yui Sato", "p2", "Test list", "SATO, Yui", 0.97)
    assert any("more than 30 days old" in w for w in review.warnings)
    with pytest.raises(ReviewPendingError):
        s.visits.guarded_update(world.visit_id, None, {}, status="confirmed")


def test_a_rejected_review_keeps_the_visit_from_confirmation(world):
    concern("JP")
    s = world.services
    s.reviews.decide(world.visit_id, "rejected", "Partner under investigation")
    with pytest.raises(ReviewPendingError, match="rejected"):
        s.visits.guarded_update(world.visit_id, None, {}, status="confirmed")
    assert s.visits.guarded_update(world.visit_id, None, {}, status="cancelled").status \
        == "cancelled"


def test_a_change_after_approval_reopens_the_review_without_changing_the_status(world):
    s = world.services
    screening = ListScreening(s, {"Ivan Petrov": "PETROV, Ivan"})
    s.wire_screening(screening)
    lab_tour(world)
    s.reviews.decide(world.visit_id, "approved", "Open lab, no export-controlled items shown")
    s.visits.guarded_update(world.visit_id, None, {}, status="confirmed")
    newcomer = s.people.create(family_name="Petrov", given_name="Ivan", country="RU")
    s.visits.add_participant(world.visit_id, newcomer.id, "guest", "member")
    review = s.reviews.get(world.visit_id)
    assert (review.state, review.reopened, review.decision) == ("pending", True, "approved")
    assert review.new_findings == (f"screening:p{newcomer.id}:Test list:PETROV, Ivan",)
    assert "re-opened" in review.state_label
    assert s.visits.get(world.visit_id).status == "confirmed"  # not silently changed
    with pytest.raises(ReviewPendingError, match="re-opened"):
        s.visits.guarded_update(world.visit_id, None, {}, status="completed")
    s.reviews.decide(world.visit_id, "approved", "Petrov is a namesake (passport checked)")
    assert s.reviews.get(world.visit_id).state == "approved"
    assert s.visits.guarded_update(world.visit_id, None, {}, status="completed").status \
        == "completed"


def test_a_second_tour_reopens_an_approved_review(world):
    s = world.services
    lab_tour(world)
    s.reviews.decide(world.visit_id, "approved", "One tour, escorted")
    s.events.create(world.visit_id, title="Second lab visit", kind="tour",
                    start=ny(2027, 3, 14, 10), end=ny(2027, 3, 14, 11),
                    venue_name="Kessler Lab", venue_address="5 Science Way")
    review = s.reviews.get(world.visit_id)
    assert review.reopened and "Second lab visit" in review.waiting_for()


def test_decisions_checklist_and_venue_flags_are_audited(world):
    concern("JP")
    s = world.services
    s.reviews.set_reviewer(world.visit_id, "Dana Export-Control")
    s.reviews.set_checklist(world.visit_id, "export_control", done=True, note="No EAR items")
    review = s.reviews.decide(world.visit_id, "approved", "Fine")
    assert review.reviewer == "Dana Export-Control"
    item = next(c for c in review.checklist if c.dimension == "export_control")
    assert (item.done, item.note) == (True, "No EAR items")
    assert [c.dimension for c in review.checklist][-1] == "mission"
    entries = s.audit.list("risk_review")
    assert len(entries) == 3 and entries[0].new["decision"] == "approved"
    assert entries[0].actor == s.actor and entries[0].new["reasons"]
    lab_tour(world)
    assert s.audit.list("venue")[0].new == {"controlled_technology": True}


def test_bad_decisions_are_refused_with_the_field_and_change_nothing(world):
    s = world.services
    with pytest.raises(ValidationError) as refused:
        s.reviews.decide(world.visit_id, "maybe", "  ")
    fields = {p.path for p in refused.value.problems}
    assert fields == {"decision", "note"}
    with pytest.raises(ValidationError, match="checklist"):
        s.reviews.set_checklist(world.visit_id, "astrology", done=True)
    assert s.audit.list("risk_review") == []


def test_reviews_of_many_visits_in_one_go(world):
    concern("JP")
    s = world.services
    other = s.visits.create(title="Visit from Lisbon", timezone="Europe/Lisbon",
                            start_date=world.services.visits.get(world.visit_id).start_date,
                            end_date=world.services.visits.get(world.visit_id).end_date,
                            country="PT")
    states = {vid: r.state for vid, r in s.reviews.many([world.visit_id, other.id]).items()}
    assert states == {world.visit_id: "pending", other.id: "not_required"}


def test_a_new_visit_cannot_be_created_confirmed_from_a_country_of_concern(services):
    concern("KP")
    from datetime import date
    with pytest.raises(ReviewPendingError):
        services.visits.create(title="Delegation", timezone="Asia/Pyongyang",
                               start_date=date(2027, 5, 1), end_date=date(2027, 5, 2),
                               country="KP", status="confirmed")
    assert services.visits.list() == []


def test_review_json_shape(world):
    s = world.services
    s.wire_screening(ListScreening(s, {"Yui Sato": "SATO, Yui"}))
    data = s.reviews.get(world.visit_id).as_json()
    assert data["required"] is True and data["state"] == "pending"
    assert data["findings"][0]["kind"] == "screening"
    assert {"name", "ref", "list", "entry", "score"} <= set(data["findings"][0])
    assert data["decision"] is None
    json.dumps(data)

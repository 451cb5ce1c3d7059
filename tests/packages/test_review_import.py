"""Imports and the risk review: a package's "confirmed" waits for the review; venue flags."""

from __future__ import annotations

import json

import pytest

from protocol_app.config import Settings
from protocol_app.errors import PackageError
from tests.support.helpers import MINIMAL, deep_copy, package_bytes, row_counts


def _doc(status: str = "confirmed") -> dict:
    doc = deep_copy(MINIMAL)
    doc["visit"]["status"] = status
    return doc


def _lab_tour(doc: dict, controlled: bool | None = True) -> dict:
    venue: dict = {"name": "Kessler Lab", "address": "5 Science Way"}
    if controlled is not None:
        venue["controlled_technology"] = controlled
    doc["events"].append({"ref": "e3", "title": "Lab tour", "kind": "tour",
                          "start": "2027-03-13T10:00", "end": "2027-03-13T11:00",
                          "venue": venue, "attendees": ["p1", "p2"]})
    return doc


def test_a_confirmed_package_without_any_reason_stays_confirmed(services):
    report = services.packages.import_bytes(package_bytes(_doc()), "visit.json")
    assert services.visits.get(report.visit_id).status == "confirmed"
    assert report.status_held == ""


def test_a_confirmed_package_with_a_pending_review_is_stored_as_planned(services):
    Settings(countries_of_concern=["JP"]).save()
    report = services.packages.import_bytes(package_bytes(_doc()), "visit.json")
    assert services.visits.get(report.visit_id).status == "planned"
    assert "risk review" in report.status_held and "Japan" in report.status_held
    assert any(line.startswith("  status kept at planned:") for line in report.lines())
    # once approved, the same package confirms the visit
    services.reviews.decide(report.visit_id, "approved", "Known partner")
    again = services.packages.import_bytes(package_bytes(_doc()), "visit.json")
    assert again.status_held == "" and "status: planned → confirmed" in again.visit_changes
    assert services.visits.get(report.visit_id).status == "confirmed"


def test_a_tour_of_a_controlled_venue_in_the_package_holds_the_status(services):
    report = services.packages.import_bytes(package_bytes(_lab_tour(_doc())), "visit.json")
    visit = services.visits.get(report.visit_id)
    assert visit.status == "planned"
    tour = next(e for e in visit.events if e.ref == "e3")
    assert tour.venue_controlled
    assert "Lab tour" in report.status_held


def test_the_venue_flag_round_trips_and_is_left_alone_when_absent(services, tmp_path):
    services.packages.import_bytes(package_bytes(_lab_tour(_doc("planned"))), "visit.json")
    out = services.packages.export_file("jp-rector-2027", tmp_path / "out.json")
    exported = json.loads(out.read_text(encoding="utf-8"))
    tour = next(e for e in exported["events"] if e["ref"] == "e3")
    assert tour["venue"]["controlled_technology"] is True
    lunch = next(e for e in exported["events"] if e["ref"] == "e2")
    assert "controlled_technology" not in lunch["venue"]
    services.packages.import_bytes(package_bytes(_lab_tour(_doc("planned"), None)), "v.json")
    assert services.reviews.controlled_venue_ids()  # absent: the mark stays
    services.packages.import_bytes(package_bytes(_lab_tour(_doc("planned"), False)), "v.json")
    assert not services.reviews.controlled_venue_ids()


def test_a_venue_flag_that_is_not_a_boolean_is_refused_with_its_path(services, db_path):
    doc = _lab_tour(_doc("planned"))
    doc["events"][2]["venue"]["controlled_technology"] = "yes"
    before = row_counts(db_path)
    with pytest.raises(PackageError) as refused:
        services.packages.import_bytes(package_bytes(doc), "visit.json")
    assert "events[2].venue.controlled_technology: must be true or false" in [
        str(p) for p in refused.value.problems]
    assert row_counts(db_path) == before


def _screening_list(path) -> None:
    """A Consolidated Screening List CSV with one individual, ``PETROV, Ivan``."""
    path.write_text("source,type,name,alt_names,programs\n"
                    "Specially Designated Nationals (SDN),Individual,\"PETROV, Ivan\",,RUSSIA\n",
                    encoding="utf-8")


def _with_member(doc: dict) -> dict:
    doc["people"].append({"ref": "p3", "family_name": "Petrov", "given_name": "Ivan",
                          "name_order": "given_first"})
    doc["delegation"].append({"person": "p3", "side": "guest", "role": "member"})
    doc["events"][0]["attendees"].append("p3")
    return doc


def test_a_person_the_package_adds_is_screened_before_its_status_is_taken(services, tmp_path):
    """A listed person who arrives with the package itself holds "confirmed" back: the
    import screens the people it adds, not only those stored before it."""
    _screening_list(tmp_path / "csl.csv")
    services.screening.load(tmp_path / "csl.csv", "CSL")
    report = services.packages.import_bytes(package_bytes(_with_member(_doc())), "visit.json")
    assert services.visits.get(report.visit_id).status == "planned"
    assert "Petrov" in report.status_held and "CSL" in report.status_held
    assert services.reviews.get(report.visit_id).required


@pytest.mark.parametrize("addition, named", [("lab tour", "Lab tour"),
                                             ("listed member", "Petrov")])
def test_an_import_adding_a_reason_reopens_an_approved_review(services, tmp_path, addition,
                                                              named):
    """A new tour of a controlled venue, or a new guest on a screening list, arriving
    with a package re-opens the approved review and leaves the status alone."""
    _screening_list(tmp_path / "csl.csv")
    services.screening.load(tmp_path / "csl.csv", "CSL")
    Settings(countries_of_concern=["JP"]).save()
    first = services.packages.import_bytes(package_bytes(_doc("planned")), "visit.json")
    services.reviews.decide(first.visit_id, "approved", "Known partner")
    services.visits.guarded_update(first.visit_id, None, {}, status="confirmed")
    add = _lab_tour if addition == "lab tour" else _with_member
    report = services.packages.import_bytes(package_bytes(add(_doc())), "visit.json")
    assert named in report.review_reopened
    assert any("risk review re-opened" in line for line in report.lines())
    assert services.visits.get(first.visit_id).status == "confirmed"  # not silently changed
    assert services.reviews.get(first.visit_id).reopened

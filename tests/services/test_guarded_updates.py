"""Guarded updates: a write based on an older version goes through only when what it was
based on is still stored, and a status goes along the allowed transitions."""

from __future__ import annotations

import itertools

import pytest

from protocol_app.errors import StaleWriteError, ValidationError
from protocol_app.records import vocab
from protocol_app.services import Services
from tests.support.helpers import row_counts
from tests.support.times import ny


@pytest.fixture
def second_officer(services, db_path):
    """The same database opened a second time, by another officer."""
    other = Services.open(db_path, actor="officer-b")
    yield other
    other.close()


def test_status_path_follows_the_transition_table() -> None:
    assert vocab.visit_status_path("planned", "planned") == ()
    assert vocab.visit_status_path("planned", "confirmed") == ("confirmed",)
    assert vocab.visit_status_path("cancelled", "confirmed") == ("planned", "confirmed")
    assert vocab.visit_status_path("proposed", "completed") == (
        "planned", "confirmed", "completed")
    assert vocab.visit_status_path("completed", "planned") is None
    assert vocab.next_visit_statuses("completed") == ()
    for old, path in ((o, vocab.visit_status_path(o, n)) for o in vocab.VISIT_STATUSES
                      for n in vocab.VISIT_STATUSES):
        steps = [old, *(path or ())]
        assert all(b in vocab.next_visit_statuses(a) for a, b in itertools.pairwise(steps))


def test_a_later_version_is_written_when_the_fields_seen_are_unchanged(world,
                                                                       second_officer) -> None:
    s = world.services
    seen_by_b = second_officer.visits.get(world.visit_id)
    s.events.create(world.visit_id, title="Lunch", start=ny(2027, 3, 12, 12),
                    end=ny(2027, 3, 12, 13))  # the visit's version rises
    s.visits.update(world.visit_id, s.visits.get(world.visit_id).version, purpose="Talks")
    saved = second_officer.visits.guarded_update(
        world.visit_id, seen_by_b.version,
        seen={"title": seen_by_b.title, "start_date": seen_by_b.start_date},
        title="Visit of the President")
    assert saved.title == "Visit of the President" and saved.purpose == "Talks"
    assert saved.version > seen_by_b.version + 1


def test_a_changed_field_seen_refuses_the_write_and_stores_nothing(world, second_officer,
                                                                   db_path) -> None:
    s = world.services
    seen_by_b = second_officer.visits.get(world.visit_id)
    mine = s.visits.update(world.visit_id, seen_by_b.version, title="Changed by A",
                           end_date=seen_by_b.end_date.replace(day=17))
    before = row_counts(db_path)
    with pytest.raises(StaleWriteError) as err:
        second_officer.visits.guarded_update(
            world.visit_id, seen_by_b.version,
            seen={"title": seen_by_b.title, "end_date": seen_by_b.end_date,
                  "country": seen_by_b.country},
            title="Changed by B")
    assert err.value.changed_fields == {
        "title": (seen_by_b.title, "Changed by A"), "end_date": ("2027-03-16", "2027-03-17")}
    assert (err.value.expected_version, err.value.current_version) == (
        seen_by_b.version, mine.version)
    assert "Changed meanwhile: title, end_date." in str(err.value)
    assert s.visits.get(world.visit_id) == mine
    assert row_counts(db_path) == before


def test_without_fields_seen_any_later_version_is_refused(world) -> None:
    s = world.services
    old = s.visits.get(world.visit_id)
    s.visits.update(world.visit_id, old.version, purpose="Talks")
    with pytest.raises(StaleWriteError):
        s.visits.guarded_update(world.visit_id, old.version, seen={}, title="x")


def test_status_goes_along_the_allowed_path_in_one_write(world) -> None:
    s = world.services
    visit = s.visits.update(world.visit_id, None, status="confirmed")
    visit = s.visits.update(world.visit_id, visit.version, status="cancelled")
    audit_before = len(s.audit.list("visit", world.visit_id))
    back = s.visits.guarded_update(world.visit_id, visit.version, seen={"status": "cancelled"},
                                   status="confirmed", purpose="Back on")
    assert (back.status, back.purpose) == ("confirmed", "Back on")
    assert back.version == visit.version + 2  # two steps, as two updates would have made
    assert len(s.audit.list("visit", world.visit_id)) == audit_before + 2
    done = s.visits.update(world.visit_id, back.version, status="completed")
    with pytest.raises(ValidationError, match="cannot go from completed"):
        s.visits.guarded_update(world.visit_id, done.version, seen={}, status="planned")


def test_participant_change_checks_the_side_and_role_seen(world, second_officer) -> None:
    s = world.services
    seen_by_b = second_officer.visits.get(world.visit_id)
    s.visits.update(world.visit_id, seen_by_b.version, purpose="Talks")  # other part changed
    record = second_officer.visits.update_participant(
        world.visit_id, world.member_id, side="guest", role="staff",
        expected_version=seen_by_b.version, seen={"side": "guest", "role": "member"})
    assert next(p.role for p in record.participants if p.person_id == world.member_id) == "staff"
    with pytest.raises(StaleWriteError) as err:  # B's view is older still, and the role moved
        s.visits.update_participant(world.visit_id, world.member_id, side="guest",
                                    role="interpreter", expected_version=seen_by_b.version,
                                    seen={"side": "guest", "role": "member"})
    assert err.value.changed_fields == {"role": ("member", "staff")}
    with pytest.raises(StaleWriteError):  # without ``seen``, the version decides alone
        s.visits.update_participant(world.visit_id, world.member_id, side="guest",
                                    role="member", expected_version=seen_by_b.version)

"""Two officers edit the same record: the second save, based on the old version, is
refused with the fields someone else changed, and nothing of it is stored."""

from __future__ import annotations

import dataclasses

import pytest

from protocol_app.errors import StaleWriteError
from protocol_app.services import Services
from tests.support.helpers import row_counts
from tests.support.times import ny


@pytest.fixture
def second_officer(services, db_path):
    """The same database opened a second time, by another officer."""
    other = Services.open(db_path, actor="officer-b")
    yield other
    other.close()


def _seen(record, *names: str) -> dict:
    return {n: getattr(record, n) for n in names}


def test_stale_person_write_is_refused_naming_the_changed_fields(services, second_officer,
                                                                 db_path) -> None:
    p = services.people.create(family_name="Mercer", given_name="Caroline",
                               position="Provost", rank_date=None, languages=["en"])
    mine = services.people.get(p.id)
    theirs = second_officer.people.get(p.id)
    assert mine == theirs

    saved = services.people.update(p.id, mine.version, position="President",
                                   languages=("en", "es"))
    before = row_counts(db_path)
    seen = _seen(theirs, "family_name", "given_name", "position", "languages", "rank_date")
    with pytest.raises(StaleWriteError) as err:
        second_officer.people.update(p.id, theirs.version, seen=seen, given_name="Carrie",
                                     phone="+1 555 0100")
    error = err.value
    assert error.changed_fields == {"position": ("Provost", "President"),
                                    "languages": (("en",), ("en", "es"))}
    assert str(error) == (
        f"This person (#{p.id}) was changed by someone else since you opened it (your version "
        f"{theirs.version}, stored version {saved.version}). Changed meanwhile: position, "
        "languages. Reload it and apply your changes again; nothing was saved.")
    assert (error.entity, error.entity_id, error.expected_version, error.current_version) == (
        "person", p.id, theirs.version, saved.version)
    assert services.people.get(p.id) == saved  # nothing of the second write
    assert row_counts(db_path) == before  # not even an audit entry


def test_stale_visit_write_is_refused(world, second_officer, db_path) -> None:
    s = world.services
    mine = s.visits.get(world.visit_id)
    theirs = second_officer.visits.get(world.visit_id)
    saved = s.visits.update(mine.id, mine.version, title="Visit of the President of Kyoto "
                                                         "University", status="confirmed")
    before = row_counts(db_path)
    seen = _seen(theirs, "title", "status", "start_date", "end_date", "timezone")
    with pytest.raises(StaleWriteError) as err:
        second_officer.visits.update(theirs.id, theirs.version, seen=seen,
                                     purpose="Changed by B", end_date=theirs.end_date)
    assert set(err.value.changed_fields) == {"title", "status"}  # dates compare equal
    assert "Changed meanwhile: title, status." in str(err.value)
    assert s.visits.get(mine.id) == saved
    assert row_counts(db_path) == before


def test_a_change_to_the_itinerary_makes_an_open_visit_stale(world, second_officer) -> None:
    s = world.services
    theirs = second_officer.visits.get(world.visit_id)
    s.events.create(world.visit_id, title="Lunch", start=ny(2027, 3, 12, 12),
                    end=ny(2027, 3, 12, 13))
    with pytest.raises(StaleWriteError, match="This visit"):
        second_officer.visits.update(theirs.id, theirs.version, purpose="x")
    with pytest.raises(StaleWriteError):
        second_officer.visits.add_participant(theirs.id, world.outsider_id, "host", "escort",
                                              theirs.version)
    assert world.outsider_id not in {p.person_id for p in s.visits.get(theirs.id).participants}


def test_stale_event_write_is_refused(world, second_officer) -> None:
    s = world.services
    e = s.events.create(world.visit_id, title="Talk", start=ny(2027, 3, 12, 10),
                        end=ny(2027, 3, 12, 11), attendee_ids=(world.guest_id,))
    theirs = second_officer.events.get(e.id)
    saved = s.events.update(e.id, e.version, attendee_ids=(world.guest_id, world.host_id))
    with pytest.raises(StaleWriteError, match=rf"This event \(#{e.id}\) was changed"):
        second_officer.events.update(e.id, theirs.version, title="Renamed")
    with pytest.raises(StaleWriteError):
        second_officer.events.move(e.id, theirs.version, ny(2027, 3, 12, 15))
    with pytest.raises(StaleWriteError):
        second_officer.events.delete(e.id, theirs.version)
    assert s.events.get(e.id) == saved


def test_stale_gift_and_delete_are_refused(world, second_officer) -> None:
    s = world.services
    g = s.gifts.create(world.visit_id, direction="given", description="Book")
    s.gifts.update(g.id, g.version, value=20)
    with pytest.raises(StaleWriteError, match="This gift"):
        second_officer.gifts.update(g.id, g.version, value=30)
    with pytest.raises(StaleWriteError):
        second_officer.gifts.delete(g.id, g.version)
    assert s.gifts.list(world.visit_id)[0].value == 20

    p = s.people.get(world.outsider_id)
    s.people.update(p.id, p.version, given_name="Olivia")
    with pytest.raises(StaleWriteError):
        second_officer.people.delete(p.id, p.version)
    assert s.people.get(p.id).given_name == "Olivia"


def test_a_fresh_version_is_accepted_and_none_means_last_writer(services,
                                                                second_officer) -> None:
    p = services.people.create(family_name="Mercer")
    first = services.people.update(p.id, p.version, given_name="Caroline")
    fresh = second_officer.people.get(p.id)
    assert dataclasses.replace(fresh) == first
    second = second_officer.people.update(p.id, fresh.version, position="President")
    assert second.version == first.version + 1
    forced = services.people.update(p.id, None, position="Chancellor")  # no check asked
    assert forced.position == "Chancellor"

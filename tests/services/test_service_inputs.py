"""Whatever a caller passes to a service (wrong types, huge numbers, odd text), the answer
is the stored value or a ProtocolError naming the field — never a crash, never half a
write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_app.errors import ProtocolError, ValidationError
from protocol_app.records.fields import EVENT_FIELDS, GIFT_FIELDS, PERSON_FIELDS, VISIT_FIELDS
from tests.support.helpers import row_counts
from tests.support.times import ny

SOME = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

values = (st.none() | st.booleans() | st.integers() | st.just(10 ** 30)
          | st.floats(allow_nan=True) | st.text(max_size=8) | st.dates()
          | st.datetimes(timezones=st.just(UTC)) | st.lists(st.integers(0, 5), max_size=3)
          | st.lists(st.text(max_size=3), max_size=2).map(tuple) | st.just([None]))


def _refused_or_done(db_path, write) -> None:
    before = row_counts(db_path)
    try:
        write()
    except ProtocolError as exc:
        assert str(exc)
        assert row_counts(db_path) == before


@SOME
@given(changes=st.dictionaries(st.sampled_from(PERSON_FIELDS), values, max_size=4))
def test_people_take_any_input(world, db_path, changes) -> None:
    s = world.services
    _refused_or_done(db_path, lambda: s.people.create(**{"family_name": "X", **changes}))
    _refused_or_done(db_path, lambda: s.people.update(world.outsider_id, None, **changes))


@SOME
@given(changes=st.dictionaries(st.sampled_from(VISIT_FIELDS), values, max_size=4))
def test_visits_take_any_input(world, db_path, changes) -> None:
    s = world.services
    _refused_or_done(db_path, lambda: s.visits.update(world.visit_id, None, **changes))
    _refused_or_done(db_path, lambda: s.visits.create(**{
        "title": "T", "timezone": "UTC", "start_date": date(2027, 1, 1),
        "end_date": date(2027, 1, 2), "country": "JP", **changes}))


@SOME
@given(changes=st.dictionaries(st.sampled_from(EVENT_FIELDS), values, max_size=4))
def test_events_take_any_input(world, db_path, changes) -> None:
    s = world.services
    _refused_or_done(db_path, lambda: s.events.create(world.visit_id, **{
        "title": "T", "start": ny(2027, 3, 12, 10), "end": ny(2027, 3, 12, 11), **changes}))


@SOME
@given(changes=st.dictionaries(st.sampled_from(GIFT_FIELDS), values, max_size=4))
def test_gifts_take_any_input(world, db_path, changes) -> None:
    s = world.services
    _refused_or_done(db_path, lambda: s.gifts.create(world.visit_id, **{
        "direction": "given", "description": "Book", **changes}))


@pytest.mark.parametrize(("write", "problem"), [
    (lambda s, w: s.visits.update(w.visit_id, None, start_date=datetime(2027, 3, 12, tzinfo=UTC)),
     "start_date: is required (a date, YYYY-MM-DD)"),
    (lambda s, w: s.visits.update(w.visit_id, None, public_id=("a",)),
     "public_id: must be letters, digits, '.', '_' or '-' (at most 120), such as "
     "jp-rector-2027"),
    (lambda s, w: s.people.update(w.guest_id, None, rank_date=datetime(2025, 2, 11)),
     "rank_date: must be a date (YYYY-MM-DD)"),
    (lambda s, w: s.events.create(w.visit_id, title="T", start=ny(2027, 3, 12, 10),
                                  end=ny(2027, 3, 12, 11), attendee_ids=None),
     "attendees: must be a list of people's numbers"),
    (lambda s, w: s.events.create(w.visit_id, title="T", start=ny(2027, 3, 12, 10),
                                  end=ny(2027, 3, 12, 11), attendee_ids=[str(w.guest_id)]),
     "attendees: must be a list of people's numbers"),
    (lambda s, w: s.events.create(w.visit_id, title="T", start=ny(2027, 3, 12, 10),
                                  end=ny(2027, 3, 12, 11), host_person_id=[w.host_id]),
     "host: must be a person's number"),
    (lambda s, w: s.events.create(w.visit_id, ref=["e1"], title="T",
                                  start=ny(2027, 3, 12, 10), end=ny(2027, 3, 12, 11)),
     "ref: must be text"),
    (lambda s, w: s.gifts.create(w.visit_id, direction="given", description="Book",
                                 giver_person_id=10 ** 30),
     "giver_person_id: must be a person's number"),
    (lambda s, w: s.gifts.create(w.visit_id, direction="given", description="Book",
                                 date=datetime(2027, 3, 12)),
     "date: must be a date (YYYY-MM-DD)"),
])
def test_wrong_types_are_refused_by_field(world, db_path, write, problem) -> None:
    before = row_counts(db_path)
    with pytest.raises(ValidationError) as err:
        write(world.services, world)
    assert problem in [str(p) for p in err.value.problems]
    assert row_counts(db_path) == before

"""Gifts: register, change, list, remove; every value checked."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from protocol_app.errors import NotFoundError, ValidationError
from protocol_app.services.values import GiftRecord
from tests.support.helpers import assert_plain_value, row_counts


def test_register_change_list_and_delete(world) -> None:
    s = world.services
    vase = s.gifts.create(world.visit_id, direction="received", giver_person_id=world.guest_id,
                          recipient_person_id=world.host_id, description="Kiyomizu vase",
                          value=1200, currency="USD", date=date(2027, 3, 13))
    assert isinstance(vase, GiftRecord)
    assert_plain_value(vase)
    assert (vase.visit_id, vase.value, vase.currency, vase.version) == (
        world.visit_id, 1200, "USD", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        vase.value = 1  # type: ignore[misc]
    book = s.gifts.create(world.visit_id, direction="given", description="University history",
                          date=date(2027, 3, 12))
    loose = s.gifts.create(None, direction="received", description="Pen")
    assert [g.id for g in s.gifts.list(world.visit_id)] == [book.id, vase.id]  # by date
    assert {g.id for g in s.gifts.list()} == {book.id, vase.id, loose.id}
    assert s.visits.get(world.visit_id).gifts == (vase, book)  # in order of registration

    changed = s.gifts.update(vase.id, vase.version, value=1350.5, currency="", description="Vase")
    assert (changed.value, changed.currency, changed.description, changed.version) == (
        1350.5, "", "Vase", 2)
    s.gifts.delete(changed.id, changed.version)
    assert [g.id for g in s.gifts.list(world.visit_id)] == [book.id]
    with pytest.raises(NotFoundError, match=f"There is no gift #{vase.id}."):
        s.gifts.delete(vase.id)


@pytest.mark.parametrize(("values", "problems"), [
    ({"direction": "lent"}, ["direction: 'lent' is not one of received, given"]),
    ({"description": ""}, ["description: is required"]),
    ({"value": -1}, ["value: must be a number, zero or more"]),
    ({"value": "100"}, ["value: must be a number, zero or more"]),
    ({"value": True}, ["value: must be a number, zero or more"]),
    ({"value": float("nan")}, ["value: must be a number, zero or more"]),
    ({"value": 10 ** 400}, ["value: must be a number, zero or more"]),
    ({"currency": "usd"}, ["currency: 'usd' is not an ISO 4217 code (such as USD, EUR, JPY)"]),
    ({"currency": "DOLLARS"}, ["currency: 'DOLLARS' is not an ISO 4217 code (such as USD, EUR, "
                               "JPY)"]),
    ({"date": "2027-03-12"}, ["date: must be a date (YYYY-MM-DD)"]),
    ({"giver_person_id": 999}, ["giver_person_id: there is no person #999"]),
])
def test_gift_values_are_checked(world, db_path, values, problems) -> None:
    before = row_counts(db_path)
    with pytest.raises(ValidationError) as err:
        world.services.gifts.create(world.visit_id, **{"direction": "given",
                                                       "description": "Book", **values})
    assert [str(p) for p in err.value.problems] == problems
    assert row_counts(db_path) == before


def test_update_checks_the_people_and_values(world, db_path) -> None:
    s = world.services
    gift = s.gifts.create(world.visit_id, direction="given", description="Book")
    before = row_counts(db_path)
    with pytest.raises(ValidationError, match=r"^gift: recipient_person_id: there is no person "
                                              r"#999$"):
        s.gifts.update(gift.id, gift.version, recipient_person_id=999)
    with pytest.raises(ValidationError, match="value: must be a number"):
        s.gifts.update(gift.id, gift.version, value=-5)
    with pytest.raises(ValidationError, match="colour: is not a field of a gift"):
        s.gifts.update(gift.id, gift.version, colour="red")
    assert row_counts(db_path) == before
    assert s.gifts.list(world.visit_id) == [gift]
    assert s.gifts.update(gift.id, gift.version, currency=None).currency == ""

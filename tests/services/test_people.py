"""People: create, read, change, delete; validation names the field; frozen values."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from PIL import Image

from protocol_app.errors import (
    ConflictError,
    NotFoundError,
    ProtocolError,
    ValidationError,
)
from protocol_app.services.values import PersonRecord
from tests.support.helpers import assert_plain_value


def test_create_and_get_return_the_same_frozen_value(services) -> None:
    created = services.people.create(
        family_name="  Tanaka ", given_name="Haruto", name_order="family_first",
        native_name="田中 陽翔", pronunciation="ta-NA-ka HA-ru-to", gender="male",
        honorific="Prof.", position="Rector", organization="Kyoto University", country="JP",
        email="tanaka@kyoto.example.jp", phone="+81 75 555 0100", rank="university_president",
        rank_date=date(2024, 4, 1), languages=["ja", "en"], dietary="No shellfish",
        medical="Diabetic", security="None", protocol_notes="Prefers tea", bio="Physicist.")
    assert isinstance(created, PersonRecord)
    assert_plain_value(created)
    assert created.id > 0 and created.version == 1
    assert created.family_name == "Tanaka"  # trimmed
    assert created.email == "tanaka@kyoto.example.jp"
    assert created.languages == ("ja", "en")
    assert created.organization == "Kyoto University"
    assert created.display_name == "Tanaka Haruto"  # family name first
    fetched = services.people.get(created.id)
    assert fetched == created
    with pytest.raises(dataclasses.FrozenInstanceError):
        fetched.family_name = "Changed"  # type: ignore[misc]


def test_display_name_in_given_first_order(services) -> None:
    p = services.people.create(family_name="Mercer", given_name="Caroline")
    assert p.display_name == "Caroline Mercer"
    assert p.name_order == "given_first"


def test_update_changes_only_the_given_fields_and_raises_the_version(services) -> None:
    p = services.people.create(family_name="Mercer", given_name="Caroline", position="Provost")
    changed = services.people.update(p.id, p.version, position="President",
                                     languages=("en", "es"))
    assert changed.position == "President"
    assert changed.languages == ("en", "es")
    assert changed.given_name == "Caroline"
    assert changed.version == p.version + 1
    assert services.people.get(p.id) == changed


def test_organizations_are_shared_by_name(services) -> None:
    a = services.people.create(family_name="A", organization="Alderbrook University")
    b = services.people.create(family_name="B", organization="Alderbrook University")
    from sqlalchemy import text

    with services.db.engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM organizations")).scalar_one()
    assert n == 1
    assert a.organization == b.organization == "Alderbrook University"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "not-an-email", "email: 'not-an-email' is not an e-mail address"),
    ("email", "a@b", "email: 'a@b' is not an e-mail address"),
    ("country", "XX", "country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
    ("country", "jp", "country: 'jp' is not an ISO 3166-1 alpha-2 country code"),
    ("name_order", "surname_first", "name_order: 'surname_first' is not one of given_first, "
                                    "family_first"),
    ("gender", "x", "gender: 'x' is not one of"),
    ("given_name", "Line\nbreak",
     "given_name: contains a line separator (U+000A): it must be one line"),
    ("given_name", "Nul\x00", "given_name: contains a control character (U+0000)"),
    ("given_name", "x" * 201, "given_name: is too long (201 characters; at most 200)"),
    ("family_name", "   ", "family_name: is required"),
    ("rank_date", "2024-01-01", "rank_date: must be a date (YYYY-MM-DD)"),
    ("languages", "en", "languages: must be a list of language tags"),
    ("languages", ["en", "english!"], "languages[1]: 'english!' is not a BCP 47 language tag"),
    ("medical", "x" * 20_001, "medical: is too long (20,001 characters; at most 20,000)"),
])
def test_validation_names_the_field(services, field, value, message) -> None:
    values = {"family_name": "Valid", field: value}
    with pytest.raises(ValidationError) as err:
        services.people.create(**values)
    assert message in str(err.value)
    assert str(err.value).startswith("person: ")
    assert [p.path for p in err.value.problems] == [message.split(":")[0]]
    assert services.people.count() == 0


def test_every_problem_is_reported_at_once(services) -> None:
    with pytest.raises(ValidationError) as err:
        services.people.create(family_name="", email="nope", country="ZZ", gender="other")
    assert [p.path for p in err.value.problems] == ["family_name", "gender", "email", "country"]
    assert str(err.value).startswith("person: 4 problems:\n  - family_name: is required")


def test_update_validates_and_changes_nothing_on_error(services) -> None:
    p = services.people.create(family_name="Mercer", email="m@example.edu")
    with pytest.raises(ValidationError, match=r"email: 'bad' is not an e-mail address"):
        services.people.update(p.id, p.version, email="bad", position="President")
    assert services.people.get(p.id) == p


def test_unknown_fields_are_refused_by_name(services) -> None:
    with pytest.raises(ValidationError) as err:
        services.people.create(family_name="X", nickname="Y", shoe_size=42)
    assert [str(p) for p in err.value.problems] == [
        "nickname: is not a field of a person", "shoe_size: is not a field of a person"]
    p = services.people.create(family_name="X")
    with pytest.raises(ValidationError, match="surname: is not a field of a person"):
        services.people.update(p.id, p.version, surname="Y")


def test_missing_person_is_not_found(services) -> None:
    with pytest.raises(NotFoundError, match=r"There is no person #999 \(it may have been "
                                            r"deleted\)\."):
        services.people.get(999)
    with pytest.raises(NotFoundError):
        services.people.update(999, None, given_name="x")
    with pytest.raises(NotFoundError):
        services.people.delete(999)


def test_delete_removes_the_person_and_its_search_entry(services) -> None:
    p = services.people.create(family_name="Dragomirov", given_name="Kalin")
    assert services.people.count("drago") == 1
    services.people.delete(p.id, p.version)
    with pytest.raises(NotFoundError):
        services.people.get(p.id)
    assert services.people.count("drago") == 0
    assert services.people.search("drago") == []


def test_a_person_in_a_visit_cannot_be_deleted(world) -> None:
    s = world.services
    with pytest.raises(ConflictError) as err:
        s.people.delete(world.guest_id)
    assert str(err.value) == (
        "Tanaka Haruto takes part in 1 visit(s) (Visit of the Rector of Kyoto University); "
        "remove them from those visits first. Nothing was deleted.")
    assert s.people.get(world.guest_id).family_name == "Tanaka"


def test_listing_everyone_is_sorted_by_family_name(services) -> None:
    for family in ("Zhou", "Adler", "Mercer"):
        services.people.create(family_name=family)
    assert [p.family_name for p in services.people.search()] == ["Adler", "Mercer", "Zhou"]
    assert [p.family_name for p in services.people.search("", limit=1, offset=1)] == ["Mercer"]
    assert services.people.count() == 3


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_photo_is_stored_scaled_and_removed(services) -> None:
    p = services.people.create(family_name="Mercer")
    with_photo = services.people.set_photo(p.id, _jpeg(2400, 1600), p.version)
    assert with_photo.has_photo and with_photo.version == p.version + 1
    stored = services.people.photo(p.id)
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG" and img.size == (1200, 800)
    without = services.people.set_photo(p.id, None, with_photo.version)
    assert not without.has_photo and services.people.photo(p.id) is None


def test_a_file_that_is_not_an_image_is_refused(services) -> None:
    p = services.people.create(family_name="Mercer")
    with pytest.raises(ValidationError, match=r"^photo: is not a usable image"):
        services.people.set_photo(p.id, b"%PDF-1.7 not a picture")
    assert services.people.get(p.id) == p


def test_errors_are_protocol_errors_with_plain_messages(services) -> None:
    with pytest.raises(ProtocolError) as err:
        services.people.create(family_name="X", email="@@")
    assert "Traceback" not in str(err.value)
    assert "\n" not in str(err.value)

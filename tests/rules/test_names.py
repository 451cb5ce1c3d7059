"""Name order, capitals in any script, particles, list form and sorting."""

from __future__ import annotations

import pytest

from protocol_app.rules.names import (
    FAMILY_FIRST,
    GIVEN_FIRST,
    default_name_order,
    display_name,
    emphasized_name,
    formal_name,
    list_form,
    sort_key,
    split_particles,
    surname,
    upper_name,
)
from tests.support.record_factories import person


@pytest.mark.parametrize("country", ["CN", "TW", "HK", "MO", "JP", "KR", "KP", "VN", "HU"])
def test_family_first_countries(country: str) -> None:
    assert default_name_order(country) == FAMILY_FIRST


@pytest.mark.parametrize("country", ["jp", " hu ", "Vn"])
def test_country_code_is_read_leniently(country: str) -> None:
    assert default_name_order(country) == FAMILY_FIRST


@pytest.mark.parametrize("country", ["US", "BR", "DE", "FR", "SG", "", "XX"])
def test_given_first_elsewhere(country: str) -> None:
    assert default_name_order(country) == GIVEN_FIRST


SILVA = person(1, "Silva", "João", country="BR", honorific="H.E.")
TANAKA = person(2, "Tanaka", "Haruto", name_order="family_first", country="JP",
                honorific="Prof.")
ORBAN = person(3, "Orbán", "Viktor", name_order="family_first", country="HU")
MORGAN = person(4, "Morgan", "Alex")
MONONYM = person(5, "", "Sukarno", country="ID")


@pytest.mark.parametrize(
    ("who", "display", "emphasized", "listed", "formal"),
    [
        (SILVA, "João Silva", "João SILVA", "SILVA, João", "H.E. João Silva"),
        (TANAKA, "Tanaka Haruto", "TANAKA Haruto", "TANAKA, Haruto", "Prof. Tanaka Haruto"),
        (ORBAN, "Orbán Viktor", "ORBÁN Viktor", "ORBÁN, Viktor", "Orbán Viktor"),
        (MORGAN, "Alex Morgan", "Alex MORGAN", "MORGAN, Alex", "Alex Morgan"),
        (MONONYM, "Sukarno", "Sukarno", "Sukarno", "Sukarno"),
    ],
)
def test_name_forms(who, display: str, emphasized: str, listed: str, formal: str) -> None:
    assert display_name(who) == display
    assert display_name(who) == who.display_name  # agrees with the value's own property
    assert emphasized_name(who) == emphasized
    assert list_form(who) == listed
    assert formal_name(who) == formal


@pytest.mark.parametrize(
    ("family", "given", "country", "expected"),
    [
        ("van der Berg", "Jan", "NL", "van der BERG, Jan"),
        ("Van Buren", "Martin", "US", "VAN BUREN, Martin"),
        ("de la Cruz", "María", "ES", "de la CRUZ, María"),
        ("al-Sabah", "Ahmad", "KW", "al-SABAH, Ahmad"),
        ("d'Alembert", "Jean", "FR", "d'ALEMBERT, Jean"),
        ("O'Brien", "Siobhán", "IE", "O'BRIEN, Siobhán"),
        ("García Márquez", "Gabriel", "CO", "GARCÍA MÁRQUEZ, Gabriel"),
        ("Strauß", "Anna", "DE", "STRAUSS, Anna"),
        ("Иванов", "Иван", "RU", "ИВАНОВ, Иван"),
        ("Παπαδόπουλος", "Γιώργος", "GR", "ΠΑΠΑΔΟΠΟΥΛΟΣ, Γιώργος"),
        ("Yiğit", "Ayşe", "TR", "YİĞİT, Ayşe"),
        ("Yiğit", "Ayşe", "DE", "YIĞIT, Ayşe"),
        ("王", "小明", "CN", "王, 小明"),
        ("山田", "太郎", "JP", "山田, 太郎"),
        ("김", "민준", "KR", "김, 민준"),
        ("الصباح", "أحمد", "KW", "الصباح, أحمد"),
        ("כהן", "דוד", "IL", "כהן, דוד"),
        ("शर्मा", "राहुल", "IN", "शर्मा, राहुल"),
        ("ჯავახიშვილი", "ნინო", "GE", "ჯავახიშვილი, ნინო"),
    ],
)
def test_list_form_in_any_script(family: str, given: str, country: str, expected: str) -> None:
    assert list_form(person(1, family, given, country=country)) == expected


def test_upper_name_keeps_caseless_scripts_and_lower_particles() -> None:
    assert upper_name("van den Heuvel") == "van den HEUVEL"
    assert upper_name("von Weizsäcker") == "von WEIZSÄCKER"
    assert upper_name("ben Ali") == "ben ALI"
    assert upper_name("习") == "习"
    assert upper_name("  Silva ") == "SILVA"


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("van der Berg", ("van der ", "Berg")),
        ("al-Sabah", ("al-", "Sabah")),
        ("d'Alembert", ("d'", "Alembert")),
        ("Van Buren", ("", "Van Buren")),
        ("de", ("", "de")),  # a particle alone is the name itself
        ("Silva", ("", "Silva")),
        ("", ("", "")),
    ],
)
def test_split_particles(family: str, expected: tuple[str, str]) -> None:
    assert split_particles(family) == expected


def test_surname_falls_back_to_the_only_name() -> None:
    assert surname(SILVA) == "Silva"
    assert surname(person(9, "van der Berg", "Jan")) == "van der Berg"
    assert surname(MONONYM) == "Sukarno"


def test_sort_key_ignores_case_accents_and_lower_particles() -> None:
    people = [
        person(1, "Zhou", "Li"),
        person(2, "van der Berg", "Jan"),
        person(3, "Brown", "Tom"),
        person(4, "Álvarez", "Rosa"),
        person(5, "adams", "Kim"),
        person(6, "Adams", "Jo"),
        person(7, "Van Buren", "Martin"),
    ]
    ordered = [p.id for p in sorted(people, key=sort_key)]
    assert ordered == [6, 5, 4, 2, 3, 7, 1]


def test_sort_key_folds_strokes_as_the_people_search_does() -> None:
    """"Đỗ" sorts with "Do" and "Łukasz" with "Lukasz", not after "Z" (Unicode does
    not decompose a stroke); Devanagari keeps its vowel signs."""
    people = [
        person(1, "Wang", "Li"),
        person(2, "Đỗ", "Minh"),
        person(3, "Dinh", "An"),
        person(4, "Łukaszewski", "Piotr"),
        person(5, "Lee", "Bo"),
        person(6, "Duong", "Thu"),
    ]
    assert [p.id for p in sorted(people, key=sort_key)] == [3, 2, 6, 5, 4, 1]
    assert sort_key(person(7, "शर्मा", "प्रिया"))[0] == "शर्मा"


def test_native_script_is_left_out_where_it_only_repeats_a_name() -> None:
    from protocol_app.rules.names import native_script
    from protocol_app.services.values import PersonRecord

    vietnamese = PersonRecord(1, "Võ", "Thanh Tùng", "family_first", native_name="Võ  Thanh Tùng")
    chinese = PersonRecord(2, "Lin", "Yi-chun", "family_first", native_name="林怡君")
    assert native_script(vietnamese) == ""  # the same letters: nothing to add
    assert native_script(chinese) == "林怡君"
    assert native_script(chinese, "林怡君") == ""  # already shown beside it

"""Order of precedence: worked examples from diplomatic practice."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_app.rules.precedence import (
    DATE_IN_OFFICE,
    DEFAULT_CATEGORIES,
    TOOK_UP_FUNCTIONS,
    PrecedenceCategory,
    PrecedenceOverride,
    category_for,
    format_date,
    normalize_key,
    order_by_precedence,
)
from tests.support.record_factories import person


def ids(ranked) -> list[int]:
    return [r.person.id for r in ranked]


def explanations(ranked) -> list[str]:
    return [r.explanation for r in ranked]


# A diplomatic corps: three ambassadors, a chargé d'affaires en pied, one a.i.
SILVA = person(1, "Silva", "João", rank="ambassador", rank_date=date(2016, 5, 30))
OKONKWO = person(2, "Okonkwo", "Ngozi", rank="ambassador", rank_date=date(2019, 9, 3))
NGUYEN = person(3, "Nguyen", "Van An", rank="ambassador", rank_date=date(2021, 1, 12))
BROWN = person(4, "Brown", "Thomas", rank="charge_d_affaires", rank_date=date(2010, 1, 1))
MURPHY = person(5, "Murphy", "Aoife", rank="charge_d_affaires_ai", rank_date=date(2009, 6, 1))


def test_ambassadors_by_the_date_they_took_up_functions() -> None:
    ranked = order_by_precedence([NGUYEN, OKONKWO, SILVA])
    assert ids(ranked) == [1, 2, 3]
    assert [r.position for r in ranked] == [1, 2, 3]
    assert explanations(ranked) == [
        "Silva first: ambassador, highest in precedence",
        "Silva before Okonkwo: both ambassadors; Silva took up functions on 30 May 2016, "
        "Okonkwo on 3 September 2019",
        "Okonkwo before Nguyen: both ambassadors; Okonkwo took up functions on "
        "3 September 2019, Nguyen on 12 January 2021",
    ]


def test_a_charge_d_affaires_comes_after_every_ambassador() -> None:
    # Brown took up functions years before any ambassador: class comes first (art. 16).
    ranked = order_by_precedence([BROWN, NGUYEN, SILVA, OKONKWO])
    assert ids(ranked) == [1, 2, 3, 4]
    assert ranked[3].explanation == (
        "Nguyen before Brown: ambassador ranks above chargé d'affaires"
    )
    assert ranked[3].category.key == "charge_d_affaires"


def test_charges_en_pied_before_charges_ad_interim() -> None:
    ranked = order_by_precedence([MURPHY, BROWN])
    assert ids(ranked) == [4, 5]
    assert ranked[1].explanation == (
        "Brown before Murphy: chargé d'affaires ranks above chargé d'affaires a.i."
    )


def test_same_date_is_broken_alphabetically_and_says_so() -> None:
    adeyemi = person(11, "Adeyemi", "Tunde", rank="ambassador", rank_date=date(2020, 2, 4))
    baker = person(12, "Baker", "Ann", rank="ambassador", rank_date=date(2020, 2, 4))
    baker_b = person(13, "Baker", "Bob", rank="ambassador", rank_date=date(2020, 2, 4))
    ranked = order_by_precedence([baker_b, baker, adeyemi])
    assert ids(ranked) == [11, 12, 13]
    assert explanations(ranked)[1:] == [
        "Adeyemi before Ann Baker: both ambassadors took up functions on 4 February 2020; "
        "same date, so alphabetical by family name then given name",
        "Ann Baker before Bob Baker: both ambassadors took up functions on 4 February 2020; "
        "same date, so alphabetical by family name then given name",
    ]


def test_the_time_of_day_decides_between_heads_of_mission_of_the_same_day() -> None:
    zeller = person(21, "Zeller", "Eva", rank="ambassador", rank_date=date(2022, 3, 1))
    abbott = person(22, "Abbott", "Ian", rank="ambassador", rank_date=date(2022, 3, 1))
    cruz = person(23, "Cruz", "Ana", rank="ambassador", rank_date=date(2022, 3, 1))
    times = {
        21: datetime(2022, 3, 1, 10, 0, tzinfo=UTC),
        22: datetime(2022, 3, 1, 11, 30, tzinfo=UTC),
    }
    ranked = order_by_precedence([abbott, cruz, zeller], took_up_at=times)
    assert ids(ranked) == [21, 22, 23]
    assert explanations(ranked)[1:] == [
        "Zeller before Abbott: both ambassadors took up functions on 1 March 2022; "
        "Zeller at 10:00, Abbott at 11:30",
        "Abbott before Cruz: both ambassadors took up functions on 1 March 2022; the time "
        "is on record for Abbott (11:30) but not for Cruz, who so comes after",
    ]


def test_people_without_a_date_come_after_those_with_one() -> None:
    adams = person(31, "Adams", "Zoe", rank="ambassador")
    young = person(32, "Young", "Kai", rank="ambassador")
    ranked = order_by_precedence([adams, young, NGUYEN])
    assert ids(ranked) == [3, 31, 32]
    assert explanations(ranked)[1:] == [
        "Nguyen before Adams: both ambassadors; Nguyen took up functions on 12 January 2021; "
        "Adams has no date of taking up functions on record and so comes after those with "
        "one",
        "Adams before Young: both ambassadors with no date of taking up functions on record; "
        "alphabetical by family name then given name",
    ]


def test_a_host_override_moves_a_person_and_gives_the_reason() -> None:
    override = PrecedenceOverride(
        person_id=3, place="before", other_id=1, reason="Dean of the diplomatic corps"
    )
    ranked = order_by_precedence([SILVA, OKONKWO, NGUYEN, BROWN], overrides=[override])
    assert ids(ranked) == [3, 1, 2, 4]
    assert explanations(ranked) == [
        "Moved before Silva by the host: Dean of the diplomatic corps",
        "Nguyen before Silva: Nguyen was placed here by the host",
        "Silva before Okonkwo: both ambassadors; Silva took up functions on 30 May 2016, "
        "Okonkwo on 3 September 2019",
        "Okonkwo before Brown: ambassador ranks above chargé d'affaires",
    ]
    assert ranked[0].override == override
    assert ranked[1].override is None


def test_an_override_can_place_after_someone() -> None:
    override = PrecedenceOverride(1, "after", 4, "Attends in a private capacity")
    ranked = order_by_precedence([SILVA, OKONKWO, BROWN], overrides=[override])
    assert ids(ranked) == [2, 4, 1]
    assert explanations(ranked) == [
        "Okonkwo first: ambassador, first once the host's changes are applied",
        "Okonkwo before Brown: ambassador ranks above chargé d'affaires",
        "Moved after Brown by the host: Attends in a private capacity",
    ]


def test_an_override_naming_an_absent_person_is_skipped() -> None:
    override = PrecedenceOverride(99, "before", 1, "Not coming after all")
    assert ids(order_by_precedence([OKONKWO, SILVA], overrides=[override])) == [1, 2]


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(reason: str) -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        PrecedenceOverride(1, "before", 2, reason)


def test_an_override_places_before_or_after_only() -> None:
    with pytest.raises(ValueError, match="'before' or 'after'"):
        PrecedenceOverride(1, "above", 2, "why not")
    with pytest.raises(ValueError, match="relative to themselves"):
        PrecedenceOverride(1, "before", 1, "why not")


def test_categories_of_the_default_table_in_order() -> None:
    people = [
        person(1, "Other", rank=""),
        person(2, "Unknown", rank="astronaut"),
        person(3, "Dean", rank="dean"),
        person(4, "Head", rank="head_of_state"),
        person(5, "Consul", rank="consul_general"),
        person(6, "Mayor", rank="mayor"),
        person(7, "President", rank="university_president"),
        person(8, "Minister", rank="minister"),
        person(9, "Ambassador", rank="ambassador"),
        person(10, "Legislator", rank="Member of Parliament"),
        person(11, "Governor", rank="governor"),
        person(12, "Premier", rank="head_of_government"),
        person(13, "Professor", rank="professor"),
        person(14, "Envoy", rank="envoy"),
    ]
    ranked = order_by_precedence(people)
    assert ids(ranked) == [4, 12, 8, 9, 14, 11, 10, 6, 7, 3, 13, 5, 1, 2]
    assert [r.category.key for r in ranked][-2:] == ["other", "other"]
    assert ranked[-1].explanation == (
        "Other before Unknown: both other guests; alphabetical by family name then given name"
    )


def test_ministers_by_date_in_office() -> None:
    a = person(1, "Mensah", "Kofi", rank="minister", rank_date=date(2021, 6, 5))
    b = person(2, "Diallo", "Amina", rank="minister", rank_date=date(2019, 3, 1))
    ranked = order_by_precedence([a, b])
    assert ids(ranked) == [2, 1]
    assert ranked[1].explanation == (
        "Diallo before Mensah: both ministers; Diallo took office on 1 March 2019, "
        "Mensah on 5 June 2021"
    )


def test_the_default_table_is_complete_and_strictly_ordered() -> None:
    keys = [c.key for c in DEFAULT_CATEGORIES]
    for key in (
        "head_of_state", "head_of_government", "deputy_head_of_government",
        "foreign_minister", "minister", "ambassador", "envoy", "charge_d_affaires",
        "charge_d_affaires_ai", "deputy_minister", "governor", "legislator", "mayor",
        "university_president", "vice_chancellor", "dean", "professor", "consul_general",
        "consul", "senior_official", "other",
    ):
        assert key in keys
    orders = [c.order for c in DEFAULT_CATEGORIES]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert keys[-1] == "other"
    by_key = {c.key: c for c in DEFAULT_CATEGORIES}
    assert by_key["ambassador"].tie_rule == TOOK_UP_FUNCTIONS
    assert by_key["ambassador"].excellency
    assert not by_key["charge_d_affaires"].excellency
    assert by_key["minister"].tie_rule == DATE_IN_OFFICE
    assert all(c.equivalents for c in DEFAULT_CATEGORIES)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ambassador", "ambassador"),
        ("Ambassador", "ambassador"),
        ("Chargé d'affaires", "charge_d_affaires"),
        ("chargé d'affaires a.i.", "charge_d_affaires_ai"),
        ("Member of Parliament", "legislator"),
        ("rector", "university_president"),
        ("provost", "vice_chancellor"),
        ("", "other"),
        ("  ", "other"),
        ("grand vizier", "other"),
    ],
)
def test_category_for_keys_and_aliases(key: str, expected: str) -> None:
    assert category_for(key).key == expected


def test_a_custom_table_without_other_still_ranks_unknowns_last() -> None:
    table = (PrecedenceCategory("rector", "rector", "rectors", 1),)
    ranked = order_by_precedence([person(1, "Nobody", rank="x"), person(2, "Rex", rank="rector")],
                                 categories=table)
    assert ids(ranked) == [2, 1]
    assert ranked[1].category.key == "other"


def test_an_unknown_tie_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="tie rule 'seniority'"):
        PrecedenceCategory("x", "x", "xs", 1, tie_rule="seniority")


def test_a_person_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="person 1 \\(João Silva\\) is listed twice"):
        order_by_precedence([SILVA, SILVA])


def test_helpers() -> None:
    assert format_date(date(2019, 9, 3)) == "3 September 2019"
    assert normalize_key(" Chargé d’Affaires ") == "charge_d_affaires"


CORPS = [
    SILVA, OKONKWO, NGUYEN, BROWN, MURPHY,
    person(6, "Adams", "Zoe", rank="ambassador"),
    person(7, "Baker", "Ann", rank="ambassador", rank_date=date(2019, 9, 3)),
    person(8, "Kim", "Min-jun", rank="professor", name_order="family_first"),
    person(9, "Kim", "Ara", rank="professor", name_order="family_first"),
    person(10, "Lee", rank=""),
]


@given(st.permutations(CORPS))
def test_the_order_does_not_depend_on_the_input_order(people) -> None:
    ranked = order_by_precedence(people)
    assert ids(ranked) == [1, 7, 2, 3, 6, 4, 5, 9, 8, 10]
    assert explanations(ranked) == explanations(order_by_precedence(CORPS))


def test_people_sharing_a_family_name_are_named_in_full() -> None:
    ranked = order_by_precedence(CORPS)
    assert ranked[8].explanation == (
        "Kim Ara before Kim Min-jun: both professors; alphabetical by family name then "
        "given name"
    )
    assert ranked[1].explanation == (
        "Silva before Baker: both ambassadors; Silva took up functions on 30 May 2016, "
        "Baker on 3 September 2019"
    )

"""Forms of address quoted in protocol notes, checked against the printed forms."""

from __future__ import annotations

from dataclasses import replace

import pytest

from protocol_app.rules.address import forms_of_address
from protocol_app.rules.address_notes import QuotedForm, address_note_conflicts, quoted_forms
from tests.support.record_factories import person

VO_NOTES = (
    "Address as 'Minister' in conversation; in writing 'His Excellency Prof. Võ Thanh Tùng, "
    "Minister of Education and Training'. Vietnamese usage takes the last syllable of the "
    "given name: 'Minister Tùng' is acceptable, 'Minister Võ' is not. Seat at the "
    "President's right."
)
VO = person(1, "Võ", "Thanh Tùng", gender="male", rank="minister", honorific="H.E. Prof.",
            country="VN", name_order="family_first",
            position="Minister of Education and Training")
ADLER_NOTES = ("Chargé d'affaires ad interim since 9 January 2027. Address as 'Mr. Adler', "
               "not 'Excellency'. Seat away from the press riser.")
ADLER = person(2, "Adler", "Yonatan", gender="male", rank="charge_d_affaires_ai", country="IL")


def test_quotes_are_read_as_asked_for_or_rejected() -> None:
    assert list(quoted_forms(VO_NOTES)) == [
        QuotedForm("Minister", True),
        QuotedForm("His Excellency Prof. Võ Thanh Tùng, Minister of Education and Training",
                   True),
        QuotedForm("Minister Tùng", True),
        QuotedForm("Minister Võ", False),
    ]
    assert list(quoted_forms(ADLER_NOTES)) == [
        QuotedForm("Mr. Adler", True), QuotedForm("Excellency", False)]


def test_other_quotes_are_not_forms_of_address() -> None:
    assert list(quoted_forms("She chairs the 'Open Science' working group.")) == []
    assert list(quoted_forms("Mr. O'Neill's chargé d'affaires, not yet accredited")) == []


def test_forms_that_follow_the_notes_raise_nothing() -> None:
    assert address_note_conflicts(VO_NOTES, forms_of_address(VO)) == []
    assert address_note_conflicts(ADLER_NOTES, forms_of_address(ADLER)) == []


def test_a_rejected_form_on_the_place_card_is_reported() -> None:
    forms = replace(forms_of_address(VO), place_card="Minister Võ")
    rejected, wanted = sorted(address_note_conflicts(VO_NOTES, forms),
                              key=lambda c: c.quoted.wanted)
    assert rejected.form == "place_card"
    assert rejected.message == ("the protocol notes reject “Minister Võ”, but the place card "
                                "reads “Minister Võ”")
    assert wanted.quoted.text == "Minister Tùng"


def test_excellency_for_a_charge_is_reported() -> None:
    ambassador_style = replace(ADLER, rank="ambassador")
    conflicts = address_note_conflicts(ADLER_NOTES, forms_of_address(ambassador_style))
    assert [c.quoted.text for c in conflicts] == ["Mr. Adler", "Excellency"]


@pytest.mark.parametrize("notes", [
    "Address him as 'Professor Lindqvist'.",
    "“Professor Lindqvist” is preferred.",
])
def test_a_wanted_form_that_nothing_prints_is_reported(notes: str) -> None:
    who = person(3, "Lindqvist", "Karin", gender="female", rank="dean")
    [conflict] = address_note_conflicts(notes, forms_of_address(who))
    assert conflict.quoted.wanted
    assert "Dean Lindqvist" in conflict.message


def test_the_abbreviation_he_on_a_charge_is_the_rejected_excellency() -> None:
    """'H.E.' is "His Excellency" abbreviated: a chargé recorded with the honorific H.E.
    contradicts notes that reject 'Excellency'."""
    styled = replace(ADLER, honorific="H.E.")
    conflicts = address_note_conflicts(ADLER_NOTES, forms_of_address(styled))
    assert [(c.quoted.text, c.form) for c in conflicts if not c.quoted.wanted] == [
        ("Excellency", "list_form")]

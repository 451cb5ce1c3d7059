"""Forms of address: a table of cases from protocol practice."""

from __future__ import annotations

import pytest

from protocol_app.rules.address import FORM_NAMES, FormsOfAddress, forms_of_address
from protocol_app.rules.precedence import PrecedenceCategory, category_for
from tests.support.record_factories import person

CASES = [
    pytest.param(
        person(1, "Silva", "João", gender="male", honorific="H.E.", rank="ambassador",
               position="Ambassador of Brazil", organization="Embassy of Brazil"),
        FormsOfAddress(
            salutation="Dear Mr. Ambassador",
            address_block="His Excellency\nMr. João Silva\nAmbassador of Brazil\n"
                          "Embassy of Brazil",
            spoken="Mr. Ambassador",
            place_card="Ambassador Silva",
            badge="H.E. João Silva",
            list_form="H.E. Mr. João SILVA",
        ),
        id="male ambassador",
    ),
    pytest.param(
        person(2, "Okonkwo", "Ngozi", gender="female", rank="ambassador",
               position="Ambassador of Nigeria"),
        FormsOfAddress(
            salutation="Dear Madam Ambassador",
            address_block="Her Excellency\nMs. Ngozi Okonkwo\nAmbassador of Nigeria",
            spoken="Madam Ambassador",
            place_card="Ambassador Okonkwo",
            badge="H.E. Ngozi Okonkwo",
            list_form="H.E. Ms. Ngozi OKONKWO",
        ),
        id="female ambassador",
    ),
    pytest.param(
        person(3, "Morgan", "Alex", rank="ambassador", position="Ambassador of Canada"),
        FormsOfAddress(
            salutation="Dear Ambassador Morgan",
            address_block="H.E.\nAlex Morgan\nAmbassador of Canada",
            spoken="Ambassador Morgan",
            place_card="Ambassador Morgan",
            badge="H.E. Alex Morgan",
            list_form="H.E. Alex MORGAN",
        ),
        id="gender-neutral ambassador",
    ),
    pytest.param(
        person(4, "Diallo", "Amina", gender="female", rank="minister",
               position="Minister of Higher Education"),
        FormsOfAddress(
            salutation="Dear Minister",
            address_block="Her Excellency\nMs. Amina Diallo\nMinister of Higher Education",
            spoken="Minister",
            place_card="Minister Diallo",
            badge="H.E. Amina Diallo",
            list_form="H.E. Ms. Amina DIALLO",
        ),
        id="minister",
    ),
    pytest.param(
        person(5, "Souza", "Luiz", gender="male", rank="head_of_state",
               position="President of the Federative Republic of Brazil"),
        FormsOfAddress(
            salutation="Excellency",
            address_block="His Excellency\nMr. Luiz Souza\n"
                          "President of the Federative Republic of Brazil",
            spoken="Your Excellency",
            place_card="H.E. Luiz Souza",
            badge="H.E. Luiz Souza",
            list_form="H.E. Mr. Luiz SOUZA",
        ),
        id="head of state",
    ),
    pytest.param(
        person(6, "Tanaka", "Haruto", name_order="family_first", gender="male",
               honorific="Prof.", rank="professor", country="JP",
               position="Professor of Physics", organization="University of Tokyo"),
        FormsOfAddress(
            salutation="Dear Professor Tanaka",
            address_block="Professor Tanaka Haruto\nProfessor of Physics\nUniversity of Tokyo",
            spoken="Professor Tanaka",
            place_card="Professor Tanaka",
            badge="Prof. TANAKA Haruto",
            list_form="Professor TANAKA Haruto",
        ),
        id="professor, family name first",
    ),
    pytest.param(
        person(7, "Smith", "Jane", gender="female", honorific="Dr.",
               position="Director of Research"),
        FormsOfAddress(
            salutation="Dear Dr. Smith",
            address_block="Dr. Jane Smith\nDirector of Research",
            spoken="Dr. Smith",
            place_card="Dr. Smith",
            badge="Dr. Jane Smith",
            list_form="Dr. Jane SMITH",
        ),
        id="doctor",
    ),
    pytest.param(
        person(8, "Morgan", "Alex"),
        FormsOfAddress(
            salutation="Dear Alex Morgan",
            address_block="Alex Morgan",
            spoken="Alex Morgan",
            place_card="Alex Morgan",
            badge="Alex Morgan",
            list_form="Alex MORGAN",
        ),
        id="no gender, no title",
    ),
    pytest.param(
        person(9, "Carter", "John", gender="male", rank="legislator",
               position="Member of Parliament"),
        FormsOfAddress(
            salutation="Dear Mr. Carter",
            address_block="The Honorable\nJohn Carter\nMember of Parliament",
            spoken="Mr. Carter",
            place_card="Mr. Carter",
            badge="John Carter",
            list_form="The Honorable John CARTER",
        ),
        id="legislator",
    ),
    pytest.param(
        person(10, "Lee", "Sarah", gender="female", rank="governor",
               position="Governor of Ohio"),
        FormsOfAddress(
            salutation="Dear Governor Lee",
            address_block="The Honorable\nSarah Lee\nGovernor of Ohio",
            spoken="Governor Lee",
            place_card="Governor Lee",
            badge="Sarah Lee",
            list_form="The Honorable Sarah LEE",
        ),
        id="governor",
    ),
    pytest.param(
        person(11, "Brown", "Thomas", gender="male", rank="charge_d_affaires_ai",
               position="Chargé d'affaires a.i. of Ireland"),
        FormsOfAddress(
            salutation="Dear Mr. Chargé d'Affaires",
            address_block="Mr. Thomas Brown\nChargé d'affaires a.i. of Ireland",
            spoken="Mr. Chargé d'Affaires",
            place_card="Mr. Brown",
            badge="Thomas Brown",
            list_form="Mr. Thomas BROWN",
        ),
        id="chargé d'affaires, not an Excellency",
    ),
    pytest.param(
        person(12, "Novák", "Petr", gender="male", honorific="Prof. Dr.",
               rank="university_president", position="Rector of Charles University"),
        FormsOfAddress(
            salutation="Dear Rector Novák",
            address_block="Professor Petr Novák\nRector of Charles University",
            spoken="Rector Novák",
            place_card="Rector Novák",
            badge="Prof. Petr Novák",
            list_form="Professor Petr NOVÁK",
        ),
        id="rector: title from the position, Professor outranks Dr.",
    ),
    pytest.param(
        person(13, "Kim", "Min-jun", name_order="family_first", rank="dean", country="KR",
               position="Dean of Engineering"),
        FormsOfAddress(
            salutation="Dear Dean Kim",
            address_block="Kim Min-jun\nDean of Engineering",
            spoken="Dean Kim",
            place_card="Dean Kim",
            badge="KIM Min-jun",
            list_form="KIM Min-jun",
        ),
        id="dean, family name first, no gender",
    ),
    pytest.param(
        person(14, "van der Berg", "Anke", gender="female", honorific="Mrs.",
               rank="consul_general", position="Consul General of the Netherlands"),
        FormsOfAddress(
            salutation="Dear Madam Consul General",
            address_block="Mrs. Anke van der Berg\nConsul General of the Netherlands",
            spoken="Madam Consul General",
            place_card="Consul General van der Berg",
            badge="Anke van der Berg",
            list_form="Mrs. Anke van der BERG",
        ),
        id="consul general with a recorded courtesy title and a particle",
    ),
    pytest.param(
        person(15, "al-Thani", "Ahmed", gender="male", honorific="Sheikh", rank="minister",
               position="Minister of State"),
        FormsOfAddress(
            salutation="Dear Minister",
            address_block="His Excellency\nSheikh Ahmed al-Thani\nMinister of State",
            spoken="Minister",
            place_card="Minister al-Thani",
            badge="H.E. Ahmed al-Thani",
            list_form="H.E. Sheikh Ahmed al-THANI",
        ),
        id="another honorific is written before the name",
    ),
    pytest.param(
        person(16, "Rossi", "Marco", gender="male", honorific="H.E."),
        FormsOfAddress(
            salutation="Excellency",
            address_block="His Excellency\nMr. Marco Rossi",
            spoken="Your Excellency",
            place_card="H.E. Marco Rossi",
            badge="H.E. Marco Rossi",
            list_form="H.E. Mr. Marco ROSSI",
        ),
        id="H.E. recorded without a rank",
    ),
]


@pytest.mark.parametrize(("who", "expected"), CASES)
def test_forms_of_address(who, expected: FormsOfAddress) -> None:
    assert forms_of_address(who) == expected


HONORABLES = [
    person(20, "Carter", "John", gender="male", rank="legislator"),
    person(21, "Lee", "Sarah", gender="female", rank="governor"),
    person(22, "Park", "Jae", gender="", rank="mayor", name_order="family_first"),
    person(23, "Olsen", "Mia", gender="female", rank="deputy_minister"),
    person(24, "Grant", "Ray", gender="male", rank="senior_official", honorific="Hon. Dr.",
           position="Director-General of Trade"),
]


@pytest.mark.parametrize("who", HONORABLES, ids=lambda p: p.rank)
def test_the_honorable_is_written_never_spoken(who) -> None:
    forms = forms_of_address(who)
    assert forms.address_lines[0] == "The Honorable"
    assert forms.list_form.startswith("The Honorable ")
    for spoken_or_card in (forms.salutation, forms.spoken, forms.place_card, forms.badge):
        assert "Honorable" not in spoken_or_card


def test_the_honorable_takes_no_courtesy_title_after_it() -> None:
    forms = forms_of_address(HONORABLES[4])
    assert forms.address_lines[:2] == ("The Honorable", "Ray Grant")
    assert forms.salutation == "Dear Dr. Grant"
    assert forms.spoken == "Dr. Grant"


@pytest.mark.parametrize("rank", ["ambassador", "minister", "legislator", "professor", "other",
                                  "consul", "charge_d_affaires"])
def test_no_gender_means_no_mr_or_ms_guessed(rank: str) -> None:
    forms = forms_of_address(person(30, "Morgan", "Alex", rank=rank))
    for text in (forms.salutation, forms.address_block, forms.spoken, forms.place_card,
                 forms.badge, forms.list_form):
        assert "Mr." not in text and "Ms." not in text and "Madam" not in text
        assert "His " not in text and "Her " not in text


def test_family_first_order_is_kept_everywhere() -> None:
    forms = forms_of_address(person(31, "Nguyen", "Thi Lan", name_order="family_first",
                                    gender="female", country="VN", rank="ambassador"))
    assert forms.address_lines[1] == "Ms. Nguyen Thi Lan"
    assert forms.list_form == "H.E. Ms. NGUYEN Thi Lan"
    assert forms.badge == "H.E. NGUYEN Thi Lan"
    assert forms.place_card == "Ambassador Lan"  # Vietnamese: the given name's last syllable


def test_an_explicit_category_wins_over_the_rank() -> None:
    prof = person(32, "Weber", "Lena", gender="female", rank="professor")
    forms = forms_of_address(prof, category=category_for("dean"))
    assert forms.salutation == "Dear Dean Weber"
    assert forms.address_lines == ("Professor Lena Weber",)  # still a professor by title


def test_an_unknown_category_uses_its_excellency_flag() -> None:
    grand = PrecedenceCategory("grand_master", "grand master", "grand masters", 5,
                               excellency=True)
    forms = forms_of_address(person(33, "Vella", "Paul", gender="male"), category=grand)
    assert forms.address_block == "His Excellency\nMr. Paul Vella"
    assert forms.salutation == "Excellency"


def test_overrides_win() -> None:
    king = person(34, "Bernadotte", "Carl Gustaf", gender="male", rank="head_of_state")
    forms = forms_of_address(king, overrides={"spoken": "Your Majesty",
                                              "salutation": "Your Majesty"})
    assert forms.spoken == "Your Majesty"
    assert forms.salutation == "Your Majesty"
    assert forms.address_lines[0] == "His Excellency"  # not overridden: generated


def test_an_unknown_override_is_refused_with_the_valid_names() -> None:
    with pytest.raises(ValueError, match="unknown form of address 'greeting'; the forms are "
                                         "salutation, address_block, spoken"):
        forms_of_address(person(35, "X"), overrides={"greeting": "Hi"})
    assert FORM_NAMES == ("salutation", "address_block", "spoken", "place_card", "badge",
                          "list_form")


def test_a_senior_official_is_not_honorable_by_rank_alone() -> None:
    forms = forms_of_address(person(40, "Grant", "Ray", gender="male", rank="senior_official",
                                    honorific="Dr.", position="Director-General of Trade"))
    assert "Honorable" not in forms.address_block + forms.list_form
    assert forms.address_lines[0] == "Dr. Ray Grant"


@pytest.mark.parametrize("who", [
    person(41, "Brennan", "Claire", gender="female", rank="senior_official", honorific="Hon.",
           position="Provost", organization="Kessler University"),
    person(42, "Osei", "Kwame", gender="male", rank="vice_chancellor", honorific="Hon. Prof."),
    person(43, "Ward", "Lena", gender="female", rank="dean", honorific="The Honorable"),
    person(44, "Ito", "Ren", gender="male", rank="other", honorific="Hon.",
           position="Registrar", organization="Tohoku University"),
], ids=lambda p: p.position or p.rank)
def test_an_academic_officer_is_never_the_honorable(who) -> None:
    forms = forms_of_address(who)
    for text in (forms.address_block, forms.list_form, forms.badge, forms.place_card):
        assert "Honorable" not in text


@pytest.mark.parametrize(("who", "place_card", "spoken"), [
    (person(50, "Võ", "Thanh Tùng", gender="male", rank="minister", honorific="H.E. Prof.",
            country="VN", name_order="family_first"), "Minister Tùng", "Minister"),
    (person(51, "Jakobsdóttir", "Katrín", gender="female", rank="minister", country="IS"),
     "Minister Katrín", "Minister"),
    (person(52, "García Márquez", "Lucía", gender="female", rank="ambassador", country="CO"),
     "Ambassador García", "Madam Ambassador"),
    (person(53, "Durão Barroso", "José Manuel", gender="male", rank="dean", country="PT"),
     "Dean Barroso", "Dean Barroso"),
    (person(54, "Morimoto", "Kenji", gender="male", rank="ambassador", country="JP",
            name_order="family_first"), "Ambassador Morimoto", "Mr. Ambassador"),
    (person(55, "Orbán", "Anna", gender="female", rank="dean", country="HU",
            name_order="family_first"), "Dean Orbán", "Dean Orbán"),
    (person(56, "Sukarno", "", gender="male", rank="professor", country="ID"),
     "Professor Sukarno", "Professor Sukarno"),
    (person(57, "Chan-o-cha", "Prayut", gender="male", rank="head_of_government",
            country="TH"), "H.E. Prayut Chan-o-cha", "Your Excellency"),
    (person(58, "Chan-o-cha", "Prayut", gender="male", rank="professor", country="TH"),
     "Professor Prayut", "Professor Prayut"),
], ids=lambda v: getattr(v, "country", None) or None)
def test_the_name_used_with_a_title_follows_the_naming_custom(who, place_card, spoken) -> None:
    forms = forms_of_address(who)
    assert forms.place_card == place_card
    assert forms.spoken == spoken


def test_the_offices_choice_of_the_name_with_a_title_wins() -> None:
    who = person(60, "Võ", "Thanh Tùng", gender="male", rank="minister", country="VN",
                 name_order="family_first", title_name="Thanh Tùng")
    assert forms_of_address(who).place_card == "Minister Thanh Tùng"

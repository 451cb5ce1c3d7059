"""Matching a visit's people and organizations against a loaded list: every case the
office asked for (scripts, variant spellings, name order, diacritics, legal forms,
aliases, native-script entries), and people who only share a family name, who must not
match.  Each case goes through the whole path: the CSV, the stored keys, the blocks, the
score."""

from __future__ import annotations

import pytest

from protocol_app.screening.matching import THRESHOLD, score_tokens
from protocol_app.screening.normalize import name_variants, transliterate
from tests.screening.conftest import entity, individual

LIST = [
    individual("IVANOV, Sergei", citizenships="RU", dates_of_birth="1961-05-02"),
    individual("PETROV, Alexander Ivanovich", nationalities="RU"),
    individual("MÜLLER, Hans", nationalities="DE"),
    individual("GARCIA, Jose", nationalities="VE"),
    individual("ABU KHALID", alt_names="Khalid Hamdan AL-SAYED; Abu Khaled"),
    individual("HOSSEINI, Ali", nationalities="IR"),
    individual("CHEN Jianguo", nationalities="CN"),
    {"source": "Entity List (EL) - Bureau of Industry and Security", "type": "",
     "name": "王磊", "citizenships": "CN"},
    entity("Acme Trading L.L.C.", alt_names="ACME TRADE CO."),
    entity("Romashka LLC"),
    entity("Northwind Industries Co., Ltd."),
    entity("Beijing Institute of Technology"),
]

#: Person fields -> the list entry it must match (None: it must match nothing).
PEOPLE = {
    # any script against Latin entries, a variant spelling and "FAMILY, Given"
    "cyrillic": ({"family_name": "Иванов", "given_name": "Сергей", "country": "RU"},
                 "IVANOV, Sergei"),
    # a Polish transliteration misses; the name in its own script matches
    "native name": ({"family_name": "Iwanow", "given_name": "Siergiej",
                     "native_name": "Сергей Иванов"}, "IVANOV, Sergei"),
    # a variant spelling of the given name, and a patronymic the entry alone has
    "variant": ({"family_name": "Petrov", "given_name": "Aleksandr"},
                "PETROV, Alexander Ivanovich"),
    # diacritics, on either side
    "diacritics entry": ({"family_name": "Mueller", "given_name": "Hans"}, "MÜLLER, Hans"),
    "diacritics person": ({"family_name": "García", "given_name": "José"}, "GARCIA, Jose"),
    # an alias, with its particle
    "alias": ({"family_name": "al-Sayed", "given_name": "Khalid"}, "ABU KHALID"),
    # a name in Han characters against a Latin entry (the given name written as one word)
    "han person": ({"family_name": "陈", "given_name": "建国", "name_order": "family_first"},
                   "CHEN Jianguo"),
    # a Latin name against a native-script entry, family name first
    "han entry": ({"family_name": "Wang", "given_name": "Lei", "name_order": "family_first"},
                  "王磊"),
    # legal forms and punctuation
    "llc": ({"family_name": "Adler", "given_name": "Tom", "organization": "ACME Trading LLC"},
            "Acme Trading L.L.C."),
    "ooo": ({"family_name": "Orlova", "given_name": "Vera", "organization": "ООО «Ромашка»"},
            "Romashka LLC"),
    "gmbh": ({"family_name": "Brandt", "given_name": "Ute",
              "organization": "Northwind Industries GmbH"}, "Northwind Industries Co., Ltd."),
    # -- negatives: the same family name, or one letter apart, is not the same person --
    "same family": ({"family_name": "Ivanov", "given_name": "Ivan"}, None),
    "family only": ({"family_name": "Ivanov"}, None),
    "same family 2": ({"family_name": "Müller", "given_name": "Maria"}, None),
    "same family 3": ({"family_name": "Hosseini", "given_name": "Mohammed"}, None),
    "same family 4": ({"family_name": "Petrova", "given_name": "Anna"}, None),
    "one letter": ({"family_name": "Wang", "given_name": "Wei", "name_order": "family_first"},
                   None),
    "same family han": ({"family_name": "陈", "given_name": "明", "name_order": "family_first"},
                        None),
    "other organization": ({"family_name": "Stone", "given_name": "Amy",
                            "organization": "Beijing University of Technology"}, None),
    "common word only": ({"family_name": "Reed", "given_name": "Al",
                          "organization": "Acme University"}, None),
}


@pytest.fixture
def screened(services, csl_file, visit_with):
    services.screening.load(csl_file(LIST))
    visit = visit_with(*(fields for fields, _ in PEOPLE.values()))
    return services.screening.screen_visit(visit)


def test_every_case_matches_its_entry_and_nothing_else(screened) -> None:
    found = {(m.person_name, m.entry) for m in screened}
    expected = set()
    for fields, entry in PEOPLE.values():
        if entry is not None:
            parts = (fields["family_name"], fields.get("given_name", ""))
            if fields.get("name_order") != "family_first":
                parts = parts[::-1]
            expected.add((" ".join(p for p in parts if p), entry))
    assert found == expected
    assert all(THRESHOLD <= m.score <= 100 for m in screened)


def test_matches_show_the_entry_beside_the_person_with_the_reason(screened) -> None:
    by_person = {m.person_name: m for m in screened}
    cyrillic = by_person["Сергей Иванов"]
    assert (cyrillic.subject, cyrillic.name, cyrillic.entry, cyrillic.list) == (
        "person", "Сергей Иванов", "IVANOV, Sergei", "us-csl")
    assert cyrillic.score == 92.5
    assert cyrillic.reason.startswith("Sergey ≈ Sergei (same sound); Ivanov = Ivanov; "
                                      "in another order")
    assert "country RU on both" in cyrillic.reason
    assert "countries: RU" in cyrillic.entry_details
    assert "born: 1961-05-02" in cyrillic.entry_details
    assert "programs: RUSSIA-EO14024" in cyrillic.entry_details
    assert cyrillic.person_ref.startswith("p")

    native = by_person["Siergiej Iwanow"]
    assert native.matched_name == "Сергей Иванов"
    assert "through the name in its own script Сергей Иванов (read as Sergey Ivanov)" \
        in native.reason

    variant = by_person["Aleksandr Petrov"]
    assert "Aleksandr ≈ Alexander (same sound)" in variant.reason
    assert "the entry also has Ivanovich" in variant.reason

    alias = by_person["Khalid al-Sayed"]
    assert alias.matched_entry_name == "Khalid Hamdan AL-SAYED"
    assert "through the entry's alias Khalid Hamdan AL-SAYED" in alias.reason

    han_entry = by_person["Wang Lei"]
    assert han_entry.score == 100
    assert "the entry's name 王磊 (read as Wang Lei)" in han_entry.reason

    han_person = by_person["陈 建国"]
    assert "Chen = Chen; Jianguo = Jianguo" in han_person.reason


def test_organizations_match_with_their_people(screened) -> None:
    organizations = {m.name: m for m in screened if m.subject == "organization"}
    assert set(organizations) == {"ACME Trading LLC", "ООО «Ромашка»",
                                  "Northwind Industries GmbH"}
    acme = organizations["ACME Trading LLC"]
    assert acme.person_name == "Tom Adler"
    assert "legal forms and punctuation set aside" in acme.reason
    assert "aliases: ACME TRADE CO." in acme.entry_details
    assert organizations["ООО «Ромашка»"].score == 100


@pytest.mark.parametrize(("mine", "theirs", "subject"), [
    ("Ivan Ivanov", "IVANOV, Sergei", "person"),
    ("Ivanov", "IVANOV, Sergei", "person"),
    ("Wang Wei", "WANG Lei", "person"),
    ("Li Wei", "LI, Qiang", "person"),
    ("John Smith", "SMITH, Robert", "person"),
    ("Maria Müller", "MUELLER, Hans", "person"),
    ("National University", "National University of Defense Technology", "organization"),
])
def test_a_shared_family_name_or_common_words_alone_stay_below_the_threshold(
        mine: str, theirs: str, subject: str) -> None:
    best = max(score_tokens(a, b, subject).score for a in name_variants(mine, subject)
               for b in name_variants(theirs, subject))
    assert best < THRESHOLD


@pytest.mark.parametrize(("mine", "theirs", "subject"), [
    ("Сергей Иванов", "IVANOV, Sergei", "person"),
    ("Mohammed Ali", "ALI, Muhammad", "person"),
    ("Xi Jinping", "XI, Jin-ping", "person"),
    ("習近平", "XI Jinping", "person"),
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO LTD", "organization"),
    ("Rosoboronexport", "ROSOBORONEXPORT OAO", "organization"),
])
def test_variants_and_forms_reach_the_threshold(mine: str, theirs: str, subject: str) -> None:
    best = max(score_tokens(a, b, subject).score for a in name_variants(mine, subject)
               for b in name_variants(theirs, subject))
    assert best >= THRESHOLD


def test_han_and_hangul_syllables_are_words_of_their_own() -> None:
    assert transliterate("王磊") == "Wang Lei"
    assert name_variants("王磊", "person") == (("wang", "lei"),)
    assert name_variants("김정은", "person") == (("gim", "jeong", "eun"), ("gim", "jeongeun"))


def test_a_visit_without_lists_has_no_matches_and_a_warning(services, visit_with) -> None:
    visit = visit_with({"family_name": "Ivanov", "given_name": "Sergei"})
    assert services.screening.screen_visit(visit) == ()
    assert services.screening.warnings()[0].startswith("No screening list is loaded")

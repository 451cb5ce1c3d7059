"""Forms of address: how to write to, speak to and print the name of a person.

The forms follow common Anglophone diplomatic and academic practice:

* heads of state and government, vice-presidents, ministers and heads of diplomatic
  mission are "His/Her Excellency" in writing (address block, lists, badges);
  heads of state and government are "Excellency" in letters, "Your Excellency" in
  speech; ministers are "Dear Minister" / "Minister"; ambassadors are
  "Dear Mr./Madam Ambassador" / "Mr./Madam Ambassador";
* deputy ministers, governors, legislators and mayors are "The Honorable" in writing
  only - never in a salutation, in speech or on a place card; other officials only when
  their office carries it (the honorific "Hon."), and an academic officer never;
* the name after a title is the one the person's naming custom uses
  (:func:`protocol_app.rules.names.title_name`): "Minister Tùng", "Ambassador García";
* academic and office titles ("Professor Tanaka", "Dean Smith", "Dr. Smith") are used
  in speech and salutations; "Professor" outranks "Dr.";
* with no gender recorded, no "Mr." or "Ms." is guessed: gender-neutral forms use the
  title and family name ("Dear Ambassador Morgan") or the full name ("Dear Alex Morgan");
  the written Excellency is then abbreviated "H.E.";
* a family-first name keeps its order everywhere ("Professor Tanaka Haruto"); lists and
  badges show the family name in capitals ("Professor TANAKA Haruto").

The recorded ``honorific`` informs the titles: "H.E." makes the person an Excellency,
"Dr." and "Prof." give academic titles, "Mrs.", "Miss" or "Mx." replace the courtesy title
taken from the gender, and any other honorific ("Sheikh", "Rev.") is written before the
full name.  Sovereigns ("Your Majesty") and clergy need ``overrides``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Protocol

from protocol_app.rules.names import (
    NamedPerson,
    display_name,
    emphasized_name,
    is_family_first,
    title_name,
)
from protocol_app.rules.precedence import PrecedenceCategory, category_for


class AddressablePerson(NamedPerson, Protocol):
    """What the forms of address read from a person (e.g. a ``PersonRecord``)."""

    @property
    def gender(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def rank(self) -> str: ...


@dataclass(frozen=True, slots=True)
class FormsOfAddress:
    """Every form of a person's name and title.

    ``salutation``: the opening of a letter, without punctuation ("Dear Madam
    Ambassador").  ``address_block``: envelope and letter heading, lines joined by "\\n".
    ``spoken``: how to address the person in conversation.  ``place_card``: the card on
    the dinner table.  ``badge``: the name badge.  ``list_form``: delegation lists and
    programmes ("H.E. Mr. João SILVA").
    """

    salutation: str
    address_block: str
    spoken: str
    place_card: str
    badge: str
    list_form: str

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address block as a tuple of lines."""
        return tuple(self.address_block.split("\n"))


FORM_NAMES: tuple[str, ...] = tuple(f.name for f in fields(FormsOfAddress))

# How a salutation or spoken form is built.
_EXCELLENCY = "excellency"  # "Excellency" / "Your Excellency"
_OFFICE = "office"  # "Dear Minister" / "Minister"
_OFFICE_GENDERED = "office_gendered"  # "Dear Madam Ambassador" / "Madam Ambassador"
_TITLE_NAME = "title_name"  # "Dear Dean Smith" / "Dean Smith"
_PERSONAL = "personal"  # "Dear Dr. Smith", "Dear Ms. Smith", "Dear Alex Morgan"

# The prefix of written forms.
_WRITTEN_EXCELLENCY = "excellency"
_WRITTEN_HONORABLE = "honorable"


@dataclass(frozen=True, slots=True)
class _Style:
    title: str = ""  # office title used with a name: "Ambassador", "Dean"
    written: str = ""  # "excellency", "honorable" or ""
    salutation: str = _PERSONAL
    spoken: str = _PERSONAL
    title_on_card: bool = True  # "Ambassador Silva" on the place card
    titles_from_position: tuple[str, ...] = ()  # first words of ``position`` to use as title


_STYLES: Mapping[str, _Style] = {
    "head_of_state": _Style("", _WRITTEN_EXCELLENCY, _EXCELLENCY, _EXCELLENCY),
    "head_of_government": _Style("", _WRITTEN_EXCELLENCY, _EXCELLENCY, _EXCELLENCY),
    "deputy_head_of_government": _Style("", _WRITTEN_EXCELLENCY, _EXCELLENCY, _EXCELLENCY),
    "foreign_minister": _Style("Minister", _WRITTEN_EXCELLENCY, _OFFICE, _OFFICE),
    "minister": _Style("Minister", _WRITTEN_EXCELLENCY, _OFFICE, _OFFICE),
    "ambassador": _Style(
        "Ambassador", _WRITTEN_EXCELLENCY, _OFFICE_GENDERED, _OFFICE_GENDERED,
        titles_from_position=("High Commissioner", "Nuncio"),
    ),
    "envoy": _Style("Minister", _WRITTEN_EXCELLENCY, _OFFICE_GENDERED, _OFFICE_GENDERED),
    "charge_d_affaires": _Style(
        "Chargé d'Affaires", "", _OFFICE_GENDERED, _OFFICE_GENDERED, title_on_card=False
    ),
    "charge_d_affaires_ai": _Style(
        "Chargé d'Affaires", "", _OFFICE_GENDERED, _OFFICE_GENDERED, title_on_card=False
    ),
    "deputy_minister": _Style(
        "Deputy Minister", _WRITTEN_HONORABLE, _TITLE_NAME, _TITLE_NAME,
        titles_from_position=("Vice Minister", "Vice-Minister", "State Secretary",
                              "Secretary of State", "Under-Secretary"),
    ),
    "governor": _Style("Governor", _WRITTEN_HONORABLE, _TITLE_NAME, _TITLE_NAME),
    "legislator": _Style(
        "", _WRITTEN_HONORABLE, titles_from_position=("Senator", "Representative")
    ),
    "mayor": _Style("Mayor", _WRITTEN_HONORABLE, _TITLE_NAME, _TITLE_NAME),
    "university_president": _Style(
        "President", "", _TITLE_NAME, _TITLE_NAME,
        titles_from_position=("President", "Chancellor", "Rector", "Principal"),
    ),
    "vice_chancellor": _Style(
        "Vice-Chancellor", "", _TITLE_NAME, _TITLE_NAME,
        titles_from_position=(
            "Deputy Vice-Chancellor", "Vice-Chancellor", "Provost", "Vice-Rector",
            "Vice-President", "Vice-Provost",
        ),
    ),
    "dean": _Style("Dean", "", _TITLE_NAME, _TITLE_NAME),
    "professor": _Style("Professor", "", _TITLE_NAME, _TITLE_NAME),
    "consul_general": _Style("Consul General", "", _OFFICE_GENDERED, _OFFICE_GENDERED),
    "consul": _Style("Consul", "", _OFFICE_GENDERED, _OFFICE_GENDERED),
    # "The Honorable" is not given with the rank: only offices that carry it (recorded as
    # the honorific "Hon.") are so styled.
    "senior_official": _Style(),
    "other": _Style(),
}

#: Academic offices: never "The Honorable", whatever the honorific says.
ACADEMIC_CATEGORIES: frozenset[str] = frozenset(
    {"university_president", "vice_chancellor", "dean", "professor"}
)
_ACADEMIC_RE = re.compile(
    r"\b(universit|college|academ|polytechn|faculty|provost|dean\b|rector|registrar)",
    re.IGNORECASE,
)


def is_academic_officer(person: AddressablePerson, category: PrecedenceCategory) -> bool:
    """True for an academic officer: an academic rank, or a senior official or other
    guest whose position or organization is a university's ("Provost", "University of
    Ghana")."""
    if category.key in ACADEMIC_CATEGORIES:
        return True
    if category.key not in ("senior_official", "other"):
        return False
    return bool(_ACADEMIC_RE.search(f"{person.position} {person.organization}"))


@dataclass(frozen=True, slots=True)
class _Honorific:
    excellency: bool = False
    honorable: bool = False
    professor: bool = False
    doctor: bool = False
    courtesy: str = ""  # "Mr.", "Mrs.", "Ms.", "Miss", "Mx." as recorded
    other: str = ""  # any other honorific, written before the full name


_COURTESY = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx."}


def _parse_honorific(text: str) -> _Honorific:
    """Read a recorded honorific such as "H.E. Dr.", "Prof. Dr.", "Mrs.", "Sheikh"."""
    words = text.replace(",", " ").split()
    keys = ["".join(c for c in w.casefold() if c.isalnum()) for w in words]
    result = _Honorific()
    unknown: list[str] = []
    i = 0
    while i < len(keys):
        key, nxt = keys[i], keys[i + 1] if i + 1 < len(keys) else ""
        if key in ("he", "excellency") or (key in ("his", "her") and nxt == "excellency"):
            result = replace(result, excellency=True)
            i += 2 if key in ("his", "her") else 1
            continue
        if key in ("hon", "honorable", "honourable") or (key == "the" and nxt.startswith("hon")):
            result = replace(result, honorable=True)
            i += 2 if key == "the" else 1
            continue
        if key in ("prof", "professor"):
            result = replace(result, professor=True)
        elif key in ("dr", "doctor"):
            result = replace(result, doctor=True)
        elif key in _COURTESY:
            result = replace(result, courtesy=_COURTESY[key])
        else:
            unknown.append(words[i])
        i += 1
    return replace(result, other=" ".join(unknown))


def _gendered(gender: str, male: str, female: str) -> str:
    return {"male": male, "female": female}.get(gender.strip().casefold(), "")


def _title_from_position(style: _Style, position: str) -> str:
    for title in style.titles_from_position:
        if position.strip().casefold().startswith(title.casefold()):
            return title
    return style.title


def forms_of_address(
    person: AddressablePerson,
    category: PrecedenceCategory | None = None,
    overrides: Mapping[str, str] | None = None,
) -> FormsOfAddress:
    """All forms of address for a person.

    ``category`` defaults to the person's ``rank`` looked up in the default table of
    precedence; a category unknown to this module is addressed by its ``excellency`` flag
    and the person's honorific.  ``overrides`` maps form names (see :data:`FORM_NAMES`)
    to text the office has decided on; it wins over every generated form.
    """
    category = category or category_for(person.rank)
    style = _STYLES.get(category.key) or (
        _Style("", _WRITTEN_EXCELLENCY, _EXCELLENCY, _EXCELLENCY)
        if category.excellency
        else _Style()
    )
    hon = _parse_honorific(person.honorific)
    if hon.excellency and style.written != _WRITTEN_EXCELLENCY:
        style = replace(style, written=_WRITTEN_EXCELLENCY)
        if style.salutation == _PERSONAL:
            style = replace(style, salutation=_EXCELLENCY, spoken=_EXCELLENCY)
    elif hon.honorable and not style.written and not is_academic_officer(person, category):
        style = replace(style, written=_WRITTEN_HONORABLE)

    gender = person.gender
    full = display_name(person)
    family = title_name(person)
    title = _title_from_position(style, person.position)
    is_professor = hon.professor or "professor" in (category.key, category_for(person.rank).key)
    academic = "Professor" if is_professor else ("Dr." if hon.doctor else "")
    courtesy = hon.courtesy or _gendered(gender, "Mr.", "Ms.")
    # How the person is named when no office title applies.
    if hon.other:
        personal = f"{hon.other} {full}"
    elif academic or courtesy:
        personal = f"{academic or courtesy} {family}"
    else:
        personal = full
    titled = f"{title} {family}" if title else personal

    def by_kind(kind: str, spoken: bool) -> str:
        if kind == _EXCELLENCY:
            return "Your Excellency" if spoken else "Excellency"
        if not title:
            form = personal
        elif kind == _OFFICE:
            form = title
        elif kind == _OFFICE_GENDERED:
            if hon.courtesy in ("Mrs.", "Ms.", "Miss"):
                mode = "Madam"
            elif hon.courtesy == "Mr.":
                mode = "Mr."
            else:
                mode = _gendered(gender, "Mr.", "Madam")
            form = f"{mode} {title}" if mode else titled
        else:
            form = titled
        return form if spoken else f"Dear {form}"

    # The name as written, after "His Excellency" or alone.
    written_prefix = hon.other or academic or courtesy
    written_name = f"{written_prefix} {full}" if written_prefix else full
    lines: list[str] = []
    if style.written == _WRITTEN_EXCELLENCY:
        lines.append(_gendered(gender, "His Excellency", "Her Excellency") or "H.E.")
        lines.append(written_name)
    elif style.written == _WRITTEN_HONORABLE:
        # "The Honorable Jane Smith": no courtesy or academic title after it.
        lines.append("The Honorable")
        lines.append(f"{hon.other} {full}" if hon.other else full)
    else:
        lines.append(written_name)
    lines.extend(line for line in (person.position.strip(), person.organization.strip()) if line)

    emphasized = emphasized_name(person)
    if style.written == _WRITTEN_EXCELLENCY:
        list_prefix = " ".join(p for p in ("H.E.", written_prefix) if p)
        badge_prefix = "H.E."
    elif style.written == _WRITTEN_HONORABLE:
        list_prefix = " ".join(p for p in ("The Honorable", hon.other) if p)
        badge_prefix = hon.other
    else:
        list_prefix = written_prefix
        badge_prefix = hon.other or {"Professor": "Prof.", "Dr.": "Dr."}.get(academic, "")

    if title and style.title_on_card:
        place_card = titled
    elif style.written == _WRITTEN_EXCELLENCY and not title:
        place_card = f"H.E. {full}"
    else:
        place_card = personal

    badge_name = emphasized if is_family_first(person) else full
    forms = FormsOfAddress(
        salutation=by_kind(style.salutation, spoken=False),
        address_block="\n".join(lines),
        spoken=by_kind(style.spoken, spoken=True),
        place_card=place_card,
        badge=" ".join(p for p in (badge_prefix, badge_name) if p),
        list_form=" ".join(p for p in (list_prefix, emphasized) if p),
    )
    if overrides:
        unknown = sorted(set(overrides) - set(FORM_NAMES))
        if unknown:
            raise ValueError(
                f"unknown form of address {', '.join(map(repr, unknown))}; the forms are "
                f"{', '.join(FORM_NAMES)}"
            )
        forms = replace(forms, **dict(overrides))
    return forms


"""Personal names: customary order, list form, capitals, honorifics and sorting.

A person has a family name and a given name, and a ``name_order``: ``"given_first"``
("João Silva") or ``"family_first"`` ("Tanaka Haruto", "Orbán Viktor").  The functions
here never reorder a family-first name into Western order: speech, letters and cards keep
the customary order, and only the sortable list form puts the family name first for
everybody ("SILVA, João", "TANAKA, Haruto").

Capitals work for every script: :func:`upper_name` uses Unicode case mapping, so names in
scripts without case (Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari, ...) stay as
they are.  Lower-case particles at the start of a family name ("van der", "de", "al-")
are kept as written: "van der Berg" becomes "van der BERG", "al-Sabah" becomes
"al-SABAH"; a capitalised particle is part of the name ("Van Buren" -> "VAN BUREN").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

GIVEN_FIRST = "given_first"
FAMILY_FIRST = "family_first"
NAME_ORDERS: tuple[str, ...] = (GIVEN_FIRST, FAMILY_FIRST)

#: Countries (ISO 3166-1 alpha-2) whose names are customarily written family name first.
FAMILY_FIRST_COUNTRIES: frozenset[str] = frozenset(
    {"CN", "TW", "HK", "MO", "JP", "KR", "KP", "VN", "HU"}
)

#: Particles that stay as written when they open a family name in lower case.
PARTICLES: frozenset[str] = frozenset(
    {
        "van", "von", "de", "der", "den", "del", "della", "dei", "degli", "di", "da",
        "das", "do", "dos", "du", "des", "la", "le", "lo", "ten", "ter", "te", "zu",
        "zum", "zur", "y", "e", "al", "el", "bin", "bint", "ibn", "ben", "ould", "d", "l",
    }
)

# Turkish and Azerbaijani: dotted i upper-cases to İ, not I.
_DOTTED_I_COUNTRIES = frozenset({"TR", "AZ"})
# A particle ends at a space, a hyphen or an apostrophe ("al-", "d'", "l’").
_PARTICLE_RE = re.compile(r"([^\s\-'’]+)([\s\-'’]+)")
_GREEK_ACCENTS = frozenset({"\u0301", "\u0342"})  # tonos/oxia, perispomeni


class NamedPerson(Protocol):
    """What the name functions read from a person (e.g. a ``PersonRecord``)."""

    @property
    def family_name(self) -> str: ...
    @property
    def given_name(self) -> str: ...
    @property
    def name_order(self) -> str: ...
    @property
    def honorific(self) -> str: ...
    @property
    def country(self) -> str: ...


def default_name_order(country: str) -> str:
    """The customary name order for a country code: ``"family_first"`` or ``"given_first"``.

    >>> default_name_order("jp")
    'family_first'
    """
    return FAMILY_FIRST if country.strip().upper() in FAMILY_FIRST_COUNTRIES else GIVEN_FIRST


def is_family_first(person: NamedPerson) -> bool:
    """True if the person's name is written family name first."""
    return person.name_order == FAMILY_FIRST


def _is_greek_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("GREEK")


def _is_georgian(char: str) -> bool:
    # Georgian is written without case; str.upper() would turn it into Mtavruli, which
    # ordinary text (and most fonts) do not use.
    return "\u10a0" <= char <= "\u10ff" or "\u1c90" <= char <= "\u1cbf" or (
        "\u2d00" <= char <= "\u2d2f"
    )


def _upper_word(text: str, country: str = "") -> str:
    if country.strip().upper() in _DOTTED_I_COUNTRIES:
        text = text.replace("i", "İ")
    out: list[str] = []
    for char in text:
        out.append(char if _is_georgian(char) else char.upper())
    upper = "".join(out)
    if any(_is_greek_letter(c) for c in upper):
        # Greek is written without accents in capitals: "Παπαδόπουλος" -> "ΠΑΠΑΔΟΠΟΥΛΟΣ".
        decomposed = unicodedata.normalize("NFD", upper)
        kept: list[str] = []
        for char in decomposed:
            if char in _GREEK_ACCENTS and kept and _is_greek_letter(kept[-1]):
                continue
            kept.append(char)
        upper = "".join(kept)
    return unicodedata.normalize("NFC", upper)


def split_particles(family_name: str) -> tuple[str, str]:
    """Split a family name into its lower-case leading particles and the core name.

    >>> split_particles("van der Berg")
    ('van der ', 'Berg')
    >>> split_particles("al-Sabah")
    ('al-', 'Sabah')
    >>> split_particles("Van Buren")
    ('', 'Van Buren')
    """
    prefix = ""
    rest = family_name
    while True:
        match = _PARTICLE_RE.match(rest)
        if not match or match.group(1) not in PARTICLES or match.end() >= len(rest):
            return prefix, rest
        prefix += match.group(0)
        rest = rest[match.end() :]


def upper_name(name: str, country: str = "") -> str:
    """The name in capitals, for any script; lower-case leading particles stay as written.

    ``country`` selects locale rules that Unicode's default mapping lacks (Turkish and
    Azerbaijani dotted i).  Scripts without case are returned unchanged.

    >>> upper_name("van der Berg")
    'van der BERG'
    >>> upper_name("Yılmaz", "TR")
    'YILMAZ'
    """
    prefix, core = split_particles(name.strip())
    return prefix + _upper_word(core, country)


def display_name(person: NamedPerson) -> str:
    """The name in its customary order, without honorific: "João Silva", "Tanaka Haruto"."""
    family, given = person.family_name.strip(), person.given_name.strip()
    parts = (family, given) if is_family_first(person) else (given, family)
    return " ".join(p for p in parts if p)


def native_script(person: NamedPerson, *shown: str) -> str:
    """The person's name in its own script (their ``native_name``), or "" when it would
    only repeat a name already shown (``shown``) or the name in customary order.

    Used wherever a name in its own script is printed or listed beside another form: the
    PDFs, the Delegation tab, the People directory and the pickers.
    """
    native = " ".join(str(getattr(person, "native_name", "") or "").split())
    if not native:
        return ""
    repeats = {" ".join(s.split()).casefold() for s in (*shown, display_name(person)) if s}
    return "" if native.casefold() in repeats else native


def emphasized_name(person: NamedPerson) -> str:
    """The customary order with the family name in capitals: "João SILVA", "TANAKA Haruto".

    Used in delegation lists and on badges, where readers must see at once which part is
    the family name.
    """
    family = upper_name(person.family_name, person.country)
    given = person.given_name.strip()
    parts = (family, given) if is_family_first(person) else (given, family)
    return " ".join(p for p in parts if p)


def list_form(person: NamedPerson) -> str:
    """The sortable list form "FAMILY, Given" for everybody, whatever the name order.

    >>> from types import SimpleNamespace as P
    >>> list_form(P(family_name="Tanaka", given_name="Haruto", name_order="family_first",
    ...             honorific="", country="JP"))
    'TANAKA, Haruto'
    """
    family = upper_name(person.family_name, person.country)
    return ", ".join(p for p in (family, person.given_name.strip()) if p)


def formal_name(person: NamedPerson) -> str:
    """The honorific (as recorded) followed by the name in customary order.

    "H.E. João Silva", "Prof. Tanaka Haruto", "Alex Morgan" when there is no honorific.
    """
    return " ".join(p for p in (person.honorific.strip(), display_name(person)) if p)


def surname(person: NamedPerson) -> str:
    """The family name with its particles, or the given name for a person known by one
    name only (explanations and short references; see :func:`title_name` for the name
    used after a title)."""
    return person.family_name.strip() or person.given_name.strip()


# -- the name used with a title ---------------------------------------------------------
# Source: "A Guide to Names and Naming Practices" (HM Government, 2006), which describes
# each custom below; docs/protocol-rules.md explains each rule for the office.
#: Vietnamese: the last syllable of the given name ("Võ Thanh Tùng" -> "Minister Tùng").
GIVEN_LAST_SYLLABLE_COUNTRIES: frozenset[str] = frozenset({"VN"})
#: Icelandic (a patronymic is not a family name) and Thai: the given name.
GIVEN_NAME_COUNTRIES: frozenset[str] = frozenset({"IS", "TH"})
#: Spanish: the first of the two family names ("García Márquez" -> "García").
FIRST_SURNAME_COUNTRIES: frozenset[str] = frozenset({
    "ES", "MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO", "PR", "CO", "VE", "EC",
    "PE", "BO", "CL", "AR", "PY", "UY", "GQ",
})
#: Portuguese: the last family name, the father's, which is the principal one
#: ("José Manuel Durão Barroso" -> "President Barroso").
LAST_SURNAME_COUNTRIES: frozenset[str] = frozenset({
    "PT", "BR", "AO", "MZ", "CV", "GW", "ST", "TL",
})


def _surname_units(family_name: str) -> list[str]:
    """A family name cut into surnames, each with the lower-case particles before it:
    "de la Fuente García" -> ["de la Fuente", "García"]; hyphens join ("Pérez-Reverte")."""
    units: list[str] = []
    pending = ""
    for word in family_name.split():
        if word in PARTICLES:
            pending += word + " "
            continue
        units.append(pending + word)
        pending = ""
    if pending:
        units.append(pending.strip())
    return units


def default_title_name(person: NamedPerson) -> str:
    """The name used after a title by the person's naming custom (their country).

    >>> from types import SimpleNamespace as P
    >>> default_title_name(P(family_name="Võ", given_name="Thanh Tùng", country="VN"))
    'Tùng'
    >>> default_title_name(P(family_name="García Márquez", given_name="Gabriel",
    ...                      country="CO"))
    'García'
    >>> default_title_name(P(family_name="Durão Barroso", given_name="José Manuel",
    ...                      country="PT"))
    'Barroso'
    >>> default_title_name(P(family_name="Jakobsdóttir", given_name="Katrín", country="IS"))
    'Katrín'
    """
    family, given = person.family_name.strip(), person.given_name.strip()
    if not family or not given:  # a mononym
        return family or given
    country = person.country.strip().upper()
    if country in GIVEN_LAST_SYLLABLE_COUNTRIES:
        return given.split()[-1]
    if country in GIVEN_NAME_COUNTRIES:
        return given
    units = _surname_units(family)
    if country in FIRST_SURNAME_COUNTRIES and units:
        return units[0]
    if country in LAST_SURNAME_COUNTRIES and units:
        return split_particles(units[-1])[1]
    return family


def title_name_custom(person: NamedPerson) -> str:
    """The custom :func:`default_title_name` follows, in words ("Vietnamese custom"), for
    showing the default beside the name it gives: "Tùng (Vietnamese custom)"."""
    family, given = person.family_name.strip(), person.given_name.strip()
    if not family or not given:
        return "one name"
    country = person.country.strip().upper()
    for countries, custom in ((GIVEN_LAST_SYLLABLE_COUNTRIES, "Vietnamese custom"),
                              (frozenset({"IS"}), "Icelandic custom"),
                              (frozenset({"TH"}), "Thai custom"),
                              (FIRST_SURNAME_COUNTRIES, "Spanish custom"),
                              (LAST_SURNAME_COUNTRIES, "Portuguese custom")):
        if country in countries:
            return custom
    return "family name"


def title_name(person: NamedPerson) -> str:
    """The name used after a title ("Minister Tùng", "Ambassador Morimoto"): the office's
    choice recorded on the person (``title_name``), else :func:`default_title_name`."""
    chosen = str(getattr(person, "title_name", "") or "").strip()
    return chosen or default_title_name(person)


# -- folding: how names are searched and sorted alike -------------------------------
# Case is folded, and Latin, Greek and Cyrillic accents are dropped ("José" matches
# "jose"), as are the strokes of letters that Unicode does not decompose ("Đỗ" matches
# "do"), while the marks that Devanagari, Arabic or Hebrew letters need are kept
# (dropping them would change the word).  The people search index stores this form, so
# changing :func:`fold` needs a migration that rebuilds the index (see ``0003``).
_FOLD_ACCENTS_BELOW = 0x0530  # Latin, Greek, Cyrillic and their combining accents
#: Latin letters with a stroke or ligatures, which NFKD leaves alone (applied after casefold).
_LATIN_BASE = str.maketrans({
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i",
    "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
})


def fold(value: str) -> str:
    """``value`` case-, accent- and stroke-folded, for searching and sorting."""
    decomposed = unicodedata.normalize("NFKD", value)
    out: list[str] = []
    base = 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base < _FOLD_ACCENTS_BELOW:
                continue
        else:
            base = ord(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold().translate(_LATIN_BASE)


def sort_key(person: NamedPerson) -> tuple[str, str, str, str]:
    """Alphabetical order by family name, then given name.

    Lower-case particles are ignored for sorting ("van der Berg" sorts under B); case,
    accents and strokes are folded as the people search folds them ("Đỗ" sorts with
    "Do", "Łukasz" with "Lukasz"), and the exact spellings break any remaining tie, so
    the order is total.
    """
    _, core = split_particles(person.family_name.strip())
    given = person.given_name.strip()
    return (fold(core), fold(given), person.family_name, given)

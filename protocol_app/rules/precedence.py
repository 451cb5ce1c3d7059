"""Order of precedence: who ranks before whom, and why.

People are ordered by the rank order of their category (a table such as
:data:`DEFAULT_CATEGORIES`), then inside a category by its tie rule:

``"took_up_functions"``
    heads of mission, per the Vienna Convention on Diplomatic Relations 1961, art. 13,
    14 and 16: by class, then by the date and time they took up their functions.
``"date_in_office"``
    seniority: the earlier date in office first.
``"none"``
    no seniority; alphabetical.

Within a dated category, people with no date on record come after those with one.  Any
remaining tie (same date, or no date) is broken alphabetically by family name, then given
name (see :func:`protocol_app.rules.names.sort_key`), then by person id, so the order is
always deterministic.  Visiting officials get the category of their host-country
equivalent (each category's ``equivalents`` note says which offices belong to it).

Finally the host's overrides (:class:`PrecedenceOverride`) move people before or after
someone else; each override must give its reason, which is shown in the explanation.
Every :class:`RankedPerson` carries a sentence explaining its place relative to the person
before it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from protocol_app.rules.dates import format_day
from protocol_app.rules.names import NamedPerson, display_name, sort_key, surname

TOOK_UP_FUNCTIONS = "took_up_functions"
DATE_IN_OFFICE = "date_in_office"
NO_TIE_RULE = "none"
TIE_RULES: tuple[str, ...] = (TOOK_UP_FUNCTIONS, DATE_IN_OFFICE, NO_TIE_RULE)

OTHER = "other"



class RankedLike(NamedPerson, Protocol):
    """What precedence reads from a person (e.g. a ``PersonRecord``)."""

    @property
    def id(self) -> int: ...
    @property
    def rank(self) -> str: ...
    @property
    def rank_date(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class PrecedenceCategory:
    """One line of a table of precedence.

    ``label`` and ``plural`` are noun phrases usable inside a sentence ("ambassador",
    "ambassadors"); capitalise them for headings.  ``order``: lower ranks first.
    ``excellency``: styled "His/Her Excellency".  ``equivalents``: which offices, at home
    or abroad, belong to this category.
    """

    key: str
    label: str
    plural: str
    order: int
    tie_rule: str = NO_TIE_RULE
    excellency: bool = False
    equivalents: str = ""

    def __post_init__(self) -> None:
        if self.tie_rule not in TIE_RULES:
            raise ValueError(
                f"precedence category {self.key!r}: tie rule {self.tie_rule!r} is not one of "
                f"{', '.join(TIE_RULES)}"
            )


def _cat(
    key: str, label: str, plural: str, order: int, tie: str, excellency: bool, equivalents: str
) -> PrecedenceCategory:
    return PrecedenceCategory(key, label, plural, order, tie, excellency, equivalents)


#: A default table for a host institution following common practice.  Offices are
#: ranked by their ``order``; an unknown or empty key ranks as ``"other"``, last.
DEFAULT_CATEGORIES: tuple[PrecedenceCategory, ...] = (
    _cat("head_of_state", "head of state", "heads of state", 10, DATE_IN_OFFICE, True,
         "Reigning sovereigns, presidents of republics, governors-general for the sovereign."),
    _cat("head_of_government", "head of government", "heads of government", 20,
         DATE_IN_OFFICE, True, "Prime ministers, premiers, federal chancellors."),
    _cat("deputy_head_of_government", "vice-president or deputy head of government",
         "vice-presidents or deputy heads of government", 30, DATE_IN_OFFICE, True,
         "Vice-presidents, deputy prime ministers."),
    _cat("foreign_minister", "minister for foreign affairs", "ministers for foreign affairs",
         40, DATE_IN_OFFICE, True, "Foreign ministers, secretaries of state for foreign affairs."),
    _cat("minister", "minister", "ministers", 50, DATE_IN_OFFICE, True,
         "Cabinet ministers of a national government, US cabinet secretaries."),
    _cat("ambassador", "ambassador", "ambassadors", 60, TOOK_UP_FUNCTIONS, True,
         "Heads of mission of the first class (Vienna Convention art. 14(1)(a)): "
         "ambassadors, nuncios, high commissioners."),
    _cat("envoy", "envoy", "envoys", 70, TOOK_UP_FUNCTIONS, True,
         "Heads of mission of the second class (art. 14(1)(b)): envoys, ministers "
         "plenipotentiary, internuncios."),
    _cat("charge_d_affaires", "chargé d'affaires", "chargés d'affaires", 80,
         TOOK_UP_FUNCTIONS, False,
         "Heads of mission of the third class (art. 14(1)(c)), chargés d'affaires en pied."),
    _cat("charge_d_affaires_ai", "chargé d'affaires a.i.", "chargés d'affaires a.i.", 85,
         TOOK_UP_FUNCTIONS, False,
         "Chargés d'affaires ad interim (art. 19), after those en pied; dated from the "
         "notification that they assumed charge."),
    _cat("deputy_minister", "deputy minister or state secretary",
         "deputy ministers or state secretaries", 90, DATE_IN_OFFICE, False,
         "Deputy and vice-ministers, state secretaries, under-secretaries of state."),
    _cat("governor", "governor", "governors", 100, DATE_IN_OFFICE, False,
         "Governors of states and provinces, premiers of provinces, minister-presidents "
         "of German Länder."),
    _cat("legislator", "member of parliament", "members of parliament", 110, DATE_IN_OFFICE,
         False, "Members of a national parliament, senators, representatives."),
    _cat("mayor", "mayor", "mayors", 120, DATE_IN_OFFICE, False,
         "Mayors and lord mayors of cities."),
    _cat("university_president", "university president", "university presidents", 130,
         DATE_IN_OFFICE, False, "University chancellors, presidents, rectors, principals."),
    _cat("vice_chancellor", "vice-chancellor or provost", "vice-chancellors or provosts", 140,
         DATE_IN_OFFICE, False, "Vice-chancellors, provosts, vice-rectors, vice-presidents "
         "of a university."),
    _cat("dean", "dean", "deans", 150, DATE_IN_OFFICE, False, "Deans of faculties and schools."),
    _cat("professor", "professor", "professors", 160, NO_TIE_RULE, False,
         "Full professors, chairs, heads of department."),
    _cat("consul_general", "consul general", "consuls general", 170, TOOK_UP_FUNCTIONS, False,
         "Heads of consular posts of the first class (Vienna Convention on Consular "
         "Relations 1963, art. 9)."),
    _cat("consul", "consul", "consuls", 180, TOOK_UP_FUNCTIONS, False,
         "Consuls, vice-consuls and consular agents heading a post."),
    _cat("senior_official", "senior official", "senior officials", 190, DATE_IN_OFFICE, False,
         "Directors-general, permanent secretaries, heads of agencies."),
    _cat("other", "other guest", "other guests", 1000, NO_TIE_RULE, False,
         "Everybody else; an unknown or empty rank ranks here."),
)

#: Other spellings accepted for the keys of :data:`DEFAULT_CATEGORIES`.
KEY_ALIASES: Mapping[str, str] = {
    "vice_president": "deputy_head_of_government",
    "deputy_prime_minister": "deputy_head_of_government",
    "prime_minister": "head_of_government",
    "president": "head_of_state",
    "head_of_mission": "ambassador",
    "high_commissioner": "ambassador",
    "nuncio": "ambassador",
    "minister_plenipotentiary": "envoy",
    "charge": "charge_d_affaires",
    "charge_d_affaires_en_pied": "charge_d_affaires",
    "charge_d_affaires_a_i": "charge_d_affaires_ai",
    "state_secretary": "deputy_minister",
    "member_of_parliament": "legislator",
    "mp": "legislator",
    "senator": "legislator",
    "chancellor": "university_president",
    "rector": "university_president",
    "provost": "vice_chancellor",
}


def normalize_key(key: str) -> str:
    """A rank key in canonical form: "Chargé d'affaires a.i." -> "charge_d_affaires_a_i"."""
    folded = unicodedata.normalize("NFKD", key.strip().casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    out = "".join(c if c.isalnum() else "_" for c in ascii_only)
    return "_".join(part for part in out.split("_") if part)


def category_for(
    key: str | None, categories: Sequence[PrecedenceCategory] = DEFAULT_CATEGORIES
) -> PrecedenceCategory:
    """The category for a rank key; an unknown or empty key gives the ``"other"`` category.

    If the table has no ``"other"`` line, a synthetic one ranks after everything in it.
    """
    by_key = {c.key: c for c in categories}
    found = table_key(key, categories) if key else None
    if found:
        return by_key[found]
    if OTHER in by_key:
        return by_key[OTHER]
    lowest = max((c.order for c in categories), default=0)
    return PrecedenceCategory(OTHER, "other guest", "other guests", lowest + 1)


def table_key(key: str, categories: Sequence[PrecedenceCategory] = DEFAULT_CATEGORIES
              ) -> str | None:
    """The key of the table's category that ``key`` names (the key itself, its canonical
    spelling or one of :data:`KEY_ALIASES`); ``""`` for an empty key; None when the table
    has no such rank.

    >>> table_key("Provost"), table_key(""), table_key("charge_daffaires")
    ('vice_chancellor', '', None)
    """
    if not key.strip():
        return ""
    by_key = {c.key for c in categories}
    canonical = normalize_key(key)
    for candidate in (key, canonical, KEY_ALIASES.get(canonical, "")):
        if candidate in by_key:
            return candidate
    return None


def rank_problem(key: Any, categories: Sequence[PrecedenceCategory] = DEFAULT_CATEGORIES
                 ) -> str | None:
    """Why ``key`` is not a rank of the table (naming the valid keys), or None."""
    if not isinstance(key, str) or table_key(key, categories) is None:
        shown = repr(key) if not isinstance(key, str) else f"'{key}'"
        return (f"{shown} is not a rank of the table of precedence; the ranks are "
                f"{', '.join(c.key for c in categories)}")
    return None


@dataclass(frozen=True, slots=True)
class PrecedenceOverride:
    """The host's decision to place one person before or after another.

    ``place`` is ``"before"`` or ``"after"``; ``reason`` is required and is shown in the
    explanation of the moved person's place.
    """

    person_id: int
    place: str
    other_id: int
    reason: str

    def __post_init__(self) -> None:
        if self.place not in ("before", "after"):
            raise ValueError(f"an override places a person 'before' or 'after', not {self.place!r}")
        if not self.reason.strip():
            raise ValueError(
                f"the override moving person {self.person_id} needs a reason, which is "
                "shown to everyone who reads the order of precedence"
            )
        if self.person_id == self.other_id:
            raise ValueError(f"person {self.person_id} cannot be placed relative to themselves")


@dataclass(frozen=True, slots=True)
class RankedPerson:
    """One place in an order of precedence, with the sentence that explains it."""

    position: int
    person: RankedLike
    category: PrecedenceCategory
    explanation: str
    override: PrecedenceOverride | None = None


def format_date(day: date) -> str:
    """A date as written in explanations: "30 May 2016" (independent of the locale)."""
    return format_day(day)


@dataclass(frozen=True, slots=True)
class _Entry:
    person: RankedLike
    category: PrecedenceCategory
    day: date | None
    at: datetime | None  # date and time of taking up functions, when known


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _natural_key(entry: _Entry) -> tuple:
    rule = entry.category.tie_rule
    if rule == NO_TIE_RULE:
        dated: tuple = ()
    elif entry.day is None:
        dated = (1, date.max, 1, datetime.max)
    elif rule == TOOK_UP_FUNCTIONS and entry.at is not None:
        dated = (0, entry.day, 0, _utc_naive(entry.at))
    else:
        dated = (0, entry.day, 1, datetime.max)
    return (entry.category.order, entry.category.key, *dated, sort_key(entry.person),
            entry.person.id)


def _time_text(at: datetime) -> str:
    return at.strftime("%H:%M")


class _Namer:
    """Short names for explanations: the family name, or the full name when ambiguous."""

    def __init__(self, people: Iterable[RankedLike]) -> None:
        counts: dict[str, int] = {}
        for p in people:
            short = surname(p).casefold()
            counts[short] = counts.get(short, 0) + 1
        self._counts = counts

    def __call__(self, person: RankedLike) -> str:
        short = surname(person)
        if self._counts.get(short.casefold(), 0) > 1:
            return display_name(person) or f"person {person.id}"
        return short or f"person {person.id}"


_ALPHABETICAL = "alphabetical by family name then given name"


def _when(entry: _Entry) -> str:
    assert entry.day is not None
    text = format_date(entry.day)
    if entry.at is not None and entry.category.tie_rule == TOOK_UP_FUNCTIONS:
        text += f" at {_time_text(entry.at)}"
    return text


def _explain_natural(prev: _Entry, cur: _Entry, name: _Namer) -> str:
    """Why ``prev`` comes before ``cur`` in the natural order (no override involved)."""
    a, b = name(prev.person), name(cur.person)
    head = f"{a} before {b}"
    if prev.category.key != cur.category.key:
        if prev.category.order == cur.category.order:
            return (
                f"{head}: {prev.category.label} and {cur.category.label} rank equally in "
                "this table; categories in table order"
            )
        return f"{head}: {prev.category.label} ranks above {cur.category.label}"
    cat = cur.category
    both = f"both {cat.plural}"
    if cat.tie_rule == NO_TIE_RULE:
        return f"{head}: {both}; {_ALPHABETICAL}"
    took = "took up functions" if cat.tie_rule == TOOK_UP_FUNCTIONS else "took office"
    what = "date of taking up functions" if cat.tie_rule == TOOK_UP_FUNCTIONS else "date in office"
    if prev.day is None and cur.day is None:
        return f"{head}: {both} with no {what} on record; {_ALPHABETICAL}"
    if cur.day is None:
        return (
            f"{head}: {both}; {a} {took} on {_when(prev)}; {b} has no {what} on record and "
            "so comes after those with one"
        )
    assert prev.day is not None
    if prev.day != cur.day:
        return f"{head}: {both}; {a} {took} on {_when(prev)}, {b} on {_when(cur)}"
    day = format_date(cur.day)
    if cat.tie_rule == TOOK_UP_FUNCTIONS and prev.at is not None and cur.at is not None:
        if prev.at != cur.at:
            return (
                f"{head}: {both} {took} on {day}; {a} at {_time_text(prev.at)}, "
                f"{b} at {_time_text(cur.at)}"
            )
        return (
            f"{head}: {both} {took} on {day} at {_time_text(cur.at)}; same date and time, "
            f"so {_ALPHABETICAL}"
        )
    if cat.tie_rule == TOOK_UP_FUNCTIONS and prev.at is not None:
        return (
            f"{head}: {both} {took} on {day}; the time is on record for {a} "
            f"({_time_text(prev.at)}) but not for {b}, who so comes after"
        )
    return f"{head}: {both} {took} on {day}; same date, so {_ALPHABETICAL}"


def order_by_precedence(
    people: Iterable[RankedLike],
    categories: Sequence[PrecedenceCategory] = DEFAULT_CATEGORIES,
    overrides: Iterable[PrecedenceOverride] = (),
    took_up_at: Mapping[int, datetime] | None = None,
) -> list[RankedPerson]:
    """Order people by precedence and explain every place.

    ``people``: objects with ``id``, ``rank`` (a category key), ``rank_date`` and the name
    fields.  ``took_up_at``: optional person id -> date and time they took up functions,
    for ties between heads of mission on the same day; when given it replaces the person's
    ``rank_date`` (its own date, in its own zone, is shown; aware values are compared in
    UTC, naive values as they are; do not mix them).  ``overrides`` are applied in order,
    after the natural order; an override naming someone who is not in ``people`` is
    skipped.  Raises ``ValueError`` if a person id appears twice.
    """
    took_up_at = took_up_at or {}
    entries: list[_Entry] = []
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            raise ValueError(f"person {person.id} ({display_name(person)}) is listed twice")
        seen.add(person.id)
        at = took_up_at.get(person.id)
        day = at.date() if at is not None else person.rank_date
        entries.append(_Entry(person, category_for(person.rank, categories), day, at))
    natural = sorted(entries, key=_natural_key)
    natural_index = {e.person.id: i for i, e in enumerate(natural)}

    order = list(natural)
    moved: dict[int, PrecedenceOverride] = {}
    for ov in overrides:
        if ov.person_id not in seen or ov.other_id not in seen:
            continue
        entry = next(e for e in order if e.person.id == ov.person_id)
        order.remove(entry)
        anchor = next(i for i, e in enumerate(order) if e.person.id == ov.other_id)
        order.insert(anchor if ov.place == "before" else anchor + 1, entry)
        moved[ov.person_id] = ov

    name = _Namer(e.person for e in entries)
    by_id = {e.person.id: e for e in entries}
    ranked: list[RankedPerson] = []
    for position, entry in enumerate(order, start=1):
        pid = entry.person.id
        override = moved.get(pid)
        if override is not None:
            other = name(by_id[override.other_id].person)
            text = f"Moved {override.place} {other} by the host: {override.reason.strip()}"
        elif position == 1:
            text = f"{name(entry.person)} first: {entry.category.label}"
            if natural_index[pid] == 0:
                text += ", highest in precedence"
            else:
                text += ", first once the host's changes are applied"
        else:
            prev = order[position - 2]
            if prev.person.id in moved and natural_index[prev.person.id] > natural_index[pid]:
                text = (
                    f"{name(prev.person)} before {name(entry.person)}: "
                    f"{name(prev.person)} was placed here by the host"
                )
            elif natural_index[prev.person.id] < natural_index[pid]:
                text = _explain_natural(prev, entry, name)
            else:
                text = (
                    f"{name(prev.person)} before {name(entry.person)}: as placed by the "
                    "host's changes"
                )
        ranked.append(RankedPerson(position, entry.person, entry.category, text, override))
    return ranked

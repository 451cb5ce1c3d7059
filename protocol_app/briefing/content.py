"""What goes into a briefing book, for whom: the audience filter and the book's facts.

Everything the layout prints comes from :class:`BookContent`, made by
:func:`gather_content` from the services. The audience rules live in one function,
:func:`protocol_app.services.audience.audience_view` (events by their visibility,
people by the audience and, for a personal copy, by whose copy it is); the sensitive
person and event fields themselves are listed once, in
:mod:`protocol_app.records.sensitivity`, and are blanked by its ``redact`` and
``redact_event`` before anything here reads a person or an event.

Principals (people with a profile page): on the guests' side the head of delegation
and the members; on the hosts' side the hosts. Staff, interpreters, security officers
and escorts appear in the delegation list, in the itinerary and on the contacts sheet,
but get no profile page.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from protocol_app import formatting
from protocol_app.briefing.fonts import font_for, is_ignorable
from protocol_app.records.sensitivity import (
    SENSITIVE_LABELS,
    SENSITIVE_PERSON_FIELDS,
    Audience,
    Sensitivity,
    redact,
    sensitive_label,
    visible_to,
)
from protocol_app.records.vocab import Role
from protocol_app.rules.address import FormsOfAddress
from protocol_app.rules.names import display_name
from protocol_app.rules.visibility import delegation_of, is_diplomatic_corps
from protocol_app.services.audience import GIFT_AUDIENCES, audience_view, find_participant
from protocol_app.services.values import (
    EventRecord,
    GiftRecord,
    ParticipantRecord,
    PersonRecord,
    VisitRecord,
)
from protocol_app.timeutil import home_zone

if TYPE_CHECKING:
    from protocol_app.briefing.service import BriefingSources

__all__ = [
    "GIFT_AUDIENCES",
    "PRINCIPAL_ROLES",
    "BookContent",
    "Ranked",
    "SensitiveNote",
    "audience_view",
    "country_name",
    "delegation_title",
    "gather_content",
    "home_zone",
    "language_names",
    "printable",
    "sensitive_notes",
]

#: Who gets a profile page: (side, role) pairs.
PRINCIPAL_ROLES: frozenset[tuple[str, str]] = frozenset(
    {("guest", "head"), ("guest", "member"), ("host", "host")}
)

#: The participants' roles as printed (read from the vocabulary, as the screens do).
ROLE_LABELS: dict[str, str] = Role.labels()


@dataclass(frozen=True, slots=True)
class SensitiveNote:
    """A sensitive note the book may print, with who may read it."""

    field: str
    label: str
    text: str
    audiences: frozenset[Audience]

    @property
    def restricted_label(self) -> str:
        """Who may read the note: "internal only", "hosts and internal"."""
        if self.audiences == {Audience.INTERNAL}:
            return "internal only"
        names = {Audience.INTERNAL: "internal", Audience.HOST: "hosts",
                 Audience.GUEST: "delegation"}
        return " and ".join(names[a] for a in sorted(self.audiences, key=_trust, reverse=True))

    @property
    def most_restricted(self) -> bool:
        """Readable by the internal book only (medical, security)."""
        return self.audiences == {Audience.INTERNAL}


def _trust(audience: Audience) -> int:
    return list(Audience).index(audience)


def sensitive_notes(record: PersonRecord | EventRecord, audience: Audience | str,
                    fields: Sensitivity = SENSITIVE_PERSON_FIELDS) -> list[SensitiveNote]:
    """The sensitive notes of an (already redacted) person that ``audience`` may read;
    of an event with ``fields=SENSITIVE_EVENT_FIELDS``.

    Empty notes are left out; the widest-read notes come first (protocol notes before
    medical and security notes). ``visible_to`` is asked again here, so a record that
    was not redacted still prints nothing the audience must not see.
    """
    notes = []
    for field, allowed in fields.items():
        text = getattr(record, field, "") or ""
        if text.strip() and visible_to(field, audience, fields):
            notes.append(SensitiveNote(field, sensitive_label(field), text, frozenset(allowed)))
    notes.sort(key=lambda note: -len(note.audiences))
    return notes


# ------------------------------------------------------------------------ the content


@dataclass(frozen=True, slots=True)
class Ranked:
    """One participant at their place in the order of precedence of their side."""

    position: int
    participant: ParticipantRecord
    explanation: str = ""

    @property
    def person(self) -> PersonRecord:
        """The (redacted) person."""
        return self.participant.person

    @property
    def is_principal(self) -> bool:
        """Whether the person gets a profile page."""
        return (self.participant.side, self.participant.role) in PRINCIPAL_ROLES


@dataclass(frozen=True)
class BookContent:
    """Everything a book prints, already filtered for its audience."""

    visit: VisitRecord
    """The visit after :func:`audience_view`."""
    audience: Audience
    office_name: str
    guests: tuple[Ranked, ...]
    hosts: tuple[Ranked, ...]
    forms: Mapping[int, FormsOfAddress]
    """Forms of address by person id (stored overrides applied where the service has them)."""
    people: Mapping[int, PersonRecord]
    """Every person the book names (participants, gift givers and recipients), redacted."""
    home_zone: str | None
    """The delegation's home time zone, when it differs from the visit's."""
    owner: ParticipantRecord | None = None
    """Whose personal copy this is (None: a copy for the whole audience)."""
    delegations: Mapping[int, str] = dataclasses.field(default_factory=dict)
    """The delegation of each guest (person id: country, else organization), read
    before the audience's filter; empty when all the guests are one delegation."""

    @property
    def several_delegations(self) -> bool:
        """Whether the guests come from several delegations (a diplomatic corps)."""
        return bool(self.delegations)

    @property
    def own_delegation(self) -> str | None:
        """The delegation the copy is for: its owner's, when the owner is a guest of a
        visit of several delegations; else None."""
        if self.owner is None or self.owner.side != "guest":
            return None
        return self.delegations.get(self.owner.person_id)

    @property
    def head_of_delegation(self) -> ParticipantRecord | None:
        """The head of delegation the book names (cover, overview, role labels).

        One delegation: the guest whose role is head.  Several: a personal copy names
        its owner's own delegation's head - the head of that delegation, else its first
        principal in precedence (the owner themself when they come alone) - and never
        another delegation's; a guests' book for them all names none; the internal and
        hosts' books keep the head the visit records."""
        recorded = next((r.participant for r in self.guests if r.participant.role == "head"),
                        None)
        if not self.several_delegations:
            return recorded
        own = self.own_delegation
        if own is None:
            return recorded if self.audience is not Audience.GUEST else None
        mine = [r.participant for r in self.guests
                if self.delegations.get(r.participant.person_id) == own]
        return (next((p for p in mine if p.role == "head"), None)
                or next((p for p in mine if p.role in ("head", "member")), None)
                or self.owner)

    def role_label(self, participant: ParticipantRecord) -> str:
        """The role printed beside a person: "Head of delegation" only for the head the
        book names (:attr:`head_of_delegation`); in a personal copy of a visit of several
        delegations, a guest of another delegation is named by their delegation
        ("Delegation of Portugal"), never as a head or member of the owner's; in a
        guests' book for them all (which names no head), every guest is."""
        if participant.side == "guest" and self.several_delegations:
            head = self.head_of_delegation
            own = self.own_delegation
            theirs = self.delegations.get(participant.person_id)
            if (own is not None and theirs != own) or (own is None and head is None):
                country = participant.person.country.strip()
                return delegation_title(country) if country else (
                    participant.person.organization.strip() or "Another delegation")
            if head is not None and participant.person_id == head.person_id:
                return ROLE_LABELS["head"]
            if own is not None and participant.role == "head":
                return ROLE_LABELS["member"]
        return ROLE_LABELS.get(participant.role, participant.role.capitalize())

    @property
    def guests_title(self) -> str:
        """The heading of the guests' list: "Delegation of Viet Nam"; "Guests" when they
        come from several delegations (the visit's country is then not theirs)."""
        return "Guests" if self.several_delegations else delegation_title(self.visit.country)

    @property
    def delegation_line(self) -> str:
        """The cover's delegation: "Delegation of Viet Nam"; for several delegations the
        owner's own in a personal copy ("Delegation of Jordan"), else none ("")."""
        if not self.several_delegations:
            return delegation_title(self.visit.country) if self.visit.country.strip() else ""
        if self.own_delegation is not None and self.owner is not None:
            country = self.owner.person.country.strip()
            return delegation_title(country) if country else self.owner.person.organization
        return ""

    @property
    def principals(self) -> tuple[Ranked, ...]:
        """Profile pages, in order: guests then hosts, each side by precedence."""
        return tuple(r for r in (*self.guests, *self.hosts) if r.is_principal)

    @property
    def participants(self) -> tuple[Ranked, ...]:
        """Everybody, guests then hosts, by precedence."""
        return (*self.guests, *self.hosts)

    def person(self, person_id: int | None) -> PersonRecord | None:
        """A person the book may name, by id."""
        return self.people.get(person_id) if person_id is not None else None

    def home_time_differs(self, event: EventRecord) -> bool:
        """Whether the delegation's home clock reads otherwise than the event's."""
        if self.home_zone is None:
            return False
        start = event.start_utc
        return (start.astimezone(_zone(self.home_zone)).utcoffset()
                != start.astimezone(_zone(event.timezone)).utcoffset())

    def days(self) -> list[tuple[date, list[EventRecord]]]:
        """The events grouped by the local date of their start, in time order."""
        grouped: dict[date, list[EventRecord]] = {}
        for event in sorted(self.visit.events, key=lambda e: (e.start_utc, e.id)):
            day = event.start_utc.astimezone(_zone(event.timezone)).date()
            grouped.setdefault(day, []).append(event)
        return sorted(grouped.items())


def gather_content(
    services: BriefingSources, visit_ref: int | str, audience: Audience | str, office_name: str,
    person: int | str | None = None,
) -> BookContent:
    """Read the visit through the services and filter it for ``audience`` (the personal
    copy of ``person``, a package ref or person number, when given)."""
    audience = Audience(audience)
    full = services.visits.get(visit_ref)
    owner_id = find_participant(full, person).person_id if person is not None else None
    visit = audience_view(full, audience, owner_id)
    owner = next((p for p in visit.participants if p.person_id == owner_id), None)
    delegations = ({p.person_id: delegation_of(p.person) for p in full.participants
                    if p.side == "guest"} if is_diplomatic_corps(full) else {})
    people: dict[int, PersonRecord] = {p.person_id: p.person for p in visit.participants}
    for gift in visit.gifts:
        for pid in (gift.giver_person_id, gift.recipient_person_id):
            if pid is not None and pid not in people:
                people[pid] = redact(services.people.get(pid), audience)
    guests, hosts = _ranked_sides(services, visit)
    forms = _forms(services, people)
    home = home_zone(visit.country)
    return BookContent(
        visit=visit,
        audience=audience,
        office_name=office_name,
        guests=guests,
        hosts=hosts,
        forms=forms,
        people=people,
        home_zone=home if home and home != visit.timezone else None,
        owner=owner,
        delegations=delegations,
    )


def _ranked_sides(
    services: BriefingSources, visit: VisitRecord
) -> tuple[tuple[Ranked, ...], tuple[Ranked, ...]]:
    """Guests and hosts, each side in its own order of precedence (the office's table
    of precedence and the host's overrides). Only the order and the explanations are
    taken from it: the people printed are always the redacted participants.
    """
    by_id = {p.person_id: p for p in visit.participants}
    sides: dict[str, list[Ranked]] = {"guest": [], "host": []}
    for side, bucket in sides.items():
        members = [p for p in visit.participants if p.side == side]
        order = [(e.person.id, e.explanation)
                 for e in services.precedence.precedence(visit.id, side)]
        placed: set[int] = set()
        for person_id, explanation in order:
            if person_id in by_id and person_id not in placed:
                placed.add(person_id)
                bucket.append(Ranked(len(bucket) + 1, by_id[person_id], explanation))
        for participant in members:  # anyone the order left out comes last
            if participant.person_id not in placed:
                bucket.append(Ranked(len(bucket) + 1, participant, ""))
    return tuple(sides["guest"]), tuple(sides["host"])


def _forms(services: BriefingSources,
           people: Mapping[int, PersonRecord]) -> dict[int, FormsOfAddress]:
    """Forms of address by person id, with the office's stored overrides."""
    return dict(services.address.forms_of_address_many(list(people)))


# ------------------------------------------------------------------ names and places


country_name = formatting.country_name


#: Countries whose short name takes "the" in running text.
_WITH_ARTICLE = frozenset({"AE", "BS", "CD", "CF", "DO", "GB", "GM", "KM", "MH", "MV", "NL",
                           "PH", "SB", "US", "VA"})


def delegation_title(code: str) -> str:
    """"Delegation of Viet Nam", "Delegation of the United States", or "Delegation"."""
    name = country_name(code)
    if not name:
        return "Delegation"
    article = "the " if code.strip().upper() in _WITH_ARTICLE else ""
    return f"Delegation of {article}{name}"


def language_names(tags: Iterable[str]) -> list[str]:
    """Language tags as names ("vi" -> "Vietnamese"); unknown tags as written."""
    names = []
    for tag in tags:
        primary = tag.strip().split("-")[0].split("_")[0].lower()
        name = None
        try:
            import pycountry

            found = (
                pycountry.languages.get(alpha_2=primary)
                if len(primary) == 2
                else pycountry.languages.get(alpha_3=primary)
            )
            name = found.name if found is not None else None
        except (ImportError, KeyError, LookupError):
            name = None
        region = tag.strip()[len(primary) + 1:] if "-" in tag or "_" in tag else ""
        label = name or tag.strip()
        names.append(f"{label} ({region})" if name and region else label)
    return names


#: Countries whose first ``zone.tab`` row is not where most people live.
@cache
def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# --------------------------------------------------------------------- printability

REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    """``text`` with every character no bundled font has replaced by U+FFFD.

    The replacement character prints as a visible mark, where an uncovered character
    would print as an empty box; :func:`uncovered_report` warns about each one.
    """
    if text.isascii():
        return text
    normalized = unicodedata.normalize("NFC", text)
    return "".join(
        REPLACEMENT if not is_ignorable(char) and font_for(char) is None else char
        for char in normalized
    )


def _describe(chars: Iterable[str]) -> str:
    parts = []
    for char in sorted(set(chars)):
        name = unicodedata.name(char, "unnamed character").title()
        parts.append(f"'{char}' (U+{ord(char):04X} {name})")
    return ", ".join(parts)


def _uncovered(text: str) -> set[str]:
    if not text or text.isascii():
        return set()
    normalized = unicodedata.normalize("NFC", text)
    return {c for c in set(normalized) if not is_ignorable(c) and font_for(c) is None}


_NAME_FIELDS: tuple[tuple[str, str], ...] = (
    ("family_name", "family name"),
    ("given_name", "given name"),
    ("native_name", "name in its own script"),
    ("honorific", "honorific"),
)
_PERSON_TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("pronunciation", "pronunciation"),
    ("position", "position"),
    ("organization", "organization"),
    ("dietary", "dietary needs"),
    ("bio", "biography"),
    *((name, SENSITIVE_LABELS.get(name, name).lower()) for name in SENSITIVE_PERSON_FIELDS),
)


def uncovered_report(content: BookContent) -> list[str]:
    """Warnings for every printed text with characters no bundled font covers.

    Names are checked first, one warning per person and name field, naming the person;
    then the other texts of people, events, gifts and the visit.
    """
    warnings: list[str] = []

    def who(pid: int, person: PersonRecord) -> str:
        return f"{printable(display_name(person)) or 'person'} (#{pid})"

    for pid, person in content.people.items():
        for field, label in _NAME_FIELDS:
            missing = _uncovered(getattr(person, field, ""))
            if missing:
                warnings.append(
                    f"Name of {who(pid, person)}: the {label} has characters no bundled font "
                    f"can print: {_describe(missing)}. The book prints '{REPLACEMENT}' in "
                    "their place: correct the name, or check it before printing."
                )
    for pid, person in content.people.items():
        for field, label in _PERSON_TEXT_FIELDS:
            missing = _uncovered(getattr(person, field, "") or "")
            if missing:
                warnings.append(
                    f"{who(pid, person)}, {label}: characters no bundled font can print: "
                    f"{_describe(missing)}; printed as '{REPLACEMENT}'."
                )
    visit = content.visit
    for label, text in (("title", visit.title), ("purpose", visit.purpose)):
        missing = _uncovered(text)
        if missing:
            warnings.append(f"The visit's {label}: characters no bundled font can print: "
                            f"{_describe(missing)}; printed as '{REPLACEMENT}'.")
    for event in visit.events:
        texts = (event.title, event.venue_name, event.venue_room, event.venue_address,
                 event.dress_code, event.notes, event.internal_notes)
        missing = set().union(*(_uncovered(t) for t in texts))
        if missing:
            warnings.append(
                f"Event '{printable(event.title)}': characters no bundled font can print: "
                f"{_describe(missing)}; printed as '{REPLACEMENT}'."
            )
    for gift in visit.gifts:
        missing = _uncovered(gift.description)
        if missing:
            warnings.append(f"A gift's description: characters no bundled font can print: "
                            f"{_describe(missing)}; printed as '{REPLACEMENT}'.")
    return warnings


def gift_people(gift: GiftRecord, content: BookContent) -> tuple[str, str]:
    """The giver's and the recipient's names as printed in the gifts list."""

    def name(pid: int | None) -> str:
        person = content.person(pid)
        if person is None:
            return ""
        form = content.forms.get(person.id)
        return form.list_form if form is not None else display_name(person)

    return name(gift.giver_person_id), name(gift.recipient_person_id)

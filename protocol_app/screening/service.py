"""The screening service: load lists, list them, screen a visit's people against them.

:meth:`ScreeningService.load` reads a whole file first (:mod:`.reader`), reads every
entry's names in Latin tokens and their sound keys (:mod:`.normalize`), then replaces the
source's previous version in one transaction (audited).  :meth:`screen_visit` reads the
visit's people with their organizations (one query), the entries sharing a sound key
with any of their names (one query over the ``screening_keys`` index), scores each
person against the entries of their blocks only (:mod:`.matching`), and reads the
details of the entries that matched (one query).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session, joinedload

from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.records.models import Participant, Person
from protocol_app.records.screening import ScreeningEntry, ScreeningKey, ScreeningList
from protocol_app.screening import normalize
from protocol_app.screening.matching import THRESHOLD, BestMatch, NameForm, best_match
from protocol_app.screening.normalize import ORGANIZATION, PERSON
from protocol_app.screening.reader import (
    DEFAULT_SOURCE,
    MAX_LIST_BYTES,
    UNKNOWN,
    ListEntry,
    read_list,
)
from protocol_app.screening.values import (
    STALE_AFTER_DAYS,
    LoadReport,
    ScreeningListInfo,
    ScreeningMatch,
)
from protocol_app.services.base import ServiceBase, stored_now, to_aware_utc, write_audit
from protocol_app.services.lookup import resolve_visit

#: The entry kinds each subject is compared with.
_KINDS_FOR = {PERSON: (PERSON, UNKNOWN), ORGANIZATION: (ORGANIZATION, UNKNOWN)}
_ALIASES_SHOWN = 6
_REMARKS_SHOWN = 160


@dataclass(frozen=True, slots=True)
class _Subject:
    """A name of the visit to screen: a person's, or the organization of some people."""

    subject: str
    name: str
    forms: tuple[NameForm, ...]
    country: str
    people: tuple[Participant, ...]


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    kind: str
    variants: str


class ScreeningService(ServiceBase):
    """Restricted-party lists and the screening of a visit's people against them."""

    # -- lists --------------------------------------------------------------------
    def load(self, path: Path | str, source: str | None = None, *,
             limit: int = MAX_LIST_BYTES) -> LoadReport:
        """Load a list file as ``source`` (default: by its layout, ``us-csl`` or
        ``opensanctions``), replacing that source's previous version in one transaction.
        A file refused for any reason changes nothing."""
        parsed = read_list(Path(path), limit=limit)
        name = _source_name(source if source is not None else DEFAULT_SOURCE[parsed.layout])
        entries = [_entry_row(e) for e in parsed.entries]
        with self.db.session() as session:
            row = session.scalar(select(ScreeningList).where(ScreeningList.source == name))
            replaced = None if row is None else row.entry_count
            old = None
            if row is None:
                row = ScreeningList(source=name)
                session.add(row)
            else:
                old = {"layout": row.layout, "file": row.file_name, "entries": row.entry_count,
                       "sha256": row.sha256, "loaded_at": row.loaded_at}
                session.execute(delete(ScreeningKey).where(ScreeningKey.list_id == row.id))
                session.execute(delete(ScreeningEntry).where(ScreeningEntry.list_id == row.id))
            row.layout, row.file_name = parsed.layout, str(path)
            row.sha256 = hashlib.sha256(parsed.data).hexdigest()
            row.entry_count, row.loaded_at, row.loaded_by = len(entries), stored_now(), self.actor
            session.flush()
            entry_table = cast(Table, ScreeningEntry.__table__)
            key_table = cast(Table, ScreeningKey.__table__)
            ids = session.scalars(  # Core inserts: the ORM's bookkeeping would double the time
                insert(entry_table).returning(entry_table.c.id, sort_by_parameter_order=True),
                [{**values, "list_id": row.id} for values, _ in entries]).all()
            keys = [{"key": key, "entry_id": entry_id, "list_id": row.id}
                    for entry_id, (_, entry_keys) in zip(ids, entries, strict=True)
                    for key in entry_keys]
            if keys:
                session.execute(insert(key_table), keys)
            write_audit(session, self.actor, "create" if old is None else "update",
                        "screening_list", row.id, old=old,
                        new={"layout": row.layout, "file": row.file_name,
                             "entries": row.entry_count, "sha256": row.sha256,
                             "loaded_at": row.loaded_at},
                        summary=f"Loaded the screening list {name} ({len(entries)} entries)")
        return LoadReport(name, parsed.layout, len(entries), parsed.skipped_lines, replaced,
                          str(path))

    def lists(self) -> tuple[ScreeningListInfo, ...]:
        """Every loaded list, by source name."""
        now = datetime.now(UTC)
        with self.db.read_session() as session:
            rows = session.scalars(select(ScreeningList).order_by(ScreeningList.source))
            return tuple(_info(row, now) for row in rows)

    def warnings(self) -> tuple[str, ...]:
        """What a review must say about the lists: none loaded, or some stale."""
        lists = self.lists()
        if not lists:
            return ("No screening list is loaded, so nobody was screened; load one with "
                    "`protocol-app screening load FILE.csv`.",)
        return tuple(info.warning() for info in lists if info.stale)

    def remove(self, source: str) -> int:
        """Delete a loaded list and its entries (audited); returns how many entries."""
        with self.db.session() as session:
            row = session.scalar(select(ScreeningList).where(ScreeningList.source == source))
            if row is None:
                known = ", ".join(session.scalars(select(ScreeningList.source))) or "none"
                raise NotFoundError(f"There is no screening list '{source}' (loaded: {known}).")
            count = row.entry_count
            session.execute(delete(ScreeningKey).where(ScreeningKey.list_id == row.id))
            session.execute(delete(ScreeningEntry).where(ScreeningEntry.list_id == row.id))
            write_audit(session, self.actor, "delete", "screening_list", row.id,
                        old={"file": row.file_name, "entries": count},
                        summary=f"Removed the screening list {source}")
            session.execute(delete(ScreeningList).where(ScreeningList.id == row.id))
        return count

    # -- screening ----------------------------------------------------------------
    def screen_visit(self, visit_ref: int | str, *, threshold: float = THRESHOLD
                     ) -> tuple[ScreeningMatch, ...]:
        """Every person of the visit, and their organization, against every loaded list:
        the matches scoring ``threshold`` or more, best first."""
        with self.db.read_session() as session:
            visit = resolve_visit(session, visit_ref)
            return self.screen_in_session(session, visit.id, threshold=threshold)

    def screen_in_session(self, session: Session, visit_id: int, *,
                          threshold: float = THRESHOLD) -> tuple[ScreeningMatch, ...]:
        """:meth:`screen_visit` within ``session``: the visit as that session sees it
        (an import screens the people it is adding before it commits)."""
        session.flush()
        if session.scalar(select(ScreeningList.id).limit(1)) is None:
            return ()  # no list loaded: nobody to compare with (the review warns of it)
        participants = session.scalars(
            select(Participant).where(Participant.visit_id == visit_id)
            .options(joinedload(Participant.person).joinedload(Person.organization))
            .order_by(Participant.id)).unique().all()
        subjects = _subjects(participants)
        blocks = [normalize.block_keys(tuple(f.tokens for f in s.forms), s.subject)
                  for s in subjects]
        wanted = sorted(set().union(*blocks))
        by_key: dict[str, set[int]] = defaultdict(set)
        candidates: dict[int, _Candidate] = {}
        for start in range(0, len(wanted), 5000):  # below every driver's parameter cap
            rows = session.execute(
                select(ScreeningKey.key, ScreeningEntry.id, ScreeningEntry.kind,
                       ScreeningEntry.variants)
                .join(ScreeningEntry, ScreeningEntry.id == ScreeningKey.entry_id)
                .where(ScreeningKey.key.in_(wanted[start:start + 5000])))
            for key, entry_id, kind, variants in rows:
                by_key[key].add(entry_id)
                candidates.setdefault(entry_id, _Candidate(entry_id, kind, variants))
        found: list[tuple[_Subject, int, BestMatch]] = []
        entry_forms: dict[tuple[int, str], tuple[NameForm, ...]] = {}
        for subject, keys in zip(subjects, blocks, strict=True):
            ids = set().union(*(by_key.get(k, ()) for k in keys))
            for entry_id in sorted(ids):
                candidate = candidates[entry_id]
                if candidate.kind not in _KINDS_FOR[subject.subject]:
                    continue
                forms = entry_forms.get((entry_id, subject.subject))
                if forms is None:
                    forms = entry_forms[entry_id, subject.subject] = _entry_forms(
                        candidate, subject.subject)
                best = best_match(subject.forms, forms, subject.subject, threshold)
                if best is not None:
                    found.append((subject, entry_id, best))
        details = _entries_with_lists(session, {entry_id for _, entry_id, _ in found})
        matches = [_match(person, subject, details[entry_id], best)
                   for subject, entry_id, best in found for person in subject.people]
        return tuple(sorted(matches, key=lambda m: (-m.score, m.person_ref, m.subject,
                                                    m.list, m.entry)))


def _source_name(source: str) -> str:
    name = " ".join((source or "").split())
    if not name or len(name) > 100:
        raise ValidationError([FieldProblem("source", "give a name of 1 to 100 characters")],
                              subject="screening list")
    return name


def _entry_row(entry: ListEntry) -> tuple[dict, frozenset[str]]:
    """The stored columns of an entry and its sound keys."""
    aliases = tuple(a for a in entry.aliases if a != entry.name)
    indexed = [(i, v) for i, n in enumerate((entry.name, *aliases))
               for v in normalize.raw_variants(n)]
    variants = tuple(v for _, v in indexed)
    subjects = {PERSON: (PERSON,), ORGANIZATION: (ORGANIZATION,), UNKNOWN: (PERSON, ORGANIZATION)}
    keys: frozenset[str] = frozenset().union(*(
        normalize.block_keys(normalize.subject_variants(variants, s), s)
        for s in subjects.get(entry.kind, ())))
    return ({"source_id": entry.source_id[:200], "kind": entry.kind, "name": entry.name,
             "aliases": "; ".join(aliases), "countries": "; ".join(entry.countries),
             "programs": "; ".join(entry.programs), "birth_dates": "; ".join(entry.birth_dates),
             "listed_on": entry.listed_on[:40], "sublist": entry.sublist,
             "remarks": entry.remarks, "variants": normalize.encode_variants(indexed)}, keys)


def _info(row: ScreeningList, now: datetime) -> ScreeningListInfo:
    loaded = to_aware_utc(row.loaded_at)
    return ScreeningListInfo(source=row.source, entries=row.entry_count, loaded_at=loaded,
                             stale=now - loaded > timedelta(days=STALE_AFTER_DAYS),
                             layout=row.layout, file_name=row.file_name,
                             loaded_by=row.loaded_by)


def person_name(person: Person) -> str:
    """The person's name as stored, in its customary order."""
    parts = (person.family_name, person.given_name)
    if person.name_order != "family_first":
        parts = parts[::-1]
    return " ".join(p for p in parts if p)


def _forms(texts: Iterable[tuple[str, str]], subject: str) -> tuple[NameForm, ...]:
    forms: dict[tuple[str, ...], NameForm] = {}
    for origin, text in texts:
        for tokens in normalize.name_variants(text, subject) if text.strip() else ():
            forms.setdefault(tokens, NameForm(text, origin, tokens))
    return tuple(forms.values())


def _subjects(participants: Sequence[Participant]) -> list[_Subject]:
    """A subject per person, and one per organization (with every person of it)."""
    subjects = []
    organizations: dict[int, list[Participant]] = defaultdict(list)
    for p in participants:
        person = p.person
        forms = _forms((("name", person_name(person)), ("native", person.native_name)),
                       PERSON)
        if forms:
            subjects.append(_Subject(PERSON, person_name(person), forms, person.country, (p,)))
        if person.organization is not None:
            organizations[person.organization.id].append(p)
    for people in organizations.values():
        organization = people[0].person.organization
        assert organization is not None
        forms = _forms((("name", organization.name),), ORGANIZATION)
        if forms:
            subjects.append(_Subject(ORGANIZATION, organization.name, forms,
                                     organization.country, tuple(people)))
    return subjects


def _entry_forms(candidate: _Candidate, subject: str) -> tuple[NameForm, ...]:
    forms = []
    for index, tokens in normalize.decode_variants(candidate.variants):
        chosen = normalize.tokens_for(tokens, subject)
        if chosen:
            forms.append(NameForm("", "name" if index == 0 else "alias", chosen, index))
    return tuple(forms)


def _entries_with_lists(session: Session, ids: set[int]) -> dict[int, tuple[ScreeningEntry, str]]:
    if not ids:
        return {}
    rows = session.execute(select(ScreeningEntry, ScreeningList.source)
                           .join(ScreeningList, ScreeningList.id == ScreeningEntry.list_id)
                           .where(ScreeningEntry.id.in_(sorted(ids))))
    return {entry.id: (entry, source) for entry, source in rows}


def entry_details(entry: ScreeningEntry) -> str:
    """An entry's aliases, countries, programmes, dates and list in one line."""
    parts = []
    aliases = [a for a in entry.aliases.split("; ") if a]
    if aliases:
        more = f" (+{len(aliases) - _ALIASES_SHOWN} more)" if len(aliases) > _ALIASES_SHOWN else ""
        parts.append("aliases: " + "; ".join(aliases[:_ALIASES_SHOWN]) + more)
    for label, value in (("countries", entry.countries), ("programs", entry.programs),
                         ("born", entry.birth_dates), ("listed", entry.listed_on),
                         ("list", entry.sublist), ("id", entry.source_id)):
        if value:
            parts.append(f"{label}: {value}")
    if entry.remarks:
        remark = entry.remarks
        if len(remark) > _REMARKS_SHOWN:
            remark = remark[:_REMARKS_SHOWN].rsplit(" ", 1)[0] + " ..."
        parts.append(f"remarks: {remark}")
    return " · ".join(parts)


def _entry_name(entry: ScreeningEntry, index: int) -> str:
    if index == 0:
        return entry.name
    aliases = [a for a in entry.aliases.split("; ") if a]
    return aliases[index - 1] if index - 1 < len(aliases) else entry.name


def _reason(subject: _Subject, entry: ScreeningEntry, best: BestMatch) -> str:
    words = [best.name_score.reason()]
    if best.mine.origin == "native":
        words.append(f"through the name in its own script {best.mine.text} (read as "
                     f"{normalize.transliterate(best.mine.text)})")
    elif not best.mine.text.isascii():
        words.append(f"the name read as {normalize.transliterate(best.mine.text)}")
    entry_name = _entry_name(entry, best.theirs.index)
    read_as = ("" if entry_name.isascii()
               else f" (read as {normalize.transliterate(entry_name)})")
    if best.theirs.origin == "alias":
        words.append(f"through the entry's alias {entry_name}{read_as}")
    elif read_as:
        words.append(f"the entry's name {entry_name}{read_as}")
    legal_forms = normalize.LEGAL_FORMS - normalize.SMALL_WORDS
    if subject.subject == ORGANIZATION and any(
            t in legal_forms for t in normalize.fold(f"{subject.name} {entry_name}")):
        words.append("legal forms and punctuation set aside")
    countries = {c.strip().upper() for c in entry.countries.split(";") if c.strip()}
    if subject.country and countries:
        mine = subject.country.upper()
        words.append(f"country {mine} on both" if mine in countries
                     else f"countries differ (here {mine}, entry {', '.join(sorted(countries))})")
    return "; ".join(words)


def _match(person: Participant, subject: _Subject, detail: tuple[ScreeningEntry, str],
           best: BestMatch) -> ScreeningMatch:
    entry, source = detail
    return ScreeningMatch(
        person_ref=person.ref or f"p{person.person_id}", name=subject.name,
        subject=subject.subject, list=source, entry=entry.name,
        entry_details=entry_details(entry), score=best.score,
        reason=_reason(subject, entry, best), person_id=person.person_id,
        person_name=person_name(person.person), matched_name=best.mine.text,
        matched_entry_name=_entry_name(entry, best.theirs.index),
        entry_id=entry.source_id, entry_kind=entry.kind)


__all__ = ["ScreeningService", "entry_details", "person_name"]

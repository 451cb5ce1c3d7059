"""People: the full name model, contact details, precedence and notes."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from protocol_app.db import search_index
from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.images import normalize_photo
from protocol_app.records.fields import PERSON_FIELDS, validate_person_values
from protocol_app.records.models import Organization, Participant, Person, Visit
from protocol_app.rules.precedence import rank_problem, table_key
from protocol_app.services.base import (
    ServiceBase,
    audit_values,
    check_version,
    refuse_unknown_fields,
    write_audit,
)
from protocol_app.services.bulk import BATCH, insert_audit, insert_rows, row_view, table_row
from protocol_app.services.lookup import rule_categories_in
from protocol_app.services.values import PersonRecord


def person_record(person: Person) -> PersonRecord:
    """The frozen value of a person row."""
    return PersonRecord(
        id=person.id,
        family_name=person.family_name,
        given_name=person.given_name,
        name_order=person.name_order,
        native_name=person.native_name,
        pronunciation=person.pronunciation,
        gender=person.gender,
        honorific=person.honorific,
        title_name=person.title_name,
        position=person.position,
        organization=person.organization.name if person.organization else "",
        country=person.country,
        email=person.email,
        phone=person.phone,
        rank=person.rank,
        rank_date=person.rank_date,
        languages=tuple(x for x in person.languages.split(",") if x),
        dietary=person.dietary,
        medical=person.medical,
        security=person.security,
        protocol_notes=person.protocol_notes,
        bio=person.bio,
        has_photo=person.has_photo,
        calendar_manager_id=person.calendar_manager_id,
        version=person.version,
    )


def person_values(person: Person) -> dict[str, Any]:
    """A person's writable fields as plain values (for the audit trail and diffs)."""
    return _record_values(person_record(person))


def _record_values(record: PersonRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in PERSON_FIELDS}


def _organization(session: Session, name: str) -> Organization | None:
    name = name.strip()
    if not name:
        return None
    found = session.scalar(select(Organization).where(Organization.name == name))
    if found is None:
        found = Organization(name=name, country="")
        session.add(found)
        session.flush()
    return found


def apply_person_values(session: Session, person: Person, values: Mapping[str, Any]) -> None:
    """Write validated values onto a person row and refresh its search entry."""
    _assign_person_values(session, person, values)
    session.flush()
    reindex_person(session, person)


def _assign_person_values(session: Session, person: Person, values: Mapping[str, Any]) -> None:
    if "organization" in values:
        person.organization = _organization(session, values["organization"])
    for name, value in _person_columns(values).items():
        setattr(person, name, value)


def _person_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values as the person's own columns (the organization, a row of its own,
    left out)."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if name == "organization":
            continue
        if name == "languages":
            columns["languages"] = ",".join(value)
        elif name == "email":
            columns["email"] = value.strip()
        else:
            stripped = name in ("family_name", "given_name", "title_name")
            columns[name] = value.strip() if stripped else value
    return columns


def reindex_person(session: Session, person: Person) -> None:
    """Refresh one person's entry in the search index."""
    _reindex(session, [person])


def _reindex(session: Session, people: Sequence[Person]) -> None:
    """Refresh the search entries of people (or rows read like them), in two statements."""
    search_index.write_entries(session.connection(), [
        (person.id, search_index.names_text(person.family_name, person.given_name,
                                            person.native_name, person.pronunciation))
        for person in people])


def find_existing_person(session: Session, email: str, family_name: str, given_name: str,
                         organization: str) -> Person | None:
    """The stored person matching by e-mail, or by full name and organization (see
    :class:`PeopleMatcher`)."""
    values = {"email": email, "family_name": family_name, "given_name": given_name,
              "organization": organization}
    found = PeopleMatcher(session, [values]).find(values)
    return found if isinstance(found, Person) else None


def with_table_rank(session: Session, values: Mapping[str, Any], *,
                    prefix: str = "") -> dict[str, Any]:
    """``values`` with ``rank`` as the key of the office's table of precedence (an alias
    such as "provost" becomes "vice_chancellor"); an unknown rank is refused with its
    path and the valid keys."""
    out = dict(values)
    if "rank" not in out or not isinstance(out["rank"], str) or not out["rank"].strip():
        if isinstance(out.get("rank"), str):
            out["rank"] = ""
        return out
    categories = rule_categories_in(session)
    problem = rank_problem(out["rank"], categories)
    if problem:
        raise ValidationError([FieldProblem(prefix + "rank", problem)], subject="person")
    out["rank"] = table_key(out["rank"], categories)
    return out


def _with_table_ranks(session: Session, items: Sequence[tuple[Mapping[str, Any], str]]
                      ) -> list[tuple[Mapping[str, Any], str]]:
    """Every person's rank as the key of the office's table (see :func:`with_table_rank`),
    the table read once; every unknown rank refused at once, with its path."""
    if not any(isinstance(v.get("rank"), str) and v["rank"].strip() for v, _ in items):
        return list(items)
    categories = rule_categories_in(session)
    problems: list[FieldProblem] = []
    out: list[tuple[Mapping[str, Any], str]] = []
    for values, prefix in items:
        rank = values.get("rank")
        if isinstance(rank, str) and rank.strip():
            problem = rank_problem(rank, categories)
            if problem:
                problems.append(FieldProblem(prefix + "rank", problem))
            else:
                values = {**values, "rank": table_key(rank, categories)}
        out.append((values, prefix))
    if problems:
        raise ValidationError(problems, subject="person")
    return out


def create_person_row(session: Session, actor: str, values: Mapping[str, Any],
                      *, prefix: str = "") -> Person:
    """Validate and insert a person, with its audit entry (inside the caller's session)."""
    (record,) = create_person_rows(session, actor, [(values, prefix)])
    return session.get_one(Person, record.id)


#: The columns that tell the people of one INSERT statement apart in what it returns.
_ROW_KEY = ("family_name", "given_name", "organization_id", "email")


def create_person_rows(session: Session, actor: str,
                       items: Sequence[tuple[Mapping[str, Any], str]]) -> list[PersonRecord]:
    """Validate and insert people, each ``(values, path prefix)``, with their search
    entries and audit entries; returns their records in the same order.

    Every person is checked first (all problems at once, nothing written on any); the
    rows go in by batches of :data:`~protocol_app.services.bulk.BATCH` per statement,
    with no object kept per person, so time and memory grow linearly."""
    problems: list[FieldProblem] = []
    for values, prefix in items:
        refuse_unknown_fields(values, PERSON_FIELDS, "person")
        problems += validate_person_values(values, creating=True, prefix=prefix)
    if problems:
        raise ValidationError(problems, subject="person")
    items = _with_table_ranks(session, items)
    organizations = organization_ids(session, (values.get("organization", "")
                                               for values, _prefix in items))
    table, records = Person.__table__, []
    for batch in _statements(items):
        rows = []
        for values, _prefix in batch:
            organization = values.get("organization", "").strip()
            rows.append(table_row(table, {**_person_columns(values), "organization_id":
                                          organizations.get(organization)}))
        returned = insert_rows(session, table, rows, returning=("id", *_ROW_KEY))
        ids = {tuple(found[1:]): found[0] for found in returned}
        views = []
        for (values, _prefix), row in zip(batch, rows, strict=True):
            organization = values.get("organization", "").strip()
            views.append(row_view(row, id=ids[tuple(row[k] for k in _ROW_KEY)],
                                  organization=row_view({"name": organization})
                                  if organization else None))
        _reindex(session, views)
        batch_records = [person_record(view) for view in views]
        insert_audit(session, (
            audit_values(actor, "create", "person", record.id, new=_record_values(record),
                         summary=f"Created {record.display_name}")
            for record in batch_records))
        records += batch_records
    return records


def _statements(items: Sequence[tuple[Mapping[str, Any], str]]
                ) -> Iterator[Sequence[tuple[Mapping[str, Any], str]]]:
    """``items`` cut into batches of at most BATCH in which no two people share the
    columns of :data:`_ROW_KEY` (what an INSERT returns is matched to its rows by them)."""
    batch: list[tuple[Mapping[str, Any], str]] = []
    keys: set[tuple] = set()
    for item in items:
        values = item[0]
        key = (values["family_name"].strip(), values.get("given_name", "").strip(),
               values.get("organization", "").strip(), values.get("email", "").strip())
        if len(batch) == BATCH or key in keys:
            yield batch
            batch, keys = [], set()
        batch.append(item)
        keys.add(key)
    if batch:
        yield batch


#: Values per ``IN (...)`` when many people are matched at once (SQLite allows 32,766).
MATCH_CHUNK = 10_000


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), MATCH_CHUNK):
        yield values[start:start + MATCH_CHUNK]


def organization_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """The ids of organizations by name (names stripped), those not stored yet added."""
    wanted = sorted({name.strip() for name in names} - {""})
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found.update(session.execute(select(Organization.name, Organization.id)
                                     .where(Organization.name.in_(chunk))).all())
    table = Organization.__table__
    missing = [table_row(table, {"name": name, "country": ""}) for name in wanted
               if name not in found]
    found.update((name, org_id) for org_id, name in
                 insert_rows(session, table, missing, returning=("id", "name")))
    return found


#: How SQLite's lower() folds text: ASCII letters only.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class PeopleMatcher:
    """Finds the stored people of a whole package: by e-mail (the database's ``lower()``
    of the stored one equal to the given one in lower case), else by family and given
    name (stripped) and organization (its name, or none for none).  One query for all
    e-mails and one for all names (per :data:`MATCH_CHUNK`), then in memory.  People
    added or changed meanwhile are told with :meth:`learn`, so each :meth:`find` sees
    them as a query at that moment would: among several matches the stored person first
    (lowest id), then the earliest added.

    A candidate is a :class:`Person`, or the index of a person to be added."""

    def __init__(self, session: Session, probes: Iterable[Mapping[str, Any]]) -> None:
        self._fold_like_database: Callable[[str], str] = (
            (lambda t: t.translate(_ASCII_LOWER))
            if session.get_bind().dialect.name == "sqlite" else str.lower)
        self._by_email: dict[str, dict[tuple[int, int], Person | int]] = {}
        self._by_name: dict[tuple[str, str, str], dict[tuple[int, int], Person | int]] = {}
        self._keys: dict[tuple[int, int], tuple[str, tuple[str, str, str]]] = {}
        probes = list(probes)
        emails = sorted({e.strip().lower() for p in probes if (e := p.get("email", "")).strip()})
        names = sorted({_name_key(p)[:2] for p in probes})
        folded = func.lower(Person.email)
        for chunk in _chunks(emails):
            for person, key in session.execute(select(Person, folded).where(folded.in_(chunk))):
                self._index(person, email=key)
        for chunk in _chunks(names):
            for person in session.scalars(select(Person).where(
                    tuple_(Person.family_name, Person.given_name).in_(chunk))):
                self._index(person, name=(person.family_name, person.given_name,
                                          person.organization.name if person.organization
                                          else ""))

    def find(self, values: Mapping[str, Any]) -> Person | int | None:
        """The first candidate with the e-mail of ``values``, else with its name and
        organization."""
        email = values.get("email", "").strip()
        if email:
            found = self._first(self._by_email.get(email.lower()))
            if found is not None:
                return found
        return self._first(self._by_name.get(_name_key(values)))

    def learn(self, candidate: Person | int, values: Mapping[str, Any] | None = None) -> None:
        """A person added (the index, with its ``values``) or changed (the row)."""
        if isinstance(candidate, int):
            assert values is not None
            email, name = values.get("email", "").strip(), _name_key(values)
        else:
            email = candidate.email
            name = (candidate.family_name, candidate.given_name,
                    candidate.organization.name if candidate.organization else "")
        self._forget(candidate)
        self._index(candidate, email=self._fold_like_database(email), name=name)

    def _index(self, candidate: Person | int, *, email: str | None = None,
               name: tuple[str, str, str] | None = None) -> None:
        order = _order(candidate)
        old_email, old_name = self._keys.get(order, ("", ("", "", "")))
        email = email if email is not None else old_email
        name = name if name is not None else old_name
        if email:
            self._by_email.setdefault(email, {})[order] = candidate
        if name[0]:
            self._by_name.setdefault(name, {})[order] = candidate
        self._keys[order] = (email, name)

    def _forget(self, candidate: Person | int) -> None:
        order = _order(candidate)
        email, name = self._keys.pop(order, ("", ("", "", "")))
        self._by_email.get(email, {}).pop(order, None)
        self._by_name.get(name, {}).pop(order, None)

    @staticmethod
    def _first(found: dict[tuple[int, int], Person | int] | None) -> Person | int | None:
        return found[min(found)] if found else None


def _order(candidate: Person | int) -> tuple[int, int]:
    """Stored people before those added, each in their own order."""
    return (1, candidate) if isinstance(candidate, int) else (0, candidate.id)


def _name_key(values: Mapping[str, Any]) -> tuple[str, str, str]:
    return (values.get("family_name", "").strip(), values.get("given_name", "").strip(),
            values.get("organization", "").strip())


class PeopleService(ServiceBase):
    """Create, change, find and remove people."""

    def get(self, person_id: int) -> PersonRecord:
        """One person by number."""
        with self.db.session() as session:
            return person_record(self._row(session, person_id))

    def create(self, **values: Any) -> PersonRecord:
        """Add a person; ``values`` are fields of :data:`PERSON_FIELDS`."""
        with self.db.session() as session:
            return person_record(create_person_row(session, self.actor, values))

    def update(self, person_id: int, expected_version: int | None,
               seen: Mapping[str, Any] | None = None, **changes: Any) -> PersonRecord:
        """Change some fields of a person last read at ``expected_version``.

        ``seen`` (optional) holds the values the caller had, so a refused stale write can
        say which fields someone else changed."""
        refuse_unknown_fields(changes, PERSON_FIELDS, "person")
        problems = validate_person_values(changes, creating=False)
        if problems:
            raise ValidationError(problems, subject="person")
        with self.db.session() as session:
            person = self._row(session, person_id)
            old = person_values(person)
            check_version("person", person_id, person.version, expected_version, old, seen)
            apply_person_values(session, person, with_table_rank(session, changes))
            new = person_values(person)
            if new != old:
                write_audit(session, self.actor, "update", "person", person_id, old=old, new=new,
                            summary=f"Changed {person_record(person).display_name}")
            return person_record(person)

    def delete(self, person_id: int, expected_version: int | None = None) -> None:
        """Remove a person who takes part in no visit."""
        with self.db.session() as session:
            person = self._row(session, person_id)
            check_version("person", person_id, person.version, expected_version)
            titles = session.scalars(
                select(Visit.title).join(Participant).where(Participant.person_id == person_id)
            ).all()
            if titles:
                raise ConflictError(
                    f"{person_record(person).display_name} takes part in "
                    f"{len(titles)} visit(s) ({'; '.join(titles[:3])}); remove them from "
                    "those visits first. Nothing was deleted."
                )
            old = person_values(person)
            search_index.delete_entry(session.connection(), person_id)
            session.delete(person)
            write_audit(session, self.actor, "delete", "person", person_id, old=old,
                        summary=f"Deleted {person_record(person).display_name}")

    def search(self, query: str = "", *, limit: int = 100, offset: int = 0) -> list[PersonRecord]:
        """People whose names (any part, any script) start with the words of ``query``,
        sorted by family name; every person when ``query`` is empty."""
        with self.db.read_session() as session:
            ids = self._matching_ids(session, query, limit=limit, offset=offset)
            if not ids:
                return []
            rows = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
            return [person_record(rows[i]) for i in ids if i in rows]

    def count(self, query: str = "") -> int:
        """How many people :meth:`search` would give without a limit."""
        with self.db.read_session() as session:
            found = search_index.count(session.connection(), query)
            return found if found is not None else session.scalar(
                select(func.count(Person.id))) or 0

    def _matching_ids(self, session: Session, query: str, *, limit: int, offset: int) -> list[int]:
        found = search_index.matching_ids(session.connection(), query, limit=limit,
                                          offset=offset)
        if found is not None:
            return found
        stmt = select(Person.id).order_by(Person.family_name, Person.given_name, Person.id)
        return list(session.scalars(stmt.limit(limit).offset(offset)))

    def set_photo(self, person_id: int, data: bytes | None,
                  expected_version: int | None = None) -> PersonRecord:
        """Store a photo (checked, upright, scaled) in the database; None removes it."""
        stored = normalize_photo(data) if data is not None else None
        with self.db.session() as session:
            person = self._row(session, person_id)
            check_version("person", person_id, person.version, expected_version)
            had = person.has_photo
            person.photo = stored
            person.has_photo = stored is not None
            session.flush()
            write_audit(session, self.actor, "update", "person", person_id,
                        old={"photo": "present" if had else "none"},
                        new={"photo": f"{len(stored)} bytes JPEG" if stored else "none"},
                        summary="Changed photo")
            return person_record(person)

    def photo(self, person_id: int) -> bytes | None:
        """The stored photo (JPEG bytes), if any."""
        with self.db.read_session() as session:
            return session.scalar(select(Person.photo).where(Person.id == person_id))

    @staticmethod
    def _row(session: Session, person_id: int) -> Person:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError(f"There is no person #{person_id} (it may have been deleted).")
        return person

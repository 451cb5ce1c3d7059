"""People: the full name model, contact details, precedence and notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from protocol_app.db import search_index
from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.images import normalize_photo
from protocol_app.records.fields import PERSON_FIELDS, validate_person_values
from protocol_app.records.models import Organization, Participant, Person, Visit
from protocol_app.rules.precedence import rank_problem, table_key
from protocol_app.services.base import (
    ServiceBase,
    check_version,
    refuse_unknown_fields,
    write_audit,
)
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
        version=person.version,
    )


def person_values(person: Person) -> dict[str, Any]:
    """A person's writable fields as plain values (for the audit trail and diffs)."""
    record = person_record(person)
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
    for name, value in values.items():
        if name == "organization":
            person.organization = _organization(session, value)
        elif name == "languages":
            person.languages = ",".join(value)
        elif name == "email":
            person.email = value.strip()
        elif name in ("rank_date",):
            person.rank_date = value
        else:
            stripped = name in ("family_name", "given_name", "title_name")
            setattr(person, name, value.strip() if stripped else value)


def reindex_person(session: Session, person: Person) -> None:
    """Refresh one person's entry in the search index (SQLite)."""
    connection = session.connection()
    if search_index.is_supported(connection):
        search_index.write_entry(
            connection,
            person.id,
            search_index.names_text(
                person.family_name, person.given_name, person.native_name, person.pronunciation
            ),
        )


def find_existing_person(session: Session, email: str, family_name: str, given_name: str,
                         organization: str) -> Person | None:
    """The stored person matching by e-mail, or by full name and organization."""
    if email.strip():
        found = session.scalar(
            select(Person).where(func.lower(Person.email) == email.strip().lower()).limit(1)
        )
        if found is not None:
            return found
    query = select(Person).where(
        Person.family_name == family_name.strip(), Person.given_name == given_name.strip()
    )
    org = organization.strip()
    if org:
        query = query.join(Organization, Person.organization_id == Organization.id).where(
            Organization.name == org
        )
    else:
        query = query.where(Person.organization_id.is_(None))
    return session.scalars(query.limit(1)).first()


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


def create_person_row(session: Session, actor: str, values: Mapping[str, Any],
                      *, prefix: str = "") -> Person:
    """Validate and insert a person, with its audit entry (inside the caller's session)."""
    refuse_unknown_fields(values, PERSON_FIELDS, "person")
    problems = validate_person_values(values, creating=True, prefix=prefix)
    if problems:
        raise ValidationError(problems, subject="person")
    values = with_table_rank(session, values, prefix=prefix)
    person = Person()
    _assign_person_values(session, person, values)  # all values first: one INSERT, version 1
    session.add(person)
    session.flush()
    reindex_person(session, person)
    write_audit(session, actor, "create", "person", person.id, new=person_values(person),
                summary=f"Created {person_record(person).display_name}")
    return person


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
            connection = session.connection()
            if search_index.is_supported(connection):
                search_index.delete_entry(connection, person_id)
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
            connection = session.connection()
            expression = search_index.match_query(query)
            if expression is None:
                return session.scalar(select(func.count(Person.id))) or 0
            if search_index.is_supported(connection):
                return connection.execute(
                    text(f"SELECT count(*) FROM {search_index.FTS_TABLE} "
                         f"WHERE {search_index.FTS_TABLE} MATCH :q"), {"q": expression}
                ).scalar_one()
            return session.scalar(select(func.count()).select_from(
                select(Person.id).where(self._like(query)).subquery())) or 0

    def _matching_ids(self, session: Session, query: str, *, limit: int, offset: int) -> list[int]:
        connection = session.connection()
        expression = search_index.match_query(query)
        if expression is None:
            stmt = select(Person.id).order_by(Person.family_name, Person.given_name, Person.id)
            return list(session.scalars(stmt.limit(limit).offset(offset)))
        if search_index.is_supported(connection):
            rows = connection.execute(
                text(
                    f"SELECT p.id FROM {search_index.FTS_TABLE} s JOIN people p ON p.id = s.rowid "
                    f"WHERE {search_index.FTS_TABLE} MATCH :q "
                    "ORDER BY p.family_name, p.given_name, p.id LIMIT :limit OFFSET :offset"
                ),
                {"q": expression, "limit": limit, "offset": offset},
            )
            return [r[0] for r in rows]
        stmt = select(Person.id).where(self._like(query)).order_by(
            Person.family_name, Person.given_name, Person.id)
        return list(session.scalars(stmt.limit(limit).offset(offset)))

    @staticmethod
    def _like(query: str):
        clauses = []
        for word in query.split():
            pattern = f"{word.lower()}%"
            clauses.append(or_(*(func.lower(col).like(pattern) for col in (
                Person.family_name, Person.given_name, Person.native_name))))
        return and_(*clauses)

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

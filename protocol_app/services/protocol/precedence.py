"""The office's table of precedence and a visit's order of precedence, with the
host's overrides.

* **Precedence table.**  One table for the office, in ``precedence_categories``.  While
  it is empty the default table (:data:`~protocol_app.rules.precedence.DEFAULT_CATEGORIES`)
  is used from memory: reading never writes (a read-only database file works).  The
  office's first change stores the default table (audited), then the change.  A
  person's ``rank`` names a category key (aliases such as ``"high_commissioner"`` are
  understood); a visiting official takes the category of their host-country
  equivalent, as each line's ``equivalents`` note says.  Moving a line renumbers the
  table in steps of 10.
* **Overrides** belong to a visit: "place X before/after Y", with a reason that the
  order shows.  One override per person and visit (a new one replaces the old one);
  they are applied in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.records import fields as v
from protocol_app.records.models import (
    Person,
    PrecedenceCategoryRow,
    PrecedenceOverrideRow,
    Visit,
)
from protocol_app.rules import precedence as precedence_rules
from protocol_app.rules.precedence import (
    DEFAULT_CATEGORIES,
    TIE_RULES,
    PrecedenceCategory,
    PrecedenceOverride,
    normalize_key,
    order_by_precedence,
)
from protocol_app.services.base import (
    ServiceBase,
    check_version,
    stored_now,
    to_aware_utc,
    write_audit,
)
from protocol_app.services.lookup import rule_categories_in
from protocol_app.services.people import person_record
from protocol_app.services.protocol.values import (
    CATEGORY_FIELDS,
    CategoryRecord,
    OverrideRecord,
    PrecedenceEntry,
)
from protocol_app.services.values import VisitRecord
from protocol_app.services.visits import resolve_visit, visit_record

_SIDES = ("guest", "host")


def _category_record(row: PrecedenceCategoryRow) -> CategoryRecord:
    return CategoryRecord(
        id=row.id, key=row.key, label=row.label, plural=row.plural, order=row.order,
        tie_rule=row.tie_rule, excellency=bool(row.excellency), equivalents=row.equivalents,
        version=row.version,
    )


def _default_record(category: PrecedenceCategory) -> CategoryRecord:
    return CategoryRecord(
        id=0, key=category.key, label=category.label, plural=category.plural,
        order=category.order, tie_rule=category.tie_rule, excellency=category.excellency,
        equivalents=category.equivalents, version=1,
    )


def _category_values(row: PrecedenceCategoryRow) -> dict[str, Any]:
    return {
        "key": row.key, "label": row.label, "plural": row.plural, "order": row.order,
        "tie_rule": row.tie_rule, "excellency": bool(row.excellency),
        "equivalents": row.equivalents,
    }


def _override_record(row: PrecedenceOverrideRow) -> OverrideRecord:
    return OverrideRecord(
        id=row.id, visit_id=row.visit_id, person_id=row.person_id, place=row.place,
        other_person_id=row.other_person_id, reason=row.reason, created_by=row.created_by,
        created_at=to_aware_utc(row.created_at),
    )


def category_rows(session: Session) -> list[PrecedenceCategoryRow]:
    """The stored table of precedence, highest first (empty until first stored)."""
    return list(session.scalars(select(PrecedenceCategoryRow).order_by(
        PrecedenceCategoryRow.order, PrecedenceCategoryRow.key)))


def override_rows(session: Session, visit_id: int) -> list[PrecedenceOverrideRow]:
    """The host's overrides of a visit, in the order they apply."""
    return list(session.scalars(select(PrecedenceOverrideRow).where(
        PrecedenceOverrideRow.visit_id == visit_id).order_by(PrecedenceOverrideRow.id)))


def ranked_entries(record: VisitRecord, categories: Sequence[PrecedenceCategory],
                   overrides: Sequence[PrecedenceOverrideRow], *, side: str | None = None,
                   only: Iterable[int] | None = None) -> list[PrecedenceEntry]:
    """A visit's participants (of one ``side``, or ``only`` these ids) in order of
    precedence, each place explained."""
    wanted = set(only) if only is not None else None
    participants = [p for p in record.participants
                    if (side is None or p.side == side)
                    and (wanted is None or p.person_id in wanted)]
    by_id = {p.person_id: p for p in participants}
    rules_overrides = [
        PrecedenceOverride(o.person_id, o.place, o.other_person_id, o.reason)
        for o in overrides
    ]
    ids = {o.person_id: o.id for o in overrides}
    ranked = order_by_precedence([p.person for p in participants], categories,
                                 rules_overrides)
    return [
        PrecedenceEntry(
            position=r.position, person=by_id[r.person.id].person,
            side=by_id[r.person.id].side, role=by_id[r.person.id].role,
            category_key=r.category.key, category_label=r.category.label,
            explanation=r.explanation,
            override_reason=r.override.reason if r.override else "",
            override_id=ids.get(r.person.id) if r.override else None,
        )
        for r in ranked
    ]


class PrecedenceService(ServiceBase):
    """The office's table of precedence and each visit's order, with overrides."""

    # -- the table of precedence ---------------------------------------------------------

    def categories(self) -> list[CategoryRecord]:
        """The office's table of precedence, highest first.  Until the office first
        changes it, the default table, read from memory (ids 0, version 1: what a
        stored line starts at), so reading never writes."""
        with self.db.read_session() as session:
            rows = category_rows(session)
        if rows:
            return [_category_record(r) for r in rows]
        return [_default_record(c) for c in DEFAULT_CATEGORIES]

    def rule_categories(self) -> tuple[PrecedenceCategory, ...]:
        """The table as the precedence rules take it."""
        return tuple(c.to_rule() for c in self.categories())

    def category(self, key: str) -> CategoryRecord:
        """One line of the table by key."""
        for c in self.categories():
            if c.key == key:
                return c
        raise NotFoundError(f"The table of precedence has no line '{key}'.")

    def add_category(self, key: str, label: str, plural: str = "", *, order: int | None = None,
                     tie_rule: str = precedence_rules.NO_TIE_RULE, excellency: bool = False,
                     equivalents: str = "") -> CategoryRecord:
        """Add a line; ``key`` is normalised ("Chief Justice" -> "chief_justice"); without
        ``order`` it goes just above the "other" line."""
        canonical = normalize_key(key)
        values = {"label": label, "plural": plural or label, "tie_rule": tie_rule,
                  "excellency": excellency, "equivalents": equivalents}
        if order is not None:
            values["order"] = order
        problems = self._category_problems(values)
        if not canonical:
            problems.append(FieldProblem("key", "is required (letters and digits)"))
        if problems:
            raise ValidationError(problems, subject="precedence category")
        with self.db.session() as session:
            rows = self._seeded(session)
            if any(r.key == canonical for r in rows):
                raise ConflictError(f"The table of precedence already has a line '{canonical}'.")
            if order is None:
                others = [r.order for r in rows if r.key != precedence_rules.OTHER]
                order = (max(others) + 10) if others else 10
            row = PrecedenceCategoryRow(key=canonical, order=order, **{
                k: val for k, val in values.items() if k != "order"})
            session.add(row)
            session.flush()
            write_audit(session, self.actor, "create", "precedence_category", row.id,
                        new=_category_values(row),
                        summary=f"Added '{row.label}' to the table of precedence")
            return _category_record(row)

    def update_category(self, key: str, expected_version: int | None, /,
                        **changes: Any) -> CategoryRecord:
        """Change a line read at ``expected_version`` (label, plural, order, tie rule,
        excellency, equivalents; the key is fixed, as people's ranks refer to it)."""
        unknown = [k for k in changes if k not in CATEGORY_FIELDS]
        problems = [FieldProblem(k, "cannot be changed (fields: " + ", ".join(CATEGORY_FIELDS)
                                 + ")") for k in unknown]
        problems += self._category_problems(changes)
        if problems:
            raise ValidationError(problems, subject="precedence category")
        with self.db.session() as session:
            row = self._category_row(session, key)
            old = _category_values(row)
            check_version("precedence category", row.id, row.version, expected_version, old)
            for name, value in changes.items():
                setattr(row, name, value.strip() if isinstance(value, str) else value)
            session.flush()
            new = _category_values(row)
            if new != old:
                write_audit(session, self.actor, "update", "precedence_category", row.id,
                            old=old, new=new,
                            summary=f"Changed '{row.label}' in the table of precedence")
            return _category_record(row)

    def delete_category(self, key: str, expected_version: int | None = None) -> None:
        """Remove a line no one's rank uses (the "other" line stays)."""
        if key == precedence_rules.OTHER:
            raise ConflictError("The 'other' line takes every unknown rank and cannot be "
                                "removed. Nothing was deleted.")
        with self.db.session() as session:
            row = self._category_row(session, key)
            check_version("precedence category", row.id, row.version, expected_version)
            users = session.scalars(select(Person).where(Person.rank != "")).all()
            using = [p for p in users if normalize_key(p.rank) == key
                     or precedence_rules.KEY_ALIASES.get(normalize_key(p.rank)) == key]
            if using:
                names = ", ".join(person_record(p).display_name for p in using[:3])
                raise ConflictError(
                    f"{len(using)} people have the rank '{row.label}' ({names}"
                    f"{', ...' if len(using) > 3 else ''}); change their rank first. "
                    "Nothing was deleted.")
            old = _category_values(row)
            session.delete(row)
            write_audit(session, self.actor, "delete", "precedence_category", row.id, old=old,
                        summary=f"Removed '{old['label']}' from the table of precedence")

    def move_category(self, key: str, to_index: int,
                      expected_version: int | None = None) -> list[CategoryRecord]:
        """Move a line to ``to_index`` (0 = highest) and renumber the table in steps of
        10; returns the whole table."""
        with self.db.session() as session:
            rows = self._seeded(session)
            row = next((r for r in rows if r.key == key), None)
            if row is None:
                raise NotFoundError(f"The table of precedence has no line '{key}'.")
            check_version("precedence category", row.id, row.version, expected_version)
            old_index = rows.index(row)
            to_index = max(0, min(to_index, len(rows) - 1))
            rows.remove(row)
            rows.insert(to_index, row)
            before = {r.key: r.order for r in rows}
            for i, r in enumerate(rows):
                if r.order != (i + 1) * 10:
                    r.order = (i + 1) * 10
            session.flush()
            if old_index != to_index:
                write_audit(session, self.actor, "update", "precedence_category", row.id,
                            old={"position": old_index + 1, "orders": before},
                            new={"position": to_index + 1,
                                 "orders": {r.key: r.order for r in rows}},
                            summary=f"Moved '{row.label}' from place {old_index + 1} to "
                                    f"{to_index + 1} in the table of precedence")
            return [_category_record(r) for r in rows]

    def reset_categories(self) -> list[CategoryRecord]:
        """Replace the table by the default one (audited)."""
        with self.db.session() as session:
            old = [_category_values(r) for r in category_rows(session)]
            session.execute(delete(PrecedenceCategoryRow))
            session.flush()
            rows = self._seeded(session, audit=False)
            write_audit(session, self.actor, "update", "precedence_category", 0,
                        old={"table": old}, new={"table": [_category_values(r) for r in rows]},
                        summary="Restored the default table of precedence")
            return [_category_record(r) for r in rows]

    @staticmethod
    def _category_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        for name in ("label", "plural"):
            if name in values:
                msg = v.text_problem(values[name], required=name == "label", max_length=200)
                if msg:
                    problems.append(FieldProblem(name, msg))
        if "equivalents" in values:
            msg = v.text_problem(values["equivalents"], max_length=v.MAX_LONG, multiline=True)
            if msg:
                problems.append(FieldProblem("equivalents", msg))
        if "tie_rule" in values and values["tie_rule"] not in TIE_RULES:
            problems.append(FieldProblem("tie_rule", f"must be one of {', '.join(TIE_RULES)}"))
        if "order" in values and (not isinstance(values["order"], int)
                                  or isinstance(values["order"], bool)):
            problems.append(FieldProblem("order", "must be a whole number"))
        if "excellency" in values and not isinstance(values["excellency"], bool):
            problems.append(FieldProblem("excellency", "must be true or false"))
        return problems

    def _seeded(self, session: Session, *, audit: bool = True) -> list[PrecedenceCategoryRow]:
        rows = category_rows(session)
        if rows:
            return rows
        for c in DEFAULT_CATEGORIES:
            session.add(PrecedenceCategoryRow(
                key=c.key, label=c.label, plural=c.plural, order=c.order, tie_rule=c.tie_rule,
                excellency=c.excellency, equivalents=c.equivalents))
        session.flush()
        if audit:
            write_audit(session, self.actor, "create", "precedence_category", 0,
                        new={"lines": len(DEFAULT_CATEGORIES)},
                        summary="Filled the table of precedence with the default table")
        return category_rows(session)

    def _category_row(self, session: Session, key: str) -> PrecedenceCategoryRow:
        self._seeded(session)
        row = session.scalar(select(PrecedenceCategoryRow).where(
            PrecedenceCategoryRow.key == key))
        if row is None:
            raise NotFoundError(f"The table of precedence has no line '{key}' (it may have "
                                "been removed).")
        return row

    # -- precedence of a visit -----------------------------------------------------------

    def precedence(self, visit: int | str, side: str | None = None) -> list[PrecedenceEntry]:
        """The visit's participants in order of precedence, each place explained;
        ``side`` "guest" or "host" keeps one side (overrides naming someone of the
        other side are then not applied)."""
        if side is not None and side not in _SIDES:
            raise ValidationError([FieldProblem("side", "must be 'guest', 'host' or empty")])
        with self.db.read_session() as session:
            record = visit_record(resolve_visit(session, visit))
            categories = rule_categories_in(session)
            overrides = override_rows(session, record.id)
        return ranked_entries(record, categories, overrides, side=side)

    def overrides(self, visit: int | str) -> list[OverrideRecord]:
        """The host's overrides of a visit, in the order they apply."""
        with self.db.read_session() as session:
            visit_id = resolve_visit(session, visit).id
            return [_override_record(r) for r in override_rows(session, visit_id)]

    def add_override(self, visit: int | str, person_id: int, place: str, other_person_id: int,
                     reason: str) -> OverrideRecord:
        """Place a person before or after another in the visit's order, for ``reason``
        (required; shown in the order).  Replaces the person's earlier override."""
        problems: list[FieldProblem] = []
        if place not in ("before", "after"):
            problems.append(FieldProblem("place", "must be 'before' or 'after'"))
        msg = v.text_problem(reason, required=True, max_length=1000)
        if msg:
            problems.append(FieldProblem("reason", msg + " (it is shown to everyone who reads "
                                         "the order of precedence)" if "required" in msg
                                         else msg))
        if person_id == other_person_id:
            problems.append(FieldProblem("other_person_id",
                                         "a person cannot be placed relative to themselves"))
        if problems:
            raise ValidationError(problems, subject="precedence override")
        with self.db.session() as session:
            row_visit = resolve_visit(session, visit)
            names = {p.person_id: person_record(p.person).display_name
                     for p in row_visit.participants}
            for pid, what in ((person_id, "person_id"), (other_person_id, "other_person_id")):
                if pid not in names:
                    problems.append(FieldProblem(
                        what, f"person #{pid} does not take part in {row_visit.title}"))
            if problems:
                raise ValidationError(problems, subject="precedence override")
            existing = session.scalar(select(PrecedenceOverrideRow).where(
                PrecedenceOverrideRow.visit_id == row_visit.id,
                PrecedenceOverrideRow.person_id == person_id))
            old: dict[str, Any] = {}
            if existing is not None:
                old = self._override_values(existing, names)
                session.delete(existing)
                session.flush()
            row = PrecedenceOverrideRow(
                visit_id=row_visit.id, person_id=person_id, place=place,
                other_person_id=other_person_id, reason=reason.strip(),
                created_by=self.actor, created_at=stored_now())
            session.add(row)
            session.flush()
            write_audit(session, self.actor, "update" if old else "create",
                        "precedence_override", row_visit.id, old=old,
                        new=self._override_values(row, names),
                        summary=f"Placed {names[person_id]} {place} {names[other_person_id]} "
                                f"in {row_visit.title}: {reason.strip()}")
            return _override_record(row)

    def remove_override(self, override_id: int) -> None:
        """Withdraw an override (the natural order applies again)."""
        with self.db.session() as session:
            row = session.get(PrecedenceOverrideRow, override_id)
            if row is None:
                raise NotFoundError(f"There is no precedence override #{override_id} (it may "
                                    "have been removed already).")
            visit = session.get(Visit, row.visit_id)
            assert visit is not None
            names = {p.person_id: person_record(p.person).display_name
                     for p in visit.participants}
            old = self._override_values(row, names)
            session.delete(row)
            write_audit(session, self.actor, "delete", "precedence_override", visit.id, old=old,
                        summary=f"Withdrew the override placing {old['person']} "
                                f"{row.place} {old['other_person']} in {visit.title}")

    @staticmethod
    def _override_values(row: PrecedenceOverrideRow, names: Mapping[int, str]) -> dict[str, Any]:
        return {
            "override_id": row.id, "person_id": row.person_id,
            "person": names.get(row.person_id, f"person {row.person_id}"),
            "place": row.place, "other_person_id": row.other_person_id,
            "other_person": names.get(row.other_person_id, f"person {row.other_person_id}"),
            "reason": row.reason,
        }


__all__ = [
    "PrecedenceService",
    "category_rows",
    "override_rows",
    "ranked_entries",
    "rule_categories_in",
]

"""Finding a visit by its reference, marking a visit changed, the office's table of
precedence as the rules take it, and people's forms of address with the office's overrides
(:func:`forms_in`, the one function every printed name with a title goes through).

Every service that writes a part of a visit (events, gifts, participants) or a person's
rank needs these, so they live here, below all of them: the services import this module,
never each other in a circle (the ``acyclic_siblings`` import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from protocol_app.errors import NotFoundError
from protocol_app.records.models import AddressOverride, PrecedenceCategoryRow, Visit
from protocol_app.rules.address import FORM_NAMES, FormsOfAddress, forms_of_address
from protocol_app.rules.precedence import DEFAULT_CATEGORIES, PrecedenceCategory, category_for
from protocol_app.services.values import PersonRecord


def touch(visit: Visit) -> None:
    """Mark a visit changed so its version rises (a change to its parts is a change to it)."""
    flag_modified(visit, "title")


def resolve_visit(session: Session, ref: int | str) -> Visit:
    """A visit by its public id, or by its number."""
    visit = None
    if isinstance(ref, str):
        visit = session.scalar(select(Visit).where(Visit.public_id == ref))
        if visit is None and ref.isdigit():
            visit = session.get(Visit, int(ref))
    else:
        visit = session.get(Visit, ref)
    if visit is None:
        raise NotFoundError(f"There is no visit '{ref}' (give its id, such as jp-rector-2027, "
                            "or its number from `protocol-app visits`).")
    return visit


def rule_categories_in(session: Session) -> tuple[PrecedenceCategory, ...]:
    """The table of precedence as the rules take it: the office's stored one (highest
    first), else the default."""
    rows = session.scalars(select(PrecedenceCategoryRow).order_by(
        PrecedenceCategoryRow.order, PrecedenceCategoryRow.key)).all()
    if not rows:
        return DEFAULT_CATEGORIES
    return tuple(PrecedenceCategory(r.key, r.label, r.plural or r.label, r.order, r.tie_rule,
                                    bool(r.excellency), r.equivalents) for r in rows)


def forms_in(session: Session, people: Iterable[PersonRecord]) -> dict[int, FormsOfAddress]:
    """Forms of address of ``people`` by id, the office's overrides applied."""
    people = list(people)
    if not people:
        return {}
    categories = rule_categories_in(session)
    overrides: dict[int, dict[str, str]] = {}
    for row in session.scalars(select(AddressOverride).where(
            AddressOverride.person_id.in_({p.id for p in people}))):
        if row.form in FORM_NAMES:
            overrides.setdefault(row.person_id, {})[row.form] = row.text
    return {p.id: forms_of_address(p, category_for(p.rank, categories), overrides.get(p.id))
            for p in people}

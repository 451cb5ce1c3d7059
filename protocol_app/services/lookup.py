"""Finding a visit by its reference, and marking a visit changed.

Every service that writes a part of a visit (events, gifts, participants) needs these two,
so they live here, below all of them: the services import this module, never each other
in a circle (the ``acyclic_siblings`` import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from protocol_app.errors import NotFoundError
from protocol_app.records.models import Visit


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

"""people search: fold Latin letters with a stroke (ł, đ, ø...) and rebuild the index

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _rebuild(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _rebuild(connection)  # the frozen fold below, as the upgrade wrote it


# -- frozen copy of the folding in force when this migration was written ----------------
# (protocol_app.rules.names.fold and protocol_app.db.search_index at revision 0003).  A
# migration must do the same thing forever: a later change to folding gets a migration
# of its own and never changes what this one writes.
_FTS_TABLE = "people_search"
_FOLD_ACCENTS_BELOW = 0x0530  # Latin, Greek, Cyrillic and their combining accents
_LATIN_BASE = str.maketrans({
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i",
    "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
})


def _fold(value: str) -> str:
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


def _rebuild(connection: sa.engine.Connection) -> None:
    """Every person's entry written afresh with :func:`_fold`."""
    connection.execute(sa.text(f"DELETE FROM {_FTS_TABLE}"))
    rows = connection.execute(
        sa.text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    )
    for person_id, *names in rows.fetchall():
        connection.execute(
            sa.text(f"INSERT INTO {_FTS_TABLE}(rowid, names) VALUES (:id, :names)"),
            {"id": person_id, "names": _fold(" ".join(n for n in names if n))},
        )

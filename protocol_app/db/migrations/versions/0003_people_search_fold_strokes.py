"""people search: fold Latin letters with a stroke (ł, đ, ø...) and rebuild the index

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from protocol_app.db.dialects import per_dialect

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    per_dialect(op.get_bind(), sqlite=_rebuild, postgresql=_rebuild)


def downgrade() -> None:
    # the frozen fold below, as the upgrade wrote it
    per_dialect(op.get_bind(), sqlite=_rebuild, postgresql=_rebuild)


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


def _words(folded: str) -> list[str]:
    """Words as FTS5's unicode61 splits them (L*, N*, Co make words), for PostgreSQL."""
    out: list[str] = []
    current: list[str] = []
    for ch in folded + " ":
        category = unicodedata.category(ch)
        if category[0] in "LN" or category == "Co":
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    return out


def _rebuild(connection: sa.engine.Connection) -> None:
    """Every person's entry written afresh with :func:`_fold`."""
    connection.execute(sa.text(f"DELETE FROM {_FTS_TABLE}"))
    rows = connection.execute(
        sa.text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    ).fetchall()
    entries = [{"id": person_id, "names": _fold(" ".join(n for n in names if n))}
               for person_id, *names in rows]
    if not entries:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(
            sa.text(f"INSERT INTO {_FTS_TABLE}(rowid, names) VALUES (:id, :names)"), entries)
    else:
        connection.execute(
            sa.text(f"INSERT INTO {_FTS_TABLE}(person_id, names) VALUES (:id, :names)"),
            [{"id": e["id"], "names": f" {' '.join(_words(e['names']))} "} for e in entries])

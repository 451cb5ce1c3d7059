"""Which schema revisions this version knows, readable without importing Alembic.

A test keeps :data:`HEAD_REVISION` equal to the head of the Alembic scripts, so start-up
can compare the database's revision with one query and import Alembic only when a
migration is due.
"""

from __future__ import annotations

#: Every revision in order, oldest first.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006",
                                     "0007", "0008", "0009", "0010", "0011", "0012", "0013",
                                     "0014", "0015")
HEAD_REVISION: str = KNOWN_REVISIONS[-1]

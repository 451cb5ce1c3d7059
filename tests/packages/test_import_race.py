"""Two first imports of the same new visit id at once (issue 12): one is stored, the
other gets the "someone else saved it" message of the other races, not an
IntegrityError traceback, and stores nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import event

from protocol_app.errors import ProtocolError
from protocol_app.services import Services
from tests.support.helpers import MINIMAL, package_bytes, row_counts


def _import_after_both_checked(services: Services, barrier: threading.Barrier,
                               outcome: dict[str, object], name: str) -> None:
    """Import, holding the visit's INSERT until the other thread has looked for the id too
    (both find it free: the moment the race happens in real use)."""

    def wait_for_the_other(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO VISITS"):
            barrier.wait(timeout=30)

    event.listen(services.db.engine, "before_cursor_execute", wait_for_the_other)
    try:
        outcome[name] = services.packages.import_bytes(package_bytes(MINIMAL), "visit.json")
    except Exception as exc:  # the test looks at whatever came out
        outcome[name] = exc


def test_two_first_imports_of_one_visit_id_at_once(services, db_path: Path) -> None:
    services.visits.list()  # the schema exists before the two start
    first = Services.open(db_path, actor="officer-1")
    second = Services.open(db_path, actor="officer-2")
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}
    threads = [threading.Thread(target=_import_after_both_checked, args=(s, barrier, outcome, n))
               for s, n in ((first, "first"), (second, "second"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        first.close()
        second.close()
    errors = [o for o in outcome.values() if isinstance(o, Exception)]
    reports = [o for o in outcome.values() if not isinstance(o, Exception)]
    assert len(reports) == 1 and reports[0].created, outcome
    assert len(errors) == 1, outcome
    (error,) = errors
    assert type(error) is ProtocolError, repr(error)
    assert str(error).startswith("Someone else saved this record at the same moment; "
                                 "nothing of yours was saved.")
    assert row_counts(db_path)["visits"] == 1
    assert len(services.visits.get("jp-rector-2027").events) == 2

"""A workstation in its own OS process, for the tests of several at once:
``python -m tests.support.workstation DB_URL VISIT NEW_TITLE``.

It opens the visit, prints ``ready <version>``, waits for a line on stdin, then saves
the new title against the version it read, and prints one JSON line: ``{"saved": ...}``
or ``{"refused": message, "who": [...], "when": [...]}`` (from the audit trail, as the
stale-write dialog shows them)."""

from __future__ import annotations

import json
import sys

from protocol_app.errors import StaleWriteError
from protocol_app.services import Services


def main(url: str, visit_ref: str, title: str) -> int:
    services = Services.open(url, actor="typed in the preferences")
    try:
        visit = services.visits.get(visit_ref)
        print(f"ready {visit.version}", flush=True)
        sys.stdin.readline()
        try:
            saved = services.visits.update(visit.id, visit.version, title=title)
        except StaleWriteError as error:
            history = services.audit.changes_since("visit", visit.id, error.expected_version,
                                                   error.current_version)
            print(json.dumps({"refused": str(error), "who": [h.actor for h in history],
                              "when": [h.at.isoformat() for h in history]}), flush=True)
            return 1
        print(json.dumps({"saved": saved.version, "actor": services.actor}), flush=True)
        return 0
    finally:
        services.close()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))

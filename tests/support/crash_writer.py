"""The writer process of the crash harness (tests/db/test_crash_harness.py).

It imports the whole core once, then, for each line ``MODE ACK_FILE`` on standard input,
forks a child that writes to the database in a loop until it is killed (kill -9), and
prints the child's pid; once the child is gone it prints ``reaped``.  Forking from a
warm process makes a round cost milliseconds instead of a Python start-up.

After each commit the child appends an ack line to ACK_FILE (``os.write``, unbuffered):
``import <visit id> 1`` (created), ``edit <person id> <n>``.  Invitations are acknowledged
by the ledger and the SMTP server themselves.  Usage: ``crash_writer.py DB SMTP_PORT``.
"""

from __future__ import annotations

import json
import os
import sys
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from protocol_app.demo import demo_package_paths  # noqa: E402
from protocol_app.invites.sending import SmtpOptions  # noqa: E402
from protocol_app.invites.service import InviteService  # noqa: E402
from protocol_app.services import Services  # noqa: E402

INVITE_VISIT = "in-ambassador-courtesy-call-2027"


def _package(n: int) -> bytes:
    doc = json.loads(next(p for p in demo_package_paths() if "ambassador" in p.name)
                     .read_text(encoding="utf-8"))
    doc["visit"]["id"] = f"crash-{os.getpid()}-{n}"
    doc["visit"]["title"] = f"Crash round {os.getpid()} import {n}"
    return json.dumps(doc).encode("utf-8")


def run_child(db: str, mode: str, ack_file: str, smtp_port: int) -> None:
    services = Services.open(db, actor="crash-harness")
    ack = os.open(ack_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def acknowledge(line: str) -> None:
        os.write(ack, (line + "\n").encode())

    for n in count():
        if mode == "import":
            report = services.packages.import_bytes(_package(n))
            acknowledge(f"import {report.public_id} {int(report.created)}")
        elif mode == "edit":
            person = services.people.search("mercer")[0]
            number = int(person.given_name.rsplit("-", 1)[1]) + 1 if "-" in person.given_name else 1
            services.people.update(person.id, person.version, given_name=f"Caroline-{number}")
            acknowledge(f"edit {person.id} {number}")
        else:
            InviteService(services.db, services.actor).send(
                INVITE_VISIT, resend_all=True, password="",
                smtp=SmtpOptions(host="127.0.0.1", port=smtp_port, security="none", timeout=10))


def warm_up(db: str) -> None:
    """Import what the children will need (the core loads calendars, mail and Alembic
    lazily), then close every connection: a child must not share the parent's."""
    import smtplib  # noqa: F401

    services = Services.open(db, actor="crash-harness")
    try:
        invites = InviteService(services.db, services.actor)
        invites.plan(INVITE_VISIT, resend_all=True)
        invites.calendar_bytes(INVITE_VISIT)
        services.packages.import_bytes(_package(-1))
    finally:
        services.close()


def main() -> None:
    db, smtp_port = sys.argv[1], int(sys.argv[2])
    warm_up(db)
    print("ready", flush=True)
    for line in sys.stdin:
        mode, ack_file = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                run_child(db, mode, ack_file, smtp_port)
            finally:
                os._exit(3)  # the loop ends only by an error: the harness sees exit 3
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)


if __name__ == "__main__":
    main()

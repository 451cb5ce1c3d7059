"""A clash finding acknowledged with a reason: recorded, audited, kept across a reopen,
and marked in ``protocol-app check --json`` (whose shape is otherwise unchanged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from protocol_app.cli import main
from protocol_app.errors import NotFoundError, ValidationError
from protocol_app.services import Services
from protocol_app.services.findings import finding_key, finding_kind
from tests.support.demo_refs import MINISTERIAL


def _travel(services) -> str:
    checked = services.findings.check(MINISTERIAL)
    return next(c.key for c in checked if c.finding.code == "travel_time_too_short")


def test_acknowledging_records_who_when_why_and_audits_it(demo_services, db_path: Path):
    key = _travel(demo_services)
    ack = demo_services.findings.acknowledge(MINISTERIAL, key, "  Motorcade, 10 minutes  ")
    assert (ack.actor, ack.reason) == (demo_services.actor, "Motorcade, 10 minutes")
    demo_services.close()
    reopened = Services.open(db_path, actor="someone.else")
    try:
        checked = {c.key: c for c in reopened.findings.check(MINISTERIAL)}
        assert checked[key].acknowledgement is not None
        assert checked[key].acknowledgement.reason == "Motorcade, 10 minutes"
        assert checked[key].acknowledgement.actor == ack.actor
        assert all(c.acknowledgement is None for k, c in checked.items() if k != key)
        trail = reopened.audit.list("finding_acknowledgement")
        assert trail[0].actor == ack.actor and trail[0].new["reason"] == "Motorcade, 10 minutes"
        assert reopened.findings.withdraw(MINISTERIAL, key)
        assert reopened.findings.check(MINISTERIAL)[0].acknowledgement is None
        assert reopened.audit.list("finding_acknowledgement")[0].action == "delete"
    finally:
        reopened.close()


def test_acknowledging_needs_a_reason_and_a_finding_that_exists(demo_services):
    key = _travel(demo_services)
    with pytest.raises(ValidationError) as refused:
        demo_services.findings.acknowledge(MINISTERIAL, key, "   ")
    assert refused.value.problems[0].path == "reason"
    with pytest.raises(NotFoundError):
        demo_services.findings.acknowledge(MINISTERIAL, "no_such|e01|", "because")
    assert demo_services.findings.acknowledgements(MINISTERIAL) == {}


def test_kinds_and_keys():
    from protocol_app.rules.conflicts import Finding

    finding = Finding("warning", "person_double_booked", "x", ("e01", "e02"), (7,))
    assert finding_key(finding) == "person_double_booked|e01,e02|7"
    assert finding_kind("venue_double_booked") == "Double booking"
    assert finding_kind("dietary_needs_unknown") == "Dietary"
    assert finding_kind("something_new") == "Other"


def test_check_json_marks_acknowledged_findings(demo_services, db_path: Path, capsys):
    db = str(db_path)
    assert main(["--db", db, "check", MINISTERIAL, "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    key = next(f["key"] for f in before if f["code"] == "travel_time_too_short")
    assert all(f["acknowledged"] is None for f in before)
    assert main(["--db", db, "check", MINISTERIAL, "--acknowledge", key]) == 1
    assert "--reason" in capsys.readouterr().err
    assert main(["--db", db, "check", MINISTERIAL, "--json", "--acknowledge", key,
                 "--reason", "Escorted"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert [set(f) for f in after] == [set(f) for f in before]
    marked = next(f for f in after if f["key"] == key)
    assert marked["acknowledged"]["reason"] == "Escorted"
    assert marked["acknowledged"]["by"] and marked["acknowledged"]["at"].endswith("+00:00")
    assert main(["--db", db, "check", MINISTERIAL]) == 0
    assert ": Escorted" in capsys.readouterr().out

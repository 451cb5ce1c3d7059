"""Calendar managers in visit packages: ``calendar_manager`` names the ref of another
person of the file who receives the person's invitations.  Export then import keeps it;
an unknown ref, the person themself or a manager without an e-mail address is refused
with its JSON path and nothing is imported; left out, a re-import keeps what is stored;
``null`` removes it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from protocol_app.errors import ValidationError
from protocol_app.services import Services
from tests.support.helpers import MINIMAL, package_bytes, row_counts

ASSISTANT = {"ref": "p3", "family_name": "Sato", "given_name": "Yui",
             "email": "sato@kyoto.example.jp", "organization": "Kyoto University"}


def _document(manager: object = "p3") -> dict:
    doc = copy.deepcopy(MINIMAL)
    doc["people"].append(dict(ASSISTANT))
    doc["delegation"].append({"person": "p3", "side": "guest", "role": "staff"})
    doc["people"][0]["calendar_manager"] = manager
    return doc


def _manager_email(services: Services, email: str) -> str | None:
    manager = services.invites.calendar_manager(email)
    return manager.email if manager is not None else None


def test_the_manager_survives_export_and_import(services, tmp_path: Path) -> None:
    services.packages.import_bytes(package_bytes(_document()))
    assert _manager_email(services, "tanaka@kyoto.example.jp") == "sato@kyoto.example.jp"
    assert any(e.summary == "Calendar manager set from the package"
               for e in services.audit.list("person"))

    path = services.packages.export_file("jp-rector-2027", tmp_path / "out.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    tanaka = next(p for p in doc["people"] if p.get("email") == "tanaka@kyoto.example.jp")
    sato = next(p for p in doc["people"] if p.get("email") == "sato@kyoto.example.jp")
    assert tanaka["calendar_manager"] == sato["ref"]
    assert "calendar_manager" not in sato

    other = Services.open(tmp_path / "elsewhere.sqlite3", actor="tester")
    try:
        assert other.packages.import_file(path).created
        assert _manager_email(other, "tanaka@kyoto.example.jp") == "sato@kyoto.example.jp"
        again = other.packages.export_file("jp-rector-2027", tmp_path / "again.json")
        assert json.loads(again.read_text(encoding="utf-8")) == doc
    finally:
        other.close()


def test_left_out_it_is_kept_and_null_removes_it(services) -> None:
    services.packages.import_bytes(package_bytes(_document()))
    kept = _document()
    del kept["people"][0]["calendar_manager"]
    services.packages.import_bytes(package_bytes(kept))
    assert _manager_email(services, "tanaka@kyoto.example.jp") == "sato@kyoto.example.jp"
    report = services.packages.import_bytes(package_bytes(_document(None)))
    assert _manager_email(services, "tanaka@kyoto.example.jp") is None
    assert [n for n in report.people_changed if "Tanaka" in n]  # the report says so


@pytest.mark.parametrize(("manager", "message"), [
    ("p9", "'p9' is not the ref of a person in this file"),
    ("p1", "is the person themself (leave it out instead)"),
    ("p2", "'p2' has no e-mail address to receive invitations at"),
    (7, "must be text"),
])
def test_a_wrong_manager_is_refused_with_its_path(services, db_path, manager,
                                                  message) -> None:
    before = row_counts(db_path)
    with pytest.raises(ValidationError) as refused:
        services.packages.import_bytes(package_bytes(_document(manager)))
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("people[0].calendar_manager", message)]
    assert row_counts(db_path) == before

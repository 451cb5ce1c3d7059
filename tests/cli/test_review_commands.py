"""The ``review``, ``status``, ``controlled-venue`` and ``gifts register`` commands."""

from __future__ import annotations

import json

from protocol_app.config import Settings
from tests.support.helpers import MINIMAL, deep_copy, package_bytes, run_cli


def _import(services, tmp_path, *, tour: bool = False) -> str:
    doc = deep_copy(MINIMAL)
    if tour:
        doc["events"].append({"ref": "e3", "title": "Lab tour", "kind": "tour",
                              "start": "2027-03-13T10:00", "end": "2027-03-13T11:00",
                              "venue": {"name": "Kessler Lab"}, "attendees": ["p1"]})
    services.packages.import_bytes(package_bytes(doc), "visit.json")
    return "jp-rector-2027"


def test_status_moves_a_visit_and_the_gate_names_the_review(services, db_path, tmp_path,
                                                            capsys):
    Settings(countries_of_concern=["jp"]).save()
    visit = _import(services, tmp_path)
    code, out, err = run_cli(capsys, "--db", str(db_path), "status", visit, "confirmed")
    assert code == 1 and out == ""
    assert "risk review" in err and f"protocol-app review {visit}" in err
    assert "waits for a decision" in err and "Japan" in err
    code, out, err = run_cli(capsys, "--db", str(db_path), "review", visit, "--json")
    data = json.loads(out)
    assert (data["required"], data["state"], data["decision"]) == (True, "pending", None)
    assert {f["kind"] for f in data["findings"]} == {"country"}
    code, out, err = run_cli(capsys, "--db", str(db_path), "review", visit, "--decide",
                             "approved", "--note", "Known partner")
    assert code == 0 and "state: Approved" in out
    code, out, err = run_cli(capsys, "--db", str(db_path), "status", visit, "confirmed")
    assert (code, out.strip()) == (0, f"{visit}: planned → confirmed")
    code, out, err = run_cli(capsys, "--db", str(db_path), "status", visit, "proposed")
    assert code == 0 and out.strip() == f"{visit}: confirmed → proposed"  # via planned


def test_conditions_on_events_and_the_checklist_from_the_command_line(services, db_path,
                                                                      tmp_path, capsys):
    visit = _import(services, tmp_path, tour=True)
    code, out, _ = run_cli(capsys, "--db", str(db_path), "controlled-venue", "kessler lab")
    assert (code, out.strip()) == (0, "Kessler Lab: holds controlled technology")
    code, out, _ = run_cli(capsys, "--db", str(db_path), "controlled-venue")
    assert out.strip() == "Kessler Lab"
    code, out, err = run_cli(
        capsys, "--db", str(db_path), "review", visit, "--reviewer", "Dana",
        "--check", "export_control", "--check-note", "EAR99 only", "--decide", "conditions",
        "--note", "Low risk", "--event-condition", "e3", "Escorted lab tour only",
        "--condition", "No photography in B-114", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["state"] == "approved_with_conditions" and data["reviewer"] == "Dana"
    assert data["decision"]["conditions"] == [  # the visit's first, then the events'
        {"text": "No photography in B-114", "event": None},
        {"text": "Escorted lab tour only", "event": "e3"}]
    assert data["checklist"][0] == {"dimension": "export_control",
                                    "label": "Export control and deemed exports",
                                    "done": True, "note": "EAR99 only"}
    assert data["findings"][0]["kind"] == "venue"


def test_bad_review_input_is_refused_clearly(services, db_path, tmp_path, capsys):
    visit = _import(services, tmp_path)
    code, _, err = run_cli(capsys, "--db", str(db_path), "review", visit, "--decide",
                           "approved")
    assert code == 1 and "note: a decision needs a note" in err
    code, _, err = run_cli(capsys, "--db", str(db_path), "review", visit, "--decide",
                           "conditions", "--note", "x", "--event-condition", "e9", "Escort")
    assert code == 1 and "has no event 'e9'" in err
    code, _, err = run_cli(capsys, "--db", str(db_path), "review", visit, "--condition", "x")
    assert code == 1 and "--decide" in err
    code, _, err = run_cli(capsys, "--db", str(db_path), "controlled-venue", "Nowhere")
    assert code == 1 and "no venue named 'Nowhere'" in err
    assert services.audit.list("risk_review") == []

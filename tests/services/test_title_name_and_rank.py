"""The name used with a title (``people.title_name``, migration 0008) and ranks as keys of
the table of precedence: the people service, visit packages, the migration, the forms
of address, ``check`` and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from protocol_app.cli import main
from protocol_app.db.migrate import alembic_config
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.errors import ValidationError
from protocol_app.packages.exporter import package_document
from protocol_app.services import Services
from tests.support.helpers import demo_document, package_bytes, query_rows, row_counts

MINISTER = {"family_name": "Võ", "given_name": "Thanh Tùng", "name_order": "family_first",
            "country": "VN", "rank": "minister", "gender": "male", "honorific": "H.E. Prof.",
            "position": "Minister of Education and Training"}


def _audit(db_path: Path) -> list[tuple[str, str, str]]:
    return query_rows(db_path, "SELECT summary, old_values, new_values FROM audit_log "
                               "WHERE entity = 'person' ORDER BY id")


def _visit(services: Services, *people: int) -> int:
    visit = services.visits.create(
        title="Visit of the Minister", timezone="America/New_York",
        start_date=date(2027, 3, 12), end_date=date(2027, 3, 14), country="VN")
    for i, pid in enumerate(people):
        services.visits.add_participant(visit.id, pid, "guest", "head" if i == 0 else "member")
    return visit.id


# ------------------------------------------------------------------- the people service


def test_the_name_used_with_a_title_defaults_by_custom_and_can_be_chosen(services,
                                                                       db_path) -> None:
    minister = services.people.create(**MINISTER)
    assert minister.title_name == ""
    assert services.address.forms_of_address(minister.id).place_card == "Minister Tùng"

    chosen = services.people.update(minister.id, minister.version, title_name="  Võ ")
    assert chosen.title_name == "Võ"
    assert services.address.forms_of_address(minister.id).place_card == "Minister Võ"
    summary, old, new = _audit(db_path)[-1]
    assert summary == "Changed Võ Thanh Tùng"
    assert json.loads(old)["title_name"] == "" and json.loads(new)["title_name"] == "Võ"

    cleared = services.people.update(minister.id, chosen.version, title_name="")
    assert services.address.forms_of_address(cleared.id).place_card == "Minister Tùng"


def test_the_name_used_with_a_title_is_length_checked(services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.people.create(**MINISTER, title_name="T" * 201)
    assert [p.path for p in caught.value.problems] == ["title_name"]
    assert "at most 200" in caught.value.problems[0].message
    assert services.people.count() == 0
    minister = services.people.create(**MINISTER)
    with pytest.raises(ValidationError) as caught:
        services.people.update(minister.id, minister.version, title_name="Tùng\nVõ")
    assert [p.path for p in caught.value.problems] == ["title_name"]
    assert services.people.get(minister.id).title_name == ""


def test_an_unknown_rank_is_refused_naming_the_valid_keys(services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.people.create(family_name="Adler", rank="charge_daffaires")
    (problem,) = caught.value.problems
    assert problem.path == "rank"
    assert "'charge_daffaires' is not a rank of the table of precedence" in problem.message
    assert "charge_d_affaires, charge_d_affaires_ai" in problem.message
    assert services.people.count() == 0

    adler = services.people.create(family_name="Adler", rank="charge_d_affaires")
    with pytest.raises(ValidationError) as caught:
        services.people.update(adler.id, adler.version, rank="Ambasador")
    assert caught.value.problems[0].path == "rank"
    assert services.people.get(adler.id).rank == "charge_d_affaires"


def test_aliases_stay_accepted_and_are_stored_as_the_tables_key(services) -> None:
    provost = services.people.create(family_name="Szabó", rank="Provost")
    assert provost.rank == "vice_chancellor"
    changed = services.people.update(provost.id, provost.version, rank="chargé d'affaires a.i.")
    assert changed.rank == "charge_d_affaires_ai"
    assert services.people.update(changed.id, changed.version, rank="").rank == ""


def test_a_rank_the_office_added_to_its_table_is_accepted(services) -> None:
    services.precedence.add_category("Rector emeritus", "rector emeritus", order=135)
    assert services.people.create(family_name="Kovács", rank="rector_emeritus").rank \
        == "rector_emeritus"


# ------------------------------------------------------------------------ visit packages


def test_packages_carry_the_title_name_and_a_reimport_without_it_keeps_it(services) -> None:
    doc = demo_document("ministerial")
    minister = next(p for p in doc["people"] if p["family_name"] == "Võ")
    minister["title_name"] = "Võ"
    report = services.packages.import_bytes(package_bytes(doc), "minister.json")
    record = services.visits.get(report.visit_id)
    person = next(p.person for p in record.participants if p.person.family_name == "Võ")
    assert person.title_name == "Võ"
    exported = package_document(services.visits.get(report.visit_id))
    assert next(p for p in exported["people"] if p["family_name"] == "Võ")["title_name"] == "Võ"
    assert all("title_name" not in p for p in exported["people"] if p["family_name"] != "Võ")

    del minister["title_name"]  # a programme from the embassy: the office's choice stays
    services.packages.import_bytes(package_bytes(doc), "minister.json")
    assert services.people.get(person.id).title_name == "Võ"


def test_a_package_with_an_unknown_rank_is_refused_with_its_path(services, db_path) -> None:
    doc = demo_document("reception")
    index = next(i for i, p in enumerate(doc["people"]) if p["family_name"] == "Adler")
    doc["people"][index]["rank"] = "charge_daffaires"
    before = row_counts(db_path)
    with pytest.raises(ValidationError) as caught:
        services.packages.import_bytes(package_bytes(doc), "reception.json")
    (problem,) = caught.value.problems
    assert problem.path == f"people[{index}].rank"
    assert "ambassador, envoy, charge_d_affaires" in problem.message
    assert row_counts(db_path) == before

    doc["people"][index]["rank"] = "charge"  # an alias
    report = services.packages.import_bytes(package_bytes(doc), "reception.json")
    ranks = {p.person.family_name: p.person.rank
             for p in services.visits.get(report.visit_id).participants}
    assert ranks["Adler"] == "charge_d_affaires"


def test_the_command_line_refuses_an_unknown_rank_in_one_line(tmp_path, capsys) -> None:
    doc = demo_document("ambassador")
    doc["people"][0]["rank"] = "head_of_stat"
    path = tmp_path / "visit.json"
    path.write_bytes(package_bytes(doc))
    db = str(tmp_path / "office.sqlite3")
    code = main(["--db", db, "import", str(path)])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1
    assert "people[0].rank: 'head_of_stat' is not a rank of the table of precedence; " \
           "the ranks are head_of_state, head_of_government" in err


# ------------------------------------------------------------------------------ check


def test_check_warns_per_person_when_the_printed_forms_contradict_the_notes(services) -> None:
    minister = services.people.create(
        **MINISTER, protocol_notes="'Minister Tùng' is correct; 'Minister Võ' is not "
                                   "acceptable.")
    clean = services.people.create(family_name="Sato", given_name="Yui", country="JP",
                                   protocol_notes="Address as 'Ms. Sato'.", gender="female")
    visit = _visit(services, minister.id, clean.id)

    def address_findings():
        return [f for f in services.travel.check(visit)
                if f.code == "address_form_contradicts_notes"]

    assert address_findings() == []
    services.people.update(minister.id, minister.version, title_name="Võ")
    asked, rejected = address_findings()
    assert {asked.severity, rejected.severity} == {"warning"}
    assert asked.person_ids == rejected.person_ids == (minister.id,)
    assert asked.message.startswith("Võ Thanh Tùng: the protocol notes ask for “Minister Tùng”")
    assert rejected.message.startswith("Võ Thanh Tùng: the protocol notes reject “Minister Võ”")

    # the office's override of a form is what check reads, as every print path does
    services.people.update(minister.id, services.people.get(minister.id).version,
                           title_name="")
    services.address.set_address_override(minister.id, "place_card", "Minister Võ",
                                          expected_version=0)
    assert any("place card reads “Minister Võ”" in f.message for f in address_findings())


def test_check_json_names_the_person_with_a_contradicted_form(tmp_path, capsys) -> None:
    db = str(tmp_path / "office.sqlite3")
    services = Services.open(db, actor="tester")
    try:
        adler = services.people.create(family_name="Adler", given_name="Yonatan",
                                       rank="charge_d_affaires", honorific="H.E.",
                                       protocol_notes="Address as 'Mr. Adler', not "
                                                      "'Excellency'.")
        visit = services.visits.get(_visit(services, adler.id)).public_id
    finally:
        services.close()
    assert main(["--db", db, "check", visit, "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    wrong = [f for f in findings if f["code"] == "address_form_contradicts_notes"]
    assert wrong and all(f["person_ids"] == [adler.id] for f in wrong)
    assert all(f["message"].startswith("Yonatan Adler: ") for f in wrong)
    assert any("“Excellency”" in f["message"] for f in wrong)


# -------------------------------------------------------------------------- migration


def test_upgrading_a_0006_database_gives_everyone_the_name_by_custom(db_path: Path) -> None:
    services = Services.open(db_path, actor="tester")
    minister = services.people.create(**MINISTER)
    services.db.dispose()
    with services.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0006")
    with services.db.engine.connect() as connection:
        assert "title_name" not in {c["name"] for c in inspect(connection).get_columns("people")}
    services.close()
    counts = row_counts(db_path)

    reopened = Services.open(db_path, actor="tester")  # migrates, after a backup
    try:
        with reopened.db.engine.connect() as connection:
            assert connection.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            column = next(c for c in inspect(connection).get_columns("people")
                          if c["name"] == "title_name")
            assert column["nullable"] is False
        after = row_counts(db_path)  # later migrations may add (empty) tables
        assert {t: n for t, n in after.items() if t in counts} == counts
        assert reopened.people.get(minister.id).title_name == ""
        assert reopened.address.forms_of_address(minister.id).place_card == "Minister Tùng"
    finally:
        reopened.close()


# -------------------------------------------------------------------------- demo data


def test_the_demo_follows_the_notes_and_ranks_by_the_table(demo_services) -> None:
    from protocol_app.rules.precedence import DEFAULT_CATEGORIES

    keys = {c.key for c in DEFAULT_CATEGORIES}
    for name in ("ambassador", "reception", "ministerial"):
        doc = demo_document(name)
        assert {p.get("rank", "") for p in doc["people"]} <= keys | {""}, name
    for visit in demo_services.visits.list():
        findings = demo_services.travel.check(visit.id)
        assert [f.message for f in findings
                if f.code == "address_form_contradicts_notes"] == [], visit.public_id
    record = demo_services.visits.get("vn-moet-minister-2027")
    forms = {p.person.family_name: p.forms for p in record.participants}
    assert forms["Võ"].place_card == "Minister Tùng"
    assert forms["Szabó"].place_card == "Provost Szabó"
    assert "Honorable" not in forms["Szabó"].address_block
    hosts = sorted((p for p in record.participants if p.side == "host"),
                   key=lambda p: p.precedence)
    assert [p.person.family_name for p in hosts][:2] == ["Mercer", "Szabó"]

"""Loading screening lists: both layouts by their header row, a source replaced whole on
reload, stale lists, and damaged files refused with nothing changed."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from protocol_app.records.screening import ScreeningEntry
from protocol_app.screening.reader import MAX_LIST_BYTES, ScreeningListError
from tests.screening.conftest import (
    CSL_COLUMNS,
    ENTITY_LIST,
    OPENSANCTIONS_COLUMNS,
    entity,
    individual,
    write_csv,
)

OPENSANCTIONS_ROWS = [
    {"id": "NK-abc123", "schema": "Person", "name": "Sergei Ivanov",
     "aliases": "Сергей Иванов;IVANOV Sergey", "birth_date": "1961-05-02", "countries": "ru",
     "sanctions": "EU Council Regulation 269/2014;UK Russia Regulations",
     "dataset": "EU Financial Sanctions Files", "first_seen": "2022-03-01T10:00:00"},
    {"id": "NK-def456", "schema": "Company", "name": "Romashka OOO", "aliases": "",
     "countries": "ru", "sanctions": "UK Russia Regulations", "dataset": "UK HMT Sanctions"},
    {"id": "NK-ghi789", "schema": "Vessel", "name": "SEA PEARL", "dataset": "OFAC SDN"},
]


def _counts(db_path: Path) -> tuple[int, int, int, int]:
    """Lists, entries, keys and audit entries in the database file."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (  # type: ignore[return-value]
            "screening_lists", "screening_entries", "screening_keys", "audit_log"))
    finally:
        conn.close()


def _entries(services, source: str) -> list[ScreeningEntry]:
    from sqlalchemy import select

    from protocol_app.records.screening import ScreeningList

    with services.db.read_session() as session:
        return list(session.scalars(select(ScreeningEntry).join(
            ScreeningList, ScreeningList.id == ScreeningEntry.list_id).where(
            ScreeningList.source == source).order_by(ScreeningEntry.id)))


def test_a_consolidated_screening_list_is_read_by_column_name(services, csl_file) -> None:
    path = csl_file([
        individual("IVANOV, Sergei", alt_names="IVANOV, Sergey; Сергей Иванов",
                   citizenships="RU", nationalities="RU", dates_of_birth="1961-05-02",
                   start_date="2022-03-01", remarks="Director.", _id="e1"),
        entity("Acme Trading L.L.C.", alt_names="ACME TRADE CO."),
        {"source": ENTITY_LIST, "type": "Vessel", "name": "SEA PEARL"},
        {"source": ENTITY_LIST, "type": "Individual", "name": ""},  # skipped: no name
    ])
    report = services.screening.load(path)
    assert (report.source, report.layout, report.entries) == ("us-csl", "csl", 3)
    assert report.skipped_lines == (5,)
    assert report.replaced_entries is None
    assert report.lines()[0].startswith("Loaded 3 entries into us-csl (U.S. Consolidated "
                                        "Screening List layout)")
    person, company, vessel = _entries(services, "us-csl")
    assert (person.kind, person.source_id, person.aliases) == (
        "person", "e1", "IVANOV, Sergey; Сергей Иванов")
    assert (person.countries, person.birth_dates, person.listed_on) == (
        "RU", "1961-05-02", "2022-03-01")
    assert person.variants == "0 ivanov sergei\n1 ivanov sergey\n2 sergey ivanov"
    assert (company.kind, vessel.kind) == ("organization", "other")
    (info,) = services.screening.lists()
    assert (info.source, info.entries, info.stale, info.layout) == ("us-csl", 3, False, "csl")


def test_an_opensanctions_file_is_read_by_column_name(services, opensanctions_file,
                                                      visit_with) -> None:
    report = services.screening.load(opensanctions_file(OPENSANCTIONS_ROWS))
    assert (report.source, report.layout, report.entries) == ("opensanctions",
                                                              "opensanctions", 3)
    person, company, vessel = _entries(services, "opensanctions")
    assert (person.kind, company.kind, vessel.kind) == ("person", "organization", "other")
    assert (person.countries, person.listed_on) == ("RU", "2022-03-01")
    assert person.programs == "EU Council Regulation 269/2014; UK Russia Regulations"
    visit = visit_with({"family_name": "Иванов", "given_name": "Сергей", "country": "RU",
                        "organization": "ООО Ромашка"})
    matches = services.screening.screen_visit(visit)
    assert [(m.subject, m.entry, m.list) for m in matches] == [
        ("organization", "Romashka OOO", "opensanctions"),
        ("person", "Sergei Ivanov", "opensanctions")]
    person_match = matches[1]
    assert person_match.score == 100  # the alias in Cyrillic is the same name
    assert "list: EU Financial Sanctions Files" in person_match.entry_details
    assert "programs: EU Council Regulation 269/2014; UK Russia Regulations" \
        in person_match.entry_details


def test_extra_columns_and_their_order_do_not_matter(services, tmp_path) -> None:
    columns = ("Name", "ALT_NAMES", "extra", "Type", " source ")
    path = write_csv(tmp_path / "reordered.csv", columns, [
        {"Name": "IVANOV, Sergei", "ALT_NAMES": "", "extra": "x", "Type": "Individual",
         " source ": "SDN"}])
    assert services.screening.load(path, "mine").entries == 1
    (entry,) = _entries(services, "mine")
    assert (entry.name, entry.kind, entry.sublist) == ("IVANOV, Sergei", "person", "SDN")


def test_loading_a_source_again_replaces_it_whole(services, csl_file, visit_with,
                                                  db_path) -> None:
    services.screening.load(csl_file([individual("IVANOV, Sergei"),
                                      individual("PETROV, Pavel")], "v1.csv"))
    services.screening.load(csl_file([entity("Acme Trading LLC")], "other.csv"), "other")
    before = _counts(db_path)
    report = services.screening.load(csl_file([individual("SIDOROV, Oleg")], "v2.csv"))
    assert report.replaced_entries == 2
    assert report.lines()[0].endswith("they replace the 2 entries loaded before.")
    assert {i.source: i.entries for i in services.screening.lists()} == {"other": 1,
                                                                          "us-csl": 1}
    assert [e.name for e in _entries(services, "us-csl")] == ["SIDOROV, Oleg"]
    lists, entries, keys, audit = _counts(db_path)
    assert (lists, entries) == (2, 2)
    assert keys < before[2]  # the old entries' keys went with them
    assert audit == before[3] + 1
    visit = visit_with({"family_name": "Ivanov", "given_name": "Sergei"},
                       {"family_name": "Sidorov", "given_name": "Oleg"})
    assert [m.entry for m in services.screening.screen_visit(visit)] == ["SIDOROV, Oleg"]
    trail = services.audit.list("screening_list")
    assert [(e.action, e.summary) for e in trail if "us-csl" in e.summary] == [
        ("update", "Loaded the screening list us-csl (1 entries)"),
        ("create", "Loaded the screening list us-csl (2 entries)")]


def test_a_list_loaded_more_than_30_days_ago_is_stale(services, csl_file, db_path) -> None:
    services.screening.load(csl_file([individual("IVANOV, Sergei")]))
    services.screening.load(csl_file([individual("PETROV, Pavel")], "b.csv"), "fresh")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE screening_lists SET loaded_at = datetime('now', '-31 days') "
                 "WHERE source = 'us-csl'")
    conn.commit()
    conn.close()
    stale = {i.source: i.stale for i in services.screening.lists()}
    assert stale == {"fresh": False, "us-csl": True}
    (warning,) = services.screening.warnings()
    assert warning.startswith("The screening list us-csl was loaded 31 days ago")


def test_a_list_can_be_removed(services, csl_file, db_path) -> None:
    services.screening.load(csl_file([individual("IVANOV, Sergei")]))
    assert services.screening.remove("us-csl") == 1
    assert _counts(db_path)[:3] == (0, 0, 0)
    with pytest.raises(Exception, match="There is no screening list 'us-csl'"):
        services.screening.remove("us-csl")


# -- damaged files: refused with a message naming what is wrong; nothing changes --------
def _damaged(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = [{"source": "SDN", "type": "Individual", "name": "NEW, Person", "alt_names": ""}]
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("source,type,name,alt_names\nSDN,Individual,MÜLLER,\n".encode("latin-1"))
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("source,type,name,alt_names\nSDN,Individual,X,\n".encode("utf-16"))
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"source,type,name,alt_names\nSDN,Individual,A\x00B,\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header_only = write_csv(tmp_path / "header.csv", CSL_COLUMNS, [])
    no_alt = write_csv(tmp_path / "no-alt.csv",
                       [c for c in CSL_COLUMNS if c != "alt_names"], good)
    no_aliases = write_csv(tmp_path / "no-aliases.csv",
                           [c for c in OPENSANCTIONS_COLUMNS if c not in ("aliases", "id")],
                           [{"schema": "Person", "name": "X"}])
    neither = write_csv(tmp_path / "neither.csv", ["first", "last", "email"],
                        [{"first": "a"}])
    return {
        "latin-1": (latin1, r"latin1\.csv, line 2: not UTF-8 text \(byte 0xDC\)"),
        "utf-16": (utf16, r"utf16\.csv is UTF-16 text; save it as UTF-8"),
        "nul byte": (nul, r"nul\.csv, line 2: a NUL byte; this is not a text file"),
        "empty": (empty, r"empty\.csv: the file is empty"),
        "header only": (header_only, r"header\.csv: no entry with a name"),
        "csl missing alt_names": (no_alt, r"the U\.S\. Consolidated Screening List layout "
                                          r"needs the column alt_names"),
        "opensanctions missing id, aliases": (
            no_aliases, r"the OpenSanctions layout needs the columns id, aliases"),
        "neither layout": (neither, r"the header row is neither the Consolidated Screening "
                                    r"List's \(source, type, name, alt_names, \.\.\.\) nor"),
        "folder": (tmp_path, r"is a folder, not a CSV file"),
        "device": (Path("/dev/zero"), r"/dev/zero is a device, not a CSV file"),
        "missing": (tmp_path / "nowhere.csv", r"nowhere\.csv cannot be read: No such file"),
    }


@pytest.mark.parametrize("case", ["latin-1", "utf-16", "nul byte", "empty", "header only",
                                  "csl missing alt_names",
                                  "opensanctions missing id, aliases", "neither layout",
                                  "folder", "device", "missing"])
def test_a_damaged_file_is_refused_and_nothing_changes(services, csl_file, tmp_path, db_path,
                                                       case: str) -> None:
    services.screening.load(csl_file([individual("IVANOV, Sergei")], "good.csv"))
    before, lists = _counts(db_path), services.screening.lists()
    path, message = _damaged(tmp_path)[case]
    with pytest.raises(ScreeningListError, match=message):
        services.screening.load(path)
    assert _counts(db_path) == before
    assert services.screening.lists() == lists


def test_a_file_over_the_limit_is_refused_from_its_size(services, csl_file, tmp_path,
                                                        db_path) -> None:
    services.screening.load(csl_file([individual("IVANOV, Sergei")], "good.csv"))
    before = _counts(db_path)
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:  # sparse: 100 MB + 1 byte without writing them
        fh.write(b"source,type,name,alt_names\n")
        fh.truncate(MAX_LIST_BYTES + 1)
    with pytest.raises(ScreeningListError,
                       match=r"huge\.csv is too large for a screening list \(104,857,601 "
                             r"bytes; the limit is 104,857,600 bytes\)"):
        services.screening.load(huge)
    assert _counts(db_path) == before


def test_a_pipe_is_read_up_to_the_limit(services, tmp_path, db_path) -> None:
    fifo = tmp_path / "list.fifo"
    os.mkfifo(fifo)
    content = b"source,type,name,alt_names\nSDN,Individual,\"IVANOV, Sergei\",\n"

    def feed(data: bytes) -> None:
        with open(fifo, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed, args=(content,))
    writer.start()
    assert services.screening.load(fifo, "piped").entries == 1
    writer.join()
    before = _counts(db_path)
    writer = threading.Thread(target=feed, args=(content + b"X" * 5000,))
    writer.start()
    with pytest.raises(ScreeningListError, match=r"list\.fifo is too large for a screening "
                                                 r"list \(more than 4,096 bytes"):
        services.screening.load(fifo, "piped", limit=4096)
    writer.join()
    assert _counts(db_path) == before


def test_a_source_name_must_be_given_when_set(services, csl_file) -> None:
    with pytest.raises(Exception, match="source: give a name of 1 to 100 characters"):
        services.screening.load(csl_file([individual("IVANOV, Sergei")]), "   ")

"""The visits list as one plain SQL query: the service reads it through SQLAlchemy, the
desktop app's start-up reads it straight from the SQLite file (read-only, no SQLAlchemy).
Real files throughout: a peek must never create or change one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from protocol_app.db.database import database_url
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.demo import load_demo
from protocol_app.records.models import Event, Participant, Person, Visit
from protocol_app.services import Services
from protocol_app.services.values import VisitSummary
from protocol_app.services.visit_list import (
    like_pattern,
    peek_visit_summaries,
    sqlite_file,
    summaries_from_rows,
    summary_query,
)
from tests.support.times import ROOT, ny

# -- building databases ------------------------------------------------------------------


def _person(s: Services, family: str, given: str = "", order: str = "given_first") -> int:
    return s.people.create(family_name=family, given_name=given, name_order=order).id


def _visit(s: Services, title: str, start: date, end: date, country: str = "FR",
           **values: object) -> int:
    return s.visits.create(title=title, timezone="Europe/Paris", start_date=start, end_date=end,
                           country=country, **values).id


def fill_varied(s: Services) -> None:
    """Visits of every shape the list must summarise: no participants, no head, a host
    called "head", two guest heads, family-first and one-part names, events, cancelled
    visits, equal start dates, and titles with '%', '_', '/' and mixed case."""
    tanaka = _person(s, "Tanaka", "Haruto", "family_first")
    kim = _person(s, "Kim", "", "family_first")
    plain = _person(s, "Dubois", "Claire")
    one_part = _person(s, "Cher")
    host = _person(s, "Mercer", "Caroline")
    member = _person(s, "Sato", "Yui")

    empty = _visit(s, "Empty visit", date(2027, 5, 1), date(2027, 5, 3))
    assert empty
    no_head = _visit(s, "Delegation without a head", date(2027, 5, 1), date(2027, 5, 2), "JP")
    s.visits.add_participant(no_head, member, "guest", "member")
    s.visits.add_participant(no_head, host, "host", "head")  # a host is never the head
    two_heads = _visit(s, "Two heads (first one counts)", date(2027, 4, 30), date(2027, 5, 9),
                       "KR", public_id="Two_Heads.2027")
    s.visits.add_participant(two_heads, kim, "guest", "head")
    s.visits.add_participant(two_heads, tanaka, "guest", "head")
    s.visits.add_participant(two_heads, host, "host", "host")
    family_first = _visit(s, "Rector of Kyoto 100% attendance_day", date(2027, 3, 12),
                          date(2027, 3, 16), "JP")
    s.visits.add_participant(family_first, tanaka, "guest", "head")
    s.visits.add_participant(family_first, member, "guest", "member")
    for hour in (9, 11, 14):
        s.events.create(family_first, title=f"Meeting at {hour}", start=ny(2027, 3, 13, hour),
                        end=ny(2027, 3, 13, hour + 1))
    slash = _visit(s, "Paris/Lyon study tour", date(2027, 6, 1), date(2027, 6, 4), "FR",
                   public_id="paris-lyon")
    s.visits.add_participant(slash, plain, "guest", "head")
    one_name = _visit(s, "MIXED Case Visit", date(2027, 6, 1), date(2027, 6, 1), "US")
    s.visits.add_participant(one_name, one_part, "guest", "head")
    cancelled = s.visits.get(_visit(s, "Cancelled trip", date(2027, 2, 1), date(2027, 2, 2)))
    s.visits.cancel(cancelled.id, cancelled.version)
    confirmed = s.visits.get(_visit(s, "Confirmed one", date(2027, 7, 1), date(2027, 7, 31),
                                    "DE"))
    s.visits.update(confirmed.id, confirmed.version, status="confirmed")


@pytest.fixture
def varied(services) -> Services:
    load_demo(services)
    fill_varied(services)
    return services


def closed(s: Services) -> Path:
    """Close the services (so no -wal/-shm remain) and give the database file."""
    path = s.db.path
    s.close()
    assert path is not None
    return path


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a folder with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def set_revision(path: Path, revision: str | None) -> None:
    conn = sqlite3.connect(path)
    try:
        if revision is None:
            conn.execute("DROP TABLE alembic_version")
        else:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.commit()
    finally:
        conn.close()


# -- the former four-query implementation, kept as the reference ------------------------


def reference_list(s: Services, text: str = "", *, status: str | None = None,
                   date_from: date | None = None,
                   date_to: date | None = None) -> list[VisitSummary]:
    """``VisitService.list`` as it was before the single query (ORM, four queries)."""
    columns = (Visit.id, Visit.public_id, Visit.title, Visit.status, Visit.start_date,
               Visit.end_date, Visit.country, Visit.timezone, Visit.version)
    stmt = select(*columns)
    if text.strip():
        wanted = text.strip().lower()
        stmt = stmt.where(or_(*(func.lower(column).contains(wanted, autoescape=True)
                                for column in (Visit.title, Visit.public_id, Visit.country))))
    if status:
        stmt = stmt.where(Visit.status == status)
    if date_from:
        stmt = stmt.where(Visit.end_date >= date_from)
    if date_to:
        stmt = stmt.where(Visit.start_date <= date_to)
    chosen = stmt.with_only_columns(Visit.id).scalar_subquery()
    with s.db.read_session() as session:
        visits = session.execute(stmt.order_by(Visit.start_date, Visit.id)).all()
        events = dict(session.execute(
            select(Event.visit_id, func.count(Event.id)).where(Event.visit_id.in_(chosen))
            .group_by(Event.visit_id)).all())
        people = dict(session.execute(
            select(Participant.visit_id, func.count(Participant.id))
            .where(Participant.visit_id.in_(chosen)).group_by(Participant.visit_id)).all())
        heads: dict[int, str] = {}
        for visit_id, given, family, order in session.execute(
            select(Participant.visit_id, Person.given_name, Person.family_name,
                   Person.name_order).join(Person, Participant.person_id == Person.id)
            .where(Participant.visit_id.in_(chosen), Participant.side == "guest",
                   Participant.role == "head").order_by(Participant.id)):
            parts = (family, given) if order == "family_first" else (given, family)
            heads.setdefault(visit_id, " ".join(p for p in parts if p))
        return [VisitSummary(
            id=x.id, public_id=x.public_id, title=x.title, status=x.status,
            start_date=x.start_date, end_date=x.end_date, country=x.country,
            timezone=x.timezone, head_of_delegation=heads.get(x.id, ""),
            people_count=people.get(x.id, 0), event_count=events.get(x.id, 0),
            version=x.version) for x in visits]


def expected(full: list[VisitSummary], text: str = "", *, status: str | None = None,
             date_from: date | None = None, date_to: date | None = None) -> list[VisitSummary]:
    """The filters computed in Python over the whole list (ASCII text only: SQL's lower()
    folds ASCII letters alone)."""
    wanted = text.strip().lower()
    return [r for r in full
            if (not wanted or any(wanted in f.lower() for f in (r.title, r.public_id, r.country)))
            and (not status or r.status == status)
            and (not date_from or r.end_date >= date_from)
            and (not date_to or r.start_date <= date_to)]


FILTERS: list[dict[str, object]] = [
    {}, {"text": "   "}, {"text": "visit"}, {"text": "VISIT"}, {"text": "  kyoto  "},
    {"text": "%"}, {"text": "_"}, {"text": "/"}, {"text": "//"}, {"text": "100%"},
    {"text": "0% a"}, {"text": "e_d"}, {"text": "s/l"}, {"text": "paris/"}, {"text": "two_h"},
    {"text": "TWO_HEADS.2027"}, {"text": "jp"}, {"text": "Jp"}, {"text": "o_e"},
    {"text": "%%"}, {"text": "nothing like this"},
    {"status": "cancelled"}, {"status": "confirmed"}, {"status": "planned"},
    {"status": "no such status"},
    {"date_from": date(2027, 5, 2)}, {"date_from": date(2027, 5, 3)},
    {"date_to": date(2027, 5, 1)}, {"date_to": date(2027, 4, 29)},
    {"date_from": date(2027, 5, 1), "date_to": date(2027, 5, 1)},
    {"date_from": date(2027, 6, 2), "date_to": date(2027, 6, 30)},
    {"date_from": date(2028, 1, 1)}, {"date_to": date(2000, 1, 1)},
    {"text": "visit", "status": "planned", "date_from": date(2027, 5, 2)},
    {"text": "a", "date_from": date(2027, 3, 1), "date_to": date(2027, 6, 1)},
]


# -- the query -------------------------------------------------------------------------


def test_the_query_has_named_parameters_and_one_order() -> None:
    sql, params = summary_query()
    assert params == {}
    assert sql.rstrip().endswith("ORDER BY v.start_date, v.id")
    assert "WHERE" not in sql.split("LEFT JOIN people")[1]
    sql, params = summary_query(" 5%_/x ", status="planned", date_from=date(2027, 1, 2),
                                date_to=date(2027, 12, 31))
    assert params == {"pattern": "%5/%/_//x%", "status": "planned",
                      "date_from": "2027-01-02", "date_to": "2027-12-31"}
    for name in params:
        assert f":{name}" in sql
    assert sql.count("ESCAPE '/'") == 3


def test_like_pattern_takes_everything_literally() -> None:
    assert like_pattern("abc") == "%abc%"
    assert like_pattern("a%b_c/d") == "%a/%b/_c//d%"
    conn = sqlite3.connect(":memory:")
    try:
        for value, needle in [("100% sure", "0% s"), ("a_b", "a_b"), ("x/y", "x/y"),
                              ("a//b", "//"), ("%", "%")]:
            assert conn.execute("SELECT ? LIKE ? ESCAPE '/'",
                                (value, like_pattern(needle))).fetchone()[0] == 1
        for value, needle in [("100 sure", "0% s"), ("axb", "a_b"), ("xy", "x/y"),
                              ("a/b", "//"), ("abc", "%")]:
            assert conn.execute("SELECT ? LIKE ? ESCAPE '/'",
                                (value, like_pattern(needle))).fetchone()[0] == 0
    finally:
        conn.close()


def test_rows_become_summaries_with_the_head_named_in_order() -> None:
    rows = [
        (1, "a", "A", "planned", "2027-01-02", "2027-01-03", "JP", "Asia/Tokyo", 3, 2, 5,
         "Haruto", "Tanaka", "family_first"),
        (2, "b", "B", "cancelled", date(2027, 2, 1), date(2027, 2, 2), "FR", "Europe/Paris", 1,
         0, 0, None, None, None),
        (3, "c", "C", "planned", "2027-03-01", "2027-03-01", "US", "UTC", 1, 1, 0,
         "", "Cher", "given_first"),
        (4, "d", "D", "planned", "2027-03-01", "2027-03-01", "KR", "UTC", 1, 1, 0,
         "", "Kim", "family_first"),
    ]
    got = summaries_from_rows(rows)
    assert [r.head_of_delegation for r in got] == ["Tanaka Haruto", "", "Cher", "Kim"]
    assert got[0] == VisitSummary(id=1, public_id="a", title="A", status="planned",
                                  start_date=date(2027, 1, 2), end_date=date(2027, 1, 3),
                                  country="JP", timezone="Asia/Tokyo",
                                  head_of_delegation="Tanaka Haruto", people_count=2,
                                  event_count=5, version=3)
    assert got[1].start_date == date(2027, 2, 1)
    assert summaries_from_rows([]) == []


# -- VisitService.list -----------------------------------------------------------------


def test_list_summarises_every_shape_of_visit(varied) -> None:
    rows = {r.title: r for r in varied.visits.list()}
    assert rows["Empty visit"].head_of_delegation == ""
    assert (rows["Empty visit"].people_count, rows["Empty visit"].event_count) == (0, 0)
    assert rows["Delegation without a head"].head_of_delegation == ""
    assert rows["Delegation without a head"].people_count == 2
    assert rows["Two heads (first one counts)"].head_of_delegation == "Kim"
    assert rows["Two heads (first one counts)"].people_count == 3
    kyoto = rows["Rector of Kyoto 100% attendance_day"]
    assert (kyoto.head_of_delegation, kyoto.people_count, kyoto.event_count) == (
        "Tanaka Haruto", 2, 3)
    assert rows["Paris/Lyon study tour"].head_of_delegation == "Claire Dubois"
    assert rows["MIXED Case Visit"].head_of_delegation == "Cher"
    assert rows["Cancelled trip"].status == "cancelled"
    assert rows["Confirmed one"].version == varied.visits.get(rows["Confirmed one"].id).version
    for r in rows.values():  # the head is the one the full record names
        head = varied.visits.get(r.id).head_of_delegation
        assert r.head_of_delegation == (head.person.display_name if head else "")


def test_list_is_soonest_first_then_by_number(varied) -> None:
    full = varied.visits.list()
    assert [(r.start_date, r.id) for r in full] == sorted((r.start_date, r.id) for r in full)
    same_day = [r.title for r in full if r.start_date == date(2027, 5, 1)]
    assert same_day == ["Empty visit", "Delegation without a head"]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_list_filters_match_python_and_the_former_queries(varied, filters) -> None:
    full = varied.visits.list()
    got = varied.visits.list(**filters)
    assert got == expected(full, **filters)
    assert got == reference_list(varied, **filters)


def test_list_filters_find_what_they_should(varied) -> None:
    titles = lambda **f: [r.title for r in varied.visits.list(**f)]  # noqa: E731
    assert titles(text="%") == titles(text="0% a") == ["Rector of Kyoto 100% attendance_day"]
    assert titles(text="_") == ["Rector of Kyoto 100% attendance_day",
                                "Two heads (first one counts)"]  # its public id Two_Heads.2027
    assert titles(text="/") == titles(text="S/L") == ["Paris/Lyon study tour"]
    assert titles(text="//") == []
    assert titles(text="mixed case") == titles(text="mIxEd CASE") == ["MIXED Case Visit"]
    assert titles(status="cancelled") == ["Cancelled trip"]
    assert titles(date_from=date(2027, 7, 31), date_to=date(2027, 10, 31)) == ["Confirmed one"]
    assert titles(date_from=date(2027, 8, 1), date_to=date(2027, 10, 31)) == []


# -- peeking at the file -----------------------------------------------------------------


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_equals_the_list_on_the_demo(demo_services) -> None:
    full = demo_services.visits.list()
    assert len(full) == 3
    assert peek_visit_summaries(closed(demo_services)) == full


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_equals_the_list_on_varied_visits(varied) -> None:
    full = varied.visits.list()
    assert len(full) == 11  # 3 demo visits and 8 more
    path = closed(varied)
    before = state(path.parent)
    assert peek_visit_summaries(path) == full
    assert peek_visit_summaries(str(path)) == full
    assert peek_visit_summaries(database_url(path)) == full  # the URL the app builds
    assert state(path.parent) == before


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_while_the_app_has_the_file_open(varied, db_path) -> None:
    """With -wal and -shm present the peek reads through them, recent writes included."""
    _visit(varied, "Added a moment ago", date(2027, 1, 1), date(2027, 1, 1))
    assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()
    main_before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    assert peek_visit_summaries(db_path) == varied.visits.list()
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == main_before
    assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()


def test_peek_of_the_default_database(app_home, monkeypatch) -> None:
    s = Services.open(None, actor="tester")
    load_demo(s)
    full = s.visits.list()
    closed(s)
    assert peek_visit_summaries() == full
    monkeypatch.setenv("PROTOCOL_APP_DB", str(app_home / "elsewhere.sqlite3"))
    assert peek_visit_summaries() is None
    assert not (app_home / "elsewhere.sqlite3").exists()


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_of_a_relative_path(services, db_path, monkeypatch) -> None:
    load_demo(services)
    full = services.visits.list()
    closed(services)
    monkeypatch.chdir(db_path.parent)
    assert peek_visit_summaries(db_path.name) == full
    assert peek_visit_summaries(f"sqlite:///{db_path.name}") == full


@pytest.mark.parametrize("name", [
    "with spaces.sqlite3", "hash#1.sqlite3", "what?.sqlite3", "100%.sqlite3", "%41%2F.sqlite3",
    "all of # ? % &=;.sqlite3", "café 東京.sqlite3",
])
def test_peek_of_a_file_name_with_odd_characters(tmp_path, name) -> None:
    folder = tmp_path / "odd # ? % folder"
    folder.mkdir()
    path = folder / name
    s = Services.open(path, actor="tester")
    load_demo(s)
    full = s.visits.list()
    assert closed(s) == path
    before = state(folder)
    assert sorted(before) == [name]
    assert peek_visit_summaries(path) == full
    assert peek_visit_summaries(database_url(path)) == full
    assert state(folder) == before


def test_sqlite_file_reads_urls_as_sqlalchemy_does(tmp_path) -> None:
    from sqlalchemy.engine import make_url

    for name in ("a b.sqlite3", "a#b?c%d.sqlite3", "plain.sqlite3"):
        url = database_url(tmp_path / name)
        assert sqlite_file(url) == Path(make_url(url).database) == (tmp_path / name).resolve()
    assert sqlite_file("sqlite:////abs/x.sqlite3") == Path("/abs/x.sqlite3")


@pytest.mark.parametrize("url", [
    "postgresql://user@localhost/protocol", "postgresql+psycopg://u:p@h:5432/db",
    "mysql://h/db", "sqlite://", "sqlite:///:memory:", "sqlite://host/x.sqlite3",
])
def test_peek_of_what_is_no_sqlite_file_is_none(url) -> None:
    assert peek_visit_summaries(url) is None


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_of_a_url_with_options_is_none(demo_services) -> None:
    path = closed(demo_services)
    assert peek_visit_summaries(f"{database_url(path)}?timeout=10") is None


def test_peek_of_a_missing_file_creates_nothing(tmp_path) -> None:
    for path in (tmp_path / "missing.sqlite3", tmp_path / "no" / "such" / "folder.sqlite3"):
        assert peek_visit_summaries(path) is None
        assert peek_visit_summaries(database_url(path)) is None
    assert list(tmp_path.iterdir()) == []


def test_peek_of_a_folder_is_none(tmp_path) -> None:
    assert peek_visit_summaries(tmp_path) is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [
    b"", b"visit,title\n1,Kyoto\n", b"SQLite format 3\0" + bytes(100), os.urandom(8192),
], ids=["empty", "text", "header-only", "noise"])
def test_peek_of_what_is_no_database_of_ours_is_none(tmp_path, content) -> None:
    path = tmp_path / "file.sqlite3"
    path.write_bytes(content)
    before = state(tmp_path)
    assert peek_visit_summaries(path) is None
    assert state(tmp_path) == before


def test_peek_of_another_programs_database_is_none(tmp_path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE visits (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    before = state(tmp_path)
    assert peek_visit_summaries(path) is None
    assert state(tmp_path) == before


@pytest.mark.parametrize("revision", ["0004", "0001", "9999", "", None, "empty table"])
@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_at_another_schema_revision_is_none(demo_services, revision) -> None:
    path = closed(demo_services)
    if revision == "empty table":
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM alembic_version")
        conn.commit()
        conn.close()
    else:
        set_revision(path, revision)
    before = state(path.parent)
    assert peek_visit_summaries(path) is None
    assert state(path.parent) == before


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_the_revision_check_is_against_head(demo_services) -> None:
    path = closed(demo_services)
    set_revision(path, "0004")
    assert peek_visit_summaries(path) is None
    set_revision(path, HEAD_REVISION)
    assert len(peek_visit_summaries(path) or []) == 3


@pytest.mark.parametrize("damage", ["header", "truncated", "half"])
@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_of_a_damaged_file_is_none(varied, damage) -> None:
    path = closed(varied)
    data = path.read_bytes()
    if damage == "header":
        path.write_bytes(b"\0" * 100 + data[100:])
    elif damage == "truncated":
        path.write_bytes(data[:1024])
    else:
        path.write_bytes(data[: len(data) // 2])
    before = state(path.parent)
    assert peek_visit_summaries(path) is None
    assert state(path.parent) == before


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_of_a_locked_file_is_none_and_quick(demo_services) -> None:
    path = closed(demo_services)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA locking_mode=EXCLUSIVE")
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE visits SET title = title || '!'")
        started = time.monotonic()
        assert peek_visit_summaries(path) is None
        assert time.monotonic() - started < 1
        writer.execute("COMMIT")
    finally:
        writer.close()


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_never_sees_what_another_program_has_not_committed(demo_services) -> None:
    """A writer in rollback-journal mode holding the file exclusively: the peek gives the
    committed list, or None if the writer commits meanwhile; never its unsaved change."""
    full = demo_services.visits.list()
    path = closed(demo_services)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=MEMORY")  # no -journal file beside it
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE visits SET title = title || '!'")
        started = time.monotonic()
        assert peek_visit_summaries(path) in (None, full)
        assert time.monotonic() - started < 1
        writer.execute("ROLLBACK")
    finally:
        writer.close()


@pytest.mark.parametrize("left", [("-wal",), ("-shm",), ("-journal",)])
@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_beside_a_stray_log_is_none_and_leaves_it(demo_services, left) -> None:
    """A -wal without -shm (or the reverse) would make a read create the other; a rollback
    journal may need a writer to roll it back: the full open deals with both."""
    path = closed(demo_services)
    for suffix in left:
        Path(f"{path}{suffix}").write_bytes(b"")
    before = state(path.parent)
    assert peek_visit_summaries(path) is None
    assert state(path.parent) == before


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_peek_of_a_database_in_rollback_journal_mode(demo_services) -> None:
    full = demo_services.visits.list()
    path = closed(demo_services)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = state(path.parent)
    assert peek_visit_summaries(path) == full
    assert state(path.parent) == before


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_the_app_opens_the_file_normally_after_a_peek(demo_services) -> None:
    path = closed(demo_services)
    assert len(peek_visit_summaries(path) or []) == 3
    s = Services.open(path, actor="tester")
    try:
        _visit(s, "After the peek", date(2027, 1, 1), date(2027, 1, 2))
        assert len(s.visits.list()) == 4
    finally:
        s.close()
    assert len(peek_visit_summaries(path) or []) == 4


def test_importing_the_light_module_does_not_import_sqlalchemy() -> None:
    code = ("import sys, protocol_app.services.visit_list; "
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_a_peek_in_a_fresh_process_needs_no_sqlalchemy(demo_services) -> None:
    path = closed(demo_services)
    code = ("import sys; from protocol_app.services.visit_list import peek_visit_summaries; "
            f"rows = peek_visit_summaries({str(path)!r}); "
            "assert rows is not None and len(rows) == 3, rows; "
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.sqlite_only  # the quick look at the SQLite file before the app opens it
def test_copies_give_the_same_list(varied, tmp_path) -> None:
    """The list depends on the file only (a copy peeks the same)."""
    full = varied.visits.list()
    path = closed(varied)
    copy = tmp_path / "copy" / "protocol.sqlite3"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert peek_visit_summaries(copy) == full

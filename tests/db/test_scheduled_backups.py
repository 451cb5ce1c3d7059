"""Scheduled backups: taken when the newest is a day old, thinned to 7 daily, 4 weekly
and 12 monthly, listed with dates and sizes (core and command line)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from protocol_app import config
from protocol_app.cli import main
from protocol_app.db.backup import integrity_problem
from protocol_app.db.scheduled import backups_to_keep, list_backups, take_scheduled_backup
from tests.support.helpers import mode, row_counts


def _at(day: date, hour: int = 9, tz=UTC) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz)


# -- the retention rule (pure) ------------------------------------------------------------
def test_nothing_and_one_backup() -> None:
    assert backups_to_keep([]) == set()
    only = _at(date(2027, 3, 1))
    assert backups_to_keep([only]) == {only}


def test_a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = date(2026, 1, 1)
    taken = [_at(start + timedelta(days=n)) for n in range(365)]  # to 2026-12-31 (a Thu)
    keep = backups_to_keep(taken)
    days = sorted(t.date() for t in keep)
    daily = [date(2026, 12, d) for d in range(25, 32)]
    # ISO weeks: the newest of week 53 is Dec 31; weeks 52, 51, 50 end on Sundays
    weekly = [date(2026, 12, 27), date(2026, 12, 20), date(2026, 12, 13)]
    monthly = [date(2026, m + 1, 1) - timedelta(days=1) for m in range(1, 12)]  # month ends
    assert days == sorted(set(daily + weekly + monthly))
    # Dec 31 is the newest of its day, week and month; Dec 27 of its day and week
    assert len(keep) == 7 + 2 + 11


def test_the_newest_of_a_day_is_kept_not_the_first() -> None:
    day = date(2027, 5, 4)
    morning, evening = _at(day, 8), _at(day, 20)
    assert backups_to_keep([morning, evening]) == {evening}


def test_gaps_count_periods_that_have_backups() -> None:
    """Days without a backup (the app was not opened) do not use up a daily slot."""
    taken = [_at(date(2027, 1, 1) + timedelta(days=10 * n)) for n in range(10)]
    keep = backups_to_keep(taken, weekly=0, monthly=0)
    assert keep == set(sorted(taken)[-7:])


def test_weeks_are_iso_weeks_across_the_new_year() -> None:
    # 2026-12-28 (Mon) .. 2027-01-03 (Sun) are all ISO week 2026-W53
    taken = [_at(date(2026, 12, 28) + timedelta(days=n)) for n in range(7)]
    assert backups_to_keep(taken, daily=0, monthly=0) == {_at(date(2027, 1, 3))}
    # ... while months split them
    assert backups_to_keep(taken, daily=0, weekly=0) == {_at(date(2026, 12, 31)),
                                                         _at(date(2027, 1, 3))}


def test_days_are_those_of_the_zone_given() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    late = datetime(2027, 3, 1, 20, tzinfo=UTC)  # already March 2 in Tokyo
    early = datetime(2027, 3, 1, 2, tzinfo=UTC)
    assert backups_to_keep([late, early], weekly=0, monthly=0) == {late}
    local = [t.astimezone(tokyo) for t in (late, early)]
    assert backups_to_keep(local, weekly=0, monthly=0) == set(local)


def test_two_years_of_monthly_backups_keep_twelve_months() -> None:
    taken = [datetime(2025 + (m // 12), m % 12 + 1, 15, tzinfo=UTC) for m in range(24)]
    keep = backups_to_keep(taken)
    assert keep == set(sorted(taken)[-12:])


# -- taking them --------------------------------------------------------------------------
def test_taken_when_due_and_thinned(services, db_path, tmp_path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2027, 1, 1, 9, tzinfo=UTC)
    first = take_scheduled_backup(db_path, folder, start)
    assert first is not None and integrity_problem(first) is None and mode(first) == 0o600
    assert row_counts(first) == row_counts(db_path)
    size = first.stat().st_size
    assert take_scheduled_backup(db_path, folder, start + timedelta(hours=23)) is None
    for day in range(1, 60):  # the app opened every morning for two months
        assert take_scheduled_backup(db_path, folder, start + timedelta(days=day))
    kept = list_backups(folder, db_path)
    expected = backups_to_keep(start + timedelta(days=d) for d in range(60))
    assert {b.taken_at for b in kept} == expected
    assert all(b.reason == "scheduled" and b.size == size for b in kept)
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)


def test_other_backups_are_never_thinned(services, db_path, tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    before_migration = folder / f"{db_path.stem}-before-0006-20200101T000000000000Z.sqlite3"
    services.db.backup(before_migration)
    for day in range(40):
        take_scheduled_backup(db_path, folder, datetime(2027, 1, 1, tzinfo=UTC)
                              + timedelta(days=day))
    reasons = [b.reason for b in list_backups(folder, db_path)]
    assert reasons[-1] == "before-0006" and before_migration.exists()


def test_no_database_yet_no_backup(tmp_path) -> None:
    assert take_scheduled_backup(tmp_path / "none.sqlite3", tmp_path / "b",
                                 datetime.now(UTC)) is None


def test_list_backups_gives_dates_sizes_reasons_newest_first(demo_services, db_path,
                                                             tmp_path) -> None:
    folder = tmp_path / "backups"
    old = take_scheduled_backup(db_path, folder, datetime(2027, 2, 1, 8, tzinfo=UTC))
    new = take_scheduled_backup(db_path, folder, datetime(2027, 2, 3, 8, tzinfo=UTC))
    (folder / "unrelated-notes.txt").write_text("x")
    (folder / "other-scheduled-20270101T000000Z.sqlite3").write_bytes(b"")  # another db
    listed = list_backups(folder, db_path)
    assert [b.path for b in listed] == [new, old]
    assert listed[0].taken_at == datetime(2027, 2, 3, 8, tzinfo=UTC)
    assert listed[0].size == new.stat().st_size > 0


@pytest.mark.parametrize("as_json", [False, True])
def test_the_backups_command(tmp_path, capsys, as_json) -> None:
    db = tmp_path / "office.sqlite3"
    assert main(["--db", str(db), "demo"]) == 0
    made = take_scheduled_backup(db, config.backup_dir(), datetime(2027, 3, 4, 5, 6,
                                                                   tzinfo=UTC))
    assert made is not None
    capsys.readouterr()
    assert main(["--db", str(db), "backups", *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    if as_json:
        assert json.loads(out) == [{"path": str(made), "taken_at": "2027-03-04T05:06:00+00:00",
                                    "size": made.stat().st_size, "reason": "scheduled"}]
    else:
        size = f"{made.stat().st_size / 1_048_576:8.1f} MB"
        assert out == f"2027-03-04 05:06 UTC  {size}  scheduled     {made}\n"


def test_the_backups_command_with_none(tmp_path, capsys) -> None:
    assert main(["--db", str(tmp_path / "x.sqlite3"), "backups"]) == 0
    assert capsys.readouterr().out == f"No backups yet in {config.backup_dir()}.\n"
    assert Path(config.backup_dir()).is_dir()

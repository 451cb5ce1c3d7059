"""Settings, paths and wall-clock times."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from protocol_app import config
from protocol_app.timeutil import LocalTimeError, format_local, local_to_utc, shift_local_days
from tests.support.helpers import mode


def test_paths_follow_the_home_override(app_home) -> None:
    assert config.data_dir() == app_home / "data"
    assert config.config_dir() == app_home / "config"
    assert config.backup_dir() == app_home / "data" / "backups"
    assert config.default_database_url() == str(app_home / "data" / config.DB_FILENAME)
    assert mode(config.data_dir()) == 0o700


def test_settings_are_saved_privately_and_read_back(app_home) -> None:
    old = os.umask(0o022)
    try:
        settings = config.Settings(office_name="Bureau du protocole", display_name="Ana Díaz",
                                   smtp_port=465)
        settings.save()
    finally:
        os.umask(old)
    assert mode(config.Settings.path()) == 0o600
    assert config.Settings.load() == settings
    assert settings.actor == "Ana Díaz"
    assert config.Settings(display_name="  ").actor == config.os_user()


def test_unreadable_or_mistyped_settings_fall_back_to_defaults(app_home) -> None:
    path = config.Settings.path()
    path.write_text("{not json", encoding="utf-8")
    assert config.Settings.load() == config.Settings()
    path.write_text(json.dumps({"smtp_port": "587", "office_name": 3, "paper_size": "A4",
                                "unknown": True}), encoding="utf-8")
    assert config.Settings.load() == config.Settings(paper_size="A4")


def test_local_times_convert_without_guessing() -> None:
    zone = "America/New_York"
    assert local_to_utc(datetime(2027, 3, 12, 10), zone) == datetime(2027, 3, 12, 15,
                                                                     tzinfo=UTC)
    assert local_to_utc(datetime(2027, 3, 15, 10), zone) == datetime(2027, 3, 15, 14,
                                                                     tzinfo=UTC)
    # the repeated hour in November: its first occurrence (EDT)
    assert local_to_utc(datetime(2027, 11, 7, 1, 30), zone) == datetime(2027, 11, 7, 5, 30,
                                                                        tzinfo=UTC)
    with pytest.raises(LocalTimeError, match=r"^2027-03-14T02:30 does not exist in "
                                             r"America/New_York \(the clocks go forward"):
        local_to_utc(datetime(2027, 3, 14, 2, 30), zone)
    with pytest.raises(LocalTimeError, match="outside the calendar"):
        local_to_utc(datetime(9999, 12, 31, 23, 0), zone)
    assert format_local(datetime(2027, 3, 14, 5, 15, tzinfo=UTC), zone) == "2027-03-14 00:15"


def test_shifting_by_days_keeps_the_wall_clock_time() -> None:
    zone = "Europe/Berlin"
    start = local_to_utc(datetime(2027, 3, 26, 9, 0), zone)  # CET
    moved = shift_local_days(start, zone, 3)  # CEST
    assert format_local(moved, zone) == "2027-03-29 09:00"
    assert moved - start == (datetime(2027, 3, 29, 7, tzinfo=UTC)
                             - datetime(2027, 3, 26, 8, tzinfo=UTC))
    # 02:30 on 28 March does not exist in Berlin: pushed past the gap
    night = local_to_utc(datetime(2027, 3, 27, 2, 30), zone)
    assert format_local(shift_local_days(night, zone, 1), zone) == "2027-03-28 03:30"

"""Paths and settings.

Paths come from platformdirs; ``PROTOCOL_APP_HOME`` puts data, settings and logs
under one folder instead (development, tests, portable installs).  The database is
``--db`` on the command line, else ``PROTOCOL_APP_DB``, else a file in the data dir.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from protocol_app.files import write_private

APP_NAME = "ProtocolDesk"
APP_AUTHOR = "ProtocolDesk"
DB_FILENAME = "protocol-desk.sqlite3"
HOME_ENV = "PROTOCOL_APP_HOME"
DB_ENV = "PROTOCOL_APP_DB"


def _home_override() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Folder of the database and its backups (created on demand, mode 0700)."""
    home = _home_override()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return _private_dir(path)


def config_dir() -> Path:
    """Folder of the settings file."""
    home = _home_override()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    return _private_dir(path)


def log_dir() -> Path:
    """Folder of the rotating log files."""
    home = _home_override()
    path = home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    return _private_dir(path)


def backup_dir() -> Path:
    """Folder of automatic backups (before migrations, before a restore)."""
    return _private_dir(data_dir() / "backups")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database_url() -> str:
    """The database to open when ``--db`` is not given."""
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env
    return str(data_dir() / DB_FILENAME)


def os_user() -> str:
    """The operating-system user name, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


@dataclass
class Settings:
    """User and office settings, kept as JSON in the config folder.

    The SMTP password is never stored here: it lives in the OS keyring.
    """

    office_name: str = "Office of Protocol"
    organizer_name: str = ""
    organizer_email: str = ""
    display_name: str = ""  # shown in the audit trail instead of the OS user
    paper_size: str = ""  # "A4", "Letter" or "" for the locale's default
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # "starttls", "tls" or "none"
    smtp_user: str = ""
    default_travel_minutes: int = 20
    #: ISO 3166 codes of the countries whose visitors need a risk review (none by default)
    countries_of_concern: list[str] = field(default_factory=list)
    #: A received gift worth more than this (in ``gift_threshold_currency``) must be
    #: declared; 0 = no threshold set
    gift_threshold: float = 0.0
    gift_threshold_currency: str = ""
    #: Conversion rates the office keeps: 1 unit of the key's currency is worth this
    #: many units of ``gift_threshold_currency`` ({"EUR": 1.08, "JPY": 0.0067})
    currency_rates: dict[str, float] = field(default_factory=dict)
    #: The event kinds whose attendees get calendar invitations (comma-separated); an
    #: event's own switch wins.  Transport and private events are left out by default.
    invite_kinds: str = "ceremony,meal,meeting,press,tour"
    #: Where replies to invitations arrive ("Fetch replies"); the password is in the
    #: OS keyring, never here.
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "tls"  # "tls", "starttls" or "none"
    imap_user: str = ""
    imap_folder: str = "INBOX"

    @property
    def actor(self) -> str:
        """Who the audit trail names for this user's changes."""
        return self.display_name.strip() or os_user()

    @property
    def invite_kind_set(self) -> frozenset[str]:
        """The kinds in :attr:`invite_kinds`, trimmed and lower case."""
        return frozenset(k.strip().lower() for k in self.invite_kinds.split(",") if k.strip())

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        """Read the settings; a missing or unreadable file gives the defaults."""
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items() if isinstance(raw, dict) else ():
            f = known.get(key)
            if f is None:
                continue
            kept = _setting_value(str(f.type), value)
            if kept is not None:
                values[key] = kept
        return cls(**values)

    def concerning_countries(self) -> frozenset[str]:
        """The countries of concern as upper-case ISO codes."""
        return frozenset(c.strip().upper() for c in self.countries_of_concern if c.strip())

    def save(self) -> None:
        """Write the settings atomically with mode 0600."""
        text = json.dumps(asdict(self), indent=2, ensure_ascii=False)
        write_private(self.path(), text.encode("utf-8"))


def _setting_value(kind: str, value: Any) -> Any:
    """``value`` read from the settings file if it has the type ``kind`` names (a number
    where a float is wanted, a list of text, a map of text to numbers); None otherwise
    (the default is kept)."""
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else None
    if kind == "list[str]":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return list(value) if ok else None
    if kind == "dict[str, float]":
        ok = isinstance(value, dict) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values())
        return {str(k): float(v) for k, v in value.items()} if ok else None
    return value if isinstance(value, str) else None

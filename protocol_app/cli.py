"""The ``protocol-app`` command line.  Runs headless: Qt is never imported here.

Exit status: 0 on success, 1 for an error the user can fix (one message on stderr),
2 for bad usage.  Commands of other parts of the core (calendar, briefing, rules)
register themselves through :data:`COMMAND_MODULES`: each module has
``register(subparsers)`` and keeps its heavy imports inside its handlers.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_app import __version__
from protocol_app.errors import ProtocolError

if TYPE_CHECKING:
    from protocol_app.services import Services

#: Modules adding commands (``register(subparsers)``), in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "protocol_app.invites.commands",
    "protocol_app.invites.reply_commands",
    "protocol_app.protocol_commands",
    "protocol_app.briefing.commands",
    "protocol_app.screening.commands",
    "protocol_app.briefing.card_commands",
    "protocol_app.review_commands",
    "protocol_app.edition_commands",
    "protocol_app.server_commands",
)

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandContext:
    """What a command handler gets: the parsed options and a lazily opened database."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The services over the database of ``--db`` (opened on first use)."""
        if self._services is None:
            from protocol_app.services import Services

            self._services = Services.open(self.args.db)
            if self._services.db.storage_warning:
                sys.stderr.write(f"protocol-app: warning: {self._services.db.storage_warning}\n")
        return self._services

    def close(self) -> None:
        """Close the database if it was opened."""
        if self._services is not None:
            self._services.close()


def print_line(text: str = "") -> None:
    """Write one line of a command's output to standard output (the command modules
    share this one)."""
    sys.stdout.write(text + "\n")


_print = print_line


# -- built-in commands -------------------------------------------------------------
def cmd_demo(ctx: CommandContext) -> int:
    """Fill the database with the demo visits."""
    from protocol_app.demo import load_demo

    services = ctx.services
    if ctx.args.if_empty and services.visits.list():
        return EXIT_OK
    for report in load_demo(services):
        _print(report.lines()[0])
    return EXIT_OK


def cmd_import(ctx: CommandContext) -> int:
    """Import a visit package."""
    report = ctx.services.packages.import_file(Path(ctx.args.file))
    for line in report.lines():
        _print(line)
    return EXIT_OK


def cmd_export(ctx: CommandContext) -> int:
    """Export a visit as a package."""
    path = ctx.services.packages.export_file(ctx.args.visit, Path(ctx.args.out))
    _print(f"Wrote {path}")
    return EXIT_OK


def cmd_visits(ctx: CommandContext) -> int:
    """List the visits."""
    rows = ctx.services.visits.list(status=ctx.args.status)
    if ctx.args.json:
        _print(json.dumps([{
            "number": r.id, "id": r.public_id, "title": r.title, "status": r.status,
            "start_date": r.start_date.isoformat(), "end_date": r.end_date.isoformat(),
            "country": r.country, "timezone": r.timezone,
            "head_of_delegation": r.head_of_delegation, "people": r.people_count,
            "events": r.event_count} for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        _print("No visits yet. Try `protocol-app demo` or `protocol-app import FILE`.")
        return EXIT_OK
    width = max(len(r.public_id) for r in rows)
    for r in rows:
        _print(f"{r.id:>4}  {r.public_id:<{width}}  {r.status:<10} {r.start_date} → "
               f"{r.end_date}  {r.country}  {r.title}")
    return EXIT_OK


def cmd_backup(ctx: CommandContext) -> int:
    """Write a consistent, checked copy of the database."""
    path = ctx.services.db.backup(Path(ctx.args.out).expanduser())
    _print(f"Backed up to {path}")
    return EXIT_OK


def cmd_restore(ctx: CommandContext) -> int:
    """Replace the database by a backup, keeping the replaced one aside."""
    from protocol_app.db.database import Database, restore_database

    server = _server_url(ctx)
    if server is not None:
        from protocol_app.db import server_backup

        server_backup.restore(server, Path(ctx.args.file).expanduser(), force=ctx.args.force)
        Database.open(server).dispose()  # migrate an older backup now
        _print(f"Restored {ctx.args.file} into the {server_backup.describe(server)}")
        return EXIT_OK
    database = _sqlite_path(ctx)
    aside = restore_database(database, Path(ctx.args.file).expanduser())
    Database.open(database).dispose()  # migrate an older backup now, with its own backup
    if aside != Path():
        _print(f"Restored {ctx.args.file}; the replaced database is kept at {aside}")
    else:
        _print(f"Restored {ctx.args.file}")
    return EXIT_OK


def cmd_backups(ctx: CommandContext) -> int:
    """List the backups kept beside the database (scheduled, before migrations, replaced)."""
    from protocol_app import config
    from protocol_app.db.scheduled import list_backups

    found = list_backups(config.backup_dir(), _sqlite_path(ctx))
    if ctx.args.json:
        _print(json.dumps([b.as_json() for b in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        _print(f"No backups yet in {config.backup_dir()}.")
        return EXIT_OK
    for b in found:
        _print(f"{b.taken_at:%Y-%m-%d %H:%M} UTC  {b.size / 1_048_576:8.1f} MB  "
               f"{b.reason:<12}  {b.path}")
    return EXIT_OK


def _server_url(ctx: CommandContext) -> str | None:
    """The URL of the PostgreSQL database the command works on (None for SQLite)."""
    from sqlalchemy.engine import make_url

    from protocol_app.db.database import database_url

    url = database_url(ctx.args.db)
    return url if make_url(url).get_backend_name() == "postgresql" else None


def _sqlite_path(ctx: CommandContext) -> Path:
    """The SQLite file the command works on (backups and restores are of files only)."""
    from sqlalchemy.engine import make_url

    from protocol_app.db.database import database_url

    url = make_url(database_url(ctx.args.db))
    if not url.drivername.startswith("sqlite") or not url.database:
        raise ProtocolError(f"`{ctx.args.command}` works on SQLite files only; use your "
                            "server's tools.")
    return Path(url.database)


def _global_options(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The parser of the options that come before any command (``--db``, ``-v``)."""
    parser = argparse.ArgumentParser(
        prog="protocol-app", add_help=add_help,
        description="Protocol Desk: visits, delegations and itineraries for protocol offices. "
                    "Without a command, opens the desktop app.",
    )
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file or SQLAlchemy URL (default: PROTOCOL_APP_DB, "
                             "else the file in your data folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = _global_options()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="fill the database with the demo visits")
    p.add_argument("--if-empty", action="store_true", help="only if there are no visits yet")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("import", help="import a visit package (protocol-visit/1 JSON)")
    p.add_argument("file", help="the package file")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="export a visit as a package")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the package")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("visits", help="list the visits")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--status", choices=("proposed", "planned", "confirmed", "completed",
                                        "cancelled"), help="only visits in this status")
    p.set_defaults(handler=cmd_visits)

    p = sub.add_parser("backup", help="write a consistent, checked copy of the database")
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to create")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("backups", help="list the backups kept beside the database")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_backups)

    p = sub.add_parser("restore", help="replace the database by a backup (the old one is kept)")
    p.add_argument("file", help="the backup file")
    p.add_argument("--force", action="store_true",
                   help="on a PostgreSQL server: replace its tables (refused without)")
    p.set_defaults(handler=cmd_restore)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler and _not_a_notice not in handler.filters:
            handler.addFilter(_not_a_notice)


def _not_a_notice(record: logging.LogRecord) -> bool:
    """Notices (``extra={"user_notice": True}``) are printed by the command itself as
    their own ``protocol-app: warning:`` line, not a second time by the log."""
    return not getattr(record, "user_notice", False)


def main(argv: Sequence[str] | None = None,
         open_gui: Callable[[str | None], int] | None = None) -> int:
    """Run a command; without one, call ``open_gui(db)`` if given, else print help."""
    words = list(sys.argv[1:] if argv is None else argv)
    if open_gui is not None:
        # Opening the app needs only the global options: the commands' parsers (and the
        # modules that add them) are not built on the way to the window.
        opened, rest = _global_options(add_help=False).parse_known_args(words)
        if not rest:
            _configure_logging(opened.verbose)
            return open_gui(opened.db)
    parser = build_parser()
    args = parser.parse_args(words)
    _configure_logging(args.verbose)
    if args.command is None:
        if open_gui is not None:
            return open_gui(args.db)
        parser.print_help()
        return EXIT_USAGE
    ctx = CommandContext(args)
    try:
        return int(args.handler(ctx) or EXIT_OK)
    except ProtocolError as exc:
        sys.stderr.write(f"protocol-app: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("protocol-app: interrupted\n")
        return EXIT_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        sys.stderr.write(f"protocol-app: {exc.strerror or exc}{where}\n")
        return EXIT_ERROR
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

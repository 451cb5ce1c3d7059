"""Command line: ``server setup-roles`` and ``server grant-role`` (an office's PostgreSQL
server: who may read what, see :mod:`protocol_app.db.roles`)."""

from __future__ import annotations

import argparse

from protocol_app.cli import EXIT_OK, CommandContext
from protocol_app.cli import print_line as _print


def cmd_setup_roles(ctx: CommandContext) -> int:
    """Create the three roles and grant them their tables and columns (idempotent)."""
    from protocol_app.db import roles

    db = ctx.services.db
    with db.engine.begin() as connection:
        roles.setup_roles(connection)
    hidden = roles.describe_hidden(
        {t: frozenset(c) for t, c in roles.sensitive_columns().items()})
    _print(f"Roles ready: {', '.join(roles.ROLES)}. Assistants and viewers cannot read "
           f"{hidden}; viewers change nothing.")
    return EXIT_OK


def cmd_grant_role(ctx: CommandContext) -> int:
    """Give a database login one of the three roles."""
    from protocol_app.db import roles

    with ctx.services.db.engine.begin() as connection:
        roles.grant_role(connection, ctx.args.login, ctx.args.role)
    _print(f"{ctx.args.login} is now {ctx.args.role} (and no other Protocol Desk role).")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``server`` command and its subcommands."""
    server = subparsers.add_parser(
        "server", help="an office's PostgreSQL server: roles for who may read what",
        description="Set up an office's PostgreSQL server (run as the database's owner).")
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup-roles", help="create protocol_officer, protocol_assistant, protocol_viewer",
        description="Create (once) the roles protocol_officer (everything), "
                    "protocol_assistant (everything but the sensitive fields) and "
                    "protocol_viewer (read only, no sensitive fields), and grant their "
                    "privileges anew. Safe to run again, and to be run after each upgrade.")
    setup.set_defaults(handler=cmd_setup_roles)
    grant = actions.add_parser(
        "grant-role", help="give a database login one of the three roles",
        description="Make an existing database login an officer, assistant or viewer "
                    "(it leaves the other two roles).")
    grant.add_argument("login", help="the database user (created with createuser)")
    grant.add_argument("role", choices=("protocol_officer", "protocol_assistant",
                                        "protocol_viewer"))
    grant.set_defaults(handler=cmd_grant_role)

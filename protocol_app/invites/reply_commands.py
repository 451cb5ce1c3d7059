"""Command line of the replies: ``replies import``, ``replies fetch``, ``rsvp`` (who has
answered), ``imap-password`` (keep the mailbox password in the OS keyring) and
``calendar-manager`` (who receives a person's invitations).  Heavy imports stay inside
the handlers."""

from __future__ import annotations

import argparse
import json
import sys

from protocol_app.cli import EXIT_ERROR, EXIT_OK, CommandContext
from protocol_app.cli import print_line as _print
from protocol_app.errors import ProtocolError


def _report(report) -> int:
    for line in report.lines():
        _print(line)
    if not report.ok:
        bad = len(report.refused)
        sys.stderr.write(f"protocol-app: {bad} file{'' if bad == 1 else 's'} or message"
                         f"{'' if bad == 1 else 's'} not counted (see the reasons above); "
                         "the others were recorded.\n")
        return EXIT_ERROR
    return EXIT_OK


def cmd_replies_import(ctx: CommandContext) -> int:
    """Record the replies in .eml/.ics files or folders of them."""
    return _report(ctx.services.replies.import_paths(ctx.args.paths))


def cmd_replies_fetch(ctx: CommandContext) -> int:
    """Record the replies waiting in the office's IMAP folder."""
    return _report(ctx.services.replies.fetch())


def cmd_rsvp(ctx: CommandContext) -> int:
    """The current answer per event and invited attendee."""
    replies = ctx.services.replies
    answers = replies.answers(ctx.args.visit)
    if ctx.args.json:
        _print(json.dumps([a.to_json() for a in answers], ensure_ascii=False, indent=2))
        return EXIT_OK
    summary = replies.visit_answers(ctx.args.visit)
    _print(f"{summary.visit_title}: {summary.counts.summary()}")
    rows = [(a.event_ref, a.event_title, a.name, a.email, a.partstat,
             a.answered_at.strftime("%Y-%m-%d %H:%M UTC") if a.answered_at else "",
             str(a.sequence)) for a in answers]
    head = ("EVENT", "TITLE", "NAME", "E-MAIL", "ANSWER", "ANSWERED", "SEQ")
    widths = [min(40, max(len(str(r[i])) for r in [head, *rows])) for i in range(len(head))]
    for row in [head, *rows]:
        _print("  ".join(str(v)[:w].ljust(w) for v, w in zip(row, widths, strict=True))
               .rstrip())
    for p in replies.proposals(ctx.args.visit):
        end = f" – {p.proposed_end:%Y-%m-%d %H:%M}" if p.proposed_end else ""
        _print(f"  proposal: {p.event_title} ({p.event_ref}) — {p.name} <{p.email}> proposes "
               f"{p.proposed_start:%Y-%m-%d %H:%M}{end} UTC (not applied)"
               + (f": {p.comment}" if p.comment else ""))
    return EXIT_OK


def cmd_imap_password(ctx: CommandContext) -> int:
    """Store the IMAP password in the OS keyring."""
    import getpass

    from protocol_app.config import Settings
    from protocol_app.invites.mailbox import ImapOptions, store_password

    options = ImapOptions.from_settings(Settings.load())
    if not options.host or not options.user:
        raise ProtocolError("Set the IMAP host and user in Settings first; the password is "
                            "stored for that user on that server.")
    password = getpass.getpass(f"Password for {options.keyring_account}: ")
    if not password:
        raise ProtocolError("No password given; nothing was stored.")
    store_password(options, password)
    _print(f"Stored the password of {options.keyring_account} in the system's keyring.")
    return EXIT_OK


def cmd_calendar_manager(ctx: CommandContext) -> int:
    """Send a person's invitations to another person (or, with --clear, to themself)."""
    args = ctx.args
    if args.clear == bool(args.manager):
        raise ProtocolError("Give either the manager (a number or e-mail) or --clear.")
    manager = ctx.services.invites.set_calendar_manager(args.person, args.manager)
    _print(f"{args.person}: invitations now go to "
           + (f"{manager.name} <{manager.email}>." if manager else "the person themself."))
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``replies``, ``rsvp``, ``imap-password`` and ``calendar-manager``."""
    p = subparsers.add_parser("replies", help="record replies to invitations (files or IMAP)")
    sub = p.add_subparsers(dest="replies_command", required=True, metavar="{import,fetch}")
    q = sub.add_parser("import", help="read .eml/.ics files or folders of them")
    q.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder")
    q.set_defaults(handler=cmd_replies_import)
    q = sub.add_parser("fetch", help="read the unseen messages of the IMAP folder in the "
                                     "settings and mark them seen")
    q.set_defaults(handler=cmd_replies_fetch)

    p = subparsers.add_parser("rsvp", help="who has answered the invitations of a visit")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--json", action="store_true", help="a JSON list of answers")
    p.set_defaults(handler=cmd_rsvp)

    p = subparsers.add_parser("imap-password",
                              help="store the IMAP (replies) password in the system's keyring")
    p.set_defaults(handler=cmd_imap_password)

    p = subparsers.add_parser("calendar-manager",
                              help="send a person's invitations to who manages their calendar")
    p.add_argument("person", help="the person's number or e-mail address")
    p.add_argument("manager", nargs="?", help="the manager's number or e-mail address")
    p.add_argument("--clear", action="store_true", help="send to the person themself again")
    p.set_defaults(handler=cmd_calendar_manager)

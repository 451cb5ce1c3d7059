"""Command line: ``ics`` (the itinerary as a calendar file), ``invites`` (what to send,
written as e-mail files or sent through SMTP) and ``smtp-password`` (keep the SMTP
password in the OS keyring).  Heavy imports stay inside the handlers."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from protocol_app.cli import EXIT_ERROR, EXIT_OK, CommandContext
from protocol_app.cli import print_line as _print
from protocol_app.errors import ProtocolError

if TYPE_CHECKING:
    from protocol_app.invites.service import InviteService


def _service(ctx: CommandContext) -> InviteService:
    return ctx.services.invites


def cmd_ics(ctx: CommandContext) -> int:
    """Write a visit's itinerary (or one person's) as one calendar file."""
    result = _service(ctx).export_calendar(ctx.args.visit, ctx.args.out,
                                           person=ctx.args.person,
                                           audience=ctx.args.audience)
    whose = f" for {result.person}" if result.person else ""
    _print(f"Wrote {result.path}: {result.events} event{'' if result.events == 1 else 's'}"
           f"{whose}.")
    return EXIT_OK


def _print_plan(plan) -> None:
    _print(plan.summary())
    for item in plan.items:
        _print(f"  {item.kind.label:<12} {item.event_title} → {item.name} <{item.email}> "
               f"(SEQUENCE {item.sequence}; {item.reason})")
    for person in plan.not_invited:
        _print(f"  not invited  {person.event_title} → {person.name}: {person.reason}")
    for problem in plan.problems:
        _print(f"  ! {problem}")


def cmd_invites(ctx: CommandContext) -> int:
    """Show, write or send the invitations due for a visit."""
    args = ctx.args
    if args.programmes:
        from protocol_app.invites.programme_commands import run_programmes

        return run_programmes(ctx)
    if args.person:
        raise ProtocolError("--person chooses guests for --programmes only.")
    service = _service(ctx)
    remind = args.remind
    if args.out is None and not args.send:
        _print_plan(service.reminders(args.visit) if remind
                    else service.plan(args.visit, resend_all=args.all))
        _print("(Nothing was sent: add --out DIR to write the messages, or --send.)")
        return EXIT_OK
    if args.out is not None:
        report = service.write_messages(args.visit, args.out, resend_all=args.all,
                                        reminders=remind)
    else:
        report = service.send(args.visit, resend_all=args.all, reminders=remind)
    for line in report.lines():
        _print(line)
    for person in report.not_invited:
        _print(f"  not invited: {person.event_title} → {person.name}: {person.reason}")
    if not report.ok:
        sys.stderr.write(f"protocol-app: {len(report.failed)} message"
                         f"{'' if len(report.failed) == 1 else 's'} could not be sent; they "
                         "are offered again next time.\n")
        return EXIT_ERROR
    return EXIT_OK


def cmd_smtp_password(ctx: CommandContext) -> int:
    """Store (or with --forget remove) the SMTP password in the OS keyring."""
    import getpass

    from protocol_app.config import Settings
    from protocol_app.invites.sending import SmtpOptions, forget_password, store_password

    options = SmtpOptions.from_settings(Settings.load())
    if not options.host or not options.user:
        raise ProtocolError("Set the SMTP host and user in Settings first; the password is "
                            "stored for that user on that server.")
    if ctx.args.forget:
        forget_password(options)
        _print(f"Removed the password of {options.keyring_account} from the keyring.")
        return EXIT_OK
    password = getpass.getpass(f"Password for {options.keyring_account}: ")
    if not password:
        raise ProtocolError("No password given; nothing was stored.")
    store_password(options, password)
    _print(f"Stored the password of {options.keyring_account} in the system's keyring.")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``ics``, ``invites`` and ``smtp-password`` commands."""
    p = subparsers.add_parser("ics", help="write a visit's itinerary as a calendar (.ics) file")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--out", required=True, metavar="FILE", help="the .ics file to write")
    p.add_argument("--person", metavar="REF",
                   help="only this person's itinerary (their ref, number or e-mail)")
    p.add_argument("--audience", choices=("internal", "host", "guest"), default="guest",
                   help="who the file is for (default: guest, which leaves out the events "
                        "for hosts only or for their attendees only)")
    p.set_defaults(handler=cmd_ics)

    p = subparsers.add_parser(
        "invites", help="calendar invitations: show, write (--out) or send (--send) what "
                        "changed since last time")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR",
                       help="write the messages as .eml files in DIR (and record them as sent)")
    where.add_argument("--send", action="store_true",
                       help="send them through the SMTP server in the settings")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--all", action="store_true",
                       help="resend every current invitation, not only what changed")
    again.add_argument("--remind", action="store_true",
                       help="the current invitation again to those who have not answered")
    again.add_argument("--programmes", action="store_true",
                       help="the guests' programmes instead: their itinerary (.ics) and "
                            "personal briefing copy in one message, to those never sent one "
                            "or whose programme changed since")
    p.add_argument("--person", action="append", metavar="REF",
                   help="with --programmes: only this guest (ref, number or e-mail); "
                        "may be repeated")
    p.set_defaults(handler=cmd_invites)

    p = subparsers.add_parser("smtp-password",
                              help="store the SMTP password in the system's keyring")
    p.add_argument("--forget", action="store_true", help="remove it instead")
    p.set_defaults(handler=cmd_smtp_password)

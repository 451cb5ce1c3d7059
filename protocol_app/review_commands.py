"""Commands of risk reviews, visit status and the gifts policy.

``protocol-app review VISIT [--json]``
    the visit's risk review: whether it is required and why (the findings, each
    screening match with the person beside the list entry), its state, checklist and
    decision.
``protocol-app review VISIT --decide approved|conditions|rejected --note TEXT
[--condition TEXT]... [--event-condition EVENT_REF TEXT]...``
    record a decision (audited); ``--event-condition`` ties a condition to one event
    (it prints on that event's page of the internal and hosts' books).
``protocol-app review VISIT [--reviewer NAME] [--check DIMENSION [--check-note TEXT]]``
    assign the reviewer; mark a dimension of the checklist considered.
``protocol-app status VISIT STATUS``
    move a visit to a status along the allowed transitions; confirmed and completed
    wait for a required risk review (the message names it and what it waits for).
``protocol-app controlled-venue [VENUE [--clear]]``
    list the venues holding controlled technology, or mark (or unmark) one by name.
``protocol-app gifts register --from DATE --to DATE --out FILE.pdf|FILE.csv``
    the gift register of a period, the gifts above the office's threshold marked.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from protocol_app.cli import CommandContext
from protocol_app.cli import print_line as _out
from protocol_app.errors import FieldProblem, ProtocolError, ValidationError


def _json(value: Any) -> None:
    _out(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_review(ctx: CommandContext) -> int:
    """Show a visit's risk review, or record a decision, reviewer or checklist line."""
    args, reviews = ctx.args, ctx.services.reviews
    if args.check_note is not None and not args.check:
        raise ProtocolError("--check-note goes with --check DIMENSION.")
    if args.note is not None and not args.decide:
        raise ProtocolError("--note goes with --decide (the decision's reason).")
    if (args.condition or args.event_condition) and not args.decide:
        raise ProtocolError("--condition goes with --decide conditions.")
    if args.reviewer is not None:
        reviews.set_reviewer(args.visit, args.reviewer)
    if args.check:
        reviews.set_checklist(args.visit, args.check, done=True, note=args.check_note or "")
    if args.decide:
        conditions: list[str | tuple[str, str | int | None]] = list(args.condition)
        conditions += [(text, ref) for ref, text in args.event_condition]
        reviews.decide(args.visit, args.decide, args.note or "", conditions)
    review = reviews.get(args.visit)
    if args.json:
        _json(review.as_json())
        return 0
    _out(f"Risk review – {review.title} ({review.public_id})")
    _out(f"  state: {review.state_label}" + (f"; waits for {review.waiting_for()}"
                                             if review.waiting_for() else ""))
    _out(f"  required: {'yes' if review.required else 'no'}")
    for finding in review.findings:
        new = " [new since the decision]" if finding.key in review.new_findings else ""
        _out(f"  - {finding.kind}: {finding.reason}{new}")
        if finding.kind == "screening" and finding.entry_details:
            _out(f"      list entry: {finding.entry_details}")
    if review.decision:
        _out(f"  decision: {review.state_label if not review.reopened else review.decision} "
             f"by {review.decided_by}: {review.notes}")
        for c in review.conditions:
            where = f" (on {c.event_ref}: {c.event_title})" if c.event_ref else ""
            _out(f"    condition: {c.text}{where}")
    if review.reviewer:
        _out(f"  reviewer: {review.reviewer}")
    for item in review.checklist:
        mark = "x" if item.done else " "
        _out(f"  [{mark}] {item.label}" + (f": {item.note}" if item.note else ""))
    for warning in review.warnings:
        _out(f"  WARNING: {warning}")
    return 0


def cmd_status(ctx: CommandContext) -> int:
    """Move a visit to another status."""
    visits = ctx.services.visits
    before = visits.get(ctx.args.visit)
    after = visits.guarded_update(before.id, before.version, {}, status=ctx.args.status)
    if after.status == before.status:
        _out(f"{after.public_id} is already {after.status}.")
    else:
        _out(f"{after.public_id}: {before.status} → {after.status}")
    return 0


def cmd_controlled_venue(ctx: CommandContext) -> int:
    """List, mark or unmark the venues holding controlled technology."""
    services = ctx.services
    venues = services.travel.venues()
    if ctx.args.venue is None:
        marked = services.reviews.controlled_venue_ids()
        for v in venues:
            if v.id in marked:
                _out(f"{v.name}" + (f" ({v.address})" if v.address else ""))
        if not marked:
            _out("No venue is marked as holding controlled technology.")
        return 0
    wanted = ctx.args.venue.strip().casefold()
    found = [v for v in venues if v.name.casefold() == wanted or str(v.id) == wanted]
    if not found:
        raise ProtocolError(f"There is no venue named '{ctx.args.venue}' (a venue is known "
                            "once an event takes place there).")
    for v in found:
        services.reviews.set_venue_controlled(v.id, not ctx.args.clear)
        _out(f"{v.name}: " + ("no controlled technology" if ctx.args.clear
                              else "holds controlled technology"))
    return 0


def _day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError([FieldProblem(flag, f"'{text}' is not a date (YYYY-MM-DD)")],
                              subject="gift register") from None


def cmd_gift_register(ctx: CommandContext) -> int:
    """Write the gift register of a period."""
    from protocol_app.briefing.gift_register import write_gift_register
    from protocol_app.config import Settings

    start, end = _day(ctx.args.date_from, "--from"), _day(ctx.args.date_to, "--to")
    out = Path(ctx.args.out).expanduser()
    register = write_gift_register(ctx.services.gifts, start, end, out,
                                   office_name=Settings.load().office_name)
    declare = sum(r.flag == "declare" for r in register.rows)
    _out(f"Wrote {out}: {len(register.rows)} gifts, {declare} to declare "
         f"(threshold {register.policy.describe()})")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``review``, ``status``, ``controlled-venue`` and ``gifts`` commands."""
    from protocol_app.records.vocab import VISIT_STATUSES, ReviewDimension

    p = subparsers.add_parser("review", help="a visit's risk review; record a decision")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--decide", choices=("approved", "conditions", "rejected"),
                   help="record a decision (with --note)")
    p.add_argument("--note", help="why (required with --decide)")
    p.add_argument("--condition", metavar="TEXT", action="append", default=[],
                   help="a condition of the decision (repeatable; with --decide conditions)")
    p.add_argument("--event-condition", nargs=2, metavar=("EVENT_REF", "TEXT"),
                   action="append", default=[],
                   help="a condition on one event (printed on its page of the books)")
    p.add_argument("--reviewer", metavar="NAME", help="assign the review to someone")
    p.add_argument("--check", choices=ReviewDimension.values(),
                   help="mark a dimension of the checklist as considered")
    p.add_argument("--check-note", metavar="TEXT", help="the note of --check")
    p.set_defaults(handler=cmd_review)

    p = subparsers.add_parser("status", help="move a visit to another status")
    p.add_argument("visit", help="the visit's id or number")
    p.add_argument("status", choices=VISIT_STATUSES, help="the new status")
    p.set_defaults(handler=cmd_status)

    p = subparsers.add_parser("controlled-venue",
                              help="venues holding controlled technology (tours need review)")
    p.add_argument("venue", nargs="?", help="the venue's name (or number) to mark")
    p.add_argument("--clear", action="store_true", help="unmark the venue")
    p.set_defaults(handler=cmd_controlled_venue)

    p = subparsers.add_parser("gifts", help="the gift register")
    sub = p.add_subparsers(dest="gifts_command", required=True, metavar="COMMAND")
    r = sub.add_parser("register", help="the gift register of a period (PDF or CSV)")
    r.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    r.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    r.add_argument("--out", required=True, metavar="FILE",
                   help="FILE.pdf or FILE.csv (CSV cells are safe against formulas)")
    r.set_defaults(handler=cmd_gift_register)

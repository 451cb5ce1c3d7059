"""Commands of the protocol rules: ``precedence``, ``check`` and ``seating``.

``protocol-app precedence VISIT [--side guest|host|all] [--json]``
    the visit's guests (by default) in order of precedence, each place explained.
``protocol-app check VISIT [--json] [--acknowledge KEY --reason TEXT]``
    the clash checks of the visit (exit status 0 even with findings); acknowledged
    findings say by whom, when and why (JSON: ``key`` and ``acknowledged``, null or
    ``{"by", "at", "reason"}``).  ``--acknowledge KEY --reason TEXT`` records that the
    office accepts the finding with that key (audited), then lists the findings.
``protocol-app seating VISIT EVENT [--plan] [--tables SPEC] [--arrangement NAME]
[--seat REF]... [--json] [--pdf FILE]``
    the seating plan of an event (tables, signing table, meeting, receiving line, rows or
    car plan); ``--plan`` makes it automatically and saves it (keeping locked seats);
    ``--arrangement`` lays it out another way, ``--seat`` seats a person on duty anyway;
    ``--pdf`` writes the seating chart, place cards and badges.  Without a stored plan
    and without ``--plan`` the automatic plan is shown, not saved.

``protocol-app travel-time [VENUE_A VENUE_B [MINUTES | --clear]]``
    the office's travel times between venues (used by ``check``): list them, set one,
    or clear one so the default from the settings applies again.

Heavy imports (services, reportlab) happen inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_app.cli import CommandContext
from protocol_app.cli import print_line as _out
from protocol_app.errors import ProtocolError
from protocol_app.rules.arrangements import Arrangement

if TYPE_CHECKING:
    from protocol_app.services.protocol.values import SeatingPlanView

_SEVERITY_LABEL = {"error": "ERROR", "warning": "WARNING", "info": "NOTE"}


def _json(value: Any) -> None:
    _out(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_precedence(ctx: CommandContext) -> int:
    """Print a visit's order of precedence."""
    side = None if ctx.args.side == "all" else ctx.args.side
    services = ctx.services
    entries = services.precedence.precedence(ctx.args.visit, side=side)
    if ctx.args.json:
        _json([e.to_dict() for e in entries])
        return 0
    visit = services.visits.get(ctx.args.visit)
    who = {"guest": "guests", "host": "hosts", None: "everyone"}[side]
    _out(f"Order of precedence – {visit.title} ({who})")
    if not entries:
        _out("  Nobody on this side of the visit.")
        return 0
    forms = services.address.forms_of_address_many(e.person.id for e in entries)
    width = len(str(len(entries)))
    for e in entries:
        moved = "  [moved by the host]" if e.override_reason else ""
        _out(f"{e.position:>{width}}. {forms[e.person.id].list_form} – {e.category_label}"
             f"{moved}")
        _out(f"{' ' * width}  {e.explanation}")
    return 0


def cmd_check(ctx: CommandContext) -> int:
    """Print a visit's clash findings; exit 0 even when there are some."""
    if ctx.args.acknowledge is not None:
        if not (ctx.args.reason or "").strip():
            raise ProtocolError("--acknowledge needs --reason TEXT: say why the finding "
                                "is accepted.")
        ctx.services.findings.acknowledge(ctx.args.visit, ctx.args.acknowledge,
                                          ctx.args.reason)
    checked = ctx.services.findings.check(ctx.args.visit)
    findings = [c.finding for c in checked]
    if ctx.args.json:
        _json([c.to_dict() for c in checked])
        return 0
    if not findings:
        _out("No clashes found.")
        return 0
    counts = {s: sum(1 for f in findings if f.severity == s) for s in _SEVERITY_LABEL}
    _out(", ".join(f"{n} {_SEVERITY_LABEL[s].lower()}{'s' if n != 1 else ''}"
                   for s, n in counts.items() if n))
    for c in checked:
        f = c.finding
        refs = f" [{', '.join(f.event_refs)}]" if f.event_refs else ""
        _out(f"{_SEVERITY_LABEL.get(f.severity, f.severity.upper()):<8} {f.code}{refs}")
        _out(f"         {f.message}")
        ack = c.acknowledgement
        if ack is not None:
            _out(f"         acknowledged by {ack.actor} on {ack.at:%Y-%m-%d %H:%M} UTC: "
                 f"{ack.reason}")
        _out(f"         key: {c.key}")
    return 0


def _participant_id(ctx: CommandContext, ref: str) -> int:
    """A visit participant's person id from their package ref or number."""
    from protocol_app.errors import ProtocolError

    visit = ctx.services.visits.get(ctx.args.visit)
    for p in visit.participants:
        if ref in (p.ref, str(p.person_id)):
            return p.person_id
    known = ", ".join(p.ref or str(p.person_id) for p in visit.participants)
    raise ProtocolError(f"--seat {ref}: no such person in {visit.title} (known: {known})")


def _print_plan(view: SeatingPlanView) -> None:
    _out(f"Seating – {view.event.title} ({view.event.ref})")
    _out(f"Arrangement: {view.arrangement.label}")
    if not view.stored:
        _out("No seating plan is stored for this event: this is the automatic plan, not "
             "saved (add --plan to save it).")
    else:
        _out(f"Stored plan, version {view.version}"
             + (f", last changed by {view.updated_by}" if view.updated_by else ""))
    markers = {"host": "host", "guest_of_honour": "guest of honour", "cohost": "co-host"}
    from protocol_app.rules.arrangements import CAR_SEATS, Arrangement

    banquet = view.arrangement is Arrangement.TABLES
    for table in view.tables:
        _out("")
        # a car, a row or the signing table is named for what it is, not "Table 1"
        title = table.title if banquet or not table.name else table.name
        _out(f"{title} ({table.shape}, {table.seat_count} seats)")
        for place in table.places:
            name = view.place_card(place.person) if place.person else "(empty)"
            notes = [markers[place.marker]] if place.marker in markers else []
            if table.shape == "car":
                notes.insert(0, CAR_SEATS.get(place.seat, ""))
            if place.locked:
                notes.append("locked")
            notes += [f"behind: {b.display_name}" for b in place.behind]
            extra = f"  [{'; '.join(notes)}]" if notes else ""
            _out(f"  {place.seat:>3}  {name}{extra}")
        for note in table.dietary:
            _out(f"       dietary: {note.need} – {', '.join(note.names)}")
    if view.receiving_line:
        _out("")
        _out("Receiving line: " + ", ".join(view.place_card(p) for p in view.receiving_line))
        _out("Order of announcement:")
        for n, person in enumerate(view.announced, start=1):
            _out(f"  {n:>3}  {view.place_card(person)}")
    if view.unseated:
        _out("")
        _out("Without a seat: " + ", ".join(p.display_name for p in view.unseated))
    if view.left_out:
        _out("")
        _out("Not seated (on duty; --seat REF seats one anyway):")
        for left in view.left_out:
            _out(f"  {left.person.display_name} ({left.ref or left.person.id}): {left.reason}")
    problems = [f for f in view.findings if f.severity != "info"]
    if problems:
        _out("")
        for f in problems:
            _out(f"{_SEVERITY_LABEL.get(f.severity, f.severity.upper()):<8} {f.message}")


def cmd_seating(ctx: CommandContext) -> int:
    """Show (and optionally make, or print) the seating plan of a meal or ceremony."""
    from protocol_app.services.protocol.values import SeatingOptions, parse_tables

    args = ctx.args
    seating = ctx.services.seating
    tables = parse_tables(args.tables) if args.tables else None
    options = None
    if args.couples_apart or args.interpreters_behind or args.arrangement or args.seat:
        stored = seating.seating_plan(args.visit, args.event)
        base = stored.options if stored.stored else SeatingOptions()
        seat_anyway = base.seat_anyway + tuple(_participant_id(ctx, ref) for ref in args.seat)
        options = SeatingOptions(
            couples_together=not args.couples_apart and base.couples_together,
            couples=base.couples, not_together=base.not_together,
            interpreters=base.interpreters,
            interpreters_at_table=not args.interpreters_behind and base.interpreters_at_table,
            arrangement=args.arrangement or base.arrangement,
            seat_anyway=tuple(dict.fromkeys(seat_anyway)),
        )
    if args.plan:
        view = seating.plan_seating(args.visit, args.event, tables, options)
    else:
        view = seating.seating_plan(args.visit, args.event)
        if not view.stored or tables is not None or args.arrangement or args.seat:
            view = seating.preview_plan(args.visit, args.event, tables, options)
    if args.pdf:
        from protocol_app.briefing.cards import uncovered_names, write_seating_pdf
        from protocol_app.config import Settings

        settings = Settings.load()
        parts = [p.strip() for p in args.parts.split(",") if p.strip()]
        target = Path(args.pdf).expanduser()
        try:
            write_seating_pdf(target, view, parts=parts,
                              paper=args.paper or settings.paper_size or "A4",
                              office=settings.office_name)
        except ValueError as exc:
            from protocol_app.errors import ProtocolError

            raise ProtocolError(str(exc)) from None
        from protocol_app.briefing.editions import record_seating_print
        from protocol_app.errors import DatabaseError

        try:
            record_seating_print(ctx.services.editions, view, parts, target,
                                 args.paper or settings.paper_size or "A4")
        except DatabaseError as exc:  # a read-only archive: the cards are still written
            sys.stderr.write(f"protocol-app: warning: the cards were not recorded as an "
                             f"edition: {exc}\n")
        for text, chars in uncovered_names(view).items():
            sys.stderr.write(f"protocol-app: warning: no bundled font prints "
                             f"{' '.join(sorted(chars))} in “{text}”\n")
    if args.json:
        from protocol_app.services.protocol.diagrams import diagram_of

        diagram = diagram_of(view)
        _json({**view.to_dict(),
               "drawing": diagram.to_dict(view) if diagram is not None else None})
    else:
        _print_plan(view)
        if args.pdf:
            _out("")
            _out(f"Wrote {args.pdf}")
    return 0


def cmd_travel_time(ctx: CommandContext) -> int:
    """List, set or clear the travel time between two venues."""
    args = ctx.args
    travel = ctx.services.travel
    if args.venue_a is None:
        for t in travel.travel_times():
            _out(f"{t.minutes:>4} min  {t.venue_a.name}  ↔  {t.venue_b.name}")
        venues = travel.venues()
        _out("Venues on record:" if venues else "No venues on record yet.")
        for venue in venues:
            _out(f"  {venue.name}")
        return 0
    if args.venue_b is None or (args.minutes is None and not args.clear):
        from protocol_app.errors import ProtocolError

        raise ProtocolError("give two venues and the minutes between them (or --clear)")
    stored = travel.set_travel_time(args.venue_a, args.venue_b,
                                    None if args.clear else args.minutes)
    if stored is None:
        _out(f"Cleared: {args.venue_a} ↔ {args.venue_b} uses the default travel time again")
    else:
        _out(f"{stored.minutes} min between {stored.venue_a.name} and {stored.venue_b.name}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``precedence``, ``check`` and ``seating`` commands."""
    p = subparsers.add_parser("precedence", help="a visit's order of precedence, explained")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--side", choices=("guest", "host", "all"), default="guest",
                   help="whose order: the guests (default), the hosts, or everyone")
    p.add_argument("--json", action="store_true", help="print JSON (a list of people)")
    p.set_defaults(handler=cmd_precedence)

    p = subparsers.add_parser("check", help="clash checks of a visit's itinerary")
    p.add_argument("visit", help="the visit's id or number")
    p.add_argument("--json", action="store_true", help="print JSON (a list of findings)")
    p.add_argument("--acknowledge", metavar="KEY",
                   help="accept the finding with this key (from --json or the listing)")
    p.add_argument("--reason", help="why the finding is accepted (with --acknowledge)")
    p.set_defaults(handler=cmd_check)

    p = subparsers.add_parser(
        "seating", help="the seating plan of a meal or ceremony; place cards and badges")
    p.add_argument("visit", help="the visit's id or number")
    p.add_argument("event", metavar="EVENT_REF", help="the event's ref in the visit (e.g. e04)")
    p.add_argument("--plan", action="store_true",
                   help="make the plan automatically and save it (locked seats are kept)")
    p.add_argument("--tables", metavar="SPEC",
                   help="tables as SHAPE:SEATS, comma-separated (round:10, rect:16, head:8)")
    p.add_argument("--couples-apart", action="store_true",
                   help="seat partners apart (default: side by side)")
    p.add_argument("--interpreters-behind", action="store_true",
                   help="interpreters on a chair behind their principal")
    p.add_argument("--arrangement", choices=[a.value for a in Arrangement],
                   help="lay the event out another way (default: from its kind and title)")
    p.add_argument("--seat", metavar="REF", action="append", default=[],
                   help="seat a person on duty anyway (their ref or number; repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--pdf", metavar="FILE",
                   help="write the seating chart, place cards and name badges to FILE")
    p.add_argument("--parts", default="chart,cards,badges", metavar="LIST",
                   help="what --pdf prints: chart, cards, badges (default: all)")
    p.add_argument("--paper", choices=("A4", "Letter"),
                   help="paper size (default: the settings' paper size, else A4)")
    p.set_defaults(handler=cmd_seating)

    p = subparsers.add_parser(
        "travel-time", help="the travel times between venues that the clash checks use")
    p.add_argument("venue_a", nargs="?", metavar="VENUE_A", help="a venue's name or number")
    p.add_argument("venue_b", nargs="?", metavar="VENUE_B", help="the other venue")
    p.add_argument("minutes", nargs="?", type=int, metavar="MINUTES",
                   help="minutes to get from one to the other, either way")
    p.add_argument("--clear", action="store_true",
                   help="forget this pair's time; the default from the settings applies")
    p.set_defaults(handler=cmd_travel_time)

"""Render the main screens and every dialog to PNG from the demo data:
``python -m ui.screenshots OUTDIR [--size WxH]`` (default 1440×900).

Everything happens in a temporary folder (its own database filled with the demo visits,
its own settings), at the size asked: the window takes the whole size and the dialogs
fit it as they would fit a screen of that size (:func:`ui.dialogs.fit.simulated_screen`).
:func:`dialog_makers` names every dialog; the laptop-size tests open the same ones.
Dialogs are drawn over the dimmed window, as a user sees them.  Part B's widgets are used
through their public API only
(``ItineraryView.show_agenda()``/``show_table()``, ``PersonEditor(services, id, parent)``);
a screen that fails is reported and skipped, the others are still written.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from protocol_app.services import Services

WIDTH, HEIGHT = 1440, 900


def _settle(ms: int = 120) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QApplication.processEvents()


def _framed(dialog: Any) -> Any:
    """The dialog's picture with a plain title bar, as a window manager would draw it."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap

    body = dialog.grab()
    bar = 34
    out = QPixmap(body.width() + 2, body.height() + bar + 1)
    pal = dialog.palette()
    out.fill(pal.color(QPalette.ColorRole.Mid))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRect(1, 1, body.width(), bar - 1),
                     pal.color(QPalette.ColorRole.Window).darker(108))
    font = QFont(dialog.font())
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(pal.color(QPalette.ColorRole.WindowText))
    painter.drawText(QRect(14, 1, body.width() - 28, bar - 1),
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                     dialog.windowTitle())
    painter.setPen(QColor(pal.color(QPalette.ColorRole.WindowText)))
    x = body.width() - 24
    painter.drawLine(x, 12, x + 9, 21)
    painter.drawLine(x + 9, 12, x, 21)
    painter.drawPixmap(1, bar, body)
    painter.end()
    return out


def _grab_dialog(window: Any, dialog: Any, settle_ms: int = 120) -> Any:
    """Show ``dialog``, picture it over the window, then close it."""
    from ui.dialogs.briefing import BriefingDialog

    dialog.show()
    _settle(settle_ms)
    if isinstance(dialog, BriefingDialog):  # the preview, as the officer sees it built
        for _ in range(600):
            if dialog.result is not None:
                break
            _settle(100)
        _settle(150)
    try:
        return _over_window(window, dialog)
    finally:
        dialog.hide()
        dialog.deleteLater()


def _over_window(window: Any, dialog: Any) -> Any:
    """The window, dimmed, with the dialog centred over it."""
    from PySide6.QtGui import QColor, QPainter

    base = window.grab()
    framed = _framed(dialog)
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 70))
    x = (base.width() - framed.width()) // 2
    y = max(0, min(max(40, (base.height() - framed.height()) // 2 - 20),
                   base.height() - framed.height()))
    for i, alpha in enumerate((36, 24, 14, 8)):
        painter.fillRect(x - i - 1 + 3, y - i - 1 + 5, framed.width() + 2 * i + 2,
                         framed.height() + 2 * i + 2, QColor(0, 0, 0, alpha))
    painter.drawPixmap(x, y, framed)
    painter.end()
    return base


def _broken_package() -> bytes:
    """The ministerial demo package with mistakes an office really makes."""
    from protocol_app.resources import resource_path

    doc = json.loads(resource_path("demo", "ministerial-delegation.json").read_text("utf-8"))
    doc["visit"]["id"] = "vn-moet-minister-2027-draft"
    doc["events"][1]["timezone"] = "Asia/Hanoi"
    doc["visit"]["end_date"] = "2027-03-10"
    doc["people"][1]["email"] = "nguyen.phuong(at)moet-vn.example.gov"
    doc["people"][2]["country"] = "Vietnam"
    doc["people"][3]["languages"] = ["vi", "English"]
    doc["events"][2]["start"] = "2027-03-12T25:30"
    doc["events"][4]["attendees"] = ["vn-minister", "vn-vice-minister"]
    doc["events"][5]["kind"] = "banquet"
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _more_visits(services: Services) -> None:
    """A few more visits, as an office's list really looks: recurring visits copied from
    the demo ones (through the services, as the Duplicate command does), in every status."""
    from datetime import date

    by_id = {v.public_id: v for v in services.visits.list()}
    plans = (
        ("vn-moet-minister-2027", date(2026, 10, 5),
         "Working visit of the Vice Minister of Education of Viet Nam",
         ("planned", "confirmed", "completed")),
        ("in-ambassador-courtesy-call-2027", date(2028, 4, 20),
         "Courtesy call by the Ambassador of India on the new President", ()),
        ("diplomatic-corps-reception-2027", date(2027, 6, 10),
         "Reception for the Consular Corps", ("planned", "cancelled")),
    )
    for ref, start, title, statuses in plans:
        source = by_id.get(ref)
        if source is None:
            continue
        copy = services.visits.duplicate(source.id, start, title=title)
        for status in statuses:
            copy = services.visits.update(copy.id, copy.version, status=status)


def _screening_list(path: Path) -> Path:
    """A small list in the Consolidated Screening List's layout (no demo person on it),
    so that Preferences and the Review tab show a list as an office has one."""
    path.write_text(
        "_id,source,type,name,alt_names,programs,nationalities\n"
        "e1,Entity List (EL) - Bureau of Industry and Security,Entity,"
        "Northwind Precision Instruments,NPI Ltd,EAR,\n"
        "e2,Specially Designated Nationals (SDN) - Treasury Department,Individual,"
        "KARLSSON Viktor,Viktor Karlsson,RUSSIA-EO14024,SE\n", encoding="utf-8")
    return path


def _reply(uid: str, sequence: int, organizer: str, attendee: str, partstat: str, *,
           sent_by: str = "", counter_start: Any = None) -> bytes:
    """A guest's answer as a calendar client sends it (REPLY, or COUNTER with another
    start), for the answers screens."""
    from datetime import UTC, datetime, timedelta

    from icalendar import Calendar
    from icalendar import Event as VEvent
    from icalendar.prop import vCalAddress

    cal = Calendar()
    cal.add("prodid", "-//Screenshots//Mail client//EN")
    cal.add("version", "2.0")
    cal.add("method", "COUNTER" if counter_start is not None else "REPLY")
    event = VEvent()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC))
    if counter_start is not None:
        event.add("dtstart", counter_start)
        event.add("dtend", counter_start + timedelta(hours=1))
        event.add("comment", "Our flight lands later; could we start an hour later?")
    event.add("organizer", f"mailto:{organizer}")
    who = vCalAddress(f"mailto:{attendee}")
    who.params["PARTSTAT"] = partstat
    if sent_by:
        who.params["SENT-BY"] = f"mailto:{sent_by}"
    event.add("attendee", who)
    cal.add_component(event)
    return cal.to_ical()


def _answered(services: Services, visit_id: int, folder: Path) -> Any:
    """The visit's invitations written out, then answered by about two in three of the
    invited (some declined, some tentative, one other time proposed): the report."""
    from datetime import timedelta

    from protocol_app.invites.reply_service import IncomingMessage

    services.invites.write_messages(visit_id, folder)
    visit = services.visits.get(visit_id)
    uids = {e.id: (e.uid, e.start_utc) for e in visit.events}
    organizer = services.invites.organizer_for(visit)
    assert organizer is not None
    messages = []
    for n, answer in enumerate(services.replies.answers(visit_id)):
        if n % 3 == 2:
            continue  # waiting
        uid, start = uids[answer.event_id]
        partstat = "DECLINED" if n % 11 == 4 else "TENTATIVE" if n % 7 == 3 else "ACCEPTED"
        counter = start + timedelta(hours=1) if n == 10 else None
        messages.append(IncomingMessage(f"{folder.name}/{answer.event_ref}-{n}.ics", _reply(
            uid, answer.sequence, organizer.email, answer.email, partstat,
            counter_start=counter)))
    return services.replies.import_messages(messages)


def dialog_makers(services: Any, window: Any, visit_id: int) -> dict[str, Callable[[], Any]]:
    """Every dialog of the app, each made (not shown) over ``window`` for one visit:
    ``{name: make}``.  The briefing dialog is included as it is."""
    from protocol_app.errors import StaleWriteError, ValidationError

    def briefing() -> Any:
        from ui.dialogs.briefing import BriefingDialog

        return BriefingDialog(services, visit_id, window)

    def send_invites() -> Any:
        from ui.dialogs.send_invites import SendInvitesDialog

        return SendInvitesDialog(services, visit_id, window)

    def send_programmes() -> Any:
        from ui.dialogs.send_programmes import SendProgrammesDialog

        return SendProgrammesDialog(services, visit_id, window)

    def invitation_cards() -> Any:
        from ui.dialogs.invitation_cards import InvitationCardsDialog

        return InvitationCardsDialog(services, visit_id, window, event_ref="e17")

    def seating_options() -> Any:
        from protocol_app.services.protocol import SeatingOptions, parse_tables
        from ui.seating.dialogs import SeatingOptionsDialog

        plan = services.seating.seating_plan(visit_id, "e10")
        if not plan.stored:
            services.seating.plan_seating(visit_id, "e10", parse_tables("round:8,round:6"),
                                           SeatingOptions())
            plan = services.seating.seating_plan(visit_id, "e10")
        return SeatingOptionsDialog(plan, window)

    def precedence() -> Any:
        from ui.dialogs.precedence_table import PrecedenceTableDialog

        return PrecedenceTableDialog(services, window)

    def precedence_overrides() -> Any:
        from ui.dialogs.precedence_table import PrecedenceOverridesDialog

        return PrecedenceOverridesDialog(services, visit_id, window)

    def travel_times() -> Any:
        from ui.dialogs.travel_times import TravelTimesDialog

        return TravelTimesDialog(services, window)

    def preferences() -> Any:
        from ui.dialogs.preferences import PreferencesDialog

        return PreferencesDialog(parent=window, screening=services.screening)

    def controlled_venues() -> Any:
        from ui.dialogs.controlled_venues import ControlledVenuesDialog

        return ControlledVenuesDialog(services, window)

    def stale() -> Any:
        from ui.dialogs.stale import StaleWriteDialog

        record = services.visits.get(visit_id)
        error = StaleWriteError("visit", visit_id, record.version, record.version + 1, {
            "start_date": ("2027-03-11", "2027-03-12"),
            "responsible_officer": ("Alex Morgan", "Jordan Lee")})
        history = services.audit.list("visit", visit_id, limit=1)
        return StaleWriteDialog(error, window, history=history)

    def import_errors() -> Any:
        from ui.dialogs.import_errors import ImportErrorsDialog

        try:
            services.packages.import_bytes(_broken_package(), "vn-moet-minister-2027-draft.json")
        except ValidationError as exc:
            return ImportErrorsDialog(exc.problems, "vn-moet-minister-2027-draft.json", window)
        raise RuntimeError("the broken package was imported")

    def visit_editor() -> Any:
        from ui.dialogs.visit_editor import VisitEditorDialog

        return VisitEditorDialog(lambda _v: None, record=services.visits.get(visit_id),
                                 parent=window)

    def event_editor() -> Any:
        from ui.editors.event_editor import EventEditor

        record = services.visits.get(visit_id)
        return EventEditor(services, record, record.events[0], window)

    def person_editor() -> Any:
        from ui.editors.person_editor import PersonEditor

        record = services.visits.get(visit_id)
        head = record.head_of_delegation or record.participants[0]
        return PersonEditor(services, head.person_id, window)

    def gift_editor() -> Any:
        from ui.dialogs.gift_editor import GiftEditorDialog

        return GiftEditorDialog(services.visits.get(visit_id), lambda _v: None, parent=window)

    def participant_picker() -> Any:
        from ui.dialogs.participant_picker import ParticipantPickerDialog

        return ParticipantPickerDialog(services, services.visits.get(visit_id), parent=window)

    return {"briefing-book": briefing, "send-invites": send_invites,
            "send-programmes": send_programmes,
            "invitation-cards": invitation_cards,
            "seating-options": seating_options, "precedence": precedence,
            "precedence-overrides": precedence_overrides, "travel-times": travel_times,
            "preferences": preferences, "controlled-venues": controlled_venues,
            "stale-write": stale, "import-errors": import_errors,
            "visit-editor": visit_editor, "event-editor": event_editor,
            "person-editor": person_editor, "gift-editor": gift_editor,
            "participant-picker": participant_picker}


def render(outdir: Path, size: tuple[int, int] = (WIDTH, HEIGHT)) -> list[Path]:
    """Render every screen and dialog into ``outdir`` at ``size``; returns the files."""
    from PySide6.QtCore import QRect

    from ui.dialogs.fit import simulated_screen

    with simulated_screen(QRect(0, 0, *size)):
        return _render(outdir, size)


def _render(outdir: Path, size: tuple[int, int]) -> list[Path]:
    WIDTH, HEIGHT = size
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QDialog

    from protocol_app.demo import load_demo
    from protocol_app.errors import ValidationError
    from protocol_app.services import Services
    from ui.app import create_application
    from ui.main_window import MainWindow

    outdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="protocol-desk-shots-"))
    os.environ["PROTOCOL_APP_HOME"] = str(work / "home")
    app = create_application([sys.argv[0]])
    app.setFont(QFont("Noto Sans", 10))
    written: list[Path] = []
    failures: list[str] = []

    def save(pixmap: Any, name: str) -> None:
        path = outdir / name
        image = pixmap.toImage()
        if image.width() != WIDTH or image.height() != HEIGHT:
            image = image.scaled(WIDTH, HEIGHT)
        image.save(str(path))
        written.append(path)
        print(f"wrote {path}")

    def shot(name: str, make: Callable[[], Any]) -> None:
        try:
            save(make(), name)
        except Exception:  # one failing screen must not stop the others
            failures.append(name)
            print(f"skipped {name}:\n{traceback.format_exc()}", file=sys.stderr)

    empty = Services.open(work / "empty.sqlite3", actor="screenshots")
    services = Services.open(work / "demo.sqlite3", actor="Alex Morgan")
    load_demo(services)
    _more_visits(services)
    services.screening.load(_screening_list(work / "consolidated.csv"))

    # -- the welcome page, on an empty database
    welcome = MainWindow(empty, QSettings(str(work / "welcome.ini"), QSettings.Format.IniFormat))
    welcome.resize(WIDTH, HEIGHT)
    welcome.show()
    _settle(200)
    shot("01-welcome.png", welcome.grab)
    welcome.close()

    window = MainWindow(services, QSettings(str(work / "window.ini"),
                                            QSettings.Format.IniFormat))
    window.resize(WIDTH, HEIGHT)
    window.show()
    _settle(250)
    visits = {v.public_id: v for v in services.visits.list()}
    ministerial = visits.get("vn-moet-minister-2027") or next(iter(visits.values()))
    window.visits_page.select_visit(ministerial.id)
    window.visits_page.table.setFocus()
    _settle()
    shot("02-visits-list.png", window.grab)

    window.visit_actions.open_visit(ministerial.id)
    ws = window.workspace
    _settle(200)
    shot("03-visit-overview.png", window.grab)

    ws.show_tab(ws.DELEGATION)
    ws.delegation.table.setFocus()
    _settle()
    shot("04-delegation.png", window.grab)

    def itinerary(mode: str) -> Any:
        ws.show_tab(ws.ITINERARY)
        getattr(ws.itinerary, mode)()
        _settle(250)
        return window.grab()

    shot("05-itinerary-agenda.png", lambda: itinerary("show_agenda"))
    shot("06-itinerary-table.png", lambda: itinerary("show_table"))

    ws.show_tab(ws.GIFTS)
    _settle()
    shot("07-gifts.png", window.grab)

    def person_editor() -> Any:
        from ui.editors.person_editor import PersonEditor

        record = services.visits.get(ministerial.id)
        head = record.head_of_delegation or record.participants[0]
        ws.show_tab(ws.DELEGATION)
        ws.delegation.select_person(head.person_id)
        _settle()
        editor = PersonEditor(services, head.person_id, window)
        dialog = editor
        if not isinstance(editor, QDialog):
            dialog = QDialog(window)
            dialog.setWindowTitle("Edit person")
            from PySide6.QtWidgets import QVBoxLayout

            QVBoxLayout(dialog).addWidget(editor)
        dialog.show()
        _settle(250)
        size = dialog.size()
        dialog.resize(min(max(size.width(), 760), WIDTH - 160),
                      min(max(size.height(), 560), HEIGHT - 120))
        _settle(150)
        try:
            return _over_window(window, dialog)
        finally:
            dialog.hide()
            dialog.deleteLater()

    shot("08-person-editor.png", person_editor)

    def import_errors() -> Any:
        from ui.dialogs.import_errors import ImportErrorsDialog

        ws.show_tab(ws.OVERVIEW)
        window.navigate(window.PAGE_VISITS)
        _settle()
        try:
            services.packages.import_bytes(_broken_package(), "vn-moet-minister-2027-draft.json")
        except ValidationError as exc:
            problems = exc.problems
        else:  # pragma: no cover - the package above is always refused
            raise RuntimeError("the broken package was imported")
        dialog = ImportErrorsDialog(problems, "vn-moet-minister-2027-draft.json", window)
        return _grab_dialog(window, dialog, settle_ms=200)

    shot("09-import-errors.png", import_errors)

    def visit_editor() -> Any:
        from ui.dialogs.visit_editor import VisitEditorDialog

        record = services.visits.get(ministerial.id)
        dialog = VisitEditorDialog(lambda _v: None, record=record, parent=window)
        return _grab_dialog(window, dialog, settle_ms=150)

    shot("10-visit-editor.png", visit_editor)

    def stale() -> Any:
        from protocol_app.errors import StaleWriteError
        from ui.dialogs.stale import StaleWriteDialog

        window.visit_actions.open_visit(ministerial.id)
        _settle()
        error = StaleWriteError("visit", ministerial.id, 7, 8, {
            "start_date": ("2027-03-11", "2027-03-12"),
            "responsible_officer": ("Alex Morgan", "Jordan Lee")})
        dialog = StaleWriteDialog(error, window)
        return _grab_dialog(window, dialog, settle_ms=150)

    shot("11-stale-write.png", stale)

    def seating() -> Any:
        """The ministerial visit's working lunch, planned (an interpreter behind the
        guest of honour) with the guest of honour's seat locked."""
        from protocol_app.services.protocol import SeatingOptions, parse_tables

        seating = services.seating
        seating.plan_seating(ministerial.id, "e10", parse_tables("round:8,round:6"),
                             SeatingOptions(interpreters_at_table=False))
        table = seating.seating_plan(ministerial.id, "e10").tables[0]
        seating.set_locked(ministerial.id, "e10", (1, table.guest_of_honour_seat), True)
        window.visit_actions.open_visit(ministerial.id)
        ws.show_tab(ws.SEATING)
        ws.seating.set_event("e10")
        ws.seating.select_seats([(1, table.host_seat)])
        _settle(250)
        return window.grab()

    shot("12-seating.png", seating)

    def review() -> Any:
        """The ministerial visit's risk review: its tour's venue marked as holding
        controlled technology, the review pending."""
        record = services.visits.get(ministerial.id)
        tour = next((e for e in record.events if e.kind == "tour" and e.status != "cancelled"
                     and e.venue_name), None)
        if tour is not None:
            services.reviews.set_venue_controlled(next(
                v.id for v in services.travel.venues()
                if (v.name, v.address) == (tour.venue_name, tour.venue_address)), True)
        window.visit_actions.open_visit(ministerial.id)
        ws.refresh()
        ws.show_tab(ws.REVIEW)
        _settle(250)
        return window.grab()

    shot("19-review.png", review)

    def arrangement(ref: str) -> Callable[[], Any]:
        """The seating page on one of the demo's events that is not a banquet."""
        def make() -> Any:
            visit = visits.get("diplomatic-corps-reception-2027", ministerial) \
                if ref.startswith("r") else ministerial
            services.seating.plan_seating(visit.id, ref)
            window.visit_actions.open_visit(visit.id)
            ws.show_tab(ws.SEATING)
            ws.seating.set_event(ref)
            _settle(250)
            return window.grab()
        return make

    for number, (name, ref) in enumerate((("signing", "e06"), ("meeting", "e05"),
                                          ("reception", "r04"), ("rows", "e07"),
                                          ("cars", "e02")), start=13):
        shot(f"{number}-seating-{name}.png", arrangement(ref))

    def people() -> Any:
        """The People directory: each person as the office addresses them."""
        window.show_page(window.PAGE_PEOPLE)
        _settle(250)
        return window.grab()

    shot("18-people.png", people)

    def history() -> Any:
        """The History tab after a guests' book was printed and the head's programme
        (their personal copy) sent, and the programme changed: the changes by save, the
        items to reprint (and the head's programme due again)."""
        from datetime import timedelta

        visit = services.visits.get(ministerial.id)
        head = next(p for p in visit.participants if p.role == "head")
        services.editions.publish_book(ministerial.id, "guest", work / "guests.pdf")
        services.programmes.write(ministerial.id, work / "programmes",
                                  [str(head.person_id)])
        event = next(e for e in visit.events if head.person_id in e.attendee_ids
                     and e.status != "cancelled" and e.visibility in (None, "all"))
        services.events.move(event.id, event.version, event.start_utc + timedelta(hours=1))
        window.visit_actions.open_visit(ministerial.id)
        ws.refresh()
        ws.show_tab(ws.HISTORY)
        _settle(250)
        return window.grab()

    shot("20-history.png", history)

    ws.show_tab(ws.OVERVIEW)
    for number, (name, make) in enumerate(dialog_makers(services, window,
                                                        ministerial.id).items(), start=21):
        # the dialogs that read in the background get the time to show what they read
        settle = 1500 if name in ("invitation-cards", "send-invites",
                                  "send-programmes") else 200
        shot(f"{number}-{name}.png",
             lambda make=make, settle=settle: _grab_dialog(window, make(), settle_ms=settle))

    def answers() -> Any:
        """The Answers tab once about two in three have answered."""
        _answered(services, ministerial.id, work / "sent")
        window.visit_actions.open_visit(ministerial.id)
        ws.show_tab(ws.ANSWERS)
        _settle(800)
        dinner = next((e for e in ws.answers.answers.events if e.event_ref == "e17"), None)
        if dinner is not None:
            ws.answers.select_event(dinner.event_id)
        _settle(150)
        return window.grab()

    shot("40-answers.png", answers)

    def reply_report() -> Any:
        """What a drop of reply files reports: one line per file."""
        from protocol_app.invites.reply_service import IncomingMessage
        from ui.dialogs.reply_report import ReplyReportDialog

        answer = next(a for a in services.replies.answers(ministerial.id)
                      if a.partstat == "NEEDS-ACTION")
        uid = next(e.uid for e in services.visits.get(ministerial.id).events
                   if e.id == answer.event_id)
        organizer = "protocol@alderbrook.example.edu"
        report = services.replies.import_messages([
            IncomingMessage("Downloads/Accepted Welcome dinner.eml", _reply(
                uid, answer.sequence, organizer, answer.email, "ACCEPTED")),
            IncomingMessage("Downloads/Re lunch.eml",
                            b"From: a@example.org\r\nSubject: Re: lunch\r\n\r\nThanks!\r\n"),
            IncomingMessage("Downloads/old invitation answer.ics", _reply(
                "not-one-of-ours@example.org", 0, organizer, answer.email, "DECLINED")),
            IncomingMessage("Downloads/forwarded.ics", _reply(
                uid, answer.sequence, organizer, "someone.else@example.org", "ACCEPTED")),
        ])
        return _grab_dialog(window, ReplyReportDialog("Replies imported", report, window))

    shot("41-reply-report.png", reply_report)

    window.close()
    services.close()
    empty.close()
    app.processEvents()
    if failures:
        print(f"{len(failures)} screen(s) skipped: {', '.join(failures)}", file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m ui.screenshots OUTDIR [--size WxH]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ui.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", default=f"{WIDTH}x{HEIGHT}",
                        help="the screen size, WIDTHxHEIGHT (default %(default)s)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size {args.size!r}: give WIDTHxHEIGHT, such as 1366x768")
    if width < 640 or height < 480:
        parser.error(f"--size {args.size}: at least 640x480")
    if not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and (
            sys.platform.startswith("linux")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    written = render(args.outdir, (width, height))
    return 0 if len(written) >= 11 else 1


if __name__ == "__main__":
    sys.exit(main())

""""Send programmes…" with the real widgets (pytest-qt), sending to a real SMTP server on
loopback (aiosmtpd): the guests due as the service lists them, a guest unticked is not
sent, each message read back (the PDF with pypdf, the calendar with icalendar), a refused
recipient named and left due, the list empty once all went, no sender: a clear message
and nothing sent."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from protocol_app.config import Settings
from protocol_app.invites.sending import KEYRING_SERVICE
from tests.support.modals import answer_modal
from tests.support.readers import read_icalendar
from ui.dialogs.send_programmes import (
    GUEST,
    LAST_SENT,
    NOBODY_DUE,
    TO,
    WHY,
    SendProgrammesDialog,
)

CALL = "in-ambassador-courtesy-call-2027"
AMBASSADOR = "ambassador@in-embassy.example.org"
CONSUL = "cg@in-chicago.example.org"


def _settings(services, host: str, port: int, user: str = "") -> None:
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = host, port
    settings.smtp_security, settings.smtp_user = "none", user
    settings.organizer_email = ""
    settings.save()
    services.invites.settings = None  # read again, as after Preferences


def _open(qtbot, services, visit: str = CALL) -> SendProgrammesDialog:
    dialog = SendProgrammesDialog(services, visit)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_loaded(qtbot, dialog)
    return dialog


def _wait_loaded(qtbot, dialog: SendProgrammesDialog) -> None:
    qtbot.waitUntil(lambda: dialog.due is not None and not dialog.busy, timeout=15_000)


def _column(dialog: SendProgrammesDialog, column: int) -> list[str]:
    return dialog.column(column)


def _send(qtbot, dialog: SendProgrammesDialog):
    """Click Send and confirm; the confirmation names the count."""
    count = len(dialog.checked())
    label = f"Send {count} programme{'' if count == 1 else 's'}"
    assert dialog.send_button.text().replace("&", "") == label
    clicked = answer_modal(label)
    with qtbot.waitSignal(dialog.sendFinished, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert clicked == ["confirmSendProgrammes"]
    _wait_loaded(qtbot, dialog)
    return blocker.args[0]


def _parts(received) -> tuple[str, bytes]:
    """The text of the PDF attached (pypdf) and the calendar attached, of one message."""
    msg = received.message
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    calendars = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(pdfs) == 1 and len(calendars) == 1
    assert calendars[0].get_param("method") == "PUBLISH"
    book = PdfReader(BytesIO(pdfs[0].get_content()))
    return " ".join(page.extract_text() or "" for page in book.pages), \
        calendars[0].get_payload(decode=True)


def _error_box() -> QMessageBox:
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "errorDialog"
             and w.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def test_lists_who_is_due_and_sends_only_those_ticked(qtbot, demo_services,
                                                       smtp_server) -> None:
    _settings(demo_services, smtp_server.host, smtp_server.port)
    dialog = _open(qtbot, demo_services)
    due = demo_services.programmes.due(CALL)
    assert len(due) == 2
    assert dialog.due == due
    assert _column(dialog, GUEST) == [d.name for d in due]
    assert _column(dialog, TO) == [AMBASSADOR, CONSUL]
    assert _column(dialog, WHY) == ["Never sent", "Never sent"]
    assert _column(dialog, LAST_SENT) == ["—", "—"]
    assert dialog.checked() == list(due)  # every guest ticked
    assert smtp_server.received == []  # nothing goes before the click

    consul = dialog.lines()[1]
    consul.setCheckState(Qt.CheckState.Unchecked)
    assert [d.email for d in dialog.checked()] == [AMBASSADOR]
    report = _send(qtbot, dialog)
    assert report.ok and [s.due.email for s in report.sent] == [AMBASSADOR]
    [received] = smtp_server.received
    assert received.rcpt_tos == [AMBASSADOR]
    book, calendar = _parts(received)
    assert "Rajeev Chaturvedi" in book
    read = read_icalendar(calendar)
    assert read.method == "PUBLISH" and read.events
    assert dialog.status.text() == "Sent 1 programme."
    assert "Rajeev Chaturvedi" in dialog.result.toPlainText()

    # the one sent is no longer due; the one unticked still is
    assert [d.email for d in dialog.due] == [CONSUL]
    assert _column(dialog, TO) == [CONSUL]
    report = _send(qtbot, dialog)
    assert report.ok and [r.rcpt_tos for r in smtp_server.received[1:]] == [[CONSUL]]
    assert "Meera Joshi" in _parts(smtp_server.received[1])[0]
    assert dialog.due == () == demo_services.programmes.due(CALL)
    assert dialog.lines() == [] and not dialog.send_button.isEnabled()
    assert NOBODY_DUE in dialog.summary.text()


def test_a_change_makes_the_guest_due_with_what_changed(qtbot, demo_services,
                                                         smtp_server) -> None:
    _settings(demo_services, smtp_server.host, smtp_server.port)
    demo_services.programmes.send(CALL)
    assert demo_services.programmes.due(CALL) == ()
    event = next(e for e in demo_services.events.list(CALL)
                 if e.status != "cancelled" and e.visibility in (None, "all"))
    demo_services.events.move(event.id, event.version, event.start_utc + timedelta(hours=1))
    due = demo_services.programmes.due(CALL)
    assert due and all(d.sent_edition == 1 for d in due)
    dialog = _open(qtbot, demo_services)
    assert dialog.due == due
    assert _column(dialog, WHY)[0].casefold() == due[0].reason.casefold()
    why = _column(dialog, WHY)[0]
    assert event.title in why
    room = QRect(0, 0, dialog.table.columnWidth(WHY) - 12, 100_000)  # less the cell margins
    needed = dialog.table.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap),
                                                     why).height()
    assert dialog.table.rowHeight(0) >= needed  # what changed is shown whole, wrapped
    assert all(text.startswith("Edition 1 — ") for text in _column(dialog, LAST_SENT))
    report = _send(qtbot, dialog)
    assert {s.edition for s in report.sent} == {2}
    assert dialog.lines() == []


def test_a_refused_recipient_is_named_and_stays_due(qtbot, demo_services,
                                                     smtp_server) -> None:
    _settings(demo_services, smtp_server.host, smtp_server.port)
    smtp_server.refuse.add(CONSUL)
    dialog = _open(qtbot, demo_services)
    report = _send(qtbot, dialog)
    assert [s.due.email for s in report.sent] == [AMBASSADOR]
    assert [d.name for d, _why in report.failed] == ["Meera Joshi"]
    assert "Meera Joshi" in dialog.status.text() and "stay on the list" in dialog.status.text()
    result = dialog.result.toPlainText()
    assert "FAILED" in result and "Meera Joshi" in result and "550" in result
    assert [d.email for d in dialog.due] == [CONSUL] == [
        d.email for d in demo_services.programmes.due(CALL)]
    assert [r.rcpt_tos for r in smtp_server.received] == [[AMBASSADOR]]


def test_no_sender_or_no_server_is_said_and_nothing_is_sent(qtbot, demo_services,
                                                            smtp_server) -> None:
    _settings(demo_services, smtp_server.host, smtp_server.port)
    visit = demo_services.visits.get(CALL)
    demo_services.visits.update(visit.id, visit.version, organizer_email="")
    dialog = _open(qtbot, demo_services)
    with qtbot.waitSignal(dialog.sendFinished, timeout=30_000) as blocker:
        clicked = answer_modal("Send 2 programmes")
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert clicked == ["confirmSendProgrammes"]
    error = blocker.args[0]
    assert "no organizer e-mail" in str(error) and "Preferences" in str(error)
    box = _error_box()
    assert box.text() == str(error) and not box.detailedText()  # the message, no traceback
    assert "no organizer e-mail" in dialog.status.text()
    box.close()
    _wait_loaded(qtbot, dialog)
    assert len(dialog.due) == 2 and smtp_server.received == []

    visit = demo_services.visits.get(CALL)
    demo_services.visits.update(visit.id, visit.version,
                                organizer_email="protocol@alderbrook.example.edu")
    _settings(demo_services, "", smtp_server.port)
    with qtbot.waitSignal(dialog.sendFinished, timeout=30_000) as blocker:
        answer_modal("Send 2 programmes")
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert "No mail server is set" in str(blocker.args[0])
    box = _error_box()
    assert "No mail server is set" in box.text() and not box.detailedText()
    box.close()
    _wait_loaded(qtbot, dialog)
    assert len(dialog.due) == 2 and smtp_server.received == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_asks_for_the_password_and_keeps_it(qtbot, demo_services, smtp_server_factory,
                                            memory_keyring) -> None:
    server = smtp_server_factory("none", user="assistant", password="pässword")
    _settings(demo_services, server.host, server.port, user="assistant")
    dialog = _open(qtbot, demo_services)
    assert dialog.password_row.isVisible()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert "Enter the mail server's password" in dialog.status.text()
    assert server.received == []
    dialog.password_row.password.setText("pässword")
    report = _send(qtbot, dialog)
    assert report.ok and len(report.sent) == 2 and server.logins == ["assistant"]
    assert memory_keyring[(KEYRING_SERVICE, f"assistant@{server.host}")] == "pässword"
    assert dialog.password_row.password.text() == ""


def test_cancelling_the_confirmation_sends_nothing(qtbot, demo_services, smtp_server) -> None:
    _settings(demo_services, smtp_server.host, smtp_server.port)
    dialog = _open(qtbot, demo_services)
    clicked = answer_modal("Cancel")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert clicked == ["confirmSendProgrammes"]
    assert dialog.status.text() == "Nothing was sent."
    assert smtp_server.received == [] and len(demo_services.programmes.due(CALL)) == 2


def test_opens_from_the_visit_menu_and_from_send_invites(qtbot, demo_services,
                                                         make_window) -> None:
    from ui.dialogs.send_invites import SendInvitesDialog

    window = make_window(demo_services)
    qtbot.waitUntil(lambda: window.visits_page.is_loaded(), timeout=10_000)
    assert window.visit_actions.open_visit(demo_services.visits.resolve(CALL))
    action = window.menu_actions.act_send_programmes
    assert action in window.menu_actions.visit_menu.actions() and action.isEnabled()
    action.trigger()
    [dialog] = [w for w in window.findChildren(QWidget)
                if isinstance(w, SendProgrammesDialog) and w.isVisible()]
    _wait_loaded(qtbot, dialog)
    assert len(dialog.due) == 2
    dialog.close()

    invites = SendInvitesDialog(demo_services, CALL)
    qtbot.addWidget(invites)
    invites.show()
    qtbot.waitUntil(lambda: invites.plan is not None and not invites.busy, timeout=15_000)
    assert invites.programmes_button.isVisible()
    with qtbot.waitSignal(invites.programmes_button.clicked):
        qtbot.mouseClick(invites.programmes_button, Qt.MouseButton.LeftButton)
    [over] = invites.findChildren(SendProgrammesDialog)
    _wait_loaded(qtbot, over)
    assert over.isVisible() and [d.name for d in over.due] == [
        d.name for d in demo_services.programmes.due(CALL)]
    over.close()


@pytest.fixture(autouse=True)
def _no_task_left():
    yield
    from ui.tasks import wait_for_tasks

    assert wait_for_tasks(30_000)

""""Send invites…" and "Export calendar…" with the real widgets (pytest-qt), sending to a
real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from protocol_app.config import Settings
from protocol_app.invites.sending import KEYRING_SERVICE
from tests.support.imip import check_imip
from tests.support.readers import read_icalendar
from tests.support.smtp import free_port
from ui.dialogs.send_invites import (
    ADDRESS,
    WHAT,
    WHY,
    SendInvitesDialog,
    export_calendar,
)
from ui.tasks import wait_for_tasks

CALL = "in-ambassador-courtesy-call-2027"
pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


def _settings(host: str, port: int, user: str = "") -> None:
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = host, port
    settings.smtp_security, settings.smtp_user = "none", user
    settings.save()


def _open(qtbot, services, visit: str = CALL) -> SendInvitesDialog:
    dialog = SendInvitesDialog(services, visit)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_loaded(qtbot, dialog)
    return dialog


def _wait_loaded(qtbot, dialog: SendInvitesDialog) -> None:
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=15_000)


def _column(dialog: SendInvitesDialog, column: int) -> list[str]:
    return [dialog.table.item(r, column).text() for r in range(dialog.table.rowCount())]


def _send(qtbot, dialog: SendInvitesDialog):
    with qtbot.waitSignal(dialog.sendFinished, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    _wait_loaded(qtbot, dialog)
    return blocker.args[0]


@pytest.fixture
def guest_without_email(demo_services):
    """A person on the courtesy call's first event who has no e-mail address."""
    person = demo_services.people.create(family_name="Rao", given_name="Anil",
                                         honorific="Mr.")
    visit = demo_services.visits.get(CALL)
    demo_services.visits.add_participant(visit.id, person.id, "guest", "staff")
    first = demo_services.events.list(CALL)[0]
    demo_services.events.update(first.id, first.version,
                                attendee_ids=(*first.attendee_ids, person.id))
    return person


def test_shows_who_gets_what_then_sends(qtbot, demo_services, smtp_server,
                                        guest_without_email) -> None:
    _settings(smtp_server.host, smtp_server.port)
    dialog = _open(qtbot, demo_services)
    assert dialog.table.rowCount() == 16
    assert set(_column(dialog, WHAT)) == {"Invitation"}
    assert dialog.send_button.isEnabled() and dialog.send_button.text() == "&Send 16 messages"
    lines = [dialog.not_invited.item(i).text() for i in range(dialog.not_invited.count())]
    assert lines[0] == "Anil Rao — no e-mail address (1 event)"
    # the people of the arrival (a transport event) are left out by its kind
    assert len(lines) == 5 and all(
        line.endswith("— transport events send no invitations (preferences) (1 event)")
        for line in lines[1:])
    assert smtp_server.received == []  # nothing is sent before the click

    report = _send(qtbot, dialog)
    assert report.ok and len(report.delivered) == 16
    assert len(smtp_server.received) == 16
    for received in smtp_server.received:
        check_imip(received.message)
    assert dialog.status.text() == "Sent 16 messages."
    assert dialog.progress.value() == dialog.progress.maximum() == 16
    assert dialog.table.rowCount() == 0 and not dialog.send_button.isEnabled()
    assert "Nothing to send" in dialog.summary.text()

    # A change: the dialog lists the update, and sends only that.
    first = next(e for e in demo_services.events.list(CALL) if e.kind != "transport")
    demo_services.events.move(first.id, first.version, first.start_utc + timedelta(minutes=15))
    dialog.reload()
    _wait_loaded(qtbot, dialog)
    assert set(_column(dialog, WHAT)) == {"Update"}
    assert set(_column(dialog, WHY)) == {"time changed"}
    report = _send(qtbot, dialog)
    assert {d.item.sequence for d in report.delivered} == {1}
    assert len(smtp_server.received) == 16 + len(report.delivered)


def test_asks_for_the_password_and_keeps_it_in_the_keyring(qtbot, demo_services,
                                                           smtp_server_factory,
                                                           memory_keyring) -> None:
    server = smtp_server_factory("none", user="assistant", password="pässword")
    _settings(server.host, server.port, user="assistant")
    dialog = _open(qtbot, demo_services)
    assert dialog.password_row.isVisible()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert "Enter the mail server's password" in dialog.status.text()
    assert server.received == []
    dialog.password.setText("pässword")  # keyClicks of "ä" aborts Qt offscreen
    report = _send(qtbot, dialog)
    assert report.ok and server.logins == ["assistant"]
    assert memory_keyring[(KEYRING_SERVICE, f"assistant@{server.host}")] == "pässword"
    assert dialog.password.text() == ""


def test_a_failure_is_reported_and_nothing_recorded(qtbot, demo_services) -> None:
    _settings("127.0.0.1", free_port())  # nobody listens there
    dialog = _open(qtbot, demo_services)
    error = _send(qtbot, dialog)
    assert "Cannot connect to the mail server" in str(error)
    assert dialog.status.text().startswith("Nothing more was sent")
    boxes = [w for w in dialog.findChildren(QMessageBox) if w.objectName() == "errorDialog"]
    assert boxes and "Cannot connect" in boxes[-1].text()
    assert dialog.table.rowCount() == 16  # still due
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Close).isEnabled()


def test_a_refused_recipient_stays_on_the_list(qtbot, demo_services, smtp_server) -> None:
    _settings(smtp_server.host, smtp_server.port)
    smtp_server.refuse.add("cg@in-chicago.example.org")
    dialog = _open(qtbot, demo_services)
    report = _send(qtbot, dialog)
    assert not report.ok and "could not be sent" in dialog.status.text()
    assert "FAILED" in dialog.result.toPlainText()
    assert set(_column(dialog, ADDRESS)) == {"cg@in-chicago.example.org"}


def test_export_calendar(qtbot, demo_services, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "itinerary"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    done = []
    path = export_calendar(demo_services, CALL, None, on_done=done.append)
    assert path == str(target) + ".ics"
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    assert done[0].events == len(demo_services.events.list(CALL))
    assert read_icalendar(Path(path).read_bytes()).method == "PUBLISH"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert export_calendar(demo_services, CALL, None) is None
    assert wait_for_tasks(5_000)


def test_the_dialog_never_touches_the_database_directly() -> None:
    source = Path(__file__).resolve().parents[2] / "ui" / "dialogs" / "send_invites.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m and (m.startswith("sqlalchemy")
                                             or m.startswith("protocol_app.db")
                                             or m.startswith("protocol_app.records.models"))]

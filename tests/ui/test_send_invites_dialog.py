""""Send invites…" and "Export calendar…" with the real widgets (pytest-qt), sending to a
real SMTP server on loopback (aiosmtpd): the messages grouped by person, a line or a
person unticked stays unsent, the preview, a test to the organizer only, the
confirmation naming the count."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from protocol_app.config import Settings
from protocol_app.invites.sending import KEYRING_SERVICE
from tests.support.imip import check_imip
from tests.support.modals import answer_modal
from tests.support.readers import read_icalendar
from tests.support.smtp import free_port
from ui.dialogs.fit import simulated_screen
from ui.dialogs.send_invites import (
    ITEM,
    MESSAGE_ROLE,
    WHAT,
    WHEN,
    WHY,
    SendInvitesDialog,
    export_calendar,
)
from ui.tasks import wait_for_tasks

CALL = "in-ambassador-courtesy-call-2027"
pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


ME = "me@alderbrook.example.edu"


def _settings(host: str, port: int, user: str = "", organizer: str = "") -> None:
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = host, port
    settings.smtp_security, settings.smtp_user = "none", user
    settings.organizer_email = organizer
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
    return [line.text(column) for line in dialog.message_lines()]


def _items(dialog: SendInvitesDialog) -> list:
    return [line.data(ITEM, MESSAGE_ROLE) for line in dialog.message_lines()]


def _send(qtbot, dialog: SendInvitesDialog):
    """Click Send and confirm; the confirmation's button names the count."""
    count = len(dialog.checked_keys())
    clicked = answer_modal(f"Send {count} message{'' if count == 1 else 's'}")
    with qtbot.waitSignal(dialog.sendFinished, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert clicked == ["confirmSend"]
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
    assert len(dialog.message_lines()) == 16
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
    assert dialog.message_lines() == [] and not dialog.send_button.isEnabled()
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
    assert len(dialog.message_lines()) == 16  # still due
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Close).isEnabled()


def test_a_refused_recipient_stays_on_the_list(qtbot, demo_services, smtp_server) -> None:
    _settings(smtp_server.host, smtp_server.port)
    smtp_server.refuse.add("cg@in-chicago.example.org")
    dialog = _open(qtbot, demo_services)
    report = _send(qtbot, dialog)
    assert not report.ok and "could not be sent" in dialog.status.text()
    assert "FAILED" in dialog.result.toPlainText()
    assert {item.email for item in _items(dialog)} == {"cg@in-chicago.example.org"}


def test_grouped_by_person_each_with_their_events(qtbot, demo_services) -> None:
    dialog = _open(qtbot, demo_services)
    plan = dialog.plan
    root = dialog.tree.invisibleRootItem()
    people = [root.child(i) for i in range(root.childCount())]
    assert len(people) == len(plan.recipients)
    names = []
    for person in people:
        events = [person.child(c).data(ITEM, MESSAGE_ROLE) for c in range(person.childCount())]
        (email,) = {e.email for e in events}
        assert person.text(ITEM) == f"{events[0].name} <{email}>"
        assert person.text(WHAT) == f"{len(events)} invitation{'' if len(events) == 1 else 's'}"
        assert [e.start_utc for e in events] == sorted(e.start_utc for e in events)
        assert person.checkState(ITEM) == Qt.CheckState.Checked
        names.append(events[0].person_id)
    # in the visit's order of precedence, guests then hosts, as the Delegation tab lists them
    from ui.models.participants_model import participant_sort_key

    ranked = [p.person_id for p in sorted(demo_services.visits.get(CALL).participants,
                                          key=participant_sort_key)]
    assert names == [p for p in ranked if p in names]
    assert sorted(i.key for i in _items(dialog)) == sorted(plan.keys)
    # times in the place's zone, named by its city, never by its IANA name
    assert dialog.tree.headerItem().text(WHEN) == "When (Chicago time)"
    texts = [line.text(c) for line in dialog.message_lines() for c in range(4)]
    assert not any("America/" in t for t in texts)
    assert _column(dialog, WHEN)[0].count(":") == 1  # "Thu 22 Apr 09:30"
    # the columns are as wide as their content: no event title is cut
    widest = max(dialog.tree.fontMetrics().horizontalAdvance(t) for t in _column(dialog, ITEM))
    assert dialog.tree.header().sectionSize(ITEM) >= widest


def test_the_preview_is_the_selected_message(qtbot, demo_services) -> None:
    dialog = _open(qtbot, demo_services)
    line = dialog.message_lines()[3]
    item = line.data(ITEM, MESSAGE_ROLE)
    with qtbot.waitSignal(dialog.previewShown, timeout=15_000) as blocker:
        dialog.tree.setCurrentItem(line)
    preview = blocker.args[0]
    assert preview.key == item.key
    shown = dialog.preview.toPlainText()
    assert preview.subject in shown and item.email in shown
    assert "Adds the event to their calendar" in shown  # in words, not iTIP's
    assert "REQUEST" not in shown and "sequence" not in shown
    assert "Chicago time" in shown and "America/Chicago" not in shown
    assert f"Event: {item.event_title}" not in shown  # rendered, not the plain text
    assert item.event_title in shown


def test_an_unticked_line_or_person_is_not_sent(qtbot, demo_services, smtp_server) -> None:
    _settings(smtp_server.host, smtp_server.port)
    dialog = _open(qtbot, demo_services)
    lines = dialog.message_lines()
    left_line = lines[0]
    left_item = left_line.data(ITEM, MESSAGE_ROLE)
    left_line.setCheckState(ITEM, Qt.CheckState.Unchecked)
    assert left_line.parent().checkState(ITEM) in (Qt.CheckState.PartiallyChecked,
                                                   Qt.CheckState.Unchecked)
    root = dialog.tree.invisibleRootItem()
    person = root.child(root.childCount() - 1)
    person_items = [person.child(c).data(ITEM, MESSAGE_ROLE) for c in range(person.childCount())]
    person.setCheckState(ITEM, Qt.CheckState.Unchecked)  # a whole person
    assert all(person.child(c).checkState(ITEM) == Qt.CheckState.Unchecked
               for c in range(person.childCount()))
    expected = len(dialog.plan.items) - 1 - len(person_items)
    assert dialog.send_button.text() == f"&Send {expected} messages"
    report = _send(qtbot, dialog)
    assert report.ok and len(report.delivered) == expected == len(smtp_server.received)
    sent = {(d.item.event_id, d.item.email) for d in report.delivered}
    assert (left_item.event_id, left_item.email) not in sent
    assert not smtp_server.to(person_items[0].email)
    # what was left out is still due, and only it
    assert sorted(i.key for i in _items(dialog)) == sorted(
        i.key for i in [left_item, *person_items])


def test_the_confirmation_names_the_count_and_cancel_sends_nothing(qtbot, demo_services,
                                                                   smtp_server, modal) -> None:
    _settings(smtp_server.host, smtp_server.port)
    dialog = _open(qtbot, demo_services)
    total = len(dialog.plan.items)
    dialog.message_lines()[0].setCheckState(ITEM, Qt.CheckState.Unchecked)
    seen: list[str] = []

    def cancel(box) -> None:
        seen.append(box.text())
        seen.append(box.informativeText())
        box.button(QMessageBox.StandardButton.Cancel).click()

    modal.next(cancel, name="confirmSend")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    people = len({i.email for i in _items(dialog)[1:]})
    assert seen[0] == f"Send {total - 1} messages to {people} people?"
    assert seen[1].startswith(f"{total - 1} invitations.")
    assert smtp_server.received == [] and dialog.status.text() == "Nothing was sent."
    assert len(dialog.message_lines()) == total


def test_a_test_goes_to_the_organizer_only_and_is_not_recorded(qtbot, demo_services,
                                                              smtp_server) -> None:
    _settings(smtp_server.host, smtp_server.port, organizer=ME)
    dialog = _open(qtbot, demo_services)
    total = len(dialog.plan.items)
    line = dialog.message_lines()[2]
    item = line.data(ITEM, MESSAGE_ROLE)
    dialog.tree.setCurrentItem(line)
    assert dialog.test_button.isEnabled()
    with qtbot.waitSignal(dialog.testFinished, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == ME
    (received,) = smtp_server.received
    assert received.rcpt_tos == [ME] and item.email not in str(received.message["To"])
    assert str(received.message["Subject"]).strip().startswith("[Test] ")
    assert f"to {ME}; it is not recorded as sent" in dialog.status.text()
    assert demo_services.invites.history(CALL) == ()
    dialog.reload()
    _wait_loaded(qtbot, dialog)
    assert len(dialog.message_lines()) == total  # the real message is still due


def test_no_organizer_address_says_where_to_set_it(qtbot, demo_services, smtp_server) -> None:
    _settings(smtp_server.host, smtp_server.port, organizer="")
    dialog = _open(qtbot, demo_services)
    with qtbot.waitSignal(dialog.testFinished, timeout=30_000):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "enter yours in Preferences" in dialog.status.text()
    assert smtp_server.received == []


def test_fits_a_laptop_with_every_column_in_view(qtbot, demo_services) -> None:
    area = QRect(0, 0, 1366, 768 - 40)  # a taskbar at the bottom
    with simulated_screen(area):
        dialog = _open(qtbot, demo_services, "vn-moet-minister-2027")
        assert len(dialog.message_lines()) > 100
        for button in (dialog.send_button, dialog.test_button):
            assert button.isVisible()
            assert dialog.rect().contains(QRect(button.mapTo(dialog, button.rect().topLeft()),
                                                button.size()))
        # no column scrolls away (the dialog widens within the screen to show them all)
        qtbot.waitUntil(lambda: not dialog.tree.horizontalScrollBar().isVisible(),
                        timeout=2_000)
        assert dialog.preview.width() >= dialog.preview.minimumWidth()
        frame = QRect(dialog.mapToGlobal(dialog.rect().topLeft()), dialog.size())
        assert area.contains(frame), frame


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


def test_the_calendar_line_says_what_the_message_does() -> None:
    from ui.dialogs.send_invites import calendar_effect

    assert calendar_effect("REQUEST", 0) == "Adds the event to their calendar"
    assert calendar_effect("REQUEST", 2) == "Updates the event in their calendar (change 2)"
    assert calendar_effect("CANCEL", 3) == "Removes the event from their calendar"

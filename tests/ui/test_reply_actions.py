"""Replies into the app: .eml and .ics files (and folders) dropped on the main window, and
File → "Fetch replies" from a real IMAP server on loopback (Dovecot, started by the test
with a throwaway user; skipped with its reason where it is not installed), both through
the replies service in the background; the report has one line per file, and the open
visit's Answers tab follows.  The mailbox settings and password in Preferences."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from protocol_app.config import Settings
from protocol_app.invites.mailbox import KEYRING_SERVICE, ImapOptions, store_password
from tests.support.imap import dovecot_server, missing_reason
from tests.support.replies import CALL
from ui.dialogs.preferences import PreferencesDialog
from ui.tasks import wait_for_tasks


def drop(window, paths: list[Path]) -> tuple[bool, bool]:
    """Drag ``paths`` onto the window and drop them: (enter accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    event = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return enter.isAccepted(), event.isAccepted()


def _open_answers(qtbot, window, services):
    window.visit_actions.open_visit(services.visits.get(CALL).id)
    workspace = window.workspace
    with qtbot.waitSignal(workspace.answers.loaded, timeout=15_000):
        workspace.tabs.setCurrentIndex(workspace.ANSWERS)
    return workspace.answers


def test_dropping_reply_files_imports_them(qtbot, demo_services, answered_call, make_window,
                                           tmp_path) -> None:
    window = make_window(demo_services)
    answers = _open_answers(qtbot, window, demo_services)
    assert "16 waiting" in answers.summary.text()
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nMETHOD:REPLY\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("not a reply", encoding="utf-8")
    assert drop(window, [note]) == (False, False)  # neither a reply nor a package

    with (qtbot.waitSignal(window.reply_actions.finished, timeout=30_000) as blocker,
          qtbot.waitSignal(answers.loaded, timeout=30_000)):
        entered, dropped = drop(window, [answered_call / "assistant.eml", broken,
                                         answered_call / "consul.ics"])
    assert entered and dropped
    report = blocker.args[0]
    assert len(report.recorded) == 2
    dialog = window.reply_actions.last_report_dialog
    assert dialog is not None and dialog.isVisible()
    lines = dialog.lines()
    assert len(lines) == 3  # one per file
    assert lines[0].startswith(f"{answered_call / 'assistant.eml'} — recorded: ACCEPTED: ")
    assert "sent by assistant@in-embassy.example.org" in lines[0]
    assert lines[1].startswith(f"{broken} — not read: ")
    assert lines[2].startswith(f"{answered_call / 'consul.ics'} — recorded: DECLINED: ")
    assert "Recorded 2 answers from 3 files; 1 not counted" in dialog.summary.text()
    # the Answers tab was read again
    assert "1 accepted, 1 declined, 0 tentative, 14 waiting" in answers.summary.text()
    dialog.close()

    # a folder: its .eml and .ics files (those recorded before are said to be)
    with qtbot.waitSignal(window.reply_actions.finished, timeout=30_000) as blocker:
        drop(window, [answered_call])
    report = blocker.args[0]
    assert len(report.results) == 4 and len(report.recorded) == 2
    lines = window.reply_actions.last_report_dialog.lines()
    assert sum(line.endswith("— already recorded before") for line in lines) == 2
    wait_for_tasks()


@pytest.fixture
def imap_server():
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with dovecot_server() as server:
        yield server


def test_fetch_replies_reads_the_mailbox(qtbot, demo_services, answered_call, make_window,
                                         imap_server, memory_keyring) -> None:
    settings = Settings.load()
    settings.imap_host, settings.imap_port = imap_server.host, imap_server.port
    settings.imap_security, settings.imap_user = "none", imap_server.user
    settings.imap_folder = "INBOX"
    settings.save()
    store_password(ImapOptions.from_settings(settings), imap_server.password)
    client = imap_server.connect()
    for name in ("assistant.eml", "president.ics"):
        data = (answered_call / name).read_bytes()
        if name.endswith(".ics"):
            data = (b"From: president@alderbrook.example.edu\r\nSubject: Tentative\r\n"
                    b"Content-Type: text/calendar; method=REPLY; charset=UTF-8\r\n\r\n" + data)
        assert client.append("INBOX", None, None, data)[0] == "OK"
    assert client.append("INBOX", None, None, b"From: a@example.org\r\nSubject: lunch?\r\n"
                         b"\r\nNo calendar here.\r\n")[0] == "OK"
    window = make_window(demo_services)
    answers = _open_answers(qtbot, window, demo_services)
    action = window.menu_actions.act_fetch_replies
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+R"
    assert action in window.menus["menuFile"].actions()

    with (qtbot.waitSignal(window.reply_actions.finished, timeout=30_000) as blocker,
          qtbot.waitSignal(answers.loaded, timeout=30_000)):
        action.trigger()
    report = blocker.args[0]
    assert len(report.recorded) == 2 and len(report.results) == 3
    lines = window.reply_actions.last_report_dialog.lines()
    where = f"imap://{imap_server.user}@{imap_server.host}:{imap_server.port}/INBOX"
    assert [line.split(" — ")[0] for line in lines] == [f"{where};UID={n}" for n in (1, 2, 3)]
    assert " — recorded: ACCEPTED" in lines[0] and " — recorded: TENTATIVE" in lines[1]
    assert " — not read: " in lines[2]
    assert "1 accepted, 0 declined, 1 tentative, 14 waiting" in answers.summary.text()
    client.select("INBOX")
    assert client.uid("SEARCH", "UNSEEN")[1] == [b""]  # processed: seen
    client.logout()
    wait_for_tasks()


def test_fetch_without_a_mailbox_says_where_to_set_it(qtbot, demo_services,
                                                      make_window) -> None:
    window = make_window(demo_services)
    with qtbot.waitSignal(window.reply_actions.finished, timeout=5000) as blocker:
        window.menu_actions.act_fetch_replies.trigger()
    assert "No mailbox is set" in str(blocker.args[0])
    box = next(w for w in QApplication.topLevelWidgets()
               if w.objectName() == "errorDialog" and w.isVisible())
    assert "Preferences" in box.text() and "IMAP host" in box.text()
    box.close()


def test_preferences_keep_the_mailbox_and_its_password(qtbot, demo_services, make_window,
                                                       modal, memory_keyring) -> None:
    window = make_window(demo_services)
    cached = demo_services.replies.settings  # read before the change
    assert cached.imap_host == ""

    def fill(dialog: PreferencesDialog) -> None:
        dialog.imap_host.setText("imap.alderbrook.example.edu")
        dialog.imap_port.setValue(143)
        dialog.imap_security.setCurrentIndex(dialog.imap_security.findData("starttls"))
        dialog.imap_user.setText("protocol-replies")
        dialog.imap_folder.setText("Replies")
        dialog.imap_password.setText("s3cret ü")
        dialog.accept()

    modal.next(fill, kind=PreferencesDialog)
    window.menu_actions.act_preferences.trigger()
    saved = Settings.load()
    assert (saved.imap_host, saved.imap_port, saved.imap_security, saved.imap_user,
            saved.imap_folder) == ("imap.alderbrook.example.edu", 143, "starttls",
                                   "protocol-replies", "Replies")
    assert memory_keyring == {
        (KEYRING_SERVICE, "protocol-replies@imap.alderbrook.example.edu"): "s3cret ü"}
    assert "s3cret" not in Settings.path().read_text(encoding="utf-8")
    # the services use the new settings at once (they had read the old ones)
    assert demo_services.replies.settings.imap_host == "imap.alderbrook.example.edu"
    assert demo_services.invites.settings.imap_folder == "Replies"


def test_a_mailbox_host_with_spaces_is_refused_and_nothing_is_saved(qtbot,
                                                                   memory_keyring) -> None:
    dialog = PreferencesDialog(Settings.load())
    qtbot.addWidget(dialog)
    dialog.imap_host.setText("imap example org")
    dialog.imap_password.setText("x")
    dialog.accept()
    assert "mailbox server: a host name has no spaces" in dialog.problem.text()
    assert "mailbox password: fill in the server and the user first" in dialog.problem.text()
    assert Settings.load().imap_host == "" and memory_keyring == {}

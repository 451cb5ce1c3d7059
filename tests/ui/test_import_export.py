"""Visit packages through the window: import (menu or drag and drop), refused imports
listing every problem, export."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from protocol_app.resources import resource_path
from ui.dialogs.import_errors import ImportErrorsDialog

DEMO = "ministerial-delegation.json"


def broken_package(tmp_path: Path) -> tuple[Path, list[str]]:
    doc = json.loads(resource_path("demo", DEMO).read_text("utf-8"))
    doc["visit"]["id"] = "vn-draft-2027"
    doc["visit"]["end_date"] = "2027-03-01"
    doc["people"][1]["email"] = "nguyen(at)example"
    doc["people"][2]["country"] = "Vietnam"
    doc["events"][3]["kind"] = "banquet"
    doc["events"][4]["attendees"] = ["nobody-with-this-ref"]
    path = tmp_path / "vn-draft.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path, ["visit.end_date", "people[1].email", "people[2].country", "events[3].kind",
                  "events[4].attendees[0]"]


def counts(services) -> tuple[int, int]:
    return len(services.visits.list()), services.people.count()


def test_a_refused_import_lists_every_problem_and_changes_nothing(demo_services, make_window,
                                                                   tmp_path, qtbot):
    window = make_window(demo_services)
    path, expected = broken_package(tmp_path)
    before = counts(demo_services)
    with qtbot.waitSignal(window.import_finished, timeout=10_000) as done:
        window.import_package(path)
    assert not hasattr(done.args[0], "lines")  # an error, not a report
    dialog = window.last_import_dialog
    assert isinstance(dialog, ImportErrorsDialog) and dialog.isVisible()
    table = dialog.table
    paths = [table.item(r, 0).text() for r in range(table.rowCount())]
    for where in expected:
        assert where in paths
    assert table.rowCount() == len(dialog.problems)
    assert all(table.item(r, 1).text() for r in range(table.rowCount()))
    summary = dialog.findChild(QLabel, "importErrorsSummary").text()
    assert "vn-draft.json was not imported" in summary and "Nothing was changed" in summary
    dialog.copy_all()
    copied = QGuiApplication.clipboard().text()
    assert all(where in copied for where in expected)
    assert counts(demo_services) == before
    assert window.visits_page.model.rowCount() == before[0]
    dialog.close()


def test_a_good_package_is_imported_and_its_report_shown(services, make_window, qtbot):
    window = make_window(services)
    assert window.current_page() == window.PAGE_WELCOME
    with qtbot.waitSignal(window.import_finished, timeout=10_000) as done:
        window.import_package(resource_path("demo", DEMO))
    report = done.args[0]
    box = window.last_import_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == report.lines()[0]
    assert window.current_page() == window.PAGE_VISITS
    open_button = next(b for b in box.buttons() if b.text() == "Open the visit")
    open_button.click()
    qtbot.waitUntil(lambda: window.current_page() == window.PAGE_VISIT)
    assert window.workspace.visit.public_id == "vn-moet-minister-2027"


def drop(window, paths: list[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    event = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return enter.isAccepted(), event.isAccepted()


def test_dropping_a_json_file_imports_it(services, make_window, tmp_path, qtbot):
    window = make_window(services)
    other = tmp_path / "notes.txt"
    other.write_text("not a package", encoding="utf-8")
    assert drop(window, [other]) == (False, False)
    with qtbot.waitSignal(window.import_finished, timeout=10_000):
        entered, dropped = drop(window, [resource_path("demo", "ambassador-courtesy-call.json")])
    assert entered and dropped
    assert [v.public_id for v in services.visits.list()] == ["in-ambassador-courtesy-call-2027"]
    window.last_import_dialog.close()


def test_export_the_open_visit(demo_services, make_window, tmp_path, qtbot, monkeypatch):
    window = make_window(demo_services)
    visit_id = demo_services.visits.resolve("vn-moet-minister-2027")
    window.open_visit(visit_id)
    target = tmp_path / "out" / "minister"
    target.parent.mkdir()
    asked: list[str] = []
    monkeypatch.setattr(window, "_ask_export_path",
                        lambda suggested: asked.append(suggested) or str(target))
    window.act_export.trigger()
    written = tmp_path / "out" / "minister.json"
    qtbot.waitUntil(written.exists, timeout=10_000)
    assert asked == ["vn-moet-minister-2027.json"]
    doc = json.loads(written.read_text("utf-8"))
    assert doc["visit"]["id"] == "vn-moet-minister-2027"
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage())

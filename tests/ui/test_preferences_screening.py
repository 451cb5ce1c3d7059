"""Screening lists managed under Preferences: both layouts loaded in the background
through the screening service, a damaged file refused with its one-line reason (file
and line) and nothing changed, a stale list marked, a list removed once confirmed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.screening.conftest import (
    CSL_COLUMNS,
    OPENSANCTIONS_COLUMNS,
    entity,
    individual,
    write_csv,
)


@pytest.fixture
def dialog(services, fusion_app, qtbot):
    from ui.dialogs.preferences import PreferencesDialog

    made = PreferencesDialog(screening=services.screening)
    qtbot.addWidget(made)
    return made


def _load(qtbot, panel, path: Path) -> None:
    with qtbot.waitSignal(panel.finished, timeout=15000):
        panel.load_file(path)
        assert panel.busy and not panel.load_button.isEnabled()  # off the GUI thread


def _csl(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "csl.csv", CSL_COLUMNS, [
        individual("IVANOV, Sergei", alt_names="IVANOV, Sergey", _id="e1"),
        entity("Romashka OOO", _id="e2")])


def test_both_layouts_load_from_preferences(dialog, services, qtbot, tmp_path) -> None:
    panel = dialog.screening_panel
    assert panel is not None and panel.empty.isVisibleTo(dialog)
    assert not panel.remove_button.isEnabled()
    _load(qtbot, panel, _csl(tmp_path))
    assert "Loaded 2 entries into us-csl (U.S. Consolidated Screening List layout)" \
        in panel.status.text()
    assert not panel.status.property("problem")
    sanctions = write_csv(tmp_path / "targets.simple.csv", OPENSANCTIONS_COLUMNS, [
        {"id": "NK-1", "schema": "Person", "name": "Sergei Ivanov", "dataset": "EU"},
        {"id": "NK-2", "schema": "Company", "name": "Romashka OOO", "dataset": "UK"},
        {"id": "NK-3", "schema": "Vessel", "name": "SEA PEARL", "dataset": "OFAC"}])
    _load(qtbot, panel, sanctions)
    assert "Loaded 3 entries into opensanctions (OpenSanctions layout)" in panel.status.text()
    # the same use case as `protocol-app screening load`: the service holds both
    assert [(i.source, i.entries, i.layout) for i in services.screening.lists()] == [
        ("opensanctions", 3, "opensanctions"), ("us-csl", 2, "csl")]
    rows = panel.rows()
    assert [(r[0], r[1], r[3]) for r in rows] == [("opensanctions", "3", "Current"),
                                                  ("us-csl", "2", "Current")]
    assert all(r[2] for r in rows)  # the load date
    assert panel.selected_source() == "opensanctions"  # the list just loaded
    assert panel.remove_button.isEnabled() and not panel.empty.isVisibleTo(dialog)
    assert panel.changed


@pytest.mark.parametrize(("content", "reason"), [
    (b"_id,source,type,name\ne1,SDN,Individual,IVANOV\n",
     "layout needs the column alt_names (missing from the header row)"),
    ("_id,source,type,name,alt_names\ne1,SDN,Individual,IVANOV,\ne2,SDN,Individual,M\u00fcller,\n"
     .encode("latin-1"), "line 3: not UTF-8 text (byte 0xFC)"),
], ids=["missing-column", "wrong-encoding"])
def test_a_damaged_list_is_refused_with_its_reason_and_nothing_changes(
        dialog, services, qtbot, tmp_path, db_path, content, reason) -> None:
    panel = dialog.screening_panel
    _load(qtbot, panel, _csl(tmp_path))
    before = services.screening.lists()
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(content)
    _load(qtbot, panel, damaged)
    message = panel.status.text()
    assert message.startswith(f"Not loaded: {damaged}") and reason in message
    assert "\n" not in message and panel.status.property("problem")
    assert services.screening.lists() == before  # nothing changed
    assert panel.sources() == ["us-csl"] and panel.load_button.isEnabled()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM screening_entries").fetchone()[0] == 2
    finally:
        conn.close()


def test_a_stale_list_is_marked(dialog, services, qtbot, tmp_path, db_path) -> None:
    panel = dialog.screening_panel
    _load(qtbot, panel, _csl(tmp_path))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE screening_lists SET loaded_at = datetime('now', '-45 days')")
    conn.close()
    panel.reload()
    state = panel.rows()[0][3]
    assert state.startswith("⚠ Stale: loaded 45 days ago (more than 30)"), state


def test_a_list_is_removed_once_confirmed(dialog, services, qtbot, tmp_path, modal) -> None:
    from PySide6.QtWidgets import QMessageBox

    panel = dialog.screening_panel
    _load(qtbot, panel, _csl(tmp_path))
    panel.select_source("us-csl")

    def answer(text: str):
        def click(box: QMessageBox) -> None:
            assert "us-csl" in box.text()
            next(b for b in box.buttons() if b.text().replace("&", "") == text).click()
        return click

    modal.next(answer("Cancel"), kind=QMessageBox)
    panel.remove_selected()
    assert [i.source for i in services.screening.lists()] == ["us-csl"]
    modal.next(answer("Remove"), kind=QMessageBox)
    panel.remove_selected()
    assert services.screening.lists() == ()
    assert panel.sources() == [] and panel.empty.isVisibleTo(dialog)
    assert panel.status.text() == "Removed the screening list us-csl (2 entries)."
    assert not panel.remove_button.isEnabled()
    assert not panel.remove_source("us-csl")  # already gone: said, not raised
    assert panel.status.text().startswith("Not removed: There is no screening list 'us-csl'")


def test_without_a_database_preferences_say_where_lists_are_loaded(fusion_app, qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.screening_panel is None
    note = dialog.findChild(QLabel, "screeningLists")
    assert "protocol-app screening load FILE.csv" in note.text()


def test_every_label_names_its_field_and_the_list_buttons_stay_in_view(
        dialog, qtbot, tmp_path) -> None:
    """At 1366×768 the list buttons are on screen without scrolling, and no row label
    shows a raw '&' (each points at its field)."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea

    from ui.dialogs.fit import simulated_screen

    _load(qtbot, dialog.screening_panel, _csl(tmp_path))
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if label is not None and isinstance(label.widget(), QLabel) \
                    and "&" in label.widget().text():
                assert label.widget().buddy() is not None, label.widget().text()
    with simulated_screen(QRect(0, 0, 1366, 728)):
        dialog.show()
        qtbot.waitExposed(dialog)
    viewport = dialog.findChild(QScrollArea, "fitBody").viewport()
    seen = QRect(viewport.mapToGlobal(viewport.rect().topLeft()), viewport.size())
    panel = dialog.screening_panel
    for button in (panel.load_button, panel.remove_button):
        assert seen.contains(QRect(button.mapToGlobal(button.rect().topLeft()),
                                   button.size())), button.text()

"""The screens name zones for people; the IANA name is left to the tooltips."""

from __future__ import annotations

from datetime import date

VISIT = "vn-moet-minister-2027"


def test_the_visit_header_names_the_zone_and_the_country_for_people(demo_services,
                                                                     make_window) -> None:
    window = make_window(demo_services)
    assert window.visit_actions.open_visit(demo_services.visits.resolve(VISIT))
    workspace = window.workspace
    subtitle = workspace.subtitle.text()
    assert "11–14 Mar 2027" in subtitle
    assert "Delegation from Viet Nam" in subtitle
    assert "New York time" in subtitle and "America" not in subtitle
    assert "America/New_York" in workspace.subtitle.toolTip()
    agenda_zone = workspace.itinerary.zones_label.text()
    assert agenda_zone.startswith("Times in New York time (EST, UTC\u22125)")


def test_the_overview_reads_local_time_as_people_name_it(demo_services, make_window) -> None:
    window = make_window(demo_services)
    assert window.visit_actions.open_visit(demo_services.visits.resolve(VISIT))
    fact = window.workspace.overview.zone
    assert fact.text() == "New York time (EST, UTC\u22125)"
    assert fact.toolTip() == "Time zone: America/New_York"


def _labels(picker) -> list[str]:
    return [picker.itemText(i) for i in range(picker.count())]


def test_the_event_editors_zone_picker_lists_people_names_and_stores_the_key(
        demo_services, make_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from ui.editors.event_editor import EventEditor

    window = make_window(demo_services)
    record = demo_services.visits.get(VISIT)
    editor = EventEditor(demo_services, record, record.events[0], window)
    qtbot.addWidget(editor)
    picker = editor.zone
    labels = _labels(picker)
    assert picker.currentText() == "New York time (EST, UTC\u22125)"
    assert picker.value() == "America/New_York"
    assert "America/New_York" in picker.toolTip()
    assert len(labels) > 300 and not [t for t in labels if "/" in t or "_" in t]
    tokyo = picker.findData("Asia/Tokyo")
    assert picker.itemText(tokyo) == "Tokyo time (JST, UTC+9)"
    assert picker.itemData(tokyo, Qt.ItemDataRole.ToolTipRole) == "Asia/Tokyo"
    # searchable: a part of the people name finds the zone
    completer = picker.completer()
    completer.setCompletionPrefix("tokyo")
    assert completer.currentCompletion() == "Tokyo time (JST, UTC+9)"
    picker.setEditText(completer.currentCompletion())
    assert editor.values()["timezone"] == "Asia/Tokyo"
    assert "Tokyo time" in editor.duration.text()
    picker.setEditText("Europe/Paris")  # the key typed in full is still understood
    assert editor.values()["timezone"] == "Europe/Paris"
    editor.reject()


def test_an_event_stored_with_an_old_zone_alias_shows_its_people_name(
        demo_services, make_window, qtbot) -> None:
    import dataclasses

    from ui.editors.event_editor import EventEditor

    window = make_window(demo_services)
    record = demo_services.visits.get(VISIT)
    event = dataclasses.replace(record.events[0], timezone="Asia/Saigon")
    editor = EventEditor(demo_services, record, event, window)
    qtbot.addWidget(editor)
    assert editor.zone.currentText().endswith("time (UTC+7)")
    assert "/" not in editor.zone.currentText()
    assert editor.values()["timezone"] == "Asia/Saigon"  # stored as it was
    editor.reject()


def test_the_visit_form_picks_zones_by_people_name(demo_services, qtbot) -> None:
    from ui.dialogs.visit_editor import VisitForm

    form = VisitForm()
    qtbot.addWidget(form)
    form.set_values({"title": "T", "start_date": date(2027, 7, 1),
                     "timezone": "America/New_York", "country": "US"})
    assert form.timezone.currentText() == "New York time (EDT, UTC\u22124)"  # its July
    assert form.timezone.value() == "America/New_York"
    assert not [t for t in _labels(form.timezone) if "/" in t]


def test_the_move_dialog_names_the_zone_for_people(demo_services, make_window, qtbot) -> None:
    from ui.editors.move_event import MoveEventDialog

    window = make_window(demo_services)
    record = demo_services.visits.get(VISIT)
    dialog = MoveEventDialog(record.events[0], window, visit_zone=record.timezone)
    qtbot.addWidget(dialog)
    assert dialog.time.accessibleName() == "New start time in New York time"

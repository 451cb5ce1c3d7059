"""The agenda fits the day by default, zooms with Ctrl+wheel and Ctrl+plus/minus,
remembers the zoom per user, wraps titles and names its zone for people."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.pages.agenda_view import SETTINGS_KEY, AgendaView

VISIT = "vn-moet-minister-2027"


def _agenda(qtbot, services, settings: QSettings) -> AgendaView:
    visit = services.visits.get(VISIT)
    agenda = AgendaView(settings=settings)
    qtbot.addWidget(agenda)
    agenda.resize(1100, 600)
    agenda.show()
    qtbot.waitExposed(agenda)
    agenda.set_events(visit.events, visit.timezone, visit.start_date, visit.end_date)
    return agenda


def test_the_day_fits_the_height_by_default(qtbot, demo_services, ui_settings):
    agenda = _agenda(qtbot, demo_services, ui_settings)
    canvas = agenda.canvas
    first, last = canvas.busy_span()
    top = canvas.y_of(first) - agenda.scroll.verticalScrollBar().value()
    bottom = canvas.y_of(last) - agenda.scroll.verticalScrollBar().value()
    viewport = agenda.scroll.viewport().height()
    assert top >= 0 and bottom <= viewport  # first to last event, all in view
    assert bottom - top > viewport * 0.7  # and using the height
    assert canvas.hour_height < 68  # smaller than the old fixed zoom: more than 4 hours


def test_zoom_by_keys_and_wheel_is_remembered(qtbot, demo_services, ui_settings):
    agenda = _agenda(qtbot, demo_services, ui_settings)
    canvas = agenda.canvas
    fitted = canvas.hour_height
    agenda.activateWindow()
    qtbot.waitActive(agenda)
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.hour_height > fitted
    zoomed = canvas.hour_height
    QTest.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.hour_height < zoomed
    before = canvas.hour_height
    wheel = QWheelEvent(QPointF(200, 200), QPointF(canvas.mapToGlobal(QPoint(200, 200))),
                        QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(canvas, wheel)
    assert canvas.hour_height > before
    assert int(ui_settings.value(SETTINGS_KEY)) == canvas.hour_height
    again = _agenda(qtbot, demo_services, ui_settings)  # the next time: the same zoom
    assert again.canvas.hour_height == canvas.hour_height
    again.fit_day_action.trigger()
    assert int(ui_settings.value(SETTINGS_KEY)) == 0
    assert again.canvas.hour_height == fitted


def test_titles_wrap_and_the_header_names_the_zone(qtbot, demo_services, ui_settings):
    from PySide6.QtGui import QFontMetrics

    from ui.pages.agenda_view import wrap_lines

    metrics = QFontMetrics(QApplication.font())
    title = "Signing of the Memorandum of Understanding on Academic Exchange"
    width = metrics.horizontalAdvance(title) // 2 + 20
    lines = wrap_lines(title, metrics, width, 2)
    assert len(lines) == 2 and lines[0] in title and not lines[0].endswith("…")
    agenda = _agenda(qtbot, demo_services, ui_settings)
    assert "New York time (E" in agenda.header.toolTip()
    assert "America/New_York" in agenda.header.toolTip()

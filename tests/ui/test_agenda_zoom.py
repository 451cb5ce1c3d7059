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


LONG_TITLE = ("Signing of the Memorandum of Understanding on Academic Exchange between "
              "the Ministry and the University")


def test_a_short_event_with_a_long_title_wraps_onto_two_lines(qtbot, demo_services,
                                                              ui_settings):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    visit = demo_services.visits.get(VISIT)
    first = min(visit.events, key=lambda e: e.start_utc)
    start = first.start_utc - timedelta(hours=2)
    demo_services.events.create(VISIT, title=LONG_TITLE, kind="ceremony", start=start,
                                end=start + timedelta(minutes=30))
    agenda = _agenda(qtbot, demo_services, ui_settings)  # the default zoom: fit the day
    canvas = agenda.canvas
    event = next(e for e in demo_services.visits.get(VISIT).events if e.title == LONG_TITLE)
    assert canvas.hour_height * 30 / 60 < 2 * canvas.line  # 30 minutes: under two lines
    lines = canvas.card_lines_of(event.id)
    title = [line.text for line in lines if line.title]
    assert len(title) == 2, lines  # wrapped, not cut to one line
    assert title[0].startswith(f"{start.astimezone(ZoneInfo(visit.timezone)):%H:%M} Signing")
    assert not title[0].endswith("…") and title[1].endswith("…")  # cut only on line two
    shown = " ".join(title).rstrip("…")
    assert len(shown) > len(title[0]) + 5
    # the cut title is whole in the tooltip
    rect = canvas.card_rect(event.id)
    assert rect.height() >= 2 * canvas.line
    help_event = QHelpEvent(QHelpEvent.Type.ToolTip, rect.center(),
                            canvas.mapToGlobal(rect.center()))
    QApplication.sendEvent(canvas, help_event)
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert LONG_TITLE in QToolTip.text()
    QToolTip.hideText()
    # growing never lays a card over another
    cards = [canvas.card_rect(e.id) for e in demo_services.visits.get(VISIT).events]
    for i, a in enumerate(cards):
        for b in cards[i + 1:]:
            assert not a.intersects(b), (a, b)


def test_a_short_card_grows_only_into_free_space(qtbot, demo_services, ui_settings):
    from datetime import timedelta

    visit = demo_services.visits.get(VISIT)
    first = min(visit.events, key=lambda e: e.start_utc)
    start = first.start_utc - timedelta(hours=3)
    for minutes, title in ((0, LONG_TITLE), (30, "Briefing by the Office of Protocol")):
        demo_services.events.create(VISIT, title=title, kind="meeting",
                                    start=start + timedelta(minutes=minutes),
                                    end=start + timedelta(minutes=minutes + 30))
    agenda = _agenda(qtbot, demo_services, ui_settings)
    canvas = agenda.canvas
    events = {e.title: e for e in demo_services.visits.get(VISIT).events}
    upper = canvas.card_rect(events[LONG_TITLE].id)
    lower = canvas.card_rect(events["Briefing by the Office of Protocol"].id)
    assert upper.width() == lower.width()  # still one lane: the day keeps its width
    assert upper.bottom() < lower.top()  # the card above stops where the next begins


def test_card_lines_keep_a_title_that_fits_on_one_line_whole():
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.pages.agenda_text import card_lines

    font = QFont(QApplication.font())
    font.setBold(True)
    metrics, small = QFontMetrics(font), QFontMetrics(QApplication.font())
    two = 2 * metrics.lineSpacing()
    short = card_lines("Lunch", "12:00–12:30", "", "12:00 ", title_metrics=metrics,
                       small_metrics=small, width=300, height=two)
    assert [(line.text, line.title) for line in short] == [("Lunch", True),
                                                           ("12:00–12:30", False)]
    one = card_lines(LONG_TITLE, "10:00–10:30", "", "10:00 ", title_metrics=metrics,
                     small_metrics=small, width=300, height=metrics.lineSpacing())
    assert len(one) == 1 and one[0].text.startswith("10:00 Signing") and "…" in one[0].text
    tall = card_lines(LONG_TITLE, "10:00–11:30", "Founders Hall", "10:00 ",
                      title_metrics=metrics, small_metrics=small, width=300, height=two * 3)
    assert [line.title for line in tall] == [True, True, True, False, False]

"""Every dialog and page is usable on a laptop: at 1366×768 and at 1280×720 each button
and each primary action lies inside the screen's available geometry; fields open at
their start."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QToolButton

from ui.dialogs.fit import simulated_screen

SIZES = [(1366, 768), (1280, 720)]
TASKBAR = 40
VISIT = "vn-moet-minister-2027"


def _global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def _inside(widget, area: QRect) -> bool:
    return area.contains(_global_rect(widget))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_dialog_fits_with_its_buttons_on_screen(size, demo_services, make_window,
                                                      qtbot):
    from ui.screenshots import dialog_makers

    area = QRect(0, 0, size[0], size[1] - TASKBAR)  # a taskbar at the bottom
    window = make_window(demo_services)
    window.setGeometry(area)
    visit_id = demo_services.visits.resolve(VISIT)
    with simulated_screen(area):
        for name, make in dialog_makers(demo_services, window, visit_id).items():
            dialog = make()
            dialog.show()
            qtbot.waitExposed(dialog)
            assert _inside(dialog, area), f"{name}: {_global_rect(dialog)} outside {area}"
            buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)
                       and not b.objectName().startswith("qt_")]
            box = [b for b in buttons if b.parent().metaObject().className()
                   == "QDialogButtonBox"]
            assert box, f"{name}: no button row"
            for button in box:  # the button row is never scrolled away
                assert button.isVisible() and _inside(button, area), (name, button.text())
                assert dialog.rect().contains(
                    QRect(button.mapTo(dialog, button.rect().topLeft()), button.size()))
            dialog.done(0)
            dialog.deleteLater()


@pytest.mark.parametrize("size", [(1100, 700), *SIZES], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_itinerary_toolbar_keeps_its_primary_actions(size, demo_services, make_window,
                                                         qtbot):
    window = make_window(demo_services)
    window.resize(*size)
    assert window.visit_actions.open_visit(demo_services.visits.resolve(VISIT))
    workspace = window.workspace
    workspace.show_tab(workspace.ITINERARY)
    itinerary = workspace.itinerary
    qtbot.waitUntil(lambda: itinerary.isVisible())
    extension = itinerary.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible()  # nothing folded behind "»"
    toolbar_rect = _global_rect(itinerary.toolbar)
    for action in itinerary.primary_actions():
        button = itinerary.toolbar.widgetForAction(action)
        assert button is not None and button.isVisible(), action.text()
        assert toolbar_rect.contains(_global_rect(button)), action.text()
        assert _inside(button, QRect(window.mapToGlobal(window.rect().topLeft()),
                                     window.size()))
        assert action.toolTip() and not action.shortcut().isEmpty(), action.text()
        assert action in itinerary.more_menu.actions()  # every action is in a menu
    window.resize(960, size[1])  # narrower still: icons with tooltips, nothing folded
    qtbot.waitUntil(lambda: itinerary.toolbar.toolButtonStyle().name == "ToolButtonIconOnly")
    qtbot.waitUntil(lambda: extension is None or not extension.isVisible())


def test_fields_open_at_their_start(demo_services, make_window, qtbot):
    from ui.screenshots import dialog_makers

    window = make_window(demo_services)
    visit_id = demo_services.visits.resolve(VISIT)
    makers = dialog_makers(demo_services, window, visit_id)
    for name in ("event-editor", "person-editor", "visit-editor"):
        dialog = makers[name]()
        long = dialog.findChildren(QLineEdit)
        for line in long:
            if line.isEnabled() and not line.isReadOnly():
                line.setText("Reception for the Diplomatic Corps accredited to the "
                             "United Nations, with the Secretary-General")
        dialog.show()
        qtbot.waitExposed(dialog)
        assert long, name
        assert all(line.cursorPosition() == 0 for line in long if not line.hasSelectedText()), \
            name
        dialog.done(0)
        dialog.deleteLater()


def _clipped_rect(widget) -> QRect:
    """The part of ``widget`` its ancestors leave on screen (a scroll area's viewport
    clips what is scrolled away)."""
    rect = _global_rect(widget)
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.intersected(_global_rect(parent))
        parent = parent.parentWidget()
    return rect


def _wholly_shown(widget, area: QRect) -> bool:
    rect = _global_rect(widget)
    return widget.isVisible() and _clipped_rect(widget) == rect and area.contains(rect)


def _assert_cells_not_cut(table) -> None:
    """Every shown cell's text fits its cell, wrapped (no "…")."""
    from PySide6.QtCore import Qt

    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            if table.isColumnHidden(col):
                continue
            text = table.item(row, col).text()
            if "\n" not in text and metrics.horizontalAdvance(text) + 12 <= table.columnWidth(col):
                continue  # one line that fits
            room = QRect(0, 0, table.columnWidth(col) - 12, 100_000)  # less the cell margins
            need = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text).height()
            assert table.rowHeight(row) >= need, (row, col, text)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_review_and_history_tabs_keep_their_primary_buttons_on_screen(
        size, demo_services, make_window, qtbot):
    area = QRect(0, 0, size[0], size[1] - TASKBAR)
    visit = demo_services.visits.get(VISIT)
    tour = next(e for e in visit.events if e.kind == "tour" and e.venue_name)
    demo_services.reviews.set_venue_controlled(next(  # a finding: the review has its table
        v.id for v in demo_services.travel.venues() if v.name == tour.venue_name), True)
    window = make_window(demo_services)
    with simulated_screen(area):
        window.setGeometry(area)
        qtbot.waitUntil(lambda: window.size() == area.size())
        assert window.visit_actions.open_visit(demo_services.visits.resolve(VISIT))
        workspace = window.workspace
        shown = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
        workspace.show_tab(workspace.REVIEW)
        review = workspace.review
        qtbot.waitUntil(review.isVisible)
        assert review.findings.isVisible()
        table = review.findings

        def fitted() -> None:
            _assert_cells_not_cut(table)
            # as tall as its one finding: no empty box below it
            assert table.height() <= (table.horizontalHeader().height() + table.rowHeight(0)
                                      + 2 * table.frameWidth() + 20)

        qtbot.waitUntil(fitted, timeout=2000)
        for button in (review.decide_button, review.save_checklist_button):
            assert _wholly_shown(button, shown), (button.text(), _clipped_rect(button), shown)
        workspace.show_tab(workspace.HISTORY)
        history = workspace.history
        qtbot.waitUntil(history.isVisible)
        for button in (history.open_button, history.reprint.button):
            assert _wholly_shown(button, shown), (button.text(), _clipped_rect(button), shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_controlled_venues_show_each_venue_and_its_address_whole(
        size, demo_services, make_window, qtbot):
    from ui.dialogs.controlled_venues import ControlledVenuesDialog

    area = QRect(0, 0, size[0], size[1] - TASKBAR)
    window = make_window(demo_services)
    with simulated_screen(area):
        dialog = ControlledVenuesDialog(demo_services, window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
    venues = dialog.venues
    assert venues.count() > 5
    assert venues.sizeHintForColumn(0) <= venues.viewport().width()  # nothing cut
    assert not venues.horizontalScrollBar().isVisible()
    assert not venues.verticalScrollBar().isVisible()  # the demo's venues all in view

"""Dialogs that fit the screen: the body scrolls, the buttons always stay in view.

:func:`fit_to_screen` is called once at the end of a dialog's constructor.  It moves
everything above the dialog's button row (a :class:`QDialogButtonBox`, or the last row of
the layout, or the widget/layout given as ``buttons``) into a frameless scroll area, and
on every show sizes the dialog to what it wants, bounded by the screen's available
geometry, and moves it inside that geometry.  When the body is taller than the screen,
it scrolls; the buttons stay below it, on screen.  On show it also puts every line and
text field back at its start (:func:`show_fields_from_start`): a long title opens as
"Reception for the Diplomatic…", not "…n for the Diplomatic Corps".

The available geometry is the dialog's screen's :meth:`QScreen.availableGeometry`
(taskbars excluded).  :func:`simulated_screen` replaces it for tests and screenshots
(``with simulated_screen(QRect(0, 0, 1366, 768)): ...``), so a 1366×768 laptop can be
checked on any machine.

A dialog with a side-by-side layout of its own (the briefing book's preview) can ask
:func:`available_rect` for the space and choose its orientation from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

#: Room left for the window manager's title bar and frame around a dialog.
FRAME_ALLOWANCE = QSize(16, 40)

_simulated: list[QRect] = []


@contextmanager
def simulated_screen(available: QRect) -> Iterator[QRect]:
    """Make :func:`available_rect` answer ``available`` inside the ``with`` block."""
    _simulated.append(QRect(available))
    try:
        yield available
    finally:
        _simulated.pop()


def available_rect(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (taskbars excluded), or the simulated one."""
    if _simulated:
        return QRect(_simulated[-1])
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def show_fields_from_start(widget: QWidget) -> None:
    """Every line field shows its beginning, cursor at the start; text fields too."""
    for line in widget.findChildren(QLineEdit):
        if not line.hasSelectedText():
            line.setCursorPosition(0)
    for text in widget.findChildren(QPlainTextEdit) + widget.findChildren(QTextEdit):
        cursor = text.textCursor()
        if not cursor.hasSelection() and cursor.position() != 0:
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            text.setTextCursor(cursor)
        text.verticalScrollBar().setValue(0)
        text.horizontalScrollBar().setValue(0)


class _FitOnShow(QObject):
    """Sizes the dialog (and shows its fields from the start) each time it is shown."""

    def __init__(self, dialog: QDialog, body: QWidget, buttons: QWidget | QLayout) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.body = body
        self.buttons = buttons
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() == QEvent.Type.Show:
            size_to_screen(self.dialog)
            show_fields_from_start(self.dialog)
        return False

    def wanted_size(self) -> QSize:
        """What the dialog would like without a scroll bar: its body and its buttons."""
        margins = self.dialog.layout().contentsMargins()
        body = self.body.sizeHint().expandedTo(self.body.minimumSizeHint())
        row = self.buttons.sizeHint()
        bar = self.dialog.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = max(body.width(), row.width()) + margins.left() + margins.right()
        height = body.height() + row.height() + margins.top() + margins.bottom()
        return QSize(width + bar // 2, height + self.dialog.layout().spacing())


def _take_button_row(layout: QLayout, buttons: QWidget | QLayout | None
                     ) -> QWidget | QLayout | None:
    """Remove the button row from ``layout`` (searching nested layouts); return it."""
    if buttons is None:
        last = layout.itemAt(layout.count() - 1) if layout.count() else None
        if last is not None and (isinstance(last.widget(), QDialogButtonBox)
                                 or last.layout() is not None):
            buttons = last.widget() or last.layout()
        else:
            buttons = layout.parentWidget().findChild(QDialogButtonBox) \
                if layout.parentWidget() else None
        if buttons is None:
            return None
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is buttons or item.layout() is buttons:
            layout.takeAt(index)
            return buttons
        inner = item.layout()
        if inner is not None and _take_button_row(inner, buttons) is not None:
            return buttons
    return None


def fit_to_screen(dialog: QDialog, *, buttons: QWidget | QLayout | None = None) -> QScrollArea:
    """Put ``dialog``'s body in a scroll area above its buttons and keep it on screen.

    Call it once the dialog's layout is complete.  Returns the scroll area (its widget
    is the body).  Safe to call twice (the second call does nothing)."""
    existing = dialog.findChild(QScrollArea, "fitBody")
    if existing is not None:
        return existing
    layout = dialog.layout()
    margins, spacing = layout.contentsMargins(), layout.spacing()
    row = _take_button_row(layout, buttons)
    body = QWidget()
    body.setObjectName("fitBodyWidget")
    body.setLayout(layout)  # takes the layout (and its widgets) from the dialog
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(), 4)
    scroll = QScrollArea()
    scroll.setObjectName("fitBody")
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
    scroll.setWidget(body)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, margins.bottom())
    outer.setSpacing(max(spacing, 6))
    outer.addWidget(scroll, 1)
    if row is not None:
        holder = QVBoxLayout()
        holder.setContentsMargins(margins.left(), 0, margins.right(), 0)
        if isinstance(row, QWidget):
            holder.addWidget(row)
        else:
            holder.addLayout(row)
        outer.addLayout(holder)
    _FitOnShow(dialog, body, row if row is not None else QWidget())
    size_to_screen(dialog)
    return scroll


def size_to_screen(dialog: QDialog) -> None:
    """Size ``dialog`` to what it wants within the available geometry, and move it inside."""
    fitter = dialog.findChild(_FitOnShow)
    area = available_rect(dialog)
    limit = QSize(area.width() - FRAME_ALLOWANCE.width(),
                  area.height() - FRAME_ALLOWANCE.height())
    minimum = dialog.minimumSize()
    if minimum.width() > limit.width() or minimum.height() > limit.height():
        dialog.setMinimumSize(minimum.boundedTo(limit))
    wanted = fitter.wanted_size() if fitter is not None else dialog.sizeHint()
    if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized):
        wanted = wanted.expandedTo(dialog.size())
    size = wanted.boundedTo(limit).expandedTo(dialog.minimumSize())
    dialog.resize(size)
    frame_top = FRAME_ALLOWANCE.height() - FRAME_ALLOWANCE.width() // 2
    x = min(max(dialog.x(), area.left()), area.right() + 1 - size.width())
    y = min(max(dialog.y(), area.top() + frame_top), area.bottom() + 1 - size.height())
    if not dialog.isVisible() and dialog.parentWidget() is not None:
        centre = dialog.parentWidget().window().frameGeometry().center()
        x = min(max(centre.x() - size.width() // 2, area.left()),
                area.right() + 1 - size.width())
        y = min(max(centre.y() - size.height() // 2, area.top() + frame_top),
                area.bottom() + 1 - size.height())
    dialog.move(x, y)

"""Editors (dialogs that write one record) and what they share.

* :class:`FieldErrors` — problems from a :class:`~protocol_app.errors.ValidationError`
  shown under the fields they name;
* :class:`RecordHandle` (from :mod:`ui.undo`) — the id and version of a record as this
  user last wrote it, shared by every undo command on that record (an undo after a
  re-create follows the new id);
* :func:`report_problems`, :func:`report_undo_failure` — how an editor answers a refused
  save and an undo that fails later;
* :func:`audience_note`, :func:`tint_sensitive` — how editors mark sensitive fields
  (who may read them, from the one list in ``protocol_app.records.sensitivity``);
* :func:`lock_icon`, :func:`tinted` — small drawing helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from protocol_app.errors import FieldProblem, ProtocolError, ValidationError
from protocol_app.records.sensitivity import SENSITIVE_PERSON_FIELDS, Audience, Sensitivity
from ui.undo import RecordHandle as RecordHandle  # shared by the editors' commands

_INDEX = re.compile(r"\[\d+\]$")


def field_key(path: str) -> str:
    """The field a problem path names: ``attendees[2]`` -> ``attendees``."""
    return _INDEX.sub("", path.split(".")[-1])


def error_color(palette: QPalette) -> QColor:
    """A red that reads on the palette's window colour."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff8a80") if dark else QColor("#b3261e")


class FieldErrors:
    """Error labels placed under fields, keyed by field name."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self.unplaced: list[FieldProblem] = []

    def wrap(self, key: str, field: QWidget, *extra_keys: str) -> QWidget:
        """``field`` with an (initially hidden) error label under it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        label = QLabel()
        label.setObjectName(f"error_{key}")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(palette))
        label.setPalette(palette)
        label.hide()
        layout.addWidget(label)
        for name in (key, *extra_keys):
            self._labels[name] = label
            self._fields[name] = field
        return box

    def label(self, key: str) -> QLabel:
        """The error label of field ``key``."""
        return self._labels[key]

    def clear(self) -> None:
        """Hide every message."""
        self.unplaced = []
        for label in self._labels.values():
            label.clear()
            label.hide()
            field = self._fields.get(label.objectName().removeprefix("error_"))
            if field is not None:
                field.setAccessibleDescription("")

    def show(self, key: str, message: str) -> None:
        """Show ``message`` under field ``key`` (added to any message already there)."""
        label = self._labels.get(key)
        if label is None:
            self.unplaced.append(FieldProblem(key, message))
            return
        text = message[:1].upper() + message[1:]
        label.setText(f"{label.text()}\n{text}" if label.text() else text)
        label.show()
        field = self._fields.get(key)
        if field is not None:
            field.setAccessibleDescription(label.text())

    def show_problems(self, problems: Iterable[FieldProblem]) -> QWidget | None:
        """Show every problem by its field; returns the first field named (to focus)."""
        first: QWidget | None = None
        for problem in problems:
            key = field_key(problem.path)
            self.show(key, problem.message)
            if first is None:
                first = self._fields.get(key)
        return first

    def message(self, key: str) -> str:
        """The text shown under field ``key`` (empty when none)."""
        label = self._labels.get(key)
        return label.text() if label is not None and not label.isHidden() else ""


def report_problems(editor: QWidget, errors: FieldErrors, error: ValidationError) -> None:
    """Show a refused save's problems under their fields (the rest in a message box, as
    "Not saved") and put the focus on the first field named."""
    from ui.dialogs.errors import show_error

    first = errors.show_problems(error.problems)
    if errors.unplaced:
        show_error(editor, "Not saved", ValidationError(errors.unplaced, subject=error.subject))
    if first is not None:
        first.setFocus()


def report_undo_failure(editor: QWidget, error: ProtocolError) -> None:
    """An undo or redo of an editor's command failed later on: just say why, over the
    editor's parent (the editor may have been closed and deleted meanwhile)."""
    from ui.dialogs.errors import show_error

    try:
        parent = editor.parentWidget() or editor
    except RuntimeError:  # the editor was closed and deleted meanwhile
        parent = None
    show_error(parent, "Undo failed", error)


def audience_note(field: str, fields: Sensitivity = SENSITIVE_PERSON_FIELDS) -> str:
    """Who may see a sensitive field (of a person, or of the record ``fields`` lists the
    sensitive fields of), from the one list in ``sensitivity``."""
    allowed = fields.get(field, frozenset())
    if allowed <= {Audience.INTERNAL}:
        return "internal only"
    hidden = [a.value + "s" for a in Audience if a not in allowed]
    shown = [a.value for a in Audience if a in allowed and a != Audience.INTERNAL]
    return f"internal and {', '.join(x + 's' for x in shown)} — not for {', '.join(hidden)}"


def _warning_hue(dark: bool) -> QColor:
    """The warm hue sensitive groups are tinted with."""
    return QColor.fromHsl(32, 200, 120 if dark else 140)


def tint_sensitive(widget: QWidget) -> None:
    """Give ``widget`` (a group of sensitive fields) the warm background that marks them."""
    palette = widget.palette()
    window = palette.color(QPalette.ColorRole.Window)
    dark = window.lightness() < 128
    warm = tinted(palette.color(QPalette.ColorRole.Highlight), _warning_hue(dark), 0.85)
    background = tinted(window, warm, 0.16 if dark else 0.11)
    palette.setColor(QPalette.ColorRole.Window, background)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def tinted(base: QColor, tint: QColor, amount: float) -> QColor:
    """``base`` moved ``amount`` (0..1) of the way towards ``tint``."""
    return QColor(
        round(base.red() + (tint.red() - base.red()) * amount),
        round(base.green() + (tint.green() - base.green()) * amount),
        round(base.blue() + (tint.blue() - base.blue()) * amount),
    )


def lock_icon(size: int, color: QColor) -> QPixmap:
    """A small padlock drawn in ``color`` (crisp at 1x and 2x)."""
    scale = 2
    pixmap = QPixmap(size * scale, size * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size * scale
    pen = QPen(color, max(1.5, s * 0.11))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    shackle.moveTo(QPointF(s * 0.30, s * 0.48))
    shackle.lineTo(QPointF(s * 0.30, s * 0.32))
    shackle.arcTo(QRectF(s * 0.30, s * 0.10, s * 0.40, s * 0.40), 180, -180)
    shackle.lineTo(QPointF(s * 0.70, s * 0.48))
    painter.drawPath(shackle)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(s * 0.18, s * 0.44, s * 0.64, s * 0.48), s * 0.08, s * 0.08)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap



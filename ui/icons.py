"""Icons and colours that follow the palette, and the small look helpers every page shares.

Icons are line drawings in ``resources/icons`` (SVG).

The SVG files use two placeholder colours, ``currentColor`` (the text colour) and
``accentColor`` (the palette's highlight).  :func:`icon` renders them at any size and
device-pixel ratio with the colours of the current palette, so every icon reads in
light and dark mode and stays sharp on high-DPI screens.  A missing file falls back to
a QStyle standard icon, never to nothing.

:func:`secondary` dims a label with the palette's placeholder colour (kept in step when
the system switches between light and dark); :func:`tune_table` gives every table the
same row height, left-aligned headers and row selection without a per-cell focus frame.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from protocol_app.resources import resources_root

_FALLBACKS: dict[str, QStyle.StandardPixmap] = {
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "back": QStyle.StandardPixmap.SP_ArrowBack,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
}


@cache
def _svg_source(name: str) -> str | None:
    path = resources_root() / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _palette() -> QPalette:
    return QGuiApplication.palette()


def accent_color(palette: QPalette | None = None) -> QColor:
    """The accent colour of the palette (its highlight)."""
    return (palette or _palette()).color(QPalette.ColorRole.Highlight)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette is a dark one (light text on a dark window)."""
    pal = palette or _palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < pal.color(
        QPalette.ColorRole.WindowText).lightness()


class _PaletteSvgEngine(QIconEngine):
    """Renders one SVG with the palette's colours for the icon's mode."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self._source = source
        self._renderers: dict[tuple[str, str], QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        pal = _palette()
        if mode == QIcon.Mode.Disabled:
            text = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        elif mode == QIcon.Mode.Selected:
            text = pal.color(QPalette.ColorRole.HighlightedText)
        else:
            text = pal.color(QPalette.ColorRole.WindowText)
        accent = (pal.color(QPalette.ColorRole.HighlightedText)
                  if mode == QIcon.Mode.Selected else accent_color(pal))
        if mode == QIcon.Mode.Disabled:
            accent = text
        key = (text.name(), accent.name())
        renderer = self._renderers.get(key)
        if renderer is None:
            svg = self._source.replace("currentColor", key[0]).replace("accentColor", key[1])
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            self._renderers[key] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(mode).render(painter, QRectF(rect))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size * scale), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _PaletteSvgEngine(self._source)

    def key(self) -> str:
        return "protocol-desk-svg"


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (a file ``resources/icons/<name>.svg``) in palette colours."""
    source = _svg_source(name)
    if source is not None:
        return QIcon(_PaletteSvgEngine(source))
    fallback = _FALLBACKS.get(name, QStyle.StandardPixmap.SP_FileIcon)
    return QApplication.style().standardIcon(fallback)


def app_icon() -> QIcon:
    """The application's own icon (fixed brand colours)."""
    path = resources_root() / "icons" / "protocol-desk.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


#: Hue (degrees) of each visit status; lightness and saturation come from the palette.
_STATUS_HUES: dict[str, int] = {
    "proposed": 275, "planned": 210, "confirmed": 140, "completed": 200, "cancelled": 0,
}


def status_color(status: str, palette: QPalette | None = None) -> QColor:
    """A colour for a visit status that reads on the palette's background."""
    pal = palette or _palette()
    dark = is_dark(pal)
    if status == "completed":  # done: a quiet, neutral grey
        return QColor.fromHsl(210, 12, 150 if dark else 120)
    hue = _STATUS_HUES.get(status, 210)
    if status == "planned":
        accent = accent_color(pal)
        if accent.hslHue() >= 0:
            hue = accent.hslHue()
    return QColor.fromHsl(hue, 150 if dark else 170, 150 if dark else 105)


@cache
def _dot(color_name: str, size: int) -> QIcon:
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color_name))
        inset = size * scale * 0.22
        painter.drawEllipse(QRectF(inset, inset, size * scale - 2 * inset,
                                   size * scale - 2 * inset))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


def status_icon(status: str) -> QIcon:
    """A round dot in the status colour (the list's status column)."""
    return _dot(status_color(status).name(), 16)


# -- look helpers ------------------------------------------------------------------------
class _SecondaryText(QObject):
    """Keeps a widget's text in the palette's placeholder colour, also after the system
    palette changes (light/dark)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._busy = False
        widget.installEventFilter(self)
        self.apply(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange and not self._busy and isinstance(
                watched, QWidget):
            self.apply(watched)
        return False

    def apply(self, widget: QWidget) -> None:
        pal = widget.palette()
        color = pal.color(QPalette.ColorRole.PlaceholderText)
        if pal.color(QPalette.ColorRole.WindowText) == color:
            return
        self._busy = True
        try:
            pal.setColor(QPalette.ColorRole.WindowText, color)
            widget.setPalette(pal)
        finally:
            self._busy = False


def secondary(widget: QLabel | QWidget) -> QLabel | QWidget:
    """Show a label's text as secondary (dimmer) text; returns the label."""
    _SecondaryText(widget)
    return widget


class NoFocusDelegate(QStyledItemDelegate):
    """Row-selected tables show the selected row, not a frame around one cell."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


def tune_table(table: QTableView, *, delegate: QStyledItemDelegate | None = None) -> None:
    """The common look of the app's tables: whole rows, alternating colours, no grid,
    roomy rows, left-aligned headers, no focus frame on a single cell."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setItemDelegate(delegate if delegate is not None else NoFocusDelegate(table))

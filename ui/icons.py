"""Icons and colours that follow the palette.

Icons are line drawings in ``resources/icons`` (SVG).

The SVG files use two placeholder colours, ``currentColor`` (the text colour) and
``accentColor`` (the palette's highlight).  :func:`icon` renders them at any size and
device-pixel ratio with the colours of the current palette, so every icon reads in
light and dark mode and stays sharp on high-DPI screens.  A missing file falls back to
a QStyle standard icon, never to nothing.

This module is on the way to the first painted window, so it imports only the Qt
classes an icon needs (each Qt class costs time the first time it is imported); the
helpers for labels and tables are in :mod:`ui.look`.  For the same reason it names the
``Qt`` namespace as ``QtCore.Qt`` inside functions (see :mod:`ui.main_window`).
"""

from __future__ import annotations

from functools import cache

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from protocol_app.resources import resources_root

#: The QStyle standard icon (by name) shown when an icon's SVG file is missing.
_FALLBACKS: dict[str, str] = {
    "warning": "SP_MessageBoxWarning", "back": "SP_ArrowBack",
    "save": "SP_DialogSaveButton", "delete": "SP_TrashIcon", "open": "SP_DialogOpenButton",
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
        pixmap.fill(QColor(0, 0, 0, 0))  # transparent
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
    from PySide6.QtWidgets import QApplication, QStyle  # only for a missing file

    fallback = getattr(QStyle.StandardPixmap, _FALLBACKS.get(name, "SP_FileIcon"))
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
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
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

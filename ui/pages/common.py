"""Pieces the record pages (delegation, gifts, visits) build the same way: a list table
with its actions, the toolbar above it, and a write that reports its failure."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QToolBar,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError
from ui.dialogs.errors import show_error
from ui.dialogs.stale import handle_stale_write
from ui.icons import icon


def list_table(table: QTableView, stretch_column: int) -> None:
    """One row selected at a time, the table's actions as its context menu, columns the
    user can resize, and ``stretch_column`` taking the spare width.

    Call after :func:`ui.look.tune_table`; edit triggers are the caller's."""
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def table_action(owner: QWidget, table: QWidget, text: str, name: str,
                 slot: Callable[[], object], icon_name: str,
                 shortcut: QKeySequence | None = None) -> QAction:
    """An action of ``owner`` in ``table``'s context menu; its ``shortcut`` works while
    the focus is in ``owner``."""
    act = QAction(icon(icon_name), text, owner)
    act.setObjectName(name)
    act.triggered.connect(slot)
    if shortcut is not None:
        act.setShortcut(shortcut)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    table.addAction(act)
    return act


def action_toolbar(title: str, actions: Iterable[QAction] = ()) -> QToolBar:
    """A page's toolbar: small icons with their text beside them."""
    toolbar = QToolBar(title)
    toolbar.setIconSize(QSize(18, 18))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for act in actions:
        toolbar.addAction(act)
    return toolbar


def toolbar_row(toolbar: QToolBar, status: QWidget) -> QHBoxLayout:
    """The toolbar on the left, a status label (counts, totals) on the right."""
    top = QHBoxLayout()
    top.addWidget(toolbar)
    top.addStretch(1)
    top.addWidget(status)
    return top


def run_write(parent: QWidget, fn: Callable[[], object], reload: Callable[[], None]) -> bool:
    """Run a write; a stale write offers ``reload``, any other refusal is shown as
    "Not changed". True when the write went through."""
    try:
        fn()
    except StaleWriteError as exc:
        handle_stale_write(parent, exc, reload)
        return False
    except ProtocolError as exc:
        show_error(parent, "Not changed", exc)
        return False
    return True

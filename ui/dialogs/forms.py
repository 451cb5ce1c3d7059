"""Small pieces every form dialog builds the same way: the accept/Cancel button box,
the dialog's outer column, row labels pointed at their fields, and the line that lists
a refused form's problems."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import FieldProblem

_Save = QDialogButtonBox.StandardButton.Save


def accept_cancel_buttons(dialog: QDialog, accept: QDialogButtonBox.StandardButton = _Save,
                          *, text: str | None = None, name: str = "") -> QDialogButtonBox:
    """An ``accept`` + Cancel button box wired to ``dialog``'s ``accept()``/``reject()``.

    ``text`` relabels the accept button (e.g. "Create person"), ``name`` sets its object
    name; the accept button is ``box.button(accept)``."""
    buttons = QDialogButtonBox(accept | QDialogButtonBox.StandardButton.Cancel)
    button = buttons.button(accept)
    if text is not None:
        button.setText(text)
    if name:
        button.setObjectName(name)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def dialog_column(dialog: QDialog, *items: QWidget | QLayout, spacing: int | None = 12
                  ) -> QVBoxLayout:
    """``dialog``'s layout: ``items`` top to bottom, with the usual dialog margins.

    ``spacing=None`` keeps the style's own spacing.  When the last item is the button
    box, the dialog is fitted to the screen (:func:`ui.dialogs.fit.fit_to_screen`): the
    items above it scroll when the screen is short, the buttons stay in view."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(18, 18, 18, 12)
    if spacing is not None:
        layout.setSpacing(spacing)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    if items and isinstance(items[-1], QDialogButtonBox):
        from ui.dialogs.fit import fit_to_screen

        fit_to_screen(dialog)
    return layout


def set_buddies(form: QFormLayout,
                fields: Iterable[QWidget | tuple[QWidget | QLayout, QWidget]]) -> None:
    """Point each row's label at its field, so that the label's mnemonic focuses it.

    A ``(row field, buddy)`` pair serves a row whose field is a layout or a compound
    widget: the label then focuses ``buddy``."""
    for item in fields:
        field, buddy = item if isinstance(item, tuple) else (item, item)
        label = form.labelForField(field)
        if isinstance(label, QLabel):
            label.setBuddy(buddy)


def show_problems(label: QLabel, problems: Iterable[FieldProblem],
                  names: Mapping[str, str]) -> None:
    """Show ``Please correct: <field> <message>; …`` in ``label``; ``names`` maps a
    problem's path to the field's name as the form shows it."""
    label.setText("Please correct: " + "; ".join(
        f"{names.get(p.path, p.path)} {p.message}" for p in problems))
    label.show()

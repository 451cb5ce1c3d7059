"""Sensitive fields the database login may not read (an assistant or a viewer on the
office's server): their editors are hidden and a line says why, so nobody types notes
that the server would refuse to store or that would seem to be empty."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from protocol_app.records.sensitivity import sensitive_label

WITHHELD = "Not shown: your database login may not read {fields}."


def withhold(box: QWidget, edits: Mapping[str, QWidget], hidden: frozenset[str]
             ) -> QLabel | None:
    """Hide the editors (and their captions) of the ``hidden`` fields inside ``box``;
    returns the line added to say so, or None when nothing is hidden."""
    withheld = [name for name in edits if name in hidden]
    if not withheld:
        return None
    for name in withheld:
        edits[name].hide()
        for caption in box.findChildren(QLabel):
            if caption.buddy() is edits[name]:
                caption.hide()
        for note in box.findChildren(QLabel, f"sensitiveNote_{name}"):
            note.hide()
    line = QLabel(WITHHELD.format(fields=", ".join(sensitive_label(n) for n in withheld)))
    line.setObjectName("withheldFields")
    line.setWordWrap(True)
    layout = box.layout()
    if isinstance(layout, QBoxLayout):  # under the box's heading
        layout.insertWidget(min(1, layout.count()), line)
    elif layout is not None:
        layout.addWidget(line)
    return line

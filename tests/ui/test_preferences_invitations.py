"""Preferences: which kinds of event send calendar invitations."""

from __future__ import annotations

from protocol_app.config import Settings
from ui.dialogs.preferences import PreferencesDialog


def test_the_kinds_that_invite_are_chosen_in_preferences(qtbot) -> None:
    dialog = PreferencesDialog(Settings.load())
    qtbot.addWidget(dialog)
    boxes = dialog.invite_kinds
    assert {k for k, box in boxes.items() if box.isChecked()} == {
        "meeting", "meal", "tour", "ceremony", "press"}
    assert not boxes["transport"].isChecked() and not boxes["private"].isChecked()
    assert boxes["transport"].text() == "Transport"
    boxes["meal"].setChecked(False)
    boxes["transport"].setChecked(True)
    dialog.accept()
    assert Settings.load().invite_kind_set == {"meeting", "tour", "ceremony", "press",
                                               "transport"}
    again = PreferencesDialog(Settings.load())
    qtbot.addWidget(again)
    assert not again.invite_kinds["meal"].isChecked()
    assert again.invite_kinds["transport"].isChecked()

"""The event editor's invitations switch: default (its kind, in preferences), on, off."""

from __future__ import annotations

from ui.editors.event_editor import EDITED_FIELDS, EventEditor

VISIT = "vn-moet-minister-2027"


def _event(services, ref):
    return next(e for e in services.events.list(VISIT) if e.ref == ref)


def test_the_switch_says_the_default_and_is_saved(qtbot, demo_services) -> None:
    assert "invitations" in EDITED_FIELDS
    visit = demo_services.visits.get(VISIT)
    editor = EventEditor(demo_services, visit, _event(demo_services, "e01"))  # a motorcade
    qtbot.addWidget(editor)
    combo = editor.invitations
    assert combo.currentData() is None
    assert combo.itemText(0) == "Default: off (transport events, in Preferences)"
    editor.kind.setCurrentIndex(editor.kind.findData("meal"))
    assert combo.itemText(0) == "Default: on (meal events, in Preferences)"
    editor.kind.setCurrentIndex(editor.kind.findData("transport"))
    combo.setCurrentIndex(combo.findData("on"))
    assert editor.save()
    assert _event(demo_services, "e01").invitations == "on"
    assert "e01" in {i.event_ref for i in demo_services.invites.plan(VISIT).items}

    editor = EventEditor(demo_services, visit, _event(demo_services, "e01"))
    qtbot.addWidget(editor)
    assert editor.invitations.currentData() == "on"
    editor.invitations.setCurrentIndex(0)
    assert editor.save()
    assert _event(demo_services, "e01").invitations is None

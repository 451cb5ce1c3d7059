"""The checks under the agenda: grouped by kind with a count and a severity, one line
each with details on expansion, double-click opens what a finding names, and a finding
can be acknowledged with a reason that is recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.widgets.findings import CHECKED_ROLE, KIND_ROLE, first_sentence

MINISTERIAL = "vn-moet-minister-2027"


def _open(window, services):
    assert window.visit_actions.open_visit(services.visits.resolve(MINISTERIAL))
    return window.workspace


def _groups(panel) -> dict[str, object]:
    tree = panel.tree
    return {tree.topLevelItem(i).data(0, KIND_ROLE): tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())}


def test_findings_are_grouped_by_kind_with_count_and_severity(demo_services, make_window):
    workspace = _open(make_window(demo_services), demo_services)
    panel = workspace.findings
    checked = panel.checked_findings()
    kinds = {c.kind for c in checked}
    groups = _groups(panel)
    assert set(groups) == kinds and "Travel time" in groups
    for kind, group in groups.items():
        members = [c for c in checked if c.kind == kind]
        assert group.childCount() == len(members)
        assert group.text(0).startswith(f"{kind} ({len(members)}) · ")
        severities = {c.finding.severity for c in members}
        word = "error" if "error" in severities else "warning" if "warning" in severities \
            else "note"
        assert f"· {word}" in group.text(0)
    travel = groups["Travel time"].child(0)
    finding = travel.data(0, CHECKED_ROLE).finding
    assert travel.text(0) == first_sentence(finding.message)
    assert "\n" not in travel.text(0)
    assert travel.child(0).text(0) == finding.message  # the details, on expansion


def test_double_click_opens_the_event_and_selects_it_in_the_agenda(demo_services,
                                                                   make_window, qtbot):
    from ui.editors.event_editor import EventEditor

    workspace = _open(make_window(demo_services), demo_services)
    workspace.tabs.setCurrentIndex(workspace.OVERVIEW)
    workspace.tabs.setCurrentIndex(workspace.ITINERARY)
    panel = workspace.findings
    item = _groups(panel)["Travel time"].child(0)
    finding = item.data(0, CHECKED_ROLE).finding
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    # a real double-click: press and release, then the double-click
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: any(isinstance(w, EventEditor) and w.isVisible()
                                for w in workspace.findChildren(EventEditor)))
    event = next(e for e in workspace.itinerary.events() if e.ref == finding.event_refs[0])
    assert workspace.tabs.currentIndex() == workspace.ITINERARY
    assert workspace.itinerary.agenda.canvas.selected_id == event.id
    editor = next(w for w in workspace.findChildren(EventEditor) if w.isVisible())
    assert editor.title_edit.text() == event.title
    editor.reject()


def test_a_person_finding_opens_the_person(demo_services, make_window, qtbot):
    from protocol_app.rules.conflicts import Finding

    workspace = _open(make_window(demo_services), demo_services)
    person = workspace.visit.participants[0]
    editor = workspace.open_finding(Finding("warning", "missing_email", "No e-mail.",
                                            (), (person.person_id,)))
    assert editor is not None and editor.isVisible()
    assert workspace.tabs.currentIndex() == workspace.DELEGATION
    assert workspace.delegation.selected().person_id == person.person_id
    editor.reject()


def test_acknowledging_a_finding_is_recorded_and_shown(demo_services, make_window):
    workspace = _open(make_window(demo_services), demo_services)
    panel = workspace.findings
    assert not panel.acknowledge_button.isEnabled()
    item = _groups(panel)["Travel time"].child(0)
    key = item.data(0, CHECKED_ROLE).key
    panel.tree.setCurrentItem(item.child(0))  # a detail line selects its finding
    assert panel.selected().key == key and panel.acknowledge_button.isEnabled()
    assert panel.acknowledge_selected("Police escort: 10 minutes are enough")
    stored = demo_services.findings.acknowledgements(MINISTERIAL)[key]
    assert stored.reason == "Police escort: 10 minutes are enough"
    assert stored.actor == demo_services.actor
    line = next(i for i in panel._finding_items() if i.data(0, CHECKED_ROLE).key == key)
    assert "acknowledged by" in line.text(0)
    assert any("Police escort" in line.child(i).text(0) for i in range(line.childCount()))
    assert "acknowledged" in panel.summary.text()

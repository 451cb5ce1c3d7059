"""The visit's History tab (who changed what, by save, filtered, sensitive values shown as
"changed", lines that open their record) and the list of printed items to reprint."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from ui.tasks import wait_for_tasks

MINISTERIAL = "vn-moet-minister-2027"


def _open(window, services):
    assert window.visit_actions.open_visit(services.visits.resolve(MINISTERIAL))
    return window.workspace


def _show_history(workspace, qtbot):
    workspace.tabs.setCurrentIndex(workspace.HISTORY)
    qtbot.waitUntil(lambda: workspace.history.isVisible())
    return workspace.history


def test_history_lists_changes_by_save_and_hides_sensitive_values(demo_services, make_window,
                                                                   qtbot) -> None:
    visit = demo_services.visits.get(MINISTERIAL)
    dinner = visit.events[3]
    demo_services.events.update(dinner.id, dinner.version, venue_room="Great Hall",
                                internal_notes="Sniffer dogs at 18:00")
    workspace = _open(make_window(demo_services), demo_services)
    history = _show_history(workspace, qtbot)
    assert workspace.tabs.tabText(workspace.HISTORY) == "Histor&y"
    tree = history.tree
    assert tree.topLevelItemCount() >= 1
    newest = tree.topLevelItem(0)
    assert newest.text(1) == demo_services.actor and "change" in newest.text(0)
    texts = [newest.child(i).text(0) for i in range(newest.childCount())]
    mine = next(t for t in texts if "Great Hall" in t)
    assert "Internal notes: — → changed" in mine and "Sniffer" not in mine
    assert all("Sniffer" not in line.text for line in history.lines())

    # filtered by the event: only its lines; by a person: only theirs
    assert history.filter.findData(f"event:{dinner.id}") > 0
    history.filter.setCurrentIndex(history.filter.findData(f"event:{dinner.id}"))
    assert history.lines() and all(line.event_id == dinner.id for line in history.lines())
    head = visit.participants[0]
    history.filter.setCurrentIndex(history.filter.findData(f"person:{head.person_id}"))
    assert all(line.person_id == head.person_id or line.entity == "event"
               for line in history.lines())


def test_a_history_line_opens_its_event(demo_services, make_window, qtbot) -> None:
    from ui.editors.event_editor import EventEditor

    visit = demo_services.visits.get(MINISTERIAL)
    dinner = visit.events[3]
    demo_services.events.update(dinner.id, dinner.version, venue_room="Great Hall")
    workspace = _open(make_window(demo_services), demo_services)
    history = _show_history(workspace, qtbot)
    newest = history.tree.topLevelItem(0)
    item = newest.child(newest.childCount() - 1)  # the last line of the newest save
    assert item.data(0, 0x0100).event_id == dinner.id
    history.tree.setCurrentItem(item)
    assert history.open_button.isEnabled()
    history.open_button.click()
    qtbot.waitUntil(lambda: any(isinstance(w, EventEditor) and w.isVisible()
                                for w in workspace.findChildren(EventEditor)))
    editor = next(w for w in workspace.findChildren(EventEditor) if w.isVisible())
    assert editor.title_edit.text() == dinner.title
    assert workspace.tabs.currentIndex() == workspace.ITINERARY
    editor.reject()


def test_the_reprint_list_and_reprinting_only_what_changed(demo_services, make_window, qtbot,
                                                            tmp_path: Path) -> None:
    s = demo_services
    visit = s.visits.get(MINISTERIAL)
    head = next(p for p in visit.participants if p.role == "head")
    s.editions.publish_book(MINISTERIAL, "guest", tmp_path / "guests.pdf")
    s.editions.publish_book(MINISTERIAL, "guest", tmp_path / "head.pdf", person=head.person_id)
    workspace = _open(make_window(s), s)
    history = _show_history(workspace, qtbot)
    assert history.reprint.list.count() == 0
    assert history.reprint.status.text() == "Every printed item is up to date."
    assert not history.reprint.button.isEnabled()

    event = next(e for e in visit.events if head.person_id in e.attendee_ids
                 and e.status != "cancelled" and e.visibility in (None, "all"))
    s.events.move(event.id, event.version, event.start_utc + timedelta(hours=1))
    workspace.refresh()
    qtbot.waitUntil(lambda: history.reprint.list.count() == 2)
    lines = [history.reprint.list.item(i).text() for i in range(2)]
    assert any(line.startswith("Guests' book (edition 1)") for line in lines)
    assert any(line.startswith("Personal copy") for line in lines)
    assert all(f"{event.title} moved" in line for line in lines)

    made = []
    history.reprint.reprinted.connect(made.append)
    history.reprint.reprint_to(tmp_path / "again")
    qtbot.waitUntil(lambda: bool(made), timeout=60_000)
    wait_for_tasks()
    assert sorted((e.kind, e.number) for e in made[0]) == [("book", 2), ("personal_copy", 2)]
    assert history.reprint.list.count() == 0
    book = next(Path(e.path) for e in made[0] if e.kind == "book")
    second_page = PdfReader(book).pages[1].extract_text() or ""
    assert "Changes since the last edition" in second_page and event.title.split()[0] in \
        second_page


def test_a_save_is_dated_on_this_computers_clock_not_the_visits_zone(
        demo_services, make_window, qtbot) -> None:
    import os
    import time

    from protocol_app.formatting import format_datetime

    visit = demo_services.visits.get(MINISTERIAL)  # a New York visit
    demo_services.events.update(visit.events[3].id, visit.events[3].version,
                                venue_room="Great Hall")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"  # this computer in Tokyo
    time.tzset()
    try:
        history = _show_history(_open(make_window(demo_services), demo_services), qtbot)
        save = demo_services.history.visit_history(visit.id)[0]
        local = format_datetime(save.at.astimezone())
        assert local != format_datetime(save.at, "America/New_York")  # the check can tell
        assert history.tree.topLevelItem(0).text(0).startswith(local + " — ")
        assert "this computer's time" in history.tree.topLevelItem(0).toolTip(0)
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()

"""A new event starts tentative, in the event editor as in the service: an officer
confirms it when the host says so."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from ui.editors.event_editor import EventEditor

VISIT = "vn-moet-minister-2027"


def test_a_new_event_in_the_editor_starts_tentative(qtbot, demo_services) -> None:
    visit = demo_services.visits.get(VISIT)
    editor = EventEditor(demo_services, visit, None,
                         start=datetime(2027, 3, 12, 9, tzinfo=ZoneInfo(visit.timezone)))
    qtbot.addWidget(editor)
    assert editor.status.currentData() == "tentative"
    editor.title_edit.setText("Courtesy call on the Provost")
    with qtbot.waitSignal(editor.saved) as saved:
        assert editor.save()
    assert saved.args[0].status == "tentative"
    stored = next(e for e in demo_services.events.list(VISIT)
                  if e.title == "Courtesy call on the Provost")
    assert stored.status == "tentative"


def test_the_service_creates_tentative_events_unless_told(demo_services) -> None:
    visit = demo_services.visits.get(VISIT)
    zone = ZoneInfo(visit.timezone)
    plain = demo_services.events.create(
        visit.id, title="Walk on campus", start=datetime(2027, 3, 12, 8, tzinfo=zone),
        end=datetime(2027, 3, 12, 9, tzinfo=zone))
    assert plain.status == "tentative"
    confirmed = demo_services.events.create(
        visit.id, title="Press point", start=datetime(2027, 3, 12, 10, tzinfo=zone),
        end=datetime(2027, 3, 12, 11, tzinfo=zone), status="confirmed")
    assert confirmed.status == "confirmed"


def test_the_event_editor_offers_attendees_in_order_of_precedence(qtbot, demo_services) -> None:
    visit = demo_services.visits.get(VISIT)
    editor = EventEditor(demo_services, visit, None)
    qtbot.addWidget(editor)
    offered = [editor.attendees.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(editor.attendees.count())]
    ranked = sorted(visit.participants, key=lambda p: p.precedence)
    assert offered == [p.person_id for p in ranked]
    hosts = [p.person.family_name for p in ranked if p.side == "host"]
    assert hosts[:2] == ["Mercer", "Szabó"]  # the President, then the Provost

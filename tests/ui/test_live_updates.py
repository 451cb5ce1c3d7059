"""Live updates: a change committed through a second connection (another workstation,
another window) appears in the open window within two seconds, on an SQLite file
(PRAGMA data_version) and on the server (NOTIFY); an editor with unsaved edits is told,
not overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_app.services import Services

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def office(request, tmp_path):
    """The database two workstations share: an SQLite file, or a server database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_database")
    return tmp_path / "office.sqlite3"


@pytest.fixture
def two_workstations(office):
    """This window's services and another workstation's, on one database, with a visit."""
    here, there = Services.open(office, actor="here"), Services.open(office, actor="there")
    visit = there.visits.create(title="Visit of the Rector", timezone="Europe/Paris",
                                start_date=date(2027, 5, 3), end_date=date(2027, 5, 5),
                                country="FR")
    person = there.people.create(family_name="Moreau", given_name="Claire", country="FR")
    there.visits.add_participant(visit.id, person.id, "guest", "head")
    yield here, there, visit.id, person.id
    here.close()
    there.close()


def _open(make_window, qtbot, services, visit_id):
    window = make_window(services)
    qtbot.waitUntil(lambda: getattr(window, "live_updates", None) is not None, timeout=5000)
    assert window.visit_actions.open_visit(visit_id)
    return window


def test_a_change_from_another_connection_appears_in_the_open_window_within_two_seconds(
        two_workstations, make_window, qtbot):
    here, there, visit_id, _person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    assert window.workspace.title.text() == "Visit of the Rector"
    stored = there.visits.get(visit_id)
    there.visits.update(visit_id, stored.version, title="Visit of the Rector, postponed")
    qtbot.waitUntil(lambda: window.workspace.title.text() == "Visit of the Rector, postponed",
                    timeout=2000)
    # a new guest added elsewhere shows in the delegation
    guest = there.people.create(family_name="Lefèvre", given_name="Paul", country="FR")
    there.visits.add_participant(visit_id, guest.id, "guest", "member")
    qtbot.waitUntil(lambda: len(window.workspace.visit.participants) == 2, timeout=2000)


def test_an_editor_with_unsaved_edits_is_told_not_overwritten(two_workstations, make_window,
                                                              qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.live_updates import CHANGED_ELSEWHERE

    here, there, visit_id, person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    delegation = window.workspace.delegation
    window.workspace.show_tab(window.workspace.DELEGATION)
    delegation.select_person(person_id)
    delegation.edit_person()
    editor = delegation.person_editor
    qtbot.waitUntil(editor.isVisible, timeout=2000)
    editor.position.setText("Rector")  # typed, not saved
    assert editor.is_dirty()
    person = there.people.get(person_id)
    there.people.update(person_id, person.version, position="Vice-Rector")

    def told() -> bool:
        notice = editor.findChild(QLabel, "changedElsewhere")
        return notice is not None and notice.isVisible()

    qtbot.waitUntil(told, timeout=2000)
    assert editor.findChild(QLabel, "changedElsewhere").text() == CHANGED_ELSEWHERE
    assert editor.position.text() == "Rector" and editor.is_dirty()
    editor.position.setText("")  # leave without the unsaved-changes question
    editor.done(0)


def test_an_editor_without_edits_is_not_told(two_workstations, make_window, qtbot):
    from PySide6.QtWidgets import QLabel

    here, there, visit_id, person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    window.workspace.delegation.select_person(person_id)
    window.workspace.delegation.edit_person()
    editor = window.workspace.delegation.person_editor
    with qtbot.waitSignal(window.live_updates.refreshed, timeout=2000):
        stored = there.visits.get(visit_id)
        there.visits.update(visit_id, stored.version, title="Renamed")
    assert editor.findChild(QLabel, "changedElsewhere") is None
    editor.done(0)


# -- the server connection lost and found again ---------------------------------------
def test_the_reconnect_waits_double_each_time_up_to_thirty_seconds():
    from ui.live_updates import retry_delay_ms

    assert [retry_delay_ms(n) for n in range(7)] == [
        1000, 2000, 4000, 8000, 16000, 30000, 30000]
    assert retry_delay_ms(10_000) == 30000


@pytest.fixture
def server_office(pg_cluster, two_workstations, make_window, qtbot):
    """``two_workstations`` on the server with this window open on the visit; the
    database's name; new connections allowed again afterwards."""
    from sqlalchemy.engine import make_url

    here, there, visit_id, _person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    name = make_url(here.db.url).database
    yield window, here, there, visit_id, name
    pg_cluster.allow_connections(name, True)


def _status(window) -> str:
    from PySide6.QtWidgets import QLabel

    label = window.statusBar().findChild(QLabel, "liveUpdatesStatus")
    return label.text() if label is not None and label.isVisible() else ""


def _cut_off(pg_cluster, name: str) -> int:
    """End the window's feed connection and refuse new ones (the server stays up for the
    other tests): how many feed sessions were ended."""
    from protocol_app.db.changes import APPLICATION_NAME

    pg_cluster.allow_connections(name, False)
    return pg_cluster.end_sessions(name, APPLICATION_NAME)


@pytest.mark.postgresql_only
@pytest.mark.parametrize("office", ["postgresql"], indirect=True)
def test_after_the_feed_connection_is_ended_the_window_says_paused_then_resumed_and_follows_on(
        server_office, pg_cluster, qtbot):
    from ui.live_updates import PAUSED, RESUMED

    window, _here, there, visit_id, name = server_office
    live = window.live_updates
    assert _cut_off(pg_cluster, name) == 1  # and the window cannot come back too soon
    qtbot.waitUntil(lambda: _status(window) == PAUSED, timeout=5000)
    assert live.paused and live.feed is not None and live.retry_timer.isActive()
    # written while the window could not hear: its notification is lost for good
    stored = there.visits.get(visit_id)
    there.visits.update(visit_id, stored.version, title="Renamed while the window was away")
    pg_cluster.allow_connections(name, True)
    qtbot.waitUntil(lambda: _status(window) == RESUMED, timeout=15000)
    assert not live.paused and live.timer.isActive()
    # read again on resuming, as F5 would
    assert window.workspace.title.text() == "Renamed while the window was away"
    there.visits.update(visit_id, stored.version + 1, title="Renamed after the window was back")
    qtbot.waitUntil(
        lambda: window.workspace.title.text() == "Renamed after the window was back",
        timeout=5000)


@pytest.mark.postgresql_only
@pytest.mark.parametrize("office", ["postgresql"], indirect=True)
def test_after_the_server_ended_every_session_the_window_resumes_and_reads_through_new_ones(
        server_office, pg_cluster, qtbot):
    from ui.live_updates import PAUSED, RESUMED

    window, here, _there, visit_id, name = server_office
    assert pg_cluster.end_sessions(name) >= 3  # as a restart would: the feed's and the pools'
    qtbot.waitUntil(lambda: _status(window) == PAUSED, timeout=5000)
    with qtbot.waitSignal(window.live_updates.resumed, timeout=15000):
        pass
    assert _status(window) == RESUMED
    elsewhere = Services.open(here.db.url, actor="elsewhere")  # a fresh workstation
    try:
        stored = elsewhere.visits.get(visit_id)
        elsewhere.visits.update(visit_id, stored.version, title="Renamed after the restart")
    finally:
        elsewhere.close()
    qtbot.waitUntil(lambda: window.workspace.title.text() == "Renamed after the restart",
                    timeout=5000)


@pytest.mark.postgresql_only
@pytest.mark.parametrize("office", ["postgresql"], indirect=True)
def test_while_the_server_stays_unreachable_the_waits_grow_and_the_window_stays_responsive(
        server_office, pg_cluster, qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    from ui import live_updates
    from ui.live_updates import PAUSED, RESUMED

    monkeypatch.setattr(live_updates, "FIRST_RETRY_MS", 100)  # the same doubling, sooner
    window, _here, _there, _visit_id, name = server_office
    live = window.live_updates
    waits: list[int] = []
    live.retry_scheduled.connect(waits.append)
    _cut_off(pg_cluster, name)  # every attempt is refused by the server
    qtbot.waitUntil(lambda: len(waits) >= 5, timeout=20000)
    assert waits[:5] == [100, 200, 400, 800, 1600]
    assert live.failed_attempts >= 4 and live.paused
    assert "is not currently accepting connections" in live.status.toolTip()  # the server's words
    assert _status(window) == PAUSED  # said once, still there
    # the window answers meanwhile: events run, F5 reads through its open connections
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=5000)
    window.refresh_all()
    assert window.workspace.title.text() == "Visit of the Rector"
    pg_cluster.allow_connections(name, True)
    qtbot.waitUntil(lambda: _status(window) == RESUMED, timeout=20000)
    assert live.failed_attempts == 0


@pytest.mark.postgresql_only
@pytest.mark.parametrize("office", ["postgresql"], indirect=True)
def test_closing_the_window_while_a_reconnect_is_pending_stops_it_quietly(
        server_office, pg_cluster, qtbot):

    window, _here, _there, _visit_id, name = server_office
    live = window.live_updates
    _cut_off(pg_cluster, name)
    qtbot.waitUntil(lambda: live.paused, timeout=5000)
    assert window.close()
    assert live.feed is None and not live.retry_timer.isActive() and not live.timer.isActive()
    live.reconnect()  # a retry that was already due does nothing
    live.poll()
    assert live.feed is None

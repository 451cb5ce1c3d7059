"""The change feed after its server connection is lost: the loss is told apart from other
errors and names the server, a reconnect hears notifications again and reports that
anything may have changed (what was sent meanwhile was not heard), and after the server
ended every session the services read through fresh connections."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from protocol_app.db.changes import APPLICATION_NAME, ChangeFeed, Changes
from protocol_app.db.database import Database
from protocol_app.errors import ConnectionLostError, DatabaseError
from protocol_app.services import Services
from tests.support.change_feed import wait_for_changes, wait_until_lost
from tests.support.smtp import free_port


def _create_visit(services: Services, title: str = "Visit of the Rector") -> int:
    return services.visits.create(title=title, timezone="UTC", start_date=date(2027, 1, 1),
                                  end_date=date(2027, 1, 2), country="FR").id


@pytest.fixture
def office(pg_cluster, pg_database) -> Iterator[tuple]:
    """A watcher's services with an open feed, another workstation's services, the
    database's name and a visit."""
    watcher, other = Services.open(pg_database, actor="a"), Services.open(pg_database, actor="b")
    visit_id = _create_visit(other)
    feed = watcher.open_change_feed()
    name = make_url(pg_database).database
    try:
        yield watcher, other, feed, name, visit_id
    finally:
        pg_cluster.allow_connections(name, True)
        feed.close()
        watcher.close()
        other.close()


@pytest.mark.postgresql_only
def test_a_lost_connection_is_told_by_server_and_a_reconnect_hears_changes_again(
        office, pg_cluster):
    watcher, other, feed, name, visit_id = office
    assert not feed.poll()
    assert pg_cluster.end_sessions(name, APPLICATION_NAME) == 1  # the feed's, by its name
    lost = wait_until_lost(feed)
    assert isinstance(lost, DatabaseError)
    assert str(lost).startswith("Lost the connection to the database server ")
    assert f":{pg_cluster.port} (database {name})" in str(lost)
    assert "\n" not in str(lost) and "Traceback" not in str(lost)
    with pytest.raises(ConnectionLostError):  # it stays lost until reconnected
        feed.poll()

    stored = other.visits.get(visit_id)
    other.visits.update(visit_id, stored.version, title="Renamed while the feed was away")
    everything = feed.reconnect()  # the notification of that update was never heard
    assert everything == Changes.anything()
    assert everything.touches(visit_id) and everything.touches(visit_id + 1000)

    assert not feed.poll()
    other.visits.update(visit_id, stored.version + 1, title="Renamed after the reconnect")
    assert wait_for_changes(feed, bool, 5.0).visit_ids == {visit_id}
    mine = watcher.visits.get(visit_id)  # the watcher's own writes are still left out
    watcher.visits.update(visit_id, mine.version, title="Renamed by the watcher")
    time.sleep(0.3)
    assert not feed.poll()


@pytest.mark.postgresql_only
def test_while_the_database_refuses_connections_a_reconnect_says_so_and_a_later_one_works(
        office, pg_cluster):
    _watcher, other, feed, name, visit_id = office
    pg_cluster.allow_connections(name, False)
    pg_cluster.end_sessions(name, APPLICATION_NAME)
    wait_until_lost(feed)
    for _attempt in range(2):
        with pytest.raises(ConnectionLostError) as refused:
            feed.reconnect()
        message = str(refused.value)
        assert message.startswith(f"Cannot reach the database server {feed.server}: ")
        assert "is not currently accepting connections" in message
        with pytest.raises(ConnectionLostError, match="is not connected"):
            feed.poll()
    pg_cluster.allow_connections(name, True)
    assert feed.reconnect().any_visit
    stored = other.visits.get(visit_id)
    other.visits.update(visit_id, stored.version, title="Back")
    assert wait_for_changes(feed, bool, 5.0).touches(visit_id)


@pytest.mark.postgresql_only
def test_after_the_server_ended_every_session_the_services_read_through_fresh_connections(
        office, pg_cluster):
    watcher, _other, feed, name, visit_id = office
    assert [v.id for v in watcher.visits.list()] == [visit_id]  # a pooled connection
    assert pg_cluster.end_sessions(name) >= 2  # as a server restart would: the pool's too
    wait_until_lost(feed)
    assert feed.reconnect().any_visit
    assert [v.id for v in watcher.visits.list()] == [visit_id]
    elsewhere = Services.open(watcher.db.url, actor="c")
    try:
        _create_visit(elsewhere, "Visit of the Dean")
    finally:
        elsewhere.close()
    # the new write is heard, not taken for our own
    assert wait_for_changes(feed, bool, 5.0).visit_ids


def test_a_server_with_nothing_listening_is_named_and_no_driver_traceback_escapes():
    port = free_port()
    url = f"postgresql+psycopg://protocol_desk@127.0.0.1:{port}/office"
    with pytest.raises(ConnectionLostError) as refused:
        ChangeFeed(Database(url, create_engine(url)))
    assert str(refused.value).startswith(
        f"Cannot reach the database server 127.0.0.1:{port} (database office): ")
    assert "\n" not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_on_sqlite_a_reconnect_reports_everything_and_the_feed_polls_on(tmp_path):
    target = tmp_path / "office.sqlite3"
    watcher, other = Services.open(target, actor="a"), Services.open(target, actor="b")
    try:
        feed = watcher.open_change_feed()
        try:
            assert not feed.poll()
            assert feed.reconnect() == Changes.anything()
            assert not feed.poll()
            _create_visit(other)
            assert wait_for_changes(feed, bool, 5.0).any_visit
        finally:
            feed.close()
            feed.close()  # closing twice is harmless
    finally:
        watcher.close()
        other.close()

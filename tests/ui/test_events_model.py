"""The events table model, without widgets: columns, zones, DST, statuses."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from protocol_app.services.values import EventRecord
from ui.models import events_model as em

NY = "America/New_York"
HCM = "Asia/Ho_Chi_Minh"


def _event(id_: int, start: datetime, end: datetime, *, zone: str = NY, title: str = "Meeting",
           status: str = "confirmed", host: int | None = None) -> EventRecord:
    return EventRecord(id=id_, visit_id=1, ref=f"e{id_}", title=title, kind="meeting",
                       start_utc=start, end_utc=end, timezone=zone, status=status,
                       venue_name="Founders Hall", venue_room="Great Hall",
                       host_person_id=host)


@pytest.fixture
def model(qapp) -> em.EventsTableModel:
    m = em.EventsTableModel()
    m.set_rows(
        [
            # listed out of order on purpose: the model sorts by start
            _event(2, datetime(2027, 3, 14, 14, 0, tzinfo=UTC),  # 10:00 EDT (after the change)
                   datetime(2027, 3, 14, 15, 0, tzinfo=UTC), title="Farewell breakfast"),
            _event(1, datetime(2027, 3, 12, 14, 0, tzinfo=UTC),  # 09:00 EST
                   datetime(2027, 3, 12, 14, 45, tzinfo=UTC), title="Courtesy call", host=7),
            _event(3, datetime(2027, 3, 14, 0, 30, tzinfo=UTC),  # 19:30 EST on the 13th
                   datetime(2027, 3, 14, 5, 15, tzinfo=UTC), title="State dinner",
                   status="cancelled"),
            _event(4, datetime(2027, 3, 13, 15, 0, tzinfo=UTC),
                   datetime(2027, 3, 13, 16, 0, tzinfo=UTC), zone="America/Chicago",
                   title="Side trip", status="tentative"),
        ],
        visit_zone=NY, home_zone=HCM, names={7: "Caroline Mercer"},
    )
    return m


def _text(model: em.EventsTableModel, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_passes_qt_model_checks(qtmodeltester, model: em.EventsTableModel) -> None:
    qtmodeltester.check(model)


def test_headers_come_from_one_tuple_with_the_zones_named(model: em.EventsTableModel) -> None:
    assert model.columnCount() == len(em.HEADERS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(em.HEADERS))]
    assert headers[em.TITLE] == "Title"
    assert headers[em.VISIT_TIME] == "Visit time (New York)"
    assert headers[em.HOME_TIME] == "Home time (Ho Chi Minh City)"


def test_rows_in_time_order_with_local_times_either_side_of_the_dst_change(
        model: em.EventsTableModel) -> None:
    assert [model.event_at(r).id for r in range(model.rowCount())] == [1, 4, 3, 2]
    assert _text(model, 0, em.DAY) == "Fri 12 Mar 2027"
    assert _text(model, 0, em.TIME) == "09:00–09:45 EST"
    assert _text(model, 0, em.HOME_TIME) == "Fri 21:00–21:45 UTC+7"
    assert _text(model, 0, em.HOST) == "Caroline Mercer"
    assert _text(model, 0, em.VENUE) == "Founders Hall, Great Hall"
    # after the clocks went forward: EDT, and the home zone is now 11 hours ahead
    assert _text(model, 3, em.TIME) == "10:00–11:00 EDT"
    assert _text(model, 3, em.HOME_TIME) == "Sun 21:00–22:00 UTC+7"
    # past midnight, the end says it is on the next day
    assert _text(model, 2, em.TIME) == "19:30–00:15 (+1 d) EST"


def test_an_event_in_another_zone_shows_its_own_and_the_visit_time(
        model: em.EventsTableModel) -> None:
    row = model.row_of(4)
    assert row is not None
    assert _text(model, row, em.TIME) == "09:00–10:00 CST (Chicago)"
    assert _text(model, row, em.VISIT_TIME) == "10:00–11:00 EST"
    tip = model.data(model.index(row, em.TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "Visit time: 10:00–11:00 EST (New York)" in tip
    assert "Home time:" in tip


def test_cancelled_rows_are_struck_and_greyed_tentative_italic(
        model: em.EventsTableModel) -> None:
    cancelled = model.index(model.row_of(3), em.TITLE)
    assert model.data(cancelled, Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(cancelled, Qt.ItemDataRole.ForegroundRole) is not None
    tentative = model.index(model.row_of(4), em.TITLE)
    assert model.data(tentative, Qt.ItemDataRole.FontRole).italic()
    confirmed = model.index(model.row_of(1), em.TITLE)
    assert model.data(confirmed, Qt.ItemDataRole.FontRole) is None


def test_roles_give_the_frozen_record(model: em.EventsTableModel) -> None:
    index = model.index(0, em.TITLE)
    record = model.data(index, em.EVENT_ROLE)
    assert dataclasses.is_dataclass(record) and record.id == 1
    assert model.data(index, em.EVENT_ID_ROLE) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "changed"  # type: ignore[misc]


def test_set_rows_resets_and_home_zone_equal_to_visit_zone_is_dropped(qtbot, qapp) -> None:
    m = em.EventsTableModel()
    event = _event(1, datetime(2027, 3, 12, 14, tzinfo=UTC), datetime(2027, 3, 12, 15, tzinfo=UTC))
    with qtbot.waitSignal(m.modelReset):
        m.set_rows([event], visit_zone=NY, home_zone=NY)
    assert m.home_zone is None
    assert _text(m, 0, em.HOME_TIME) == ""
    assert m.headerData(em.HOME_TIME, Qt.Orientation.Horizontal) == "Home time"
    m.set_rows([], visit_zone=NY)
    assert m.rowCount() == 0
    assert m.rowCount(m.index(0, 0)) == 0 and m.columnCount(QModelIndex()) == len(em.HEADERS)

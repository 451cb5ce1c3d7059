"""The visits list model and its filter, without any widget."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from protocol_app.services.values import VisitSummary
from ui.models import (
    RECORD_ROLE,
    format_date,
    format_date_range,
    format_money,
)
from ui.models.visits_model import VisitsFilter, VisitsModel


def summary(n: int, title: str, status: str, start: date, end: date, country: str = "JP",
            head: str = "") -> VisitSummary:
    return VisitSummary(id=n, public_id=f"v-{n}", title=title, status=status, start_date=start,
                        end_date=end, country=country, timezone="America/New_York",
                        head_of_delegation=head, people_count=n, event_count=2 * n, version=1)


ROWS = [
    summary(1, "Rector of Kyoto", "planned", date(2027, 3, 1), date(2027, 3, 3), "JP",
            "Tanaka Hiroshi"),
    summary(2, "Minister of Education", "confirmed", date(2027, 3, 11), date(2027, 3, 14),
            "VN", "Võ Thanh Tùng"),
    summary(3, "Ambassador courtesy call", "cancelled", date(2026, 12, 30), date(2027, 1, 2),
            "DE"),
]


def test_headers_come_from_one_tuple_and_rows_from_set_rows(qapp, qtmodeltester) -> None:
    model = VisitsModel()
    assert model.columnCount() == len(VisitsModel.HEADERS)
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())
            ] == list(VisitsModel.HEADERS)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.row_at(1).title == "Minister of Education"
    assert model.row_of(3) == 2 and model.row_of(99) is None


def test_cells_show_readable_values(qapp) -> None:
    model = VisitsModel()
    model.set_rows(ROWS)

    def cell(row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, col), role)

    assert cell(0, VisitsModel.STATUS) == "Planned"
    assert cell(0, VisitsModel.DATES) == "1–3 Mar 2027"
    assert cell(2, VisitsModel.DATES) == "30 Dec 2026 – 2 Jan 2027"
    assert cell(1, VisitsModel.COUNTRY) == "Viet Nam"
    assert cell(1, VisitsModel.HEAD) == "Võ Thanh Tùng"
    assert cell(1, VisitsModel.PEOPLE) == "2" and cell(1, VisitsModel.EVENTS) == "4"
    assert cell(1, VisitsModel.TITLE, RECORD_ROLE) is ROWS[1]
    assert cell(2, VisitsModel.TITLE, Qt.ItemDataRole.FontRole).strikeOut()
    assert "v-2" in cell(1, VisitsModel.TITLE, Qt.ItemDataRole.ToolTipRole)
    assert cell(0, VisitsModel.STATUS, Qt.ItemDataRole.DecorationRole) is not None
    model.sort(VisitsModel.DATES)
    assert [model.row_at(r).id for r in range(3)] == [3, 1, 2]  # by start date


def test_filter_by_words_status_and_dates(qapp) -> None:
    model = VisitsModel()
    model.set_rows(ROWS)
    proxy = VisitsFilter()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3 and not proxy.is_filtering()

    proxy.set_text("viet")  # the country's name, not only its code
    assert [proxy.visit_at(r).id for r in range(proxy.rowCount())] == [2]
    proxy.set_text("tanaka kyoto")  # every word, in any column
    assert [proxy.visit_at(r).id for r in range(proxy.rowCount())] == [1]
    proxy.set_text("")
    proxy.set_status("cancelled")
    assert [proxy.visit_at(r).id for r in range(proxy.rowCount())] == [3]
    proxy.set_status(None)
    proxy.set_date_range(date(2027, 3, 2), date(2027, 3, 12))  # overlapping visits
    assert sorted(proxy.visit_at(r).id for r in range(proxy.rowCount())) == [1, 2]
    proxy.set_date_range(None, date(2027, 1, 1))
    assert [proxy.visit_at(r).id for r in range(proxy.rowCount())] == [3]
    assert proxy.is_filtering()


def test_sorting_through_the_filter(qapp) -> None:
    model = VisitsModel()
    model.set_rows(ROWS)
    proxy = VisitsFilter()
    proxy.setSourceModel(model)
    proxy.sort(VisitsModel.DATES, Qt.SortOrder.AscendingOrder)
    assert [proxy.visit_at(r).id for r in range(3)] == [3, 1, 2]
    proxy.sort(VisitsModel.STATUS, Qt.SortOrder.AscendingOrder)
    assert [proxy.visit_at(r).status for r in range(3)] == ["planned", "confirmed", "cancelled"]


def test_sorting_is_the_models_own_and_keeps_selection_and_order(qapp, qtmodeltester) -> None:
    """A header click sorts the source model by one key per row; the proxy keeps that
    order, persistent indexes (the selection) follow their visit, and new rows arrive
    in the chosen order."""
    from PySide6.QtCore import QPersistentModelIndex

    model = VisitsModel()
    model.set_rows(ROWS)
    proxy = VisitsFilter()
    proxy.setSourceModel(model)
    proxy.sort(VisitsModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert [proxy.visit_at(r).title for r in range(3)] == [
        "Rector of Kyoto", "Minister of Education", "Ambassador courtesy call"]
    assert proxy.sortColumn() == -1  # the proxy does not sort again on its own
    kept = QPersistentModelIndex(proxy.index(1, VisitsModel.TITLE))
    proxy.sort(VisitsModel.DATES, Qt.SortOrder.AscendingOrder)
    assert proxy.visit_at(kept.row()).title == "Minister of Education"
    model.set_rows([*ROWS, summary(4, "Early visit", "planned", date(2026, 1, 5),
                                   date(2026, 1, 6))])
    assert [proxy.visit_at(r).id for r in range(4)] == [4, 3, 1, 2]
    proxy.set_status("planned")
    assert [proxy.visit_at(r).id for r in range(proxy.rowCount())] == [4, 1]
    qtmodeltester.check(proxy)


def test_formatters() -> None:
    assert format_date(date(2027, 3, 11)) == "11 Mar 2027"
    assert format_date(None) == ""
    assert format_date_range(date(2027, 3, 11), date(2027, 3, 11)) == "11 Mar 2027"
    assert format_date_range(date(2027, 2, 28), date(2027, 3, 2)) == "28 Feb – 2 Mar 2027"
    assert format_money(1250, "USD") == "1,250 USD"
    assert format_money(12.5, "EUR") == "12.50 EUR"
    assert format_money(None, "EUR") == ""

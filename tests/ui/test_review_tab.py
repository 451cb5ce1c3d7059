"""The Review tab, the status control's note and the visits list's review column."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from protocol_app.config import Settings
from ui.models.visits_model import VisitsModel
from ui.pages.review import FINDING_HEADERS


def _open(window, visit_id):
    assert window.visit_actions.open_visit(visit_id)
    return window.workspace


def _choose_status(form, status: str) -> None:
    index = form.status.findData(status)
    assert index >= 0
    form.status.setCurrentIndex(index)
    form.status.activated.emit(index)


def test_the_status_control_explains_and_opens_the_review(world, make_window, qtbot):
    Settings(countries_of_concern=["JP"]).save()
    s = world.services
    window = make_window(s)
    row = window.visits_page.model.row_of(world.visit_id)
    assert window.visits_page.model.index(row, VisitsModel.REVIEW).data() == "Pending"
    workspace = _open(window, world.visit_id)
    overview = workspace.overview
    assert overview.review_row.isVisibleTo(workspace)
    assert "cannot be confirmed" in overview.review_note.text()
    assert "cannot be confirmed" in overview.form.status.toolTip()
    assert workspace.tabs.tabText(workspace.REVIEW) == "Re&view (!)"

    _choose_status(overview.form, "confirmed")
    assert overview.save() is False
    assert "protocol-app review" in overview.review_note.text()
    assert s.visits.get(world.visit_id).status == "planned"  # nothing changed
    assert overview.form.status.currentData() == "planned" and not overview.has_unsaved_changes()
    qtbot.mouseClick(overview.open_review_button, qtbot_button())
    assert workspace.tabs.currentIndex() == workspace.REVIEW


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_review_tab_shows_findings_side_by_side_and_records_a_decision(world, make_window,
                                                                          qtbot):
    s = world.services
    tz = ZoneInfo("America/New_York")
    tour = s.events.create(world.visit_id, title="Lab tour", kind="tour",
                           start=datetime(2027, 3, 13, 10, tzinfo=tz),
                           end=datetime(2027, 3, 13, 11, tzinfo=tz), venue_name="Kessler Lab")
    s.reviews.set_venue_controlled(next(v.id for v in s.travel.venues()), True)
    window = make_window(s)
    workspace = _open(window, world.visit_id)
    workspace.open_review()
    tab = workspace.review
    assert tab.state.text() == "Risk review: Pending"
    assert tab.findings.rowCount() == 1
    assert tab.findings.item(0, 0).text() == "Controlled venue"
    assert tab.findings.item(0, 1).text() == "Lab tour"
    # a venue has no list, entry or score: those columns are not shown empty
    assert [FINDING_HEADERS[c] for c in range(len(FINDING_HEADERS))
            if not tab.findings.isColumnHidden(c)] == ["Kind", "Person or event", "Why"]
    # the warning says where lists are managed in the app
    assert "Edit → Preferences → Screening lists" in tab.warnings.text()

    # a refused decision says why, under the form
    tab.decision.setCurrentIndex(tab.decision.findData("conditions"))
    tab.note.setPlainText("Low risk")
    assert tab.record_decision() is False
    assert "at least one condition" in tab.problem.text()

    tab.condition_event.setCurrentIndex(tab.condition_event.findData(tour.ref))
    tab.condition_text.setText("Escorted lab tour only")
    qtbot.mouseClick(tab.findChild(type(tab.decide_button), "addConditionButton"),
                     qtbot_button())
    assert tab.condition_values() == [("Escorted lab tour only", tour.ref)]
    qtbot.mouseClick(tab.decide_button, qtbot_button())
    assert tab.state.text() == "Risk review: Approved with conditions"
    assert "Escorted lab tour only (on" in tab.current_decision.text()
    assert s.reviews.get(world.visit_id).conditions[0].event_id == tour.id
    assert workspace.tabs.tabText(workspace.REVIEW) == "Re&view"

    # the checklist and the reviewer
    box, note = tab.checks["export_control"]
    box.setChecked(True)
    note.setText("EAR99 only")
    tab.reviewer.setText("Dana")
    assert tab.save_checklist()
    review = s.reviews.get(world.visit_id)
    assert review.reviewer == "Dana" and review.checklist[0].note == "EAR99 only"

    # now the status control lets the visit be confirmed
    overview = workspace.overview
    _choose_status(overview.form, "confirmed")
    assert overview.save() is True
    assert s.visits.get(world.visit_id).status == "confirmed"


def test_preferences_keep_the_countries_of_concern_and_the_gifts_policy(fusion_app, qtbot):
    from ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.screening_panel is None  # no database: lists are managed once one is open
    dialog.countries.setText("kp, Iran")
    dialog.gift_threshold.setText("lots")
    dialog.rates.setText("EUR=1.1, JPY")
    dialog.accept()
    problem = dialog.problem.text()
    assert "'Iran' is not a two-letter country code" in problem
    assert "gift threshold: not a number" in problem
    assert "'JPY' is not CODE=RATE" in problem
    assert Settings.load().countries_of_concern == []  # nothing saved
    dialog.countries.setText("kp, IR")
    dialog.gift_threshold.setText("400")
    dialog.gift_currency.setText("usd")
    dialog.rates.setText("EUR=1.1, JPY=0.0067")
    dialog.accept()
    saved = Settings.load()
    assert (saved.countries_of_concern, saved.gift_threshold, saved.gift_threshold_currency,
            saved.currency_rates) == (["KP", "IR"], 400.0, "USD",
                                      {"EUR": 1.1, "JPY": 0.0067})


def test_the_gifts_tab_flags_gifts_to_declare(world, make_window):
    from datetime import date

    from ui.models.gifts_model import GiftsModel

    Settings(gift_threshold=100, gift_threshold_currency="USD",
             currency_rates={"EUR": 1.1}).save()
    s = world.services
    s.gifts.create(world.visit_id, direction="received", description="Vase", value=95,
                   currency="EUR", date=date(2027, 3, 13))
    s.gifts.create(world.visit_id, direction="received", description="Pen", value=20,
                   currency="USD", date=date(2027, 3, 14))
    s.gifts.create(world.visit_id, direction="received", description="Mask", value=5,
                   currency="XAF", date=date(2027, 3, 15))
    window = make_window(s)
    tab = _open(window, world.visit_id).gifts
    cells = [tab.model.index(r, GiftsModel.DECLARE).data() for r in range(3)]
    assert cells == ["Must be declared (over 100.00 USD)", "",
                     "Check: no conversion rate for XAF to USD"]
    assert "1 must be declared" in tab.totals.text()


def test_venues_with_controlled_technology_are_ticked_in_the_app(world, make_window, qtbot):
    from PySide6.QtCore import Qt

    from ui.dialogs.controlled_venues import ControlledVenuesDialog

    s = world.services
    tz = ZoneInfo("America/New_York")
    s.events.create(world.visit_id, title="Lab tour", kind="tour",
                    start=datetime(2027, 3, 13, 10, tzinfo=tz),
                    end=datetime(2027, 3, 13, 11, tzinfo=tz), venue_name="Kessler Lab")
    dialog = ControlledVenuesDialog(s)
    qtbot.addWidget(dialog)
    item = dialog.venues.item(0)
    assert item.text() == "Kessler Lab" and item.checkState() == Qt.CheckState.Unchecked
    with qtbot.waitSignal(dialog.changed):
        item.setCheckState(Qt.CheckState.Checked)
    assert s.reviews.get(world.visit_id).required
    assert s.audit.list("venue")[0].new == {"controlled_technology": True}


def test_a_findings_reason_is_in_view_beside_a_long_event_title(world, make_window, qtbot):
    """At 1366×768 the reason (the last column) is on screen, wrapped, however long the
    event's title: the other columns wrap instead of pushing it out of view."""
    from PySide6.QtCore import QRect

    from ui.dialogs.fit import simulated_screen

    s = world.services
    tz = ZoneInfo("America/New_York")
    s.events.create(world.visit_id, kind="tour",
                    title="Tour: Kessler Nanofabrication Facility and Microelectronics "
                          "Teaching Laboratory with the Dean of Engineering",
                    start=datetime(2027, 3, 13, 10, tzinfo=tz),
                    end=datetime(2027, 3, 13, 11, tzinfo=tz), venue_name="Kessler Lab")
    s.reviews.set_venue_controlled(next(v.id for v in s.travel.venues()), True)
    with simulated_screen(QRect(0, 0, 1366, 728)):
        window = make_window(s)
        window.resize(1366, 728)
        window.show()
        qtbot.waitExposed(window)
        workspace = _open(window, world.visit_id)
        workspace.show_tab(workspace.REVIEW)
        table = workspace.review.findings
        qtbot.waitUntil(lambda: table.rowCount() == 1 and table.isVisible())
        last = len(FINDING_HEADERS) - 1
        qtbot.wait(300)  # the tab refits its table once the layout has settled
        assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways
        # the reason has at least half the width: a long title wraps in its own column
        assert table.columnViewportPosition(last) < table.viewport().width() // 2
        assert table.rowHeight(0) > 2 * table.fontMetrics().height()  # wrapped, not cut

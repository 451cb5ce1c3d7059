"""The visit form and its dialogs, on their own."""

from __future__ import annotations

from datetime import date

from protocol_app.errors import FieldProblem
from ui.dialogs.visit_editor import DuplicateVisitDialog, VisitForm, to_qdate


def test_the_form_gives_the_services_values_and_tracks_changes(fusion_app, qtbot):
    form = VisitForm(creating=True)
    qtbot.addWidget(form)
    form.set_values({"title": "Visit", "status": "planned", "timezone": "Europe/Paris",
                     "country": "FR", "start_date": date(2027, 6, 1),
                     "end_date": date(2027, 6, 3)})
    assert not form.is_dirty()
    assert [form.status.itemData(i) for i in range(form.status.count())] == [
        "proposed", "planned", "confirmed"]
    form.country.setEditText("Japan")  # a name without its code is understood
    assert form.values()["country"] == "JP"
    form.country.setEditText("de")
    assert form.values()["country"] == "DE"
    form.start.setDate(to_qdate(date(2027, 6, 10)))  # moving the start keeps the length
    assert form.values()["end_date"] == date(2027, 6, 12)
    assert form.days_label.text() == "3 days"
    assert set(form.changes()) == {"country", "start_date", "end_date"}
    form.set_problems([FieldProblem("timezone", "is not a known IANA time zone")])
    assert "Time zone" in form.problems_label.text()


def test_status_offers_only_the_allowed_changes(demo_services, fusion_app, qtbot):
    form = VisitForm()
    qtbot.addWidget(form)
    form.set_values(demo_services.visits.get("vn-moet-minister-2027"))  # confirmed
    assert [form.status.itemData(i) for i in range(form.status.count())] == [
        "planned", "confirmed", "completed", "cancelled"]


def test_duplicate_dialog_suggests_the_same_weekday_a_year_later(demo_services, fusion_app,
                                                                qtbot):
    source = demo_services.visits.get("vn-moet-minister-2027")
    dialog = DuplicateVisitDialog(source)
    qtbot.addWidget(dialog)
    assert dialog.start_date().weekday() == source.start_date.weekday()
    assert dialog.start_date().year == source.start_date.year + 1
    assert "+364 days" in dialog.shift_label.text()
    dialog.title.clear()
    assert dialog.new_title() == source.title

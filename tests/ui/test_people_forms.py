"""The People directory and the add-person picker show how the office addresses each
person: the cards' form, the office's wording winning, beside the name in its own script."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from tests.support.demo_refs import MINISTERIAL, RECEPTION, person_id
from ui.dialogs.participant_picker import ParticipantPickerDialog
from ui.models import people_model as pm
from ui.pages.people import PeoplePage


def _row(page: PeoplePage, person: int) -> int:
    row = page.model.row_of(person)
    assert row is not None
    return row


def test_the_directory_shows_the_overridden_form_and_the_native_script(qtbot,
                                                                       demo_services) -> None:
    minister = person_id(demo_services, MINISTERIAL, "Võ Thanh Tùng")
    demo_services.address.set_address_override(minister, "place_card", "His Excellency Tùng")
    page = PeoplePage(demo_services, QUndoStack())
    qtbot.addWidget(page)
    page.apply_search()
    model = page.model
    assert model.headerData(pm.ADDRESSED_AS, _horizontal()) == "Addressed as"
    row = _row(page, minister)
    assert model.index(row, pm.ADDRESSED_AS).data() == "His Excellency Tùng"
    # the native script only where it is not the name again (Vietnamese is written in
    # Latin letters); a name in another script is shown
    assert model.index(row, pm.NATIVE_NAME).data() == ""
    lin = person_id(demo_services, MINISTERIAL, "Lin Yi-chun")
    assert model.index(_row(page, lin), pm.NATIVE_NAME).data() == "林怡君"
    # without an override, the form the rules make: the name used with a title
    provost = person_id(demo_services, MINISTERIAL, "Szabó Katalin")
    assert model.index(_row(page, provost), pm.ADDRESSED_AS).data() == "Provost Szabó"
    assert model.index(_row(page, provost), pm.NAME).data() == "Szabó Katalin"


def test_the_picker_shows_the_cards_form(qtbot, demo_services) -> None:
    chargé = person_id(demo_services, RECEPTION, "Yonatan Adler")
    demo_services.address.set_address_override(chargé, "place_card", "Mr. Chargé Adler")
    visit = demo_services.visits.get(MINISTERIAL)
    dialog = ParticipantPickerDialog(demo_services, visit)
    qtbot.addWidget(dialog)
    dialog.search.setText("Adler")
    dialog.refresh()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, dialog.ADDRESSED_AS).text() == "Mr. Chargé Adler"
    assert dialog.table.item(0, dialog.NAME).text() == "Yonatan Adler"


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal

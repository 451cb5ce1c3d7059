"""The Delegation and Gifts tabs driven through whole tasks, with undo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.dialogs.gift_editor import GiftEditorDialog
from ui.dialogs.participant_picker import NewPersonDialog, ParticipantPickerDialog
from ui.models.participants_model import ParticipantsModel

VISIT = "vn-moet-minister-2027"


def open_tab(window, services, tab: str):
    visit_id = services.visits.resolve(VISIT)
    assert window.visit_actions.open_visit(visit_id)
    ws = window.workspace
    ws.show_tab(getattr(ws, tab))
    return ws


def test_add_a_delegation_member_found_by_search(demo_services, make_window, modal, qtbot):
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "DELEGATION")
    before = len(ws.visit.participants)

    def pick(dialog: ParticipantPickerDialog) -> None:
        qtbot.keyClicks(dialog.search, "Chaturvedi")  # from another visit
        dialog.refresh()
        person = dialog.selected_person()
        assert person is not None and person.family_name == "Chaturvedi"
        dialog.side.setCurrentIndex(dialog.side.findData("guest"))
        dialog.role.setCurrentIndex(dialog.role.findData("member"))
        assert dialog.role.findData("head") == -1  # the visit has a head already
        dialog.ok.click()

    modal.next(pick, kind=ParticipantPickerDialog)
    ws.delegation.act_add.trigger()
    record = demo_services.visits.get(VISIT)
    added = [p for p in record.participants if p.person.family_name == "Chaturvedi"]
    assert len(record.participants) == before + 1
    assert (added[0].side, added[0].role) == ("guest", "member")
    assert ws.delegation.selected().person_id == added[0].person_id
    assert ws.delegation.summary.text().startswith("9 guests")

    window.menu_actions.act_undo.trigger()
    assert len(demo_services.visits.get(VISIT).participants) == before
    window.menu_actions.act_redo.trigger()
    assert len(demo_services.visits.get(VISIT).participants) == before + 1


def test_create_a_person_on_the_spot_and_add_them(demo_services, make_window, modal, qtbot):
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "DELEGATION")

    def new_person(dialog: NewPersonDialog) -> None:
        assert dialog.given_name.text() == "Hana" and dialog.family_name.text() == "Kowalczyk"
        dialog.position.setText("Second Secretary")
        dialog.country.set_value("PL")
        dialog.email.setText("not-an-address")
        dialog.accept()
        assert dialog.isVisible() and "E-mail" in dialog.problems.text()
        dialog.email.setText("h.kowalczyk@example.org")
        dialog.accept()

    def pick(dialog: ParticipantPickerDialog) -> None:
        dialog.search.setText("Hana Kowalczyk")
        dialog.refresh()
        assert dialog.selected_person() is None and "No one found" in dialog.count_label.text()
        modal.next(new_person, kind=NewPersonDialog)
        dialog.findChild(QPushButton, "newPersonButton").click()
        assert dialog.selected_person().family_name == "Kowalczyk"
        dialog.side.setCurrentIndex(dialog.side.findData("host"))
        assert dialog.role.findData("head") == -1 and dialog.role.findData("host") >= 0
        dialog.role.setCurrentIndex(dialog.role.findData("escort"))
        dialog.ok.click()

    modal.next(pick, kind=ParticipantPickerDialog)
    ws.delegation.add_person()
    added = [p for p in demo_services.visits.get(VISIT).participants
             if p.person.family_name == "Kowalczyk"]
    assert [(p.side, p.role, p.person.country) for p in added] == [("host", "escort", "PL")]


def test_change_role_in_place_and_make_head(demo_services, make_window, qtbot):
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "DELEGATION")
    tab = ws.delegation
    model = tab.model
    old_head = ws.visit.head_of_delegation
    member_row = next(r for r in range(model.rowCount()) if model.row_at(r).role == "member")
    member = model.row_at(member_row)

    model.setData(model.index(member_row, ParticipantsModel.ROLE), "staff")
    stored = {p.person_id: p for p in demo_services.visits.get(VISIT).participants}
    assert stored[member.person_id].role == "staff"

    tab.select_person(member.person_id)
    assert tab.act_head.isEnabled()
    tab.act_head.trigger()
    stored = {p.person_id: p for p in demo_services.visits.get(VISIT).participants}
    assert stored[member.person_id].role == "head"
    assert stored[old_head.person_id].role == "member"
    row = model.row_of(member.person_id)  # the head is marked; the order stays precedence
    assert model.row_at(row).role == "head"
    assert model.index(row, ParticipantsModel.NAME).data(Qt.ItemDataRole.FontRole).bold()
    assert model.row_at(0).person_id == old_head.person_id  # the Minister still ranks first
    window.menu_actions.act_undo.trigger()  # one step undoes both changes
    stored = {p.person_id: p for p in demo_services.visits.get(VISIT).participants}
    assert stored[old_head.person_id].role == "head"
    assert stored[member.person_id].role == "staff"


def test_remove_asks_and_undo_puts_the_person_back_in_their_events(demo_services, make_window,
                                                                    modal, qtbot):
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "DELEGATION")
    visit = ws.visit
    person = next(p for p in visit.participants if p.role == "interpreter")
    attended = {e.id for e in visit.events if person.person_id in e.attendee_ids}
    assert attended
    ws.delegation.select_person(person.person_id)

    modal.click("Cancel", name="confirmDialog")
    ws.delegation.act_remove.trigger()
    assert person.person_id in {p.person_id for p in demo_services.visits.get(VISIT).participants}

    modal.click("Remove", name="confirmDialog")
    ws.delegation.act_remove.trigger()
    after = demo_services.visits.get(VISIT)
    assert person.person_id not in {p.person_id for p in after.participants}
    assert not any(person.person_id in e.attendee_ids for e in after.events)

    window.menu_actions.act_undo.trigger()
    back = demo_services.visits.get(VISIT)
    assert person.person_id in {p.person_id for p in back.participants}
    assert {e.id for e in back.events if person.person_id in e.attendee_ids} == attended


def test_gifts_register_edit_delete_with_undo(demo_services, make_window, modal, qtbot):
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "GIFTS")
    tab = ws.gifts
    count = tab.model.rowCount()

    def register(dialog: GiftEditorDialog) -> None:
        dialog.direction.setCurrentIndex(dialog.direction.findData("received"))
        dialog.description.setPlainText("Silk painting of Hạ Long Bay")
        qtbot.keyClicks(dialog.value, "abc")
        assert dialog.value.text() == ""  # the field takes numbers only
        dialog.value.setText("180")
        dialog.currency.setCurrentText("usd")
        dialog.date.setDate(dialog.date.date().addDays(1))
        dialog.accept()

    modal.next(register, kind=GiftEditorDialog)
    tab.act_add.trigger()
    gifts = demo_services.gifts.list(ws.visit.id)
    new = next(g for g in gifts if g.description.startswith("Silk painting"))
    assert (new.value, new.currency, new.date, new.direction) == (
        180.0, "USD", date(2027, 3, 12), "received")
    assert tab.model.rowCount() == count + 1

    tab.table.selectRow(tab.model.row_of(new.id))

    def edit(dialog: GiftEditorDialog) -> None:
        assert dialog.description.toPlainText() == "Silk painting of Hạ Long Bay"
        dialog.value.setText("200")
        dialog.accept()

    modal.next(edit, kind=GiftEditorDialog)
    tab.act_edit.trigger()
    assert any(g.id == new.id and g.value == 200.0 for g in demo_services.gifts.list(ws.visit.id))
    window.menu_actions.act_undo.trigger()
    assert any(g.id == new.id and g.value == 180.0 for g in demo_services.gifts.list(ws.visit.id))

    tab.table.selectRow(tab.model.row_of(new.id))
    modal.click("Delete", name="confirmDialog")
    tab.act_delete.trigger()
    assert all(g.id != new.id for g in demo_services.gifts.list(ws.visit.id))
    window.menu_actions.act_undo.trigger()
    assert any(g.description.startswith("Silk painting")
               for g in demo_services.gifts.list(ws.visit.id))
    assert "received" in tab.totals.text()


def test_the_delegation_tab_lists_people_in_order_of_precedence(demo_services, make_window):
    """Guests, then hosts, each in order of precedence: the President before the deans,
    with the name in its own script in a column of its own."""
    window = make_window(demo_services)
    ws = open_tab(window, demo_services, "DELEGATION")
    model = ws.delegation.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    sides = [p.side for p in rows]
    assert sides == sorted(sides, key=("guest", "host").index)
    assert [p.precedence for p in rows] == list(range(1, len(rows) + 1))
    names = [p.person.family_name for p in rows]
    assert names[0] == "Võ"  # the Minister heads the guests
    hosts = [p.person for p in rows if p.side == "host"]
    assert hosts[0].family_name == "Mercer"  # the President first, not fourth
    assert [p.rank for p in hosts].index("dean") > 0
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header[ParticipantsModel.NATIVE] == "Native script"
    natives = {p.person.family_name: model.index(r, ParticipantsModel.NATIVE).data()
               for r, p in enumerate(rows)}
    assert natives["Lin"] == "林怡君" and natives["Ben-Ami"] == "נועה בן־עמי"
    assert natives["Võ"] == ""  # written as it is read: not repeated

    # an override of the list form shows in the tab
    minister = rows[0].person_id
    demo_services.address.set_address_override(minister, "list_form",
                                               "H.E. Professor VÕ Thanh Tùng",
                                               expected_version=0)
    ws.delegation.set_visit(demo_services.visits.get(VISIT))
    assert model.index(0, ParticipantsModel.NAME).data() == "H.E. Professor VÕ Thanh Tùng"

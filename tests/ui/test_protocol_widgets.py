"""The seating page, the findings panel, the forms-of-address panel and the precedence
dialogs, as real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from tests.support.demo_refs import MINISTERIAL, RECEPTION, RECEPTION_GUESTS, person_id
from ui.dialogs.precedence_table import PrecedenceOverridesDialog, PrecedenceTableDialog
from ui.seating.page import SeatingView
from ui.widgets.findings import FindingsPanel
from ui.widgets.forms_of_address import FormsOfAddressPanel


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def seating(qtbot, demo_services, stack) -> SeatingView:
    view = SeatingView(demo_services, stack)
    qtbot.addWidget(view)
    view.resize(1300, 760)
    view.show()
    view.set_visit(demo_services.visits.get(RECEPTION))
    view.set_event("r04")
    view.choose_arrangement("tables")  # a reception by default; these tests seat a dinner
    qtbot.waitExposed(view)
    return view


def name_at(view: SeatingView, table: int, seat: int) -> str | None:
    person = view.plan.person_at(table, seat)
    return person.display_name if person else None


def test_the_picker_lists_meals_and_ceremonies(seating) -> None:
    box = seating.event_box
    assert [box.itemData(i) for i in range(box.count())] == ["r03", "r04"]
    assert seating.current_event_ref() == "r04"
    assert not seating.plan.stored and seating.scene.seats == {}
    assert seating.unseated_list.count() == 13 and seating.left_out_list.count() == 2
    assert "No seating plan yet" in seating.status.text()
    assert seating.plan_button.isEnabled() and not seating.print_button.isEnabled()


def test_plan_automatically_draws_the_tables_and_can_be_undone(seating, stack,
                                                               demo_services) -> None:
    assert seating.plan_automatically()
    plan = seating.plan
    assert plan.stored and len(seating.scene.seats) == 14
    table = plan.tables[0]
    assert name_at(seating, 1, table.host_seat) == "Caroline Mercer"
    assert name_at(seating, 1, table.guest_of_honour_seat) == RECEPTION_GUESTS[0]
    item = seating.seat_item(1, table.guest_of_honour_seat)
    assert item.label_text() == "Ambassador Valadares"
    assert seating.unseated_list.count() == 0
    assert any("Halal; no alcohol" in text for text in seating.finding_texts())
    assert "13 seated" in seating.status.text()
    stack.undo()
    assert not demo_services.seating.seating_plan(RECEPTION, "r04").stored
    assert seating.scene.seats == {}
    stack.redo()
    assert demo_services.seating.seating_plan(RECEPTION, "r04").stored


def test_swap_lock_and_replan_keeping_the_lock(seating, stack, qtbot) -> None:
    seating.plan_automatically()
    a, b = name_at(seating, 1, 1), name_at(seating, 1, 2)
    assert seating.swap_seats((1, 1), (1, 2))
    assert (name_at(seating, 1, 1), name_at(seating, 1, 2)) == (b, a)
    stack.undo()
    assert (name_at(seating, 1, 1), name_at(seating, 1, 2)) == (a, b)
    stack.redo()
    assert name_at(seating, 1, 1) == b

    # lock with the keyboard: select the seat, press L
    seating.select_seats([(1, 1)])
    assert seating.lock_button.isEnabled() and seating.lock_button.text() == "Lock"
    qtbot.keyClick(seating.graphics, Qt.Key.Key_L)
    assert seating.plan.place(1, 1).locked
    assert seating.seat_item(1, 1).place.locked
    assert seating.lock_button.text() == "Unlock"

    # plan again: the locked seat keeps its person, everything else follows convention
    assert seating.plan_automatically()
    assert name_at(seating, 1, 1) == b and seating.plan.place(1, 1).locked
    # unlock through the context menu's action
    menu = seating.seat_menu(seating.seat_item(1, 1))
    unlock = next(a for a in menu.actions() if a.text() == "Unlock seat")
    unlock.trigger()  # runs once back in the event loop
    qtbot.waitUntil(lambda: not seating.plan.place(1, 1).locked)
    stack.undo()
    assert seating.plan.place(1, 1).locked


def test_a_locked_seat_cannot_be_swapped(seating, qtbot) -> None:
    seating.plan_automatically()
    seating.set_seat_locked((1, 1), True)
    before = seating.plan.seats()
    assert not seating.swap_seats((1, 1), (1, 2))
    assert seating.plan.seats() == before


def test_unseat_and_seat_through_the_view(seating) -> None:
    seating.plan_automatically()
    person = seating.plan.person_at(1, 3)
    seating.select_seats([(1, 3)])
    seating.unseat_selected()
    assert seating.plan.person_at(1, 3) is None
    assert seating.unseated_list.count() == 1
    assert seating.unseated_list.item(0).data(Qt.ItemDataRole.UserRole) == person.id
    assert any("has no seat" in text for text in seating.finding_texts())
    assert seating.place_person(person.id, (1, 3))
    assert seating.plan.person_at(1, 3).id == person.id and seating.unseated_list.count() == 0


def test_print_cards_writes_the_pdf_in_the_background(seating, qtbot, tmp_path: Path) -> None:
    seating.plan_automatically()
    target = tmp_path / "cards.pdf"
    with qtbot.waitSignal(seating.printed, timeout=60_000) as signal:
        seating.print_cards(target)
    assert signal.args == [str(target)]
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Ambassador Valadares" in text and "President Mercer" in text
    # printed cards and badges are editions (the chart alone is none)
    editions = seating.services.editions.list(seating.visit.id)
    assert sorted(e.kind for e in editions) == ["badges", "place_cards"]
    assert {e.event_id for e in editions} == {seating.plan.event.id}


def test_interpreters_and_other_visits(qtbot, demo_services, stack) -> None:
    view = SeatingView(demo_services, stack)
    qtbot.addWidget(view)
    view.set_visit(MINISTERIAL)
    view.set_event("e17")
    assert view.plan_automatically()
    interpreter = person_id(demo_services, MINISTERIAL, "Trịnh Văn Long")
    head = person_id(demo_services, MINISTERIAL, "Võ Thanh Tùng")
    assert dict(view.plan.interpreters) == {interpreter: head}
    view.set_visit(None)
    assert view.plan is None and view.event_box.count() == 0


def test_findings_panel_lists_the_checks_with_icons(qtbot, demo_services) -> None:
    panel = FindingsPanel(demo_services)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked) as signal:
        panel.set_visit(demo_services.visits.get(MINISTERIAL))
    expected = demo_services.travel.check(MINISTERIAL)
    assert signal.args[0] == expected
    lines = panel._finding_items()  # one line per finding, under its kind
    assert len(lines) == len(expected)
    assert sorted(line.toolTip(0).split(": ", 1)[1] for line in lines) == sorted(
        f.message for f in expected)
    assert all(not line.icon(0).isNull() for line in lines)
    assert panel.summary.text() == "10 warnings"
    with qtbot.waitSignal(panel.findingActivated) as activated:
        panel.tree.itemActivated.emit(lines[0], 0)
    assert activated.args[0] in expected
    panel.set_visit(None)
    assert panel.tree.topLevelItemCount() == 0 and panel.summary.text() == ""


def test_findings_panel_follows_the_travel_times(qtbot, demo_services) -> None:
    panel = FindingsPanel(demo_services)
    qtbot.addWidget(panel)
    panel.set_visit(MINISTERIAL)
    before = len(panel.findings())
    demo_services.travel.set_travel_time("Founders Hall", "Kessler Engineering Center", 5)
    panel.refresh()
    assert len(panel.findings()) == before - 1


def test_forms_of_address_panel_edits_overrides(qtbot, demo_services) -> None:
    do = person_id(demo_services, RECEPTION, "Đỗ Quang Huy")
    panel = FormsOfAddressPanel(demo_services)
    qtbot.addWidget(panel)
    panel.set_person(do)
    assert panel.forms()["place_card"] == "Ambassador Huy"
    assert not panel.save_button.isEnabled()
    assert not panel.rows["place_card"].reset.isEnabled()
    with qtbot.waitSignal(panel.dirtyChanged):
        panel.set_form_text("place_card", "Ambassador Quang Huy")
    assert panel.is_dirty() and panel.save_button.isEnabled()
    assert panel.rows["place_card"].generated.text() == "Generated: Ambassador Huy"
    with qtbot.waitSignal(panel.saved):
        assert panel.save()
    assert demo_services.address.forms_of_address(do).place_card == "Ambassador Quang Huy"
    assert panel.rows["place_card"].reset.isEnabled() and not panel.is_dirty()

    panel.use_generated("place_card")
    assert panel.save()
    assert demo_services.address.forms_of_address(do).place_card == "Ambassador Huy"
    assert panel.rows["place_card"].form.override is None
    # the address block edits as several lines
    panel.set_form_text("address_block", "His Excellency\nĐỗ Quang Huy\nAmbassador")
    assert panel.save()
    assert demo_services.address.forms_of_address(do).address_lines[1] == "Đỗ Quang Huy"


def test_precedence_table_dialog(qtbot, demo_services) -> None:
    dialog = PrecedenceTableDialog(demo_services)
    qtbot.addWidget(dialog)
    keys = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(dialog.list.count())]
    assert keys[0] == "head_of_state" and keys[-1] == "other"
    index = keys.index("charge_d_affaires")
    dialog.list.setCurrentRow(index)
    dialog._step(-1)
    assert dialog.selected_key() == "charge_d_affaires" and dialog.list.currentRow() == index - 1
    dialog.move_to("charge_d_affaires", keys.index("ambassador"))
    order = demo_services.precedence.precedence(RECEPTION, side="guest")
    assert order[0].person.display_name == "Yonatan Adler"
    dialog.label_edit.setText("head of mission")
    dialog.list.setCurrentRow(keys.index("ambassador") + 1)  # ambassador moved down one
    assert dialog.selected_key() == "ambassador"
    dialog.label_edit.setText("head of mission")
    assert dialog.apply_edits()
    assert demo_services.precedence.category("ambassador").label == "head of mission"
    assert dialog.restore_defaults()
    assert demo_services.precedence.category("ambassador").label == "ambassador"


def test_overrides_dialog_needs_a_reason(qtbot, demo_services) -> None:
    dialog = PrecedenceOverridesDialog(demo_services, RECEPTION)
    qtbot.addWidget(dialog)
    assert dialog.order_names() == RECEPTION_GUESTS
    adler = person_id(demo_services, RECEPTION, "Yonatan Adler")
    valadares = person_id(demo_services, RECEPTION, "Maria da Conceição Valadares")
    dialog.person_box.setCurrentIndex(dialog.person_box.findData(adler))
    dialog.place_box.setCurrentIndex(dialog.place_box.findData("before"))
    dialog.other_box.setCurrentIndex(dialog.other_box.findData(valadares))
    assert not dialog.add_button.isEnabled()
    dialog.reason_edit.setText("Dean of the diplomatic corps' request")
    assert dialog.add_button.isEnabled()
    assert dialog.add_from_form()
    assert dialog.order_names()[0] == "Yonatan Adler"
    assert dialog.overrides_list.count() == 1
    dialog.overrides_list.setCurrentRow(0)
    assert dialog.remove_selected()
    assert dialog.order_names() == RECEPTION_GUESTS


class DropEvent:
    """What a seat's drag-and-drop handlers read from Qt's event (PySide6 cannot set the
    mime data of a QGraphicsSceneDragDropEvent)."""

    def __init__(self, mime) -> None:
        self._mime = mime
        self.accepted = False

    def mimeData(self):
        return self._mime

    def setAccepted(self, accepted: bool) -> None:
        self.accepted = accepted

    def acceptProposedAction(self) -> None:
        self.accepted = True


def drop(item, mime) -> None:
    """Enter and drop ``mime`` on a seat item, as the scene does at the end of a drag."""
    event = DropEvent(mime)
    item.dragEnterEvent(event)
    assert event.accepted and item.highlight
    item.dropEvent(event)
    assert event.accepted and not item.highlight


def test_dropping_a_seat_on_a_seat_swaps_and_a_person_on_a_seat_seats(seating, qtbot) -> None:
    from PySide6.QtCore import QMimeData

    from ui.seating.items import SEAT_MIME, encode_seat

    seating.plan_automatically()
    a, b = name_at(seating, 1, 6), name_at(seating, 1, 7)
    mime = QMimeData()
    mime.setData(SEAT_MIME, encode_seat((1, 6)))
    drop(seating.seat_item(1, 7), mime)
    qtbot.waitUntil(lambda: (name_at(seating, 1, 6), name_at(seating, 1, 7)) == (b, a))

    # unseat someone, then drag them from the list back onto the empty seat
    person = seating.plan.person_at(1, 7)
    seating.place_person(person.id, None)
    listed = seating.unseated_list.item(0)
    drop(seating.seat_item(1, 7), seating.unseated_list.mimeData([listed]))
    qtbot.waitUntil(lambda: seating.plan.person_at(1, 7) is not None)
    assert seating.plan.person_at(1, 7).id == person.id


def test_findings_panel_opens_the_travel_times_and_checks_again(qtbot, demo_services) -> None:
    """A warning that a journey is too short is answered where it is read: "Travel
    times…" beside the checks, and the checks (and the overview's warnings) follow."""
    from ui.pages.visit_commands import VisitCommands
    from ui.pages.visit_workspace import VisitWorkspace

    stack = QUndoStack()
    workspace = VisitWorkspace(demo_services, stack, VisitCommands(demo_services, stack))
    qtbot.addWidget(workspace)
    workspace.set_visit(demo_services.visits.get(MINISTERIAL))
    panel = workspace.findings
    before = len(panel.findings())
    warnings_before = workspace.overview.warnings()
    dialog = panel.edit_travel_times()
    assert dialog.isVisible() and panel.travel_button.isEnabled()
    founders, kessler = (next(v for v in demo_services.travel.venues() if v.name == name)
                         for name in ("Founders Hall", "Kessler Engineering Center"))
    with qtbot.waitSignal(panel.checked):
        assert dialog.set_pair(founders.id, kessler.id, 5)
    assert len(panel.findings()) == before - 1
    assert len(workspace.overview.warnings()) == len(warnings_before) - 1
    dialog.close()


def test_the_table_of_precedence_shows_labels_never_keys(qtbot, demo_services) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit

    dialog = PrecedenceTableDialog(demo_services)
    qtbot.addWidget(dialog)
    keys = [c.key for c in demo_services.precedence.categories() if "_" in c.key]
    shown = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    for row in range(dialog.list.count()):
        dialog.list.setCurrentRow(row)
        shown += [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
        shown += [w.text() for w in dialog.findChildren(QLineEdit) if w.isVisibleTo(dialog)]
    text = "\n".join(shown)
    assert "Chargé d'affaires a.i." in text
    assert not [key for key in keys if key in text]


def test_the_override_picker_never_offers_the_person_themselves(qtbot, demo_services) -> None:
    dialog = PrecedenceOverridesDialog(demo_services, RECEPTION)
    qtbot.addWidget(dialog)
    people = [dialog.person_box.itemData(i) for i in range(dialog.person_box.count())]
    record = demo_services.visits.get(RECEPTION)
    in_order = [p.person_id for p in sorted(record.participants, key=lambda p: p.precedence)]
    assert people == in_order  # guests then hosts, in order of precedence
    for index, moved in enumerate(people):
        dialog.person_box.setCurrentIndex(index)
        others = [dialog.other_box.itemData(i) for i in range(dialog.other_box.count())]
        assert moved not in others
        assert others == [pid for pid in in_order if pid != moved]

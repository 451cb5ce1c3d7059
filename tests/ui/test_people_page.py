"""The people page with the real widgets: a lazy list over a few thousand people,
filtered as you type; editing and deleting from it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from tests.support.modals import answer_modal
from ui.models import people_model as pm
from ui.pages.people import PeoplePage

FAMILIES = ("Nguyễn", "Smith", "Müller", "Петров", "Tanaka", "García", "Okafor", "Kowalski")
GIVEN = ("Anna", "Minh", "José", "Олег", "Aiko", "Chinedu", "Zofia", "Lucas", "Mai")
PEOPLE = 2_400


@pytest.fixture
def crowd(services):
    """A few thousand people made through the service (about 3 seconds)."""
    for i in range(PEOPLE):
        family = FAMILIES[i % len(FAMILIES)]
        services.people.create(
            family_name=family, given_name=f"{GIVEN[i % len(GIVEN)]} {i:04d}",
            name_order="family_first" if family in ("Nguyễn", "Tanaka") else "given_first",
            native_name="田中" if family == "Tanaka" else "", email=f"p{i}@example.org",
            organization=f"Organization {i % 40}", country="VN" if family == "Nguyễn" else "US")
    return services


@pytest.fixture
def few(services):
    """A handful of people, for the editing tests."""
    for i in range(30):
        services.people.create(family_name=FAMILIES[i % len(FAMILIES)],
                               given_name=f"{GIVEN[i % len(GIVEN)]} {i:04d}",
                               email=f"p{i}@example.org")
    return services


def make_page(qtbot, services) -> PeoplePage:
    widget = PeoplePage(services, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1440, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def page(qtbot, few) -> PeoplePage:
    return make_page(qtbot, few)


def test_lazy_list_of_thousands_loads_pages_and_filters_as_you_type(qtbot, crowd) -> None:
    page = make_page(qtbot, crowd)
    assert page.model.rowCount() == pm.PAGE_SIZE
    assert page.count_label.text() == f"{PEOPLE:,} people"
    assert page.model.canFetchMore()
    # uniform row heights: every row is as tall as the default section
    header = page.table.verticalHeader()
    assert {header.sectionSize(r) for r in range(0, 200, 37)} == {header.defaultSectionSize()}
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > pm.PAGE_SIZE)
    assert page.model.rowCount() % pm.PAGE_SIZE == 0
    assert page.selected_person() is not None  # the first row is selected

    page.focus_search()
    assert page.focusWidget() is page.search_field
    qtbot.keyClicks(page.search_field, "nguyen")
    # the debounce: nothing yet, then the filtered list
    assert page.model.query == ""
    qtbot.waitUntil(lambda: page.model.query == "nguyen", timeout=2000)
    expected = PEOPLE // len(FAMILIES)
    assert page.count_label.text() == f"{expected:,} people"
    assert page.model.rowCount() == pm.PAGE_SIZE and page.model.canFetchMore()
    first = page.model.data(page.model.index(0, pm.NAME))
    assert first.startswith("Nguyễn ")  # family name first
    # more words narrow it: given name "Minh" among the Nguyễns
    qtbot.keyClicks(page.search_field, " min")
    qtbot.waitUntil(lambda: page.model.query == "nguyen min", timeout=2000)
    names = {page.model.person_at(r).given_name.split()[0]
             for r in range(page.model.rowCount())}
    assert names == {"Minh"}
    # another script, pasted: the native name
    page.search_field.setText("田")
    qtbot.waitUntil(lambda: page.model.query == "田", timeout=2000)
    assert page.count_label.text() == f"{PEOPLE // len(FAMILIES):,} people"
    assert page.model.data(page.model.index(0, pm.NATIVE_NAME)) == "田中"
    page.search("петров олег")
    assert page.model.rowCount() > 0
    assert {page.model.person_at(r).family_name for r in range(page.model.rowCount())} == {
        "Петров"}
    page.search("zzz")
    assert page.model.rowCount() == 0 and page.count_label.text() == "0 people"
    assert not page.edit_button.isEnabled()
    page.clear_search()
    assert page.model.rowCount() == pm.PAGE_SIZE


def test_edit_from_the_list_and_see_it_there(qtbot, page: PeoplePage, few) -> None:
    page.search("kowalski")
    person = page.selected_person()
    assert person is not None and person.family_name == "Kowalski"
    assert not page.has_unsaved_changes()
    editor = page.edit_selected()
    assert editor is not None and editor.person_id == person.id
    editor.email.setText("zofia.k@example.org")
    assert page.has_unsaved_changes()
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert not page.has_unsaved_changes()
    row = page.model.row_of(person.id)
    assert page.model.data(page.model.index(row, pm.EMAIL)) == "zofia.k@example.org"
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert few.people.get(person.id).email == person.email


def test_delete_asks_first_and_can_be_undone(qtbot, page: PeoplePage, few) -> None:
    page.search("okafor")
    person = page.selected_person()
    total = few.people.count()
    answer_modal("Cancel")
    assert not page.delete_selected()
    assert few.people.count() == total
    answer_modal("Delete")
    assert page.delete_selected()
    assert few.people.count() == total - 1
    assert page.model.row_of(person.id) is None
    page.undo_stack.undo()
    assert few.people.count() == total
    assert person.email in {p.email for p in few.people.search("okafor", limit=5)}


def test_new_person_from_the_page(qtbot, page: PeoplePage, few) -> None:
    editor = page.new_person()
    qtbot.keyClicks(editor.family_name, "Zephyr")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    page.search("zephyr")
    assert page.model.rowCount() == 1

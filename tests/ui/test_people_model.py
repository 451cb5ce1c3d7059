"""The lazy people model, without widgets, over the real people service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.models import people_model as pm

FAMILIES = ("Nguyễn", "Smith", "王", "Müller", "Петров")


@pytest.fixture
def people(services):
    """300 people; every fifth is an Nguyễn."""
    for i in range(300):
        services.people.create(
            family_name=FAMILIES[i % len(FAMILIES)], given_name=f"Anna{i:03d}",
            name_order="family_first" if i % 5 in (0, 2) else "given_first",
            native_name="王小明" if i % 5 == 2 else "", organization="Alderbrook University",
            country="VN" if i % 5 == 0 else "US", email=f"p{i}@example.org",
            rank="deputy_minister" if i == 0 else "")
    return services


def _fetch(services):
    return lambda query, limit, offset: services.people.search(query, limit=limit, offset=offset)


def test_first_page_then_more_on_demand(qapp, people) -> None:
    model = pm.PeopleTableModel(_fetch(people), page_size=100)
    model.set_query("")
    assert model.rowCount() == 100
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 300
    assert not model.canFetchMore()
    ids = [model.person_at(r).id for r in range(model.rowCount())]
    assert len(set(ids)) == 300


def test_passes_qt_model_checks(qtmodeltester, people) -> None:
    model = pm.PeopleTableModel(_fetch(people), page_size=50)
    model.set_query("smith")
    qtmodeltester.check(model)


def test_search_folds_accents_and_finds_any_script(qapp, people) -> None:
    model = pm.PeopleTableModel(_fetch(people), page_size=500)
    model.set_query("nguyen")
    assert model.rowCount() == 60
    assert not model.canFetchMore()
    assert {model.person_at(r).family_name for r in range(model.rowCount())} == {"Nguyễn"}
    model.set_query("王小")
    assert model.rowCount() == 60  # by native name
    model.set_query("петр anna01")
    assert {model.person_at(r).given_name for r in range(model.rowCount())} == {
        f"Anna{i:03d}" for i in range(10, 20) if i % 5 == 4}


def test_columns_and_headers(qapp, people) -> None:
    model = pm.PeopleTableModel(_fetch(people))
    model.set_query("nguyen anna000")
    assert model.rowCount() == 1
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(pm.HEADERS)

    def text(column: int) -> str:
        return model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)

    assert text(pm.NAME) == "Nguyễn Anna000"  # family name first: customary order
    assert text(pm.ORGANIZATION) == "Alderbrook University"
    assert text(pm.COUNTRY) == "Viet Nam"
    assert text(pm.EMAIL) == "p0@example.org"
    assert text(pm.RANK) == "Deputy minister"
    assert model.data(model.index(0, 0), pm.PERSON_ID_ROLE) == model.person_at(0).id


def test_set_rows_update_and_remove_in_place(qtbot, qapp, people) -> None:
    model = pm.PeopleTableModel(_fetch(people), page_size=10)
    model.set_query("smith")
    first = model.person_at(0)
    changed = people.people.update(first.id, first.version, email="new@example.org")
    with qtbot.waitSignal(model.dataChanged):
        model.update_person(changed)
    assert model.data(model.index(0, pm.EMAIL)) == "new@example.org"
    with qtbot.waitSignal(model.rowsRemoved):
        model.remove_person(first.id)
    assert model.row_of(first.id) is None
    model.set_rows([changed])
    assert model.rowCount() == 1 and not model.canFetchMore()


def test_without_a_source_the_model_is_empty(qapp) -> None:
    model = pm.PeopleTableModel()
    model.set_query("anything")
    assert model.rowCount() == 0 and not model.canFetchMore()

"""The office's table of precedence and a visit's order, through the service."""

from __future__ import annotations

import pytest

from protocol_app.errors import ConflictError, NotFoundError, StaleWriteError, ValidationError
from protocol_app.rules.precedence import DEFAULT_CATEGORIES
from tests.support.demo_refs import RECEPTION, RECEPTION_GUESTS, person_id


def names(entries) -> list[str]:
    return [e.person.display_name for e in entries]


def test_the_table_starts_as_the_default_table_and_reading_it_writes_nothing(
        services) -> None:
    table = services.precedence.categories()
    assert [c.key for c in table] == [c.key for c in DEFAULT_CATEGORIES]
    assert [c.order for c in table] == [c.order for c in DEFAULT_CATEGORIES]
    assert all(c.version == 1 for c in table)
    assert services.audit.list("precedence_category") == []  # not stored by reading
    dean = services.precedence.category("dean")  # as read: version 1, not stored yet
    changed = services.precedence.update_category("dean", dean.version, label="decano")
    assert changed.label == "decano" and changed.id > 0
    trail = [e.summary for e in services.audit.list("precedence_category")]
    assert len(trail) == 2 and any("default table" in s for s in trail)
    stored = services.precedence.categories()
    assert [c.key for c in stored] == [c.key for c in table]
    assert all(c.id > 0 for c in stored)


def test_reception_guests_in_order_with_explanations(demo_services) -> None:
    entries = demo_services.precedence.precedence(RECEPTION, side="guest")
    assert names(entries) == RECEPTION_GUESTS
    assert [e.position for e in entries] == list(range(1, 10))
    assert [e.category_key for e in entries] == ["ambassador"] * 8 + ["charge_d_affaires"]
    explanations = [e.explanation for e in entries]
    assert explanations[0] == "Valadares first: ambassador, highest in precedence"
    assert explanations[1] == (
        "Valadares before al-Khatib: both ambassadors; Valadares took up functions on "
        "3 November 2021, al-Khatib on 15 February 2022")
    assert explanations[4] == (
        "Dragomirov before Đỗ: both ambassadors; Dragomirov took up functions on "
        "12 June 2024, Đỗ on 22 July 2024")
    assert explanations[8] == "Tan before Adler: ambassador ranks above chargé d'affaires"
    assert all(e.side == "guest" and not e.override_reason for e in entries)


def test_hosts_and_everyone(demo_services) -> None:
    hosts = demo_services.precedence.precedence(RECEPTION, side="host")
    # the Provost (vice-chancellor or provost) above the deans
    assert names(hosts)[:3] == ["Caroline Mercer", "Szabó Katalin", "Lin Yi-chun"]
    everyone = demo_services.precedence.precedence(RECEPTION)
    assert len(everyone) == 15
    assert names(everyone)[0] == "Maria da Conceição Valadares"  # ambassadors rank first
    with pytest.raises(ValidationError):
        demo_services.precedence.precedence(RECEPTION, side="press")


def test_an_override_needs_a_reason_changes_the_order_and_is_audited(demo_services) -> None:
    adler = person_id(demo_services, RECEPTION, "Yonatan Adler")
    tan = person_id(demo_services, RECEPTION, "Tan Hui Min")
    with pytest.raises(ValidationError, match="reason"):
        demo_services.precedence.add_override(RECEPTION, adler, "before", tan, "   ")
    assert names(demo_services.precedence.precedence(RECEPTION, side="guest")) == RECEPTION_GUESTS

    override = demo_services.precedence.add_override(RECEPTION, adler, "before", tan,
                                      "Speaks for the Embassy at the toast")
    entries = demo_services.precedence.precedence(RECEPTION, side="guest")
    assert names(entries)[7:] == ["Yonatan Adler", "Tan Hui Min"]
    moved = entries[7]
    assert moved.override_reason == "Speaks for the Embassy at the toast"
    assert moved.override_id == override.id
    assert moved.explanation == "Moved before Tan by the host: Speaks for the Embassy at the toast"
    audit = demo_services.audit.list("precedence_override")
    assert audit[0].action == "create"
    assert audit[0].new["reason"] == "Speaks for the Embassy at the toast"
    assert audit[0].new["person"] == "Yonatan Adler" and audit[0].actor == demo_services.actor
    assert demo_services.precedence.overrides(RECEPTION) == [override]

    # a second move of the same person replaces the first, and is audited as a change
    demo_services.precedence.add_override(RECEPTION, adler, "after", tan, "Back after all")
    assert names(demo_services.precedence.precedence(RECEPTION, side="guest")) == RECEPTION_GUESTS
    assert len(demo_services.precedence.overrides(RECEPTION)) == 1
    assert demo_services.audit.list("precedence_override")[0].action == "update"

    demo_services.precedence.remove_override(demo_services.precedence.overrides(RECEPTION)[0].id)
    assert demo_services.precedence.overrides(RECEPTION) == []
    assert demo_services.audit.list("precedence_override")[0].action == "delete"
    with pytest.raises(NotFoundError):
        demo_services.precedence.remove_override(override.id)


def test_an_override_names_participants_of_the_visit(demo_services) -> None:
    adler = person_id(demo_services, RECEPTION, "Yonatan Adler")
    outsider = demo_services.people.create(family_name="Outsider")
    with pytest.raises(ValidationError, match="does not take part"):
        demo_services.precedence.add_override(RECEPTION, adler, "before", outsider.id, "because")
    with pytest.raises(ValidationError, match="themselves"):
        demo_services.precedence.add_override(RECEPTION, adler, "before", adler, "because")
    with pytest.raises(ValidationError, match="before"):
        demo_services.precedence.add_override(RECEPTION, adler, "above", outsider.id, "because")


def test_a_stale_edit_of_the_table_is_refused(demo_services) -> None:
    line = demo_services.precedence.category("ambassador")
    changed = demo_services.precedence.update_category(
        "ambassador", line.version, label="head of mission", plural="heads of mission")
    assert changed.version == line.version + 1
    with pytest.raises(StaleWriteError):
        demo_services.precedence.update_category("ambassador", line.version,
                                                 label="envoy extraordinary")
    assert demo_services.precedence.category("ambassador").label == "head of mission"
    entry = demo_services.audit.list("precedence_category")[0]
    assert entry.old == {"label": "ambassador", "plural": "ambassadors"}
    assert entry.new == {"label": "head of mission", "plural": "heads of mission"}
    # the explanations use the table's words
    second = demo_services.precedence.precedence(RECEPTION, side="guest")[1]
    assert "both heads of mission" in second.explanation


def test_moving_a_line_reorders_the_table_and_the_precedence(demo_services) -> None:
    charge = demo_services.precedence.category("charge_d_affaires")
    ambassador_index = [c.key for c in demo_services.precedence.categories()].index("ambassador")
    table = demo_services.precedence.move_category("charge_d_affaires", ambassador_index,
                                                   charge.version)
    keys = [c.key for c in table]
    assert keys.index("charge_d_affaires") == ambassador_index
    assert [c.order for c in table] == [10 * (i + 1) for i in range(len(table))]
    order = names(demo_services.precedence.precedence(RECEPTION, side="guest"))
    assert order[0] == "Yonatan Adler"
    with pytest.raises(StaleWriteError):
        demo_services.precedence.move_category("charge_d_affaires", 0, charge.version)


def test_edits_are_validated(demo_services) -> None:
    with pytest.raises(ValidationError) as error:
        demo_services.precedence.update_category("ambassador", None, tie_rule="by height", label="",
                                 key="x")
    paths = {p.path for p in error.value.problems}
    assert paths == {"tie_rule", "label", "key"}
    with pytest.raises(NotFoundError):
        demo_services.precedence.update_category("no_such_line", None, label="x")


def test_add_and_delete_lines(demo_services) -> None:
    added = demo_services.precedence.add_category(
        "Chief Justice", "chief justice", "chief justices", tie_rule="date_in_office",
        excellency=True)
    assert added.key == "chief_justice"
    keys = [c.key for c in demo_services.precedence.categories()]
    assert keys[-2:] == ["chief_justice", "other"]
    with pytest.raises(ConflictError):
        demo_services.precedence.add_category("chief_justice", "again")
    # a visiting official of that rank takes that line
    judge = demo_services.people.create(family_name="Marshall", given_name="Ada",
                                        rank="Chief Justice", gender="female")
    forms = demo_services.address.forms_of_address(judge.id)
    assert forms.address_block.startswith("Her Excellency")
    with pytest.raises(ConflictError, match="change their rank"):
        demo_services.precedence.delete_category("chief_justice")
    demo_services.people.update(judge.id, None, rank="")
    demo_services.precedence.delete_category("chief_justice")
    assert "chief_justice" not in [c.key for c in demo_services.precedence.categories()]
    with pytest.raises(ConflictError):
        demo_services.precedence.delete_category("other")
    with pytest.raises(ConflictError):
        # the demo's ambassadors have that rank
        demo_services.precedence.delete_category("ambassador")


def test_visiting_officials_take_their_equivalents_category(demo_services) -> None:
    commissioner = demo_services.people.create(
        family_name="Okonjo", given_name="Ada", rank="high_commissioner",
        rank_date=None)
    demo_services.visits.add_participant(
        demo_services.visits.resolve(RECEPTION), commissioner.id, "guest", "member")
    entries = demo_services.precedence.precedence(RECEPTION, side="guest")
    mine = next(e for e in entries if e.person.id == commissioner.id)
    assert mine.category_key == "ambassador"
    assert mine.position == 9  # an ambassador with no date on record: after the dated ones
    assert "no date of taking up functions on record" in mine.explanation


def test_restoring_the_default_table(demo_services) -> None:
    line = demo_services.precedence.category("dean")
    demo_services.precedence.update_category("dean", line.version, label="decano")
    table = demo_services.precedence.reset_categories()
    assert [c.key for c in table] == [c.key for c in DEFAULT_CATEGORIES]
    assert demo_services.precedence.category("dean").label == "dean"

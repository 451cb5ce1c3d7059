"""A visit's history from the audit trail: by save, filtered, sensitive values hidden."""

from __future__ import annotations

from datetime import UTC, datetime

from protocol_app.services.history import CHANGED, HistoryLine, group_saves
from tests.support.helpers import MINIMAL, package_bytes


def _dinner(world):
    return world.services.events.create(
        world.visit_id, title="State dinner", kind="meal",
        start=datetime(2027, 3, 13, 23, tzinfo=UTC), end=datetime(2027, 3, 14, 1, tzinfo=UTC),
        attendee_ids=(world.guest_id, world.host_id))


def test_history_names_who_what_and_hides_sensitive_values(world) -> None:
    s = world.services
    dinner = _dinner(world)
    s.events.update(dinner.id, dinner.version, venue_room="Great Hall",
                    internal_notes="Sniffer dogs at 18:00")
    person = s.people.get(world.guest_id)
    s.people.update(world.guest_id, person.version, medical="Allergic to shellfish",
                    position="Rector")
    saves = s.history.visit_history(world.visit_id)
    lines = [line for save in saves for line in save.lines]
    texts = " ".join(line.text for line in lines)
    assert "Sniffer" not in texts and "shellfish" not in texts
    change = next(line for line in lines if line.entity == "event" and line.action == "update")
    fields = {f.field: f for f in change.fields}
    assert fields["internal_notes"].new == CHANGED and fields["internal_notes"].label == \
        "Internal notes"
    assert (fields["venue_room"].old, fields["venue_room"].new) == ("", "Great Hall")
    medical = next(line for line in lines if line.entity == "person" and line.action == "update")
    assert {f.field: f.new for f in medical.fields}["medical"] == CHANGED
    assert "Tanaka" in medical.subject
    assert all(line.actor == s.actor for line in lines)  # the login on a server
    assert saves[0].lines[-1].id == max(line.id for line in lines)  # newest save first


def test_filters_by_event_and_person_and_keeps_deleted_events(world) -> None:
    s = world.services
    dinner = _dinner(world)
    s.events.delete(dinner.id)
    person = s.people.get(world.member_id)
    s.people.update(world.member_id, person.version, position="Dean")
    by_event = s.history.visit_history(world.visit_id, event_id=dinner.id)
    actions = [line.action for save in by_event for line in save.lines]
    assert sorted(actions) == ["create", "delete"]
    assert all(line.subject == "State dinner" for save in by_event for line in save.lines)
    by_person = s.history.visit_history(world.visit_id, person_id=world.member_id)
    assert sorted((line.entity, line.action) for save in by_person for line in save.lines) == [
        ("person", "create"), ("person", "update")]
    # the dinner named the guest as an attendee: the guest's history has it
    by_guest = s.history.visit_history(world.visit_id, person_id=world.guest_id)
    assert any(line.event_id == dinner.id for save in by_guest for line in save.lines)


def _line(entry_id: int, actor: str, second: float, save: str | None = None) -> HistoryLine:
    at = datetime(2027, 3, 1, 9, 0, tzinfo=UTC).replace(second=int(second))
    return HistoryLine(entry_id, at, actor, "update", "event", 1, "x", "", (), save_id=save)


def test_entries_written_before_save_ids_are_grouped_by_actor_and_time() -> None:
    saves = group_saves([_line(1, "ann", 0), _line(2, "ann", 1), _line(3, "bob", 1),
                         _line(4, "bob", 30)])
    assert [[line.id for line in save.lines] for save in saves] == [[1, 2], [3], [4]]


def test_entries_are_grouped_by_their_save_even_when_interleaved() -> None:
    """Two saves of one person in the same second stay two; two workstations' saves
    whose entries interleave on a server are each whole; an older entry never joins."""
    saves = group_saves([_line(1, "ann", 0), _line(2, "ann", 0, "a"), _line(3, "ann", 0, "b"),
                         _line(4, "bob", 0, "c"), _line(5, "ann", 1, "b"),
                         _line(6, "bob", 1, "c")])
    assert [[line.id for line in save.lines] for save in saves] == [[1], [2], [3, 5], [4, 6]]


def test_two_quick_saves_are_two_and_one_import_is_one(world) -> None:
    s = world.services
    dinner = _dinner(world)
    moved = s.events.update(dinner.id, dinner.version, venue_room="Great Hall")
    s.events.update(dinner.id, moved.version, dress_code="Black tie")
    saves = s.history.visit_history(world.visit_id, event_id=dinner.id)
    assert [[line.action for line in save.lines] for save in saves] == [
        ["update"], ["update"], ["create"]]  # newest first, each save on its own
    assert len({line.save_id for save in saves for line in save.lines}) == 3
    # an import writes its many entries (bulk and one by one) as one save
    report = s.packages.import_bytes(package_bytes(MINIMAL), "visit.json")
    imported = s.history.visit_history(report.visit_id)
    save = next(save for save in imported if any(line.action == "import" for line in save.lines))
    assert {(line.entity, line.action) for line in save.lines} >= {
        ("visit", "create"), ("event", "create"), ("visit", "import")}
    events = [line for each in imported for line in each.lines if line.entity == "event"]
    assert len(events) == 2 and all(line in save.lines for line in events)


def test_a_tick_reads_yes_or_no_not_python_words(demo_services) -> None:
    s = demo_services
    visit = s.visits.resolve("vn-moet-minister-2027")
    s.seating.plan_seating(visit, "e10")
    table = s.seating.seating_plan(visit, "e10").tables[0]
    s.seating.set_locked(visit, "e10", (1, table.guest_of_honour_seat), True)
    lines = [line for save in s.history.visit_history(visit) for line in save.lines]
    locked = next(f for line in lines for f in line.fields if f.field == "locked")
    assert (locked.old, locked.new) == ("no", "yes")
    assert "False" not in " ".join(line.text for line in lines)

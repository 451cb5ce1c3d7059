"""Forms of address with the office's overrides; travel times and seating in the checks."""

from __future__ import annotations

import json

import pytest

from protocol_app.config import Settings
from protocol_app.errors import NotFoundError, StaleWriteError, ValidationError
from protocol_app.rules.address import FORM_NAMES
from tests.support.demo_refs import AS_MEAL, MINISTERIAL, RECEPTION, person_id

# -- forms of address ---------------------------------------------------------------------


def test_generated_forms_follow_the_rank(demo_services) -> None:
    valadares = person_id(demo_services, RECEPTION, "Maria da Conceição Valadares")
    forms = demo_services.address.forms_of_address(valadares)
    assert forms.salutation == "Dear Madam Ambassador"
    assert forms.place_card == "Ambassador Valadares"
    assert forms.address_lines[0] == "Her Excellency"
    details = demo_services.address.address_forms(valadares)
    assert [f.name for f in details] == list(FORM_NAMES)
    assert all(f.override is None and f.override_version == 0 for f in details)
    assert {f.name: f.effective for f in details}["badge"] == forms.badge


def test_an_override_replaces_one_form_and_is_audited(demo_services) -> None:
    do = person_id(demo_services, RECEPTION, "Đỗ Quang Huy")
    generated = demo_services.address.forms_of_address(do)
    assert generated.place_card == "Ambassador Huy"

    form = demo_services.address.set_address_override(do, "place_card", "  Ambassador Quang Huy ",
                                         expected_version=0)
    assert form.override == "Ambassador Quang Huy" and form.generated == "Ambassador Huy"
    assert form.effective == "Ambassador Quang Huy" and form.override_version == 1
    forms = demo_services.address.forms_of_address(do)
    assert forms.place_card == "Ambassador Quang Huy"
    assert forms.salutation == generated.salutation  # the other forms stay generated
    assert demo_services.address.forms_of_address_many([do])[do] == forms
    entry = demo_services.audit.list("person", do)[0]
    assert entry.old == {"address.place_card": None}
    assert entry.new == {"address.place_card": "Ambassador Quang Huy"}

    # a stale edit is refused; the stored wording stays
    with pytest.raises(StaleWriteError):
        demo_services.address.set_address_override(do, "place_card", "H.E. Huy", expected_version=0)
    assert demo_services.address.forms_of_address(do).place_card == "Ambassador Quang Huy"

    # clearing it brings the generated form back
    cleared = demo_services.address.set_address_override(do, "place_card", None, expected_version=1)
    assert cleared.override is None and cleared.effective == "Ambassador Huy"
    assert demo_services.address.forms_of_address(do) == generated


def test_multiline_address_block_and_bad_input(demo_services) -> None:
    pid = person_id(demo_services, RECEPTION, "Caroline Mercer")
    block = "Dr. Caroline Mercer\nPresident\nAlderbrook University"
    demo_services.address.set_address_override(pid, "address_block", block)
    assert demo_services.address.forms_of_address(pid).address_lines == tuple(block.split("\n"))
    with pytest.raises(ValidationError, match="one line"):
        demo_services.address.set_address_override(pid, "salutation", "Dear\nCaroline")
    with pytest.raises(ValidationError, match="not a form of address"):
        demo_services.address.set_address_override(pid, "nickname", "Caro")
    with pytest.raises(NotFoundError):
        demo_services.address.set_address_override(999_999, "badge", "Nobody")


# -- travel times and the clash checks -----------------------------------------------------

FOUNDERS = "Founders Hall"
KESSLER = "Kessler Engineering Center"


def travel_pairs(findings) -> set[tuple[str, ...]]:
    return {f.event_refs for f in findings if f.code == "travel_time_too_short"}


def test_travel_times_are_stored_either_way_and_used_by_the_check(demo_services) -> None:
    assert demo_services.travel.default_travel_minutes == Settings().default_travel_minutes == 20
    before = demo_services.travel.check(MINISTERIAL)
    assert ("e07", "e09") in travel_pairs(before)  # 15 min from Founders Hall to Kessler

    record = demo_services.travel.set_travel_time(KESSLER, FOUNDERS, 10)
    assert record is not None and record.minutes == 10
    assert demo_services.travel.travel_time(FOUNDERS, KESSLER) == 10  # either way
    assert demo_services.travel.travel_time(FOUNDERS, FOUNDERS) == 0
    after = demo_services.travel.check(MINISTERIAL)
    assert ("e07", "e09") not in travel_pairs(after)
    assert len(after) == len(before) - 1
    assert demo_services.audit.list("travel_time")[0].new["minutes"] == 10

    # a long journey on record makes a finding the default would not
    demo_services.travel.set_travel_time(KESSLER, FOUNDERS, 45)
    slow = next(f for f in demo_services.travel.check(MINISTERIAL)
                if f.event_refs == ("e07", "e09"))
    assert "the journey takes 45 min" in slow.message

    demo_services.travel.set_travel_time(FOUNDERS, KESSLER, None)
    assert demo_services.travel.travel_time(KESSLER, FOUNDERS) == 20
    assert [t for t in demo_services.travel.travel_times()
            if FOUNDERS in (t.venue_a.name, t.venue_b.name)
            and KESSLER in (t.venue_a.name, t.venue_b.name)] == []


def test_the_office_default_comes_from_the_settings(demo_services) -> None:
    default = len(travel_pairs(demo_services.travel.check(MINISTERIAL)))
    Settings(default_travel_minutes=10).save()
    assert demo_services.travel.default_travel_minutes == 10
    assert len(travel_pairs(demo_services.travel.check(MINISTERIAL))) < default


def test_travel_time_input_is_checked(demo_services) -> None:
    with pytest.raises(ValidationError):
        demo_services.travel.set_travel_time(FOUNDERS, KESSLER, -5)
    with pytest.raises(ValidationError, match="same venue"):
        demo_services.travel.set_travel_time(FOUNDERS, FOUNDERS, 5)
    with pytest.raises(NotFoundError):
        demo_services.travel.set_travel_time(FOUNDERS, "Atlantis", 5)
    venue = next(v for v in demo_services.travel.venues() if v.name == FOUNDERS)
    assert demo_services.travel.set_travel_time(venue.id, KESSLER, 12).venue_a.id == venue.id


def test_check_uses_stored_seating_plans(demo_services) -> None:
    codes = {f.code for f in demo_services.travel.check(RECEPTION)}
    assert "head_of_delegation_unseated" not in codes  # no plan stored: nothing to judge
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    codes = {f.code for f in demo_services.travel.check(RECEPTION)}
    assert "head_of_delegation_unseated" not in codes
    head = person_id(demo_services, RECEPTION, "Maria da Conceição Valadares")
    demo_services.seating.move_seat(RECEPTION, "r04", head, None, expected_version=view.version)
    finding = next(f for f in demo_services.travel.check(RECEPTION)
                   if f.code == "head_of_delegation_unseated")
    assert finding.event_refs == ("r04",) and finding.person_ids == (head,)
    assert json.loads(json.dumps([f.to_dict() for f in demo_services.travel.check(RECEPTION)]))


def test_a_diplomatic_corps_has_no_head_to_miss_another_delegations_event(demo_services) -> None:
    # The preview tour (r02) is for the ambassadors of Greece, Bulgaria, Japan and
    # Singapore: the Ambassador of Portugal heads her own delegation only, and nobody of
    # it attends, so her absence is no finding.  A single delegation's head still is.
    reception = demo_services.travel.check(RECEPTION)
    assert not [f for f in reception if f.code == "head_of_delegation_absent"], reception
    ministerial = demo_services.travel.check(MINISTERIAL)
    absent = {f.event_refs for f in ministerial if f.code == "head_of_delegation_absent"}
    assert absent == {("e09",), ("e14",)}


def test_check_names_a_person_an_events_notes_call_by_the_wrong_name(demo_services, db_path,
                                                                     capsys) -> None:
    """Bùi Ngọc Anh is "Ms. Anh" by the Vietnamese custom: notes saying "Ms. Bùi" (which
    print in the books) are named with the right form; "Dean Lin" (Chinese: the family
    name) and the demo as shipped raise nothing."""
    from tests.support.helpers import run_cli

    s = demo_services
    assert not [f for f in s.travel.check(MINISTERIAL) if f.code == "event_notes_misname"]
    visit = s.visits.get(MINISTERIAL)
    lunch = next(e for e in visit.events if e.ref == "e10")
    s.events.update(lunch.id, lunch.version,
                    notes="Ms. Bùi holds the seating list; Dean Lin chairs. Mr.Bùi is no one.")
    [finding] = [f for f in s.travel.check(MINISTERIAL) if f.code == "event_notes_misname"]
    assert finding.severity == "warning" and finding.event_refs == ("e10",)
    assert finding.person_ids == (person_id(s, MINISTERIAL, "Bùi Ngọc Anh"),)
    assert "“Ms. Bùi”" in finding.message and "“Ms. Anh”" in finding.message
    _code, out, _err = run_cli(capsys, "--db", str(db_path), "check", MINISTERIAL, "--json")
    [printed] = [f for f in json.loads(out) if f["code"] == "event_notes_misname"]
    assert printed["message"] == finding.message and printed["event_refs"] == ["e10"]

"""Invitations name people by the list form of address, and the office's override of that
form wins: in the calendar file (read back by icalendar) and in the .eml messages."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from tests.support.demo_refs import NOW, VISIT
from tests.support.readers import read_icalendar

OVERRIDE = "His Excellency Professor VÕ Thanh Tùng"


def _minister(services) -> tuple[int, str]:
    record = services.visits.get(VISIT)
    part = next(p for p in record.participants if p.person.family_name == "Võ")
    return part.person_id, part.list_name


def test_the_calendar_names_people_by_their_list_form_and_the_override_wins(
        invites, demo_services, tmp_path) -> None:
    minister, generated = _minister(demo_services)
    target = tmp_path / "before.ics"
    invites.export_calendar(VISIT, target, now=NOW)
    before = "\n".join(e.description or "" for e in read_icalendar(target.read_bytes()).events)
    assert generated in before and OVERRIDE not in before

    demo_services.address.set_address_override(minister, "list_form", OVERRIDE,
                                               expected_version=0)
    target = tmp_path / "after.ics"
    invites.export_calendar(VISIT, target, now=NOW)
    after = "\n".join(e.description or "" for e in read_icalendar(target.read_bytes()).events)
    assert OVERRIDE in after and generated not in after
    assert after.count(OVERRIDE) == before.count(generated)


def test_invitation_messages_carry_the_override(invites, demo_services, tmp_path) -> None:
    minister, generated = _minister(demo_services)
    demo_services.address.set_address_override(minister, "list_form", OVERRIDE,
                                               expected_version=0)
    report = invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    assert report.delivered
    texts = []
    for delivered in report.delivered:
        with open(delivered.path, "rb") as handle:
            message = BytesParser(policy=policy.default).parse(handle)
        texts.append(message.get_body(("plain",)).get_content())
    joined = "\n".join(texts)
    assert OVERRIDE in joined and generated not in joined

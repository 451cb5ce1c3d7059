"""Fixtures of the foundation tests: a small visit built through the services."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest


@dataclass
class World:
    """A visit with a guest head of delegation, a guest member, a host and an outsider."""

    services: object
    visit_id: int
    guest_id: int
    member_id: int
    host_id: int
    outsider_id: int


@pytest.fixture
def world(services) -> World:
    s = services
    visit = s.visits.create(
        title="Visit of the Rector of Kyoto University", timezone="America/New_York",
        start_date=date(2027, 3, 12), end_date=date(2027, 3, 16), country="JP",
        purpose="Research cooperation", organizer_name="Office of Protocol",
        organizer_email="protocol@alderbrook.example.edu")
    guest = s.people.create(family_name="Tanaka", given_name="Haruto", name_order="family_first",
                            native_name="田中 陽翔", country="JP", email="tanaka@kyoto.example.jp",
                            organization="Kyoto University", honorific="Prof.")
    member = s.people.create(family_name="Sato", given_name="Yui", country="JP",
                             organization="Kyoto University")
    host = s.people.create(family_name="Mercer", given_name="Caroline", country="US",
                           email="president@alderbrook.example.edu",
                           organization="Alderbrook University")
    outsider = s.people.create(family_name="Outsider", given_name="Olga")
    s.visits.add_participant(visit.id, guest.id, "guest", "head")
    s.visits.add_participant(visit.id, member.id, "guest", "member")
    s.visits.add_participant(visit.id, host.id, "host", "host")
    return World(s, visit.id, guest.id, member.id, host.id, outsider.id)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask (group and others may read new files), restored afterwards."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)

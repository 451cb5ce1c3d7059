"""The demo visits the tests use, by ref, and what is known of them."""

from __future__ import annotations

from datetime import UTC, datetime

from protocol_app.services.protocol.values import SeatingOptions

RECEPTION = "diplomatic-corps-reception-2027"
#: The reception r04 has a receiving line by default; these tests seat it as a dinner.
AS_MEAL = SeatingOptions(arrangement="tables")
MINISTERIAL = "vn-moet-minister-2027"

#: The reception's guests in order of precedence: the eight ambassadors by the date they
#: presented credentials, then the chargé d'affaires.
RECEPTION_GUESTS = [
    "Maria da Conceição Valadares",
    "Faris al-Khatib",
    "Eleni Dimitriadou",
    "Kalin Dragomirov",
    "Đỗ Quang Huy",
    "Morimoto Kenji",
    "Rajeev Chaturvedi",
    "Tan Hui Min",
    "Yonatan Adler",
]


def person_id(services, visit: str, name: str) -> int:
    """The id of the participant with this display name."""
    record = services.visits.get(visit)
    return next(p.person_id for p in record.participants if p.person.display_name == name)


#: "Now" for the invitation tests (before every demo event), and their visit.
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
VISIT = MINISTERIAL

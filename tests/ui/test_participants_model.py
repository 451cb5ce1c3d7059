"""The delegation and gifts models, without any widget."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from protocol_app.services.values import GiftRecord, ParticipantRecord, PersonRecord
from ui.models.gifts_model import GiftsModel
from ui.models.participants_model import ParticipantsModel


def participant(pid: int, family: str, side: str, role: str, **person) -> ParticipantRecord:
    return ParticipantRecord(person_id=pid, side=side, role=role,
                             person=PersonRecord(id=pid, family_name=family, **person))


PEOPLE = [
    participant(1, "Whitcombe", "host", "host", given_name="Eleanor", honorific="Dr."),
    participant(2, "Nguyễn", "guest", "member", given_name="Thị Mai Phương",
                name_order="family_first", country="VN"),
    participant(3, "Võ", "guest", "head", given_name="Thanh Tùng", name_order="family_first",
                honorific="H.E.", position="Minister", pronunciation="vaw tahn TOONG"),
    participant(4, "Lee", "guest", "interpreter", given_name="Anna"),
]


def test_guests_first_head_first_and_marked(qapp, qtmodeltester) -> None:
    model = ParticipantsModel()
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())
            ] == list(ParticipantsModel.HEADERS)
    model.set_rows(PEOPLE)
    qtmodeltester.check(model)
    assert [model.row_at(r).person_id for r in range(4)] == [3, 2, 4, 1]
    name = model.index(0, ParticipantsModel.NAME)
    assert name.data() == "H.E. Võ Thanh Tùng"  # family name first, as customary
    assert name.data(Qt.ItemDataRole.FontRole).bold()
    assert name.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "vaw tahn TOONG" in name.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, ParticipantsModel.COUNTRY).data() == "Viet Nam"
    assert model.index(3, ParticipantsModel.ROLE).data() == "Host"


def test_side_and_role_edits_are_requests_not_writes(qapp, qtbot) -> None:
    model = ParticipantsModel()
    model.set_rows(PEOPLE)
    role = model.index(1, ParticipantsModel.ROLE)  # Nguyễn, guest member
    assert model.flags(role) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, ParticipantsModel.NAME)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.change_requested) as signal:
        assert model.setData(role, "staff") is False  # the page writes, then resets rows
    assert signal.args == [2, "guest", "staff"]
    assert model.row_at(1).role == "member"
    with qtbot.waitSignal(model.change_requested) as signal:  # moving sides fixes the role
        model.setData(model.index(0, ParticipantsModel.SIDE), "host")
    assert signal.args == [3, "host", "member"]
    with qtbot.assertNotEmitted(model.change_requested):
        model.setData(role, "member")  # no change
        model.setData(role, "pope")  # not a role


def test_gifts_model_names_people_and_totals(qapp, qtmodeltester) -> None:
    gifts = [
        GiftRecord(id=1, visit_id=1, direction="received", giver_person_id=3,
                   recipient_person_id=1, description="Lacquered box\nwith emblem",
                   value=120.0, currency="USD", date=date(2027, 3, 12)),
        GiftRecord(id=2, visit_id=1, direction="given", giver_person_id=1,
                   recipient_person_id=3, description="University medal", value=None,
                   currency="", date=None),
        GiftRecord(id=3, visit_id=1, direction="received", giver_person_id=None,
                   recipient_person_id=1, description="Tea", value=30.5, currency="USD",
                   date=date(2027, 3, 11)),
    ]
    model = GiftsModel()
    model.set_rows(gifts, {1: "Dr. Eleanor Whitcombe", 3: "H.E. Võ Thanh Tùng"})
    qtmodeltester.check(model)
    assert [model.row_at(r).id for r in range(3)] == [3, 1, 2]  # by date, undated last
    assert model.index(1, GiftsModel.DESCRIPTION).data() == "Lacquered box"
    assert model.index(1, GiftsModel.GIVER).data() == "H.E. Võ Thanh Tùng"
    assert model.index(0, GiftsModel.GIVER).data() == ""
    assert model.index(1, GiftsModel.VALUE).data() == "120 USD"
    assert model.index(2, GiftsModel.DATE).data() == ""
    assert model.totals("received") == {"USD": 150.5}
    assert model.row_of(2) == 2

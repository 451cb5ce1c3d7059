""""Invitation cards…" with the real widgets (pytest-qt): the events offered, the guests
ticked, a card's preview, saving only the ticked guests' cards and the envelope list."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ui.dialogs.invitation_cards import InvitationCardsDialog

VISIT = "vn-moet-minister-2027"


def _open(qtbot, services, **kwargs) -> InvitationCardsDialog:
    dialog = InvitationCardsDialog(services, VISIT, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        dialog.show()
    return dialog


def _events(dialog: InvitationCardsDialog) -> dict[str, bool]:
    model = dialog.event.model()
    return {dialog.event.itemData(i): model.item(i).isEnabled()  # type: ignore[attr-defined]
            for i in range(dialog.event.count())}


def test_offers_the_events_with_guests_on_card(qtbot, demo_services) -> None:
    dialog = _open(qtbot, demo_services)
    offered = _events(dialog)
    assert len(offered) == 20
    assert offered["e17"] and offered["e04"] and offered["e05"]
    for ref in ("e01", "e02", "e03", "e07", "e19", "e20"):  # transport, private, press
        assert not offered[ref], ref
    assert dialog.event.currentData() == "e04"  # the first meal or ceremony
    assert "no cards for this kind of event" in dialog.event.itemText(0)
    assert not dialog.preview.pixmap().isNull()
    assert dialog.preview.pixmap().width() > dialog.preview.pixmap().height()  # 7 × 5


def test_saves_only_the_ticked_guests_and_the_envelope_list(qtbot, demo_services,
                                                            tmp_path: Path,
                                                            monkeypatch) -> None:
    dialog = _open(qtbot, demo_services, event_ref="e17")
    assert dialog.event.currentData() == "e17"
    names = [dialog.guests.item(i).text() for i in range(dialog.guests.count())]
    assert names[0] == "His Excellency Professor Võ Thanh Tùng" and len(names) == 5
    assert all(dialog.guests.item(i).checkState() == Qt.CheckState.Checked
               for i in range(dialog.guests.count()))
    dialog.guests.item(1).setCheckState(Qt.CheckState.Unchecked)  # the ambassador
    target = tmp_path / "dinner"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    with qtbot.waitSignal(dialog.saved, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.cards == 4 and result.path == tmp_path / "dinner.pdf"
    text = unicodedata.normalize("NFKC", " ".join(
        page.extract_text() for page in PdfReader(str(result.path)).pages))
    assert unicodedata.normalize("NFKC", "Đỗ Quang Huy") not in text
    assert unicodedata.normalize("NFKC", "Võ Thanh Tùng") in text
    assert result.envelopes == tmp_path / "dinner-envelopes.csv"
    rows = list(csv.DictReader(io.StringIO(result.envelopes.read_text("utf-8-sig"))))
    assert [r["Name"] for r in rows] == [n for n in names if n != names[1]]
    assert "Saved 4 cards on 2 sheets" in dialog.status.text()


def test_saving_records_an_edition_and_a_preview_does_not(qtbot, demo_services,
                                                          tmp_path: Path) -> None:
    dialog = _open(qtbot, demo_services, event_ref="e17")
    assert demo_services.editions.list(VISIT, kind="invitation_cards") == []  # previews
    for number in (1, 2):
        with qtbot.waitSignal(dialog.saved, timeout=20_000) as blocker:
            dialog.save_to(tmp_path / f"dinner-{number}.pdf")
        assert blocker.args[0].cards == 5
        assert dialog.edition is not None and dialog.edition.number == number
        assert f"Saved 5 cards on 3 sheets as edition {number}:" in dialog.status.text()
    recorded = demo_services.editions.list(VISIT, kind="invitation_cards")
    dinner = next(e.id for e in demo_services.events.list(VISIT) if e.ref == "e17")
    assert [(e.series, e.number, e.event_id, e.person_id) for e in recorded] == [
        (f"invitation_cards/guest/e{dinner}", n, dinner, None) for n in (1, 2)]
    assert Path(recorded[1].path) == (tmp_path / "dinner-2.pdf").resolve()


def test_nothing_ticked_nothing_to_save(qtbot, demo_services) -> None:
    dialog = _open(qtbot, demo_services, event_ref="e17")
    for i in range(dialog.guests.count()):
        dialog.guests.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.save_button.isEnabled()


def test_the_visit_menu_opens_it(qtbot, demo_services, make_window) -> None:
    window = make_window(demo_services)
    window.visits_page.select_visit(demo_services.visits.resolve(VISIT))
    action = window.menu_actions.act_invitation_cards
    assert action in window.menus["menuVisit"].actions() and action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(InvitationCardsDialog)), timeout=5_000)
    dialog = window.findChildren(InvitationCardsDialog)[0]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.invitations is not None,
                    timeout=20_000)
    assert dialog.invitations.event_ref == "e04"
    dialog.done(0)

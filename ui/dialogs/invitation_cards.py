""""Invitation cards…": the printed invitations of one event of the visit.

Pick the event (those without guests on card are listed but cannot be chosen), tick the
guests whose cards to print (all by default: untick to reprint a few), look at the
selected guest's card as it prints, choose the paper and whether to write the envelope
list too (CSV for a mail merge, or PDF), and save. The preview is drawn with
:meth:`protocol_app.briefing.service.BriefingService.invitation_cards` (no edition); saving
goes through :meth:`protocol_app.briefing.editions.EditionService.publish_invitation_cards`
(the cards saved are an edition), both in the background (:func:`ui.tasks.run_task`);
this module never touches a database session.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol_app.briefing.invitations import CARD_KINDS, InvitationSet, invited_on_card
from protocol_app.timeutil import format_local
from ui.dialogs.briefing import PAPER_CHOICES, PdfPages, default_paper
from ui.dialogs.busy import BusyDialog
from ui.dialogs.fit import fit_to_screen
from ui.tasks import run_task

#: (key, label) of the envelope list choices; the key is the file's extension.
ENVELOPE_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "No envelope list"),
    (".csv", "Envelope list as CSV (mail merge, labels)"),
    (".pdf", "Envelope list as PDF (to print)"),
)
PREVIEW_WIDTH = 520  # pixels: the card's preview


class InvitationCardsDialog(BusyDialog):
    """One event's invitation cards: guests, a preview of a card, paper, save."""

    #: Emitted with the InvitationSet (or the exception) when an event's cards are read.
    loaded = Signal(object)
    #: Emitted with the preview QPixmap (or the exception) when a card is drawn.
    previewed = Signal(object)
    #: Emitted with the CardsResult (or the exception) when the cards are saved
    #: (``self.edition``: the edition recorded, or None).
    saved = Signal(object)

    def __init__(self, services: Any, visit_id: int | str, parent: QWidget | None = None,
                 *, event_ref: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("invitationCardsDialog")
        self.setWindowTitle("Invitation cards")
        self.services = services
        self.visit_id = visit_id
        self.invitations: InvitationSet | None = None
        self.result: Any = None
        self.edition: Any = None
        self._busy = 0
        self._workdir = Path(tempfile.mkdtemp(prefix="protocol-cards-"))
        self._preview_number = 0

        self.event = QComboBox()
        self.event.setObjectName("cardsEvent")
        self.event.setAccessibleName("Event")
        self.event.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.paper = QComboBox()
        self.paper.setObjectName("cardsPaper")
        self.paper.setAccessibleName("Paper size")
        for name in PAPER_CHOICES:
            self.paper.addItem(f"{'US Letter' if name == 'Letter' else name}, two cards "
                               "of 7 × 5 in to a sheet", name)
        self.paper.setCurrentIndex(PAPER_CHOICES.index(default_paper()))
        self.envelopes = QComboBox()
        self.envelopes.setObjectName("cardsEnvelopes")
        self.envelopes.setAccessibleName("Envelope list")
        for key, label in ENVELOPE_CHOICES:
            self.envelopes.addItem(label, key)
        self.envelopes.setCurrentIndex(1)
        form = QFormLayout()
        form.addRow("&Event", self.event)
        form.addRow("&Paper", self.paper)
        form.addRow("En&velopes", self.envelopes)
        for widget in (self.event, self.paper, self.envelopes):
            label = form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setBuddy(widget)

        self.rule = QLabel("Cards go to the heads of delegation and members attending a meal, "
                           "ceremony, meeting or tour, in order of precedence.")
        self.rule.setWordWrap(True)
        self.rule.setObjectName("cardsRule")
        self.guests = QListWidget()
        self.guests.setObjectName("cardsGuests")
        self.guests.setAccessibleName("Guests invited on card")
        self.guests.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.guests.setMinimumWidth(280)
        self.preview = QLabel("")
        self.preview.setObjectName("cardsPreview")
        self.preview.setAccessibleName("The selected guest's card")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, int(PREVIEW_WIDTH * 5 / 7))
        body = QHBoxLayout()
        guests_column = QVBoxLayout()
        guests_column.addWidget(QLabel("Guests (untick to leave a card out):"))
        guests_column.addWidget(self.guests, 1)
        body.addLayout(guests_column, 1)
        body.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)

        self.status = QLabel("Loading…")
        self.status.setObjectName("cardsStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.save_button = QPushButton("&Save cards…")
        self.save_button.setObjectName("cardsSave")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_dialog)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rule)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.event.currentIndexChanged.connect(self._event_changed)
        self.paper.currentIndexChanged.connect(self._refresh_preview)
        self.guests.currentRowChanged.connect(self._refresh_preview)
        self.guests.itemChanged.connect(self._update_buttons)
        fit_to_screen(self)
        self._load_events(event_ref)

    # -- events and guests -----------------------------------------------------------
    def _load_events(self, wanted: str | None) -> None:
        visits, visit_id = self.services.visits, self.visit_id
        self._busy += 1
        run_task(lambda: visits.get(visit_id),
                 on_success=lambda visit: self._show_events(visit, wanted),
                 on_failure=self._failed, parent=self, title="The visit could not be read")

    def _show_events(self, visit: Any, wanted: str | None) -> None:
        self._busy -= 1
        if not isValid(self):
            return
        self.event.blockSignals(True)
        chosen = -1
        for event in visit.events:
            count = len(invited_on_card(visit, event)) if event.status != "cancelled" else 0
            when = format_local(event.start_utc, event.timezone, "%a %d %b %H:%M")
            note = (f"{count} guest{'' if count == 1 else 's'} on card" if count
                    else "cancelled" if event.status == "cancelled"
                    else "no cards for this kind of event" if event.kind not in CARD_KINDS
                    else "no guests on card")
            self.event.addItem(f"{event.ref} · {event.title} · {when} — {note}", event.ref)
            item = self.event.model().item(self.event.count() - 1)  # type: ignore[attr-defined]
            item.setEnabled(bool(count))
            if count and (event.ref == wanted or (chosen < 0 and wanted is None
                                                  and event.kind in ("meal", "ceremony"))):
                chosen = self.event.count() - 1
        if chosen < 0:
            chosen = next((i for i in range(self.event.count())
                           if self.event.model().item(i).isEnabled()), -1)  # type: ignore
        self.event.setCurrentIndex(chosen)
        self.event.blockSignals(False)
        if chosen < 0:
            self.status.setText(f"No event of {visit.title} has guests to invite on card.")
            return
        self._event_changed()

    def _event_changed(self) -> None:
        ref = self.event.currentData()
        if ref is None:
            return
        briefing, visit_id = self.services.briefing, self.visit_id
        self.status.setText("Reading the guests…")
        self._busy += 1
        run_task(lambda: briefing.invitations(visit_id, ref), on_success=self._show_guests,
                 on_failure=self._failed, parent=self, title="The cards could not be read")

    def _show_guests(self, invitations: InvitationSet) -> None:
        self._busy -= 1
        if not isValid(self) or invitations.event_ref != self.event.currentData():
            return
        self.invitations = invitations
        self.guests.blockSignals(True)
        self.guests.clear()
        for card, envelope in zip(invitations.cards, invitations.envelopes, strict=True):
            item = QListWidgetItem(card.guest_name)
            item.setData(Qt.ItemDataRole.UserRole, card.person_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip("\n".join(envelope.envelope))
            self.guests.addItem(item)
        self.guests.blockSignals(False)
        self.guests.setCurrentRow(0)
        self.status.setText(f"{len(invitations.cards)} card"
                            f"{'' if len(invitations.cards) == 1 else 's'} for "
                            f"“{invitations.event_title}”.")
        self._update_buttons()
        self.loaded.emit(invitations)

    def checked_guests(self) -> tuple[str, ...]:
        """The numbers of the guests ticked, in order."""
        return tuple(str(self.guests.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.guests.count())
                     if self.guests.item(i).checkState() == Qt.CheckState.Checked)

    def _update_buttons(self, *_args: object) -> None:
        self.save_button.setEnabled(self.invitations is not None and bool(self.checked_guests()))

    # -- the preview -----------------------------------------------------------------
    def _refresh_preview(self, *_args: object) -> None:
        item = self.guests.currentItem()
        ref = self.event.currentData()
        if item is None or ref is None:
            return
        self._preview_number += 1
        number = self._preview_number
        target = self._workdir / f"preview-{number}.pdf"
        briefing, visit_id = self.services.briefing, self.visit_id
        guest, paper = str(item.data(Qt.ItemDataRole.UserRole)), self.paper.currentData()

        def work() -> Path:
            briefing.invitation_cards(visit_id, ref, target, paper=paper, guests=(guest,))
            return target

        self._busy += 1
        run_task(work, on_success=lambda path: self._show_preview(number, path),
                 on_failure=self._failed, parent=self, title="The card could not be drawn")

    def _show_preview(self, number: int, path: Path) -> None:
        self._busy -= 1
        if not isValid(self) or number != self._preview_number:
            return
        from protocol_app.briefing.invitation_cards import CARD_HEIGHT, CARD_WIDTH

        pages = PdfPages(path)
        try:
            width, height = pages.size(0)
            scale = PREVIEW_WIDTH / CARD_WIDTH * self.devicePixelRatioF()
            image = pages.render(0, scale)
        finally:
            pages.close()
        left = round((width - CARD_WIDTH) / 2 * scale)
        top = round((height - 2 * CARD_HEIGHT) / 2 * scale)
        card = image.copy(QRect(left, top, round(CARD_WIDTH * scale),
                                round(CARD_HEIGHT * scale)))
        pixmap = QPixmap.fromImage(card)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.preview.setPixmap(pixmap)
        self.previewed.emit(pixmap)

    # -- saving ----------------------------------------------------------------------
    def save_dialog(self) -> None:
        """Ask where to save the cards (the envelope list goes beside them)."""
        ref = self.event.currentData()
        suggested = f"{self.visit_id}-{ref}-invitations.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, "Save invitation cards", suggested,
                                                    "PDF files (*.pdf)")
        if path:
            self.save_to(path if path.lower().endswith(".pdf") else path + ".pdf")

    def envelope_path(self, cards: Path) -> Path | None:
        """Where the envelope list goes: beside the cards, by the chosen format."""
        suffix = self.envelopes.currentData()
        return cards.with_name(f"{cards.stem}-envelopes{suffix}") if suffix else None

    def save_to(self, path: str | Path) -> None:
        """Save the ticked guests' cards (and the envelope list) in the background."""
        ref = self.event.currentData()
        chosen = self.checked_guests()
        if ref is None or not chosen or self.invitations is None:
            return
        every = len(chosen) == len(self.invitations.cards)
        target = Path(path)
        envelopes = self.envelope_path(target)
        editions, visit_id, paper = self.services.editions, self.visit_id, \
            self.paper.currentData()
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        self._busy += 1
        run_task(lambda: editions.publish_invitation_cards(visit_id, ref, target, paper=paper,
                                                           envelopes=envelopes,
                                                           guests=() if every else chosen),
                 on_success=self._saved, on_failure=self._save_failed, parent=self,
                 title="The cards could not be saved")

    def _saved(self, published: tuple[Any, Any]) -> None:
        self._busy -= 1
        if not isValid(self):
            return
        result, self.edition = published
        self.result = result
        number = f" as edition {self.edition.number}" if self.edition is not None else ""
        text = (f"Saved {result.cards} card{'' if result.cards == 1 else 's'} on "
                f"{result.sheets} sheet{'' if result.sheets == 1 else 's'}{number}: "
                f"{result.path}")
        if result.envelopes is not None:
            text += f"; the envelope list: {result.envelopes}"
        self.status.setText(text + "." + "".join(f"\nWarning: {w}" for w in result.warnings))
        self._update_buttons()
        self.saved.emit(result)

    def _save_failed(self, error: BaseException, details: str) -> None:
        self._failed(error, details)
        if isValid(self):
            self.saved.emit(error)

    def _failed(self, error: BaseException, details: str) -> None:
        self._busy -= 1
        if not isValid(self):
            return
        from ui.dialogs.errors import show_error

        self.status.setText(str(error))
        self._update_buttons()
        show_error(self, "Invitation cards", error, details)

    # -- closing ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while something is read, drawn or saved in the background."""
        return self._busy > 0

    def done(self, result: int) -> None:
        """Close and remove the previews."""
        import shutil

        shutil.rmtree(self._workdir, ignore_errors=True)
        super().done(result)


__all__ = ["ENVELOPE_CHOICES", "InvitationCardsDialog"]

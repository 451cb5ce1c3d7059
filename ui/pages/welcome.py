"""The first page on an empty database: three ways to start."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ui.icons import app_icon, icon
from ui.look import secondary


class WelcomePage(QWidget):
    """Offers the sample visits, importing a package, or a new visit."""

    open_samples = Signal()
    import_package = Signal()
    new_visit = Signal()

    def __init__(self, office_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setAccessibleName("Welcome")

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(72, 72)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel("Welcome to Protocol Desk")
        self.title.setObjectName("welcomeTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_office_name(office_name)

        self.samples_button = QCommandLinkButton(
            "Open the sample visits",
            "Three visits to explore: a ministerial delegation, an ambassador's courtesy call "
            "and a diplomatic reception, with their people and itineraries.")
        self.samples_button.setObjectName("openSamplesButton")
        self.samples_button.setIcon(icon("sample"))
        self.import_button = QCommandLinkButton(
            "Import a visit package…",
            "A .json visit package from a partner office or from another Protocol Desk. "
            "You can also drop the file on this window.")
        self.import_button.setObjectName("importPackageButton")
        self.import_button.setIcon(icon("import"))
        self.new_button = QCommandLinkButton(
            "New visit", "Start from a blank visit: title, dates, the delegation's country.")
        self.new_button.setObjectName("newVisitButton")
        self.new_button.setIcon(icon("add"))
        for button in (self.samples_button, self.import_button, self.new_button):
            button.setIconSize(QSize(28, 28))
            button.setAccessibleName(button.text())
            button.setAccessibleDescription(button.description())
            button.setMinimumHeight(76)
        self.samples_button.clicked.connect(self.open_samples)
        self.import_button.clicked.connect(self.import_package)
        self.new_button.clicked.connect(self.new_visit)

        self.progress = QProgressBar()
        self.progress.setObjectName("welcomeProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        secondary(self.status)

        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(620)
        column = QVBoxLayout(card)
        column.setSpacing(10)
        column.addWidget(logo)
        column.addSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addSpacing(18)
        column.addWidget(self.samples_button)
        column.addWidget(self.import_button)
        column.addWidget(self.new_button)
        column.addSpacing(8)
        column.addWidget(self.progress)
        column.addWidget(self.status)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        QWidget.setTabOrder(self.samples_button, self.import_button)
        QWidget.setTabOrder(self.import_button, self.new_button)

    def set_office_name(self, name: str) -> None:
        """Name the office in the greeting."""
        office = f" for the {name}" if name and not name.lower().startswith("the ") else (
            f" for {name}" if name else "")
        self.subtitle.setText(
            f"Plan official visits{office}: the delegation, the itinerary hour by hour, "
            "the gifts and the record. There are no visits yet — choose how to begin.")

    def set_busy(self, busy: bool, text: str = "") -> None:
        """Show that the sample visits are being loaded (the buttons wait meanwhile)."""
        for button in (self.samples_button, self.import_button, self.new_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.status.setText(text)

    def focus_first(self) -> None:
        """Put the keyboard focus on the first choice."""
        self.samples_button.setFocus(Qt.FocusReason.OtherFocusReason)

"""The person editor: the full name model, affiliation, contact, precedence, notes and
photo, with the sensitive notes marked as internal.

``PersonEditor(services, person_id)`` edits a person (``None`` creates one).  Saving
(the Save button or Ctrl+S) goes through a :class:`~ui.undo.VersionedCommand`, so it can be
undone; a stale write is reported and the form reloaded with the stored values while
keeping the user's own edits (never overwriting anyone silently).  Closing with unsaved
edits asks Save / Discard / Cancel.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeySequence,
    QPalette,
    QPixmap,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import FieldProblem, ProtocolError, StaleWriteError, ValidationError
from protocol_app.formatting import country_name
from protocol_app.images import normalize_photo
from protocol_app.records import vocab
from protocol_app.records.fields import PERSON_FIELDS
from protocol_app.records.sensitivity import SENSITIVE_LABELS, SENSITIVE_PERSON_FIELDS
from protocol_app.rules.names import default_title_name, title_name_custom
from protocol_app.services.values import PersonRecord
from ui.dialogs.confirm import UnsavedChoice, ask_unsaved_changes
from ui.dialogs.errors import show_error
from ui.dialogs.fit import fit_to_screen
from ui.dialogs.stale import handle_stale_write
from ui.editors import (
    FieldErrors,
    RecordHandle,
    audience_note,
    lock_icon,
    report_problems,
    report_undo_failure,
    tint_sensitive,
)
from ui.editors.withheld import withhold
from ui.undo import VersionedCommand, push
from ui.widgets.forms_of_address import FormsOfAddressPanel
from ui.widgets.manager_picker import MANAGER_CHOICES, THEMSELF, ManagerPicker

if TYPE_CHECKING:
    from protocol_app.services import Services

_NO_DATE = QDate(1900, 1, 1)
PHOTO_SIZE = QSize(150, 190)


def _countries() -> list[tuple[str, str]]:
    import pycountry

    return sorted(((country_name(c.alpha_2), c.alpha_2) for c in pycountry.countries),
                  key=lambda item: item[0])


class PhotoBox(QLabel):
    """The photo, scaled to fit; accepts an image file dropped on it."""

    dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFixedSize(PHOTO_SIZE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.setAccessibleName("Photo")
        self.show_image(None)

    def show_image(self, image: QImage | None) -> None:
        """Show ``image`` scaled to the box, or a hint when there is none."""
        if image is None or image.isNull():
            self.setPixmap(QPixmap())
            self.setText("No photo\n\nDrop an image here")
            self.setAccessibleDescription("No photo")
            return
        ratio = self.devicePixelRatioF() or 1.0
        scaled = image.scaled(self.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.setText("")
        self.setPixmap(pixmap)
        self.setAccessibleDescription(f"Photo, {image.width()}×{image.height()} pixels")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.dropped.emit(urls[0].toLocalFile())


class PersonEditor(QDialog):
    """Edit one person (or create one when ``person_id`` is None)."""

    saved = Signal(object)  # the PersonRecord as stored

    def __init__(self, services: Services, person_id: int | None, parent: QWidget | None = None,
                 *, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._record: PersonRecord | None = None
        self._handle = RecordHandle(person_id, None)
        self._loaded: dict[str, Any] = {}
        self._photo: bytes | None = None  # normalized JPEG shown now
        self._photo_changed = False
        self._saving = False
        self.errors = FieldErrors()
        self.setObjectName("personEditor")
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self._build()
        if person_id is not None:
            self._load(self.services.people.get(person_id))
            data = self.services.people.photo(person_id) if self._record and \
                self._record.has_photo else None
            self._set_photo(data, changed=False)
        else:
            self._loaded = self.form_values()
            self._update_title()
        (self.family_name if person_id is None else self.given_name).setFocus()

    # -- building ----------------------------------------------------------------------
    def _line(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._update_title)
        return edit

    def _text(self, name: str, label: str, lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.setTabChangesFocus(True)
        height = edit.fontMetrics().lineSpacing() * lines + 14
        edit.setMinimumHeight(height)
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        edit.textChanged.connect(self._update_title)
        return edit

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        return form

    def _row(self, form: QFormLayout, label: str, key: str, field: QWidget,
             *extra: str) -> None:
        title = QLabel(label)
        title.setBuddy(field)
        form.addRow(title, self.errors.wrap(key, field, *extra))

    def _build(self) -> None:
        e = self.errors
        # name
        self.honorific = self._line("honorific", "Honorific", "H.E., Prof., Dr.")
        self.given_name = self._line("given_name", "Given name")
        self.family_name = self._line("family_name", "Family name")
        self.name_order = QComboBox(objectName="name_order")
        self.name_order.setAccessibleName("Name order")
        for key in vocab.NAME_ORDERS:
            self.name_order.addItem(vocab.NameOrder.label_of(key), key)
        self.name_order.currentIndexChanged.connect(self._update_title)
        self.title_name = self._line("title_name", "Name used with a title")
        self.title_name.setToolTip(
            "The name used after a title (\"Minister Tùng\"); leave it empty to follow the "
            "person's naming custom, shown in grey")
        self.native_name = self._line("native_name", "Native name", "in the person's own script")
        self.pronunciation = self._line("pronunciation", "Pronunciation", "e.g. vaw tahn TOONG")
        self.gender = QComboBox(objectName="gender")
        self.gender.setAccessibleName("Gender")
        for key in vocab.GENDERS:
            self.gender.addItem(vocab.Gender.label_of(key), key)
        self.gender.currentIndexChanged.connect(self._update_title)
        self.shown_as = QLabel()
        self.shown_as.setObjectName("shown_as")
        self.shown_as.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._dim(self.shown_as)

        name_box = QGroupBox("Name")
        name_form = self._form()
        self._row(name_form, "&Honorific:", "honorific", self.honorific)
        self._row(name_form, "&Given name:", "given_name", self.given_name)
        self._row(name_form, "&Family name:", "family_name", self.family_name)
        self._row(name_form, "Name &order:", "name_order", self.name_order)
        name_form.addRow("", self.shown_as)
        self._row(name_form, "Name used with a &title:", "title_name", self.title_name)
        self._row(name_form, "&Native name:", "native_name", self.native_name)
        self._row(name_form, "Pron&unciation:", "pronunciation", self.pronunciation)
        self._row(name_form, "G&ender:", "gender", self.gender)
        name_box.setLayout(name_form)

        # photo
        self.photo_box = PhotoBox()
        self.photo_box.dropped.connect(self.load_photo_file)
        self.choose_photo = QPushButton("C&hoose…")
        self.choose_photo.setAccessibleName("Choose a photo file")
        self.choose_photo.clicked.connect(self._choose_photo)
        self.remove_photo = QPushButton("Remo&ve")
        self.remove_photo.setAccessibleName("Remove the photo")
        self.remove_photo.clicked.connect(lambda: self._set_photo(None, changed=True))
        self.remove_photo.setEnabled(False)
        photo_buttons = QHBoxLayout()
        photo_buttons.setSpacing(6)
        photo_buttons.addWidget(self.choose_photo)
        photo_buttons.addWidget(self.remove_photo)
        photo_column = QVBoxLayout()
        photo_column.addWidget(e.wrap("photo", self.photo_box))
        photo_column.addLayout(photo_buttons)
        photo_column.addStretch(1)

        # affiliation and contact
        self.position = self._line("position", "Position", "Minister of Education")
        self.organization = self._line("organization", "Organization")
        self.country = QComboBox(objectName="country")
        self.country.setAccessibleName("Country")
        self.country.setEditable(True)
        self.country.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.country.addItem("", "")
        for name, code in _countries():
            self.country.addItem(f"{name} ({code})", code)
        completer = self.country.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.country.currentTextChanged.connect(self._update_title)
        self.email = self._line("email", "E-mail", "name@example.org")
        self.phone = self._line("phone", "Phone", "+1 555 0100")
        self.languages = self._line("languages", "Languages", "vi, en, fr")
        self.languages.setToolTip("Language tags separated by commas, first the preferred one")

        work_box = QGroupBox("Affiliation and contact")
        work_form = self._form()
        self._row(work_form, "&Position:", "position", self.position)
        self._row(work_form, "Organi&zation:", "organization", self.organization)
        self._row(work_form, "&Country:", "country", self.country)
        self._row(work_form, "E-&mail:", "email", self.email)
        self._row(work_form, "P&hone:", "phone", self.phone)
        self._row(work_form, "&Languages:", "languages", self.languages)
        self.calendar_manager = ManagerPicker(
            self.services.people.search("", limit=MANAGER_CHOICES), self._handle.id)
        self.calendar_manager.currentTextChanged.connect(self._update_title)
        self._manager_loaded = ""
        self._row(work_form, "Invitations &go to:", "calendar_manager", self.calendar_manager)
        work_box.setLayout(work_form)

        # precedence
        self.rank = QComboBox(objectName="rank")
        self.rank.setAccessibleName("Precedence rank")
        self.rank.setToolTip("The person's line in the table of precedence (Edit → Table of "
                             "precedence…)")
        self.rank.addItem("Not set (other guest)", "")
        for category in self.services.precedence.categories():
            self.rank.addItem(category.label[:1].upper() + category.label[1:], category.key)
        self.rank.currentIndexChanged.connect(self._update_title)
        self.rank_date = QDateEdit(objectName="rank_date")
        self.rank_date.setAccessibleName("Rank date")
        self.rank_date.setCalendarPopup(True)
        self.rank_date.setDisplayFormat("d MMM yyyy")
        self.rank_date.setMinimumDate(_NO_DATE)
        self.rank_date.setSpecialValueText("Not set")
        self.rank_date.setDate(_NO_DATE)
        self.rank_date.setToolTip("When the person took up functions (for ambassadors: "
                                  "presented credentials); breaks ties in precedence")
        self.rank_date.dateChanged.connect(self._update_title)
        self.clear_rank_date = QPushButton("Clear")
        self.clear_rank_date.setAccessibleName("Clear the rank date")
        self.clear_rank_date.clicked.connect(lambda: self.rank_date.setDate(_NO_DATE))
        date_row = QWidget()
        date_layout = QHBoxLayout(date_row)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.addWidget(self.rank_date, 1)
        date_layout.addWidget(self.clear_rank_date)
        rank_box = QGroupBox("Precedence")
        rank_form = self._form()
        self._row(rank_form, "&Rank:", "rank", self.rank)
        self._row(rank_form, "Rank &date:", "rank_date", date_row)
        rank_box.setLayout(rank_form)

        # notes
        self.dietary = self._text("dietary", "Dietary needs", 2)
        self.dietary.setMaximumHeight(self.dietary.minimumHeight() + 20)
        self.dietary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.bio = self._text("bio", "Biography", 5)
        notes_box = QGroupBox("Dietary needs and biography")
        notes_form = self._form()
        self._row(notes_form, "D&ietary needs:", "dietary", self.dietary)
        self._row(notes_form, "&Biography:", "bio", self.bio)
        notes_box.setLayout(notes_form)

        # sensitive
        self.sensitive_box = self._sensitive_box()
        withhold(self.sensitive_box, self.sensitive, self.services.hidden_fields("person"))

        # layout: name + photo left, affiliation + precedence right, notes below
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        top_left = QHBoxLayout()
        top_left.setSpacing(14)
        top_left.addLayout(photo_column)
        top_left.addWidget(name_box, 1)
        grid.addLayout(top_left, 0, 0, 2, 1)
        grid.addWidget(work_box, 0, 1)
        grid.addWidget(rank_box, 1, 1)
        grid.addWidget(notes_box, 2, 0)
        grid.addWidget(self.sensitive_box, 2, 1)
        grid.setColumnStretch(0, 11)
        grid.setColumnStretch(1, 10)
        grid.setRowStretch(2, 1)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        details = QWidget()
        details.setLayout(grid)
        grid.setContentsMargins(0, 10, 0, 0)
        self.forms_panel = FormsOfAddressPanel(self.services, self)
        self.forms_panel.setAccessibleName("Forms of address")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(details, "&Details")
        self.tabs.addTab(self.forms_panel, "Forms of &address")
        self.tabs.setTabEnabled(1, False)  # once the person is saved
        self.tabs.setTabToolTip(1, "How to write to, address and seat this person")

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 16, 16, 12)
        root.setSpacing(12)
        root.addWidget(self.tabs, 1)
        root.addWidget(self.buttons)
        self._set_tab_order()
        self.resize(1120, 760)
        fit_to_screen(self)

    THEMSELF = THEMSELF

    def manager_value(self) -> str:
        """The calendar manager chosen: a person number as text, "" for none."""
        return self.calendar_manager.manager_value()

    def _sensitive_box(self) -> QGroupBox:
        box = QGroupBox()
        box.setObjectName("sensitiveGroup")
        box.setAccessibleName("Sensitive — internal only, not for guests")
        tint_sensitive(box)
        palette = box.palette()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 10, 12, 10)
        header = QHBoxLayout()
        lock = QLabel()
        lock.setPixmap(lock_icon(18, palette.color(QPalette.ColorRole.WindowText)))
        lock.setAccessibleName("Sensitive")
        title = QLabel("<b>Sensitive — internal only</b>")
        title.setObjectName("sensitiveTitle")
        note = QLabel("Not for guests: left out of guest books and invites")
        self._dim(note)
        header.addWidget(lock)
        header.addWidget(title)
        header.addSpacing(8)
        header.addWidget(note, 1)
        layout.addLayout(header)
        form = self._form()
        self.sensitive: dict[str, QPlainTextEdit] = {}
        for field in SENSITIVE_PERSON_FIELDS:
            label = SENSITIVE_LABELS.get(field, field.replace("_", " ").capitalize())
            edit = self._text(field, f"{label} (sensitive, {audience_note(field)})", 3)
            edit.setToolTip(f"Sensitive: {audience_note(field)}")
            self.sensitive[field] = edit
            caption = QLabel(f"{label}:<br><small>{audience_note(field)}</small>")
            caption.setBuddy(edit)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            form.addRow(caption, self.errors.wrap(field, edit))
        layout.addLayout(form, 1)
        return box

    @staticmethod
    def _dim(label: QLabel) -> None:
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        label.setPalette(palette)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.honorific, self.given_name, self.family_name, self.name_order, self.title_name,
            self.native_name, self.pronunciation, self.gender, self.choose_photo,
            self.remove_photo, self.position, self.organization, self.country, self.email,
            self.phone, self.languages, self.calendar_manager, self.rank, self.rank_date,
            self.clear_rank_date,
            self.dietary, self.bio, *self.sensitive.values(), self.save_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- values ----------------------------------------------------------------------
    def form_values(self) -> dict[str, Any]:
        """The person's fields as the form shows them (service field names)."""
        qdate = self.rank_date.date()
        values: dict[str, Any] = {
            "family_name": self.family_name.text().strip(),
            "given_name": self.given_name.text().strip(),
            "name_order": self.name_order.currentData() or "given_first",
            "native_name": self.native_name.text().strip(),
            "pronunciation": self.pronunciation.text().strip(),
            "gender": self.gender.currentData() or "",
            "honorific": self.honorific.text().strip(),
            "title_name": self.title_name.text().strip(),
            "position": self.position.text().strip(),
            "organization": self.organization.text().strip(),
            "country": self._country_code(),
            "email": self.email.text().strip(),
            "phone": self.phone.text().strip(),
            "rank": self.rank.currentData() or "",
            "rank_date": None if qdate == _NO_DATE else date(qdate.year(), qdate.month(),
                                                            qdate.day()),
            "languages": tuple(t.strip() for t in self.languages.text().replace(";", ",")
                               .split(",") if t.strip()),
            "dietary": self.dietary.toPlainText().strip(),
            "bio": self.bio.toPlainText().strip(),
        }
        for field, edit in self.sensitive.items():
            values[field] = edit.toPlainText().strip()
        return values

    def _country_code(self) -> str:
        text = self.country.currentText().strip()
        if not text:
            return ""
        index = self.country.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.country.itemData(index) or ""
        if text.endswith(")") and "(" in text:
            return text.rsplit("(", 1)[1].rstrip(")").strip().upper()
        return text.upper() if len(text) == 2 else text

    def _show_values(self, values: dict[str, Any]) -> None:
        self.family_name.setText(values["family_name"])
        self.given_name.setText(values["given_name"])
        self.name_order.setCurrentIndex(max(0, self.name_order.findData(values["name_order"])))
        self.native_name.setText(values["native_name"])
        self.pronunciation.setText(values["pronunciation"])
        self.gender.setCurrentIndex(max(0, self.gender.findData(values["gender"])))
        self.honorific.setText(values["honorific"])
        self.title_name.setText(values["title_name"])
        self.position.setText(values["position"])
        self.organization.setText(values["organization"])
        code = values["country"]
        index = self.country.findData(code) if code else 0
        if index >= 0:
            self.country.setCurrentIndex(index)
        else:
            self.country.setEditText(code)
        self.email.setText(values["email"])
        self.phone.setText(values["phone"])
        self._select_rank(values["rank"])
        rank_date = values["rank_date"]
        self.rank_date.setDate(QDate(rank_date.year, rank_date.month, rank_date.day)
                               if rank_date else _NO_DATE)
        self.languages.setText(", ".join(values["languages"]))
        self.dietary.setPlainText(values["dietary"])
        self.bio.setPlainText(values["bio"])
        for field, edit in self.sensitive.items():
            edit.setPlainText(values.get(field, ""))

    def _select_rank(self, key: str) -> None:
        """Choose the table's line of ``key``; a key the table lacks (written before ranks
        were checked) is kept as an item of its own, so that saving does not change it."""
        index = self.rank.findData(key)
        if index < 0:
            self.rank.addItem(f"Not in the table: {key}", key)
            index = self.rank.count() - 1
        self.rank.setCurrentIndex(index)

    @staticmethod
    def record_values(record: PersonRecord) -> dict[str, Any]:
        """A stored person's fields, normalized the way :meth:`form_values` reads them."""
        values = {name: getattr(record, name) for name in PERSON_FIELDS}
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = value.strip()
        values["languages"] = tuple(record.languages)
        return values

    def _load(self, record: PersonRecord) -> None:
        self.tabs.setTabEnabled(1, True)
        self.forms_panel.set_person(record.id)
        self._record = record
        self._handle.id, self._handle.version = record.id, record.version
        self._loaded = self.record_values(record)
        self._show_values(self._loaded)
        manager = self.services.invites.calendar_manager(record.id)
        self._manager_loaded = str(manager.person_id) if manager is not None else ""
        self.calendar_manager.set_value(self._manager_loaded)
        self._update_title()

    # -- state -------------------------------------------------------------------------
    @property
    def person_id(self) -> int | None:
        """The person edited (None until a new one is saved)."""
        return self._handle.id

    @property
    def record(self) -> PersonRecord | None:
        """The person as last loaded or saved."""
        return self._record

    def changes(self) -> dict[str, Any]:
        """The fields edited since the person was loaded or saved."""
        current = self.form_values()
        return {k: v for k, v in current.items() if v != self._loaded.get(k)}

    def is_dirty(self) -> bool:
        """True when there are edits not saved yet."""
        return (bool(self.changes()) or self._photo_changed
                or self.manager_value() != self._manager_loaded)

    def _update_title(self, *_: object) -> None:
        values = self.form_values()
        preview = PersonRecord(id=0, family_name=values["family_name"],
                               given_name=values["given_name"],
                               name_order=values["name_order"])
        custom = PersonRecord(id=0, family_name=values["family_name"],
                              given_name=values["given_name"], country=values["country"])
        default = default_title_name(custom)
        self.title_name.setPlaceholderText(
            f"{default} ({title_name_custom(custom)})" if default else "")
        shown = " ".join(p for p in (values["honorific"], preview.display_name) if p)
        self.shown_as.setText(f"Shown as: {shown}" if preview.display_name else "")
        name = preview.display_name or "New person"
        self.setWindowTitle(f"{name}{' •' if self.is_dirty() else ''} — Person")

    # -- photo -------------------------------------------------------------------------
    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a photo", "", "Images (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.bmp)")
        if path:
            self.load_photo_file(path)

    def load_photo_file(self, path: str) -> bool:
        """Read an image file as the new photo (checked, turned upright, scaled)."""
        self.errors.label("photo").hide()
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            stored = normalize_photo(data)
        except ValidationError as exc:
            self.errors.clear()
            self.errors.show_problems(exc.problems)
            return False
        except OSError as exc:
            self.errors.clear()
            self.errors.show("photo", f"cannot be read: {exc.strerror or exc}")
            return False
        self._set_photo(stored, changed=True)
        return True

    def _set_photo(self, data: bytes | None, *, changed: bool) -> None:
        self._photo = data
        if changed:
            had = self._record.has_photo if self._record else False
            self._photo_changed = (data is not None) or had
        else:
            self._photo_changed = False
        image = QImage.fromData(data) if data else None
        self.photo_box.show_image(image)
        self.remove_photo.setEnabled(data is not None)
        self._update_title()

    def photo_image(self) -> QImage | None:
        """The photo as shown (upright), or None."""
        return QImage.fromData(self._photo) if self._photo else None

    # -- saving ------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the edits (undoably); close on success.  False when refused."""
        if self._saving:
            return False
        self.errors.clear()
        if self._handle.id is not None and not self.is_dirty():
            self.accept()
            return True
        problem = self.calendar_manager.problem()
        if problem:
            self.errors.show("calendar_manager", problem)
            return False
        creating = self._handle.id is None
        values = self.form_values()
        changes = (
            {k: v for k, v in values.items() if v not in ("", (), None) or k == "family_name"}
            if creating else self.changes()
        )
        seen = {k: self._loaded.get(k) for k in changes}
        old = {k: self._loaded.get(k) for k in changes}
        photo_changed, new_photo = self._photo_changed, self._photo
        old_photo = (self.services.people.photo(self._handle.id)
                     if photo_changed and self._handle.id is not None else None)
        handle = self._handle
        people = self.services.people
        result: list[PersonRecord] = []
        new_manager, old_manager = self.manager_value(), self._manager_loaded
        invites = self.services.invites

        def set_manager(record: PersonRecord, manager: str) -> PersonRecord:
            """The manager changed (the person's version moves on): the record now."""
            if new_manager == old_manager:
                return record
            invites.set_calendar_manager(record.id, int(manager) if manager else None)
            return people.get(record.id)

        def redo(h: RecordHandle) -> PersonRecord:
            if h.id is None:
                record = people.create(**changes)
            elif changes:
                record = people.update(h.id, h.version, seen=seen, **changes)
            else:
                record = people.get(h.id)
                if record.version != h.version:
                    record = people.update(h.id, h.version)  # raises stale
            try:
                record = set_manager(record, new_manager)
            except ProtocolError:  # the manager is gone: nothing is half done
                if h.id is None:
                    people.delete(record.id, record.version)
                elif changes:
                    people.update(record.id, record.version, **old)
                raise
            if photo_changed:
                record = people.set_photo(record.id, new_photo, record.version)
            result.append(record)
            return record

        def undo(h: RecordHandle) -> PersonRecord | None:
            if creating:
                people.delete(h.existing_id(), h.version)
                h.id, h.version = None, None  # a redo creates the person anew
                return None
            record = (people.update(h.existing_id(), h.version, **old) if old
                      else people.get(h.existing_id()))
            record = set_manager(record, old_manager)
            if photo_changed:
                record = people.set_photo(record.id, old_photo, record.version)
            return record

        name = PersonRecord(id=0, family_name=values["family_name"],
                            given_name=values["given_name"],
                            name_order=values["name_order"]).display_name or "person"
        command = VersionedCommand(f"{'Add' if creating else 'Edit'} {name}", handle, redo,
                                   undo, on_error=self._command_error)
        self._saving = True
        try:
            ok = push(self.undo_stack, command)
        finally:
            self._saving = False
        if not ok or not result:
            if creating and not ok:
                handle.id = None
            return False
        record = result[-1]
        self._load(record)
        self._photo_changed = False
        self._update_title()
        self.saved.emit(record)
        self.accept()
        return True

    def _command_error(self, error: ProtocolError) -> None:
        if not self._saving:  # an undo or redo later on: just say why it failed
            report_undo_failure(self, error)
            return
        if isinstance(error, StaleWriteError):
            handle_stale_write(self, error, lambda: self.reload_after_stale(error))
        elif isinstance(error, ValidationError):
            report_problems(self, self.errors, error)
        else:
            show_error(self, "Not saved", error)

    def reload_after_stale(self, error: StaleWriteError | None = None) -> None:
        """Load the stored person again, keeping the user's edits to fields nobody else
        changed; where both changed a field, show the stored value and say what the user
        had typed."""
        if self._handle.id is None:
            return
        mine = self.form_values()
        before = dict(self._loaded)
        fresh = self.services.people.get(self._handle.id)
        stored = self.record_values(fresh)
        self._load(fresh)
        merged = dict(stored)
        clashes: list[FieldProblem] = []
        for key, value in mine.items():
            if value == before.get(key):
                continue  # not edited here
            if stored.get(key) == before.get(key):
                merged[key] = value  # edited here only: keep the edit
            elif stored.get(key) != value:
                clashes.append(FieldProblem(
                    key, f"someone else changed this; your edit was: {_shown(value)}"))
        self._show_values(merged)
        self.errors.clear()
        self.errors.show_problems(clashes)
        self._update_title()

    # -- closing -----------------------------------------------------------------------
    def reject(self) -> None:
        if self.is_dirty() and self.isVisible():
            who = self._record.display_name if self._record else "the new person"
            choice = ask_unsaved_changes(self, f"the details of {who}")
            if choice is UnsavedChoice.SAVE:
                self.save()
                return
            if choice is not UnsavedChoice.DISCARD:
                return
            self._discard()
        super().reject()

    def _discard(self) -> None:
        self._show_values(self._loaded)
        self._photo_changed = False



def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "")
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”" if text else "(empty)"

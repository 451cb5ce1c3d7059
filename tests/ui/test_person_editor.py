"""The person editor with the real widgets: create, sensitive fields, stale writes,
photos from a file (with EXIF orientation) or a drop, unsaved edits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from protocol_app.records.sensitivity import SENSITIVE_LABELS, SENSITIVE_PERSON_FIELDS
from tests.support.modals import answer_modal
from ui.editors.person_editor import PersonEditor


def close_message_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "errorDialog" and widget.isVisible():
            widget.close()


@pytest.fixture
def person(services):
    return services.people.create(family_name="Võ", given_name="Thanh Tùng",
                                  name_order="family_first", country="VN",
                                  email="vo@example.gov", medical="Diabetes")


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture(autouse=True)
def _close_editors(qtbot):
    """Editors left open are closed without the unsaved-edits question (which blocks)."""
    yield
    for editor in _opened:
        editor.done(0)  # done() skips reject(): no question
        editor.deleteLater()
    _opened.clear()
    close_message_boxes()


_opened: list[PersonEditor] = []


def open_editor(qtbot, services, person_id, stack) -> PersonEditor:
    editor = PersonEditor(services, person_id, undo_stack=stack)
    _opened.append(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def jpeg(path: Path, size: tuple[int, int], orientation: int | None = None) -> Path:
    """A small JPEG, wide (red left half) unless rotated by its EXIF orientation."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return path


def test_create_a_person_with_ctrl_s_and_undo_it(qtbot, services, stack) -> None:
    editor = open_editor(qtbot, services, None, stack)
    assert editor.windowTitle().startswith("New person")
    # QTest types ASCII only: the Vietnamese names are pasted
    editor.family_name.setText("Nguyễn")
    editor.given_name.setText("Thị Mai Phương")
    editor.name_order.setCurrentIndex(editor.name_order.findData("family_first"))
    assert editor.shown_as.text() == "Shown as: Nguyễn Thị Mai Phương"
    editor.country.setCurrentIndex(editor.country.findData("VN"))
    qtbot.keyClicks(editor.languages, "vi, en")
    editor.rank.setCurrentIndex(editor.rank.findText("Deputy minister or state secretary"))
    qtbot.keyClicks(editor.sensitive["protocol_notes"], "Address as Dr. Phuong")
    editor.family_name.setFocus()
    with qtbot.waitSignal(editor.saved) as saved:  # through the window, as the system sends it
        qtbot.keyClick(editor.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = saved.args[0]
    assert record.display_name == "Nguyễn Thị Mai Phương"
    assert (record.country, record.languages, record.rank) == ("VN", ("vi", "en"),
                                                               "deputy_minister")
    assert record.protocol_notes == "Address as Dr. Phuong"
    assert not editor.isVisible()
    assert stack.count() == 1 and stack.undoText() == "Add Nguyễn Thị Mai Phương"
    stack.undo()
    assert services.people.count("nguyen") == 0
    stack.redo()
    assert services.people.count("nguyen") == 1


def test_sensitive_fields_come_from_the_one_list_and_are_marked(qtbot, services, person,
                                                                stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    assert list(editor.sensitive) == list(SENSITIVE_PERSON_FIELDS)
    box = editor.sensitive_box
    assert box.objectName() == "sensitiveGroup" and box.autoFillBackground()
    assert "internal only" in box.accessibleName() and "not for guests" in box.accessibleName()
    texts = " ".join(label.text() for label in box.findChildren(QLabel))
    assert "Sensitive — internal only" in texts and "Not for guests" in texts
    for field in SENSITIVE_PERSON_FIELDS:  # the labels are shared with events' fields
        label = SENSITIVE_LABELS[field]
        assert label in texts
        assert editor.sensitive[field].accessibleName().startswith(f"{label} (sensitive")
    assert editor.sensitive["medical"].toPlainText() == "Diabetes"
    tint = box.palette().color(box.backgroundRole())
    assert tint != editor.palette().color(editor.backgroundRole())


def test_every_field_has_an_accessible_name_and_the_tab_order_follows_the_form(
        qtbot, services, person, stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    fields = [editor.honorific, editor.given_name, editor.family_name, editor.name_order,
              editor.title_name, editor.native_name, editor.pronunciation, editor.gender,
              editor.position, editor.organization, editor.country, editor.email, editor.phone,
              editor.languages, editor.rank, editor.rank_date, editor.dietary, editor.bio,
              *editor.sensitive.values()]
    assert all(f.accessibleName() for f in fields)
    order: list[QWidget] = []
    widget = editor.honorific
    for _ in range(200):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget in fields:
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is editor.honorific:
            break
    assert order == fields


def test_validation_problems_show_next_to_their_fields(qtbot, services, person, stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    editor.email.setText("not an address")
    editor.languages.setText("vi, english!")
    assert not editor.save()
    assert "'not an address' is not an e-mail address" in editor.errors.message("email")
    assert "languages" not in editor.errors.message("email")
    assert editor.errors.message("languages")
    assert editor.isVisible() and stack.count() == 0
    assert services.people.get(person.id).email == "vo@example.gov"


def test_a_stale_write_is_refused_and_merged_never_overwritten(qtbot, services, person,
                                                               stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    # someone else changes the phone and the e-mail meanwhile
    services.people.update(person.id, person.version, phone="+84 24 0000",
                           email="minister@example.gov")
    editor.position.setText("Minister of Education and Training")  # only here
    editor.email.setText("vo.tung@example.gov")  # here and there: a clash
    answered = answer_modal("Reload")  # part A's stale-write dialog, when it is there
    assert not editor.save()
    if not answered:
        close_message_boxes()
    stored = services.people.get(person.id)
    assert stored.email == "minister@example.gov" and stored.position == ""
    # reloaded: their phone shown, my position kept, the clash explained beside the field
    assert editor.phone.text() == "+84 24 0000"
    assert editor.position.text() == "Minister of Education and Training"
    assert editor.email.text() == "minister@example.gov"
    assert "Someone else changed this" in editor.errors.message("email")
    assert "vo.tung@example.gov" in editor.errors.message("email")
    assert editor.is_dirty()
    with qtbot.waitSignal(editor.saved):
        assert editor.save()
    stored = services.people.get(person.id)
    assert (stored.phone, stored.email, stored.position) == (
        "+84 24 0000", "minister@example.gov", "Minister of Education and Training")


def test_photo_from_a_file_upright_from_exif_then_removed(qtbot, services, person, stack,
                                                         tmp_path: Path) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    assert not editor.remove_photo.isEnabled()
    # a wide image whose EXIF says "rotate 90° clockwise to view": shown tall
    assert editor.load_photo_file(str(jpeg(tmp_path / "rotated.jpg", (80, 40), 6)))
    shown = editor.photo_image()
    assert shown is not None and (shown.width(), shown.height()) == (40, 80)
    assert editor.photo_box.pixmap() is not None and not editor.photo_box.pixmap().isNull()
    assert editor.remove_photo.isEnabled() and editor.is_dirty()
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save()
    assert saved.args[0].has_photo
    with Image.open(io.BytesIO(services.people.photo(person.id))) as stored:
        assert stored.size == (40, 80)
        assert stored.getpixel((20, 5))[0] > 200  # the red half is now on top
    # a plain file stays as it is; then Remove
    editor = open_editor(qtbot, services, person.id, stack)
    assert editor.photo_image().height() == 80
    assert editor.load_photo_file(str(jpeg(tmp_path / "plain.jpg", (60, 30))))
    assert (editor.photo_image().width(), editor.photo_image().height()) == (60, 30)
    qtbot.mouseClick(editor.remove_photo, Qt.MouseButton.LeftButton)
    assert editor.photo_image() is None and editor.is_dirty()
    editor.save()
    assert services.people.photo(person.id) is None
    assert not services.people.get(person.id).has_photo
    stack.undo()
    assert services.people.get(person.id).has_photo


def test_photo_dropped_on_the_box_and_a_bad_file_refused(qtbot, services, person, stack,
                                                         tmp_path: Path) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(jpeg(tmp_path / "drop.jpg", (30, 50))))])
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    editor.photo_box.dropEvent(drop)
    assert (editor.photo_image().width(), editor.photo_image().height()) == (30, 50)
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    assert not editor.load_photo_file(str(bad))
    assert editor.errors.message("photo").startswith("Is not a usable image")
    assert editor.photo_image().height() == 50  # the good one stays


def test_closing_with_unsaved_edits_asks(qtbot, services, person, stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    editor.bio.setPlainText("Physicist.")
    answer_modal("Cancel")
    editor.reject()
    assert editor.isVisible()
    answer_modal("Discard")
    editor.reject()
    assert not editor.isVisible()
    assert services.people.get(person.id).bio == ""
    editor = open_editor(qtbot, services, person.id, stack)
    editor.bio.setPlainText("Physicist.")
    answer_modal("Save")
    editor.close()
    assert not editor.isVisible()
    assert services.people.get(person.id).bio == "Physicist."


def test_the_rank_is_chosen_by_label_from_the_table_never_typed(qtbot, services, person,
                                                                  stack) -> None:
    editor = open_editor(qtbot, services, person.id, stack)
    assert not editor.rank.isEditable()
    labels = [editor.rank.itemText(i) for i in range(editor.rank.count())]
    keys = [editor.rank.itemData(i) for i in range(editor.rank.count())]
    table = services.precedence.categories()
    assert keys == ["", *(c.key for c in table)]
    assert "Chargé d'affaires" in labels and "Vice-chancellor or provost" in labels
    assert not any("_" in label for label in labels)  # labels, never internal keys
    editor.rank.setCurrentIndex(editor.rank.findText("Chargé d'affaires a.i."))
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save()
    assert saved.args[0].rank == "charge_d_affaires_ai"


def test_a_rank_the_table_lacks_is_shown_and_kept_on_save(qtbot, services, stack,
                                                          db_path) -> None:
    import sqlite3

    someone = services.people.create(family_name="Adler", rank="charge_d_affaires")
    conn = sqlite3.connect(db_path)  # a rank typed before ranks were checked
    conn.execute("UPDATE people SET rank = 'charge_daffaires' WHERE id = ?", (someone.id,))
    conn.commit()
    conn.close()
    editor = open_editor(qtbot, services, someone.id, stack)
    assert editor.rank.currentText() == "Not in the table: charge_daffaires"
    assert not editor.is_dirty()
    editor.position.setText("Chargé d'affaires")
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save()
    assert saved.args[0].rank == "charge_daffaires"  # not silently changed by the editor


def test_the_name_used_with_a_title_shows_the_custom_and_can_be_chosen(qtbot, services,
                                                                        stack) -> None:
    editor = open_editor(qtbot, services, None, stack)
    editor.family_name.setText("Võ")
    editor.given_name.setText("Thanh Tùng")
    editor.country.setCurrentIndex(editor.country.findData("VN"))
    assert editor.title_name.placeholderText() == "Tùng (Vietnamese custom)"
    editor.country.setCurrentIndex(editor.country.findData("JP"))
    assert editor.title_name.placeholderText() == "Võ (family name)"
    editor.country.setCurrentIndex(editor.country.findData("VN"))
    editor.rank.setCurrentIndex(editor.rank.findData("minister"))
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save()
    record = saved.args[0]
    assert record.title_name == ""
    assert services.address.forms_of_address(record.id).place_card == "Minister Tùng"

    editor = open_editor(qtbot, services, record.id, stack)
    editor.title_name.setText("Võ")
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save()
    assert saved.args[0].title_name == "Võ"
    assert services.address.forms_of_address(record.id).place_card == "Minister Võ"

"""Private files are written whole, 0600 from the first byte, never through a symbolic
link; packages are read with a size limit whatever kind of file they come from."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from protocol_app.cli import main
from protocol_app.config import Settings
from protocol_app.errors import DatabaseError, PackageError
from protocol_app.files import FileTooLarge, read_bounded, write_private
from protocol_app.packages.importer import MAX_PACKAGE_BYTES
from tests.support.helpers import demo_document, mode, package_bytes, row_counts


@pytest.fixture
def umask_0() -> Iterator[None]:
    """No umask at all: every bit of a new file's mode is what the code asked for."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- write_private -------------------------------------------------------------------------
def test_the_file_is_private_from_its_first_byte(tmp_path, umask_0) -> None:
    seen: list[int] = []

    def writer(temp: Path) -> None:
        seen.append(stat.S_IMODE(os.lstat(temp).st_mode))  # before anything is written
        assert temp.parent == tmp_path and temp.stat().st_size == 0
        temp.write_bytes(b"secret")
        seen.append(stat.S_IMODE(os.lstat(temp).st_mode))

    target = write_private(tmp_path / "notes.txt", writer)
    assert seen == [0o600, 0o600]
    assert target.read_bytes() == b"secret" and mode(target) == 0o600
    assert _leftovers(tmp_path) == []


def test_bytes_are_written_private_under_umask_0(tmp_path, umask_0) -> None:
    target = write_private(tmp_path / "a.json", b"{}")
    assert mode(target) == 0o600 and target.read_bytes() == b"{}"


def test_a_dangling_link_at_the_destination_is_replaced_not_followed(tmp_path) -> None:
    elsewhere = tmp_path / "shared" / "stolen.json"
    elsewhere.parent.mkdir()
    link = tmp_path / "visit.json"
    link.symlink_to(elsewhere)
    write_private(link, b"sensitive")
    assert not elsewhere.exists()  # nothing was written where the link pointed
    assert not link.is_symlink() and link.read_bytes() == b"sensitive"
    assert mode(link) == 0o600


def test_a_link_to_an_existing_file_is_replaced_and_that_file_left_alone(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"untouched")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    write_private(link, b"new")
    assert victim.read_bytes() == b"untouched" and link.read_bytes() == b"new"


def test_a_failing_writer_leaves_no_temporary_file_and_the_old_file(tmp_path) -> None:
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old")

    def writer(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise RuntimeError("layout failed")

    with pytest.raises(RuntimeError):
        write_private(target, writer)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_without_overwrite_an_existing_entry_or_dangling_link_is_kept(tmp_path) -> None:
    existing = tmp_path / "kept"
    existing.write_bytes(b"keep")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (existing, dangling):
        with pytest.raises(FileExistsError):
            write_private(target, b"x", overwrite=False)
    assert existing.read_bytes() == b"keep" and not (tmp_path / "nowhere").exists()
    assert _leftovers(tmp_path) == []


def test_settings_are_saved_through_the_one_writer(tmp_path, umask_0) -> None:
    link = Settings.path()
    link.symlink_to(tmp_path / "elsewhere.json")
    Settings(office_name="Office").save()
    assert not (tmp_path / "elsewhere.json").exists()
    assert mode(link) == 0o600 and Settings.load().office_name == "Office"


def test_a_backup_through_a_dangling_link_is_refused_and_nothing_is_created(
        demo_services, db_path, tmp_path, capsys, umask_0) -> None:
    demo_services.close()
    target = tmp_path / "backup.sqlite3"
    pointed = tmp_path / "public" / "copy.sqlite3"
    pointed.parent.mkdir()
    target.symlink_to(pointed)
    assert main(["--db", str(db_path), "backup", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"Backup target {target} already exists (a symbolic link" in err
    assert not pointed.exists() and target.is_symlink()
    assert _leftovers(tmp_path) == []


def test_a_backup_is_private_from_its_first_byte(demo_services, db_path, tmp_path,
                                                 umask_0) -> None:
    out = demo_services.db.backup(tmp_path / "b.sqlite3")
    assert mode(out) == 0o600 and row_counts(out) == row_counts(db_path)
    with pytest.raises(DatabaseError, match="already exists; choose another file name"):
        demo_services.db.backup(out)


# -- read_bounded ----------------------------------------------------------------------------
def test_dev_zero_is_refused_after_the_limit_plus_one_byte(services, db_path) -> None:
    before = row_counts(db_path)
    with pytest.raises(PackageError) as err:
        services.packages.import_file(Path("/dev/zero"))
    assert str(err.value) == (f"/dev/zero is too large (more than {MAX_PACKAGE_BYTES:,} bytes) "
                              "to be a visit package.")
    assert row_counts(db_path) == before


def test_import_of_dev_zero_on_the_command_line_is_one_line(db_path, capsys) -> None:
    assert main(["--db", str(db_path), "import", "/dev/zero"]) == 1
    err = capsys.readouterr().err
    assert err == (f"protocol-app: /dev/zero is too large (more than {MAX_PACKAGE_BYTES:,} "
                   "bytes) to be a visit package.\n")


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:  # the reader stopped at its limit
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_fifo_is_read_up_to_the_limit(tmp_path) -> None:
    fifo = tmp_path / "stream.json"
    os.mkfifo(fifo)
    writer = _feed(fifo, b"x" * 1000)
    with pytest.raises(FileTooLarge) as err:
        read_bounded(fifo, 100)
    writer.join(5)
    assert err.value.size is None and str(err.value) == (
        f"{fifo} is too large (more than 100 bytes).")
    writer = _feed(fifo, b"y" * 100)
    assert read_bounded(fifo, 100) == b"y" * 100
    writer.join(5)


def test_a_package_from_a_fifo_is_imported(services, tmp_path) -> None:
    fifo = tmp_path / "from-embassy.json"
    os.mkfifo(fifo)
    writer = _feed(fifo, package_bytes(demo_document("ambassador")))
    report = services.packages.import_file(fifo)
    writer.join(5)
    assert report.created


def test_a_pipe_is_named_by_the_path_given(services, db_path) -> None:
    """``import <(cat file)`` gives ``/dev/fd/63``: the message names that, not "63"."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b'{"format": ')
        os.close(write_end)
        path = Path(f"/dev/fd/{read_end}")
        before = row_counts(db_path)
        with pytest.raises(PackageError) as err:
            services.packages.import_file(path)
    finally:
        os.close(read_end)
    assert str(err.value).startswith(f"/dev/fd/{read_end} is not valid JSON: ")
    assert row_counts(db_path) == before


def test_a_regular_file_over_the_limit_is_refused_unread(tmp_path) -> None:
    path = tmp_path / "big.bin"
    with open(path, "wb") as fh:
        fh.truncate(101)
    with pytest.raises(FileTooLarge) as err:
        read_bounded(path, 100)
    assert err.value.size == 101 and err.value.size_text == "101 bytes"
    path.write_bytes(b"z" * 100)
    assert read_bounded(path, 100) == b"z" * 100


def test_safe_file_names_keep_the_letters_and_drop_what_a_file_system_refuses(
        tmp_path) -> None:
    from protocol_app.files import safe_file_name

    assert safe_file_name("Võ Thanh Tùng", ".pdf") == "Võ Thanh Tùng.pdf"
    assert safe_file_name("Vo\u0303 Thanh", ".pdf") == "Võ Thanh.pdf"  # NFC
    assert safe_file_name('a/b\\c:d*e?f"g<h>i|j\tk', ".pdf") == "a b c d e f g h i j k.pdf"
    assert safe_file_name("CON", ".pdf", "person-3") == "person-3 CON.pdf"
    assert safe_file_name("lpt1.notes", ".pdf", "p") == "p lpt1.notes.pdf"
    assert safe_file_name(" ..hidden. ", ".pdf") == "hidden.pdf"
    assert safe_file_name("...", ".pdf", "person-3") == "person-3.pdf"
    long = safe_file_name("Đ" * 300, ".pdf")
    assert len(long.encode()) <= 124 and long.endswith(".pdf")
    for name in ("Võ Thanh Tùng", "CON", "a/b:c", "Đ" * 300):
        (tmp_path / safe_file_name(name, ".pdf")).write_bytes(b"x")  # really creatable

"""Files written private and whole, and files read with a size limit.

:func:`write_private` is the one way the core writes a file that may carry sensitive
data (packages, settings, briefing books, invitations, backups): a temporary file made
with ``O_EXCL`` and mode 0600 in the destination's folder (so it is private from its
first byte, whatever the umask), filled, flushed to disk, then renamed into place.  A
symbolic link at the destination is never followed: the rename replaces the link itself
(as ``mv`` would), so the data cannot land wherever the link points (a shared folder, or
a file of someone else's) with that file's permissions.  A crash leaves either the old
file or the new one, and a failure leaves no temporary file behind.

:func:`read_bounded` reads at most ``limit`` bytes of any kind of file — a regular file,
a pipe, a FIFO, a character device such as ``/dev/zero`` — and stops at the first byte
over the limit, so no input can exhaust memory.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from protocol_app.errors import ProtocolError

#: A writer gets the path of the private temporary file (already created, mode 0600) and
#: fills it; it may open it by name (reportlab, sqlite3 do) or write to it as it likes.
Writer = Callable[[Path], None]


def write_private(path: Path | str, content: bytes | Writer, *, overwrite: bool = True
                  ) -> Path:
    """Write ``content`` (bytes, or a :data:`Writer`) to ``path`` whole or not at all,
    readable by its owner only (0600) from the first byte.

    With ``overwrite=False`` an existing ``path`` — a dangling symbolic link included —
    is left alone and :class:`FileExistsError` is raised (the file is put in place with
    a hard link, which refuses to replace anything).  Returns ``path``."""
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o600)  # mkstemp's 0600 is narrowed further by an unusual umask
        if isinstance(content, bytes | bytearray | memoryview):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            os.close(fd)
            content(temp)
            _fsync(temp)
        if overwrite:
            os.replace(temp, path)  # rename(2) replaces a link, never follows it
        else:
            _place_without_replacing(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path


def _place_without_replacing(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if os.path.lexists(path):
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(temp, path)
        return
    temp.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; not possible, and not needed, on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class FileTooLarge(ProtocolError):
    """A file read through :func:`read_bounded` is larger than the limit."""

    def __init__(self, path: Path, limit: int, size: int | None) -> None:
        self.path, self.limit, self.size = path, limit, size
        super().__init__(f"{path} is too large ({self.size_text}).")

    @property
    def size_text(self) -> str:
        """``52,428,801 bytes`` when the size is known (a regular file), else
        ``more than 52,428,800 bytes`` (a pipe or a device: reading stopped there)."""
        if self.size is not None:
            return f"{self.size:,} bytes"
        return f"more than {self.limit:,} bytes"


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The content of ``path``, whatever kind of file it is, if it is at most ``limit``
    bytes long; else :class:`FileTooLarge` (having read at most ``limit + 1`` bytes).
    A regular file that is too large is refused from its size without being read.
    :class:`OSError` passes through (missing file, no permission, a folder)."""
    path = Path(path)
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise FileTooLarge(path, limit, info.st_size)
        data = fh.read(limit + 1)  # buffered: loops over short reads until limit+1 or EOF
    if len(data) > limit:
        raise FileTooLarge(path, limit, None)
    return data


#: Characters no file name may hold on Windows (and so on any file system).
_FORBIDDEN_IN_NAMES = frozenset('<>:"/\\|?*')
#: Names Windows keeps for devices, with any extension ("CON.pdf" cannot be made).
_DEVICE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                           *(f"LPT{n}" for n in range(10))})
#: Bytes of UTF-8 a name's stem may take (ext4, APFS and NTFS allow 255 for a whole name).
_STEM_BYTES = 120


def safe_file_name(text: str, suffix: str, fallback: str = "file") -> str:
    """``text`` as a file name that every file system accepts, ending in ``suffix``.

    The person's own letters are kept ("Võ Thanh Tùng.pdf", NFC), since NTFS, APFS,
    ext4 and FAT's long names all hold Unicode; what some file system refuses is
    replaced or dropped: ``<>:"/\\|?*`` and control characters, leading and trailing dots
    and spaces, Windows device names ("CON", "LPT1"), more than 120 bytes.  Hand-written
    because the rules are these few lines, and a slug library would drop the letters."""
    import unicodedata

    cleaned = "".join(" " if ch in _FORBIDDEN_IN_NAMES or unicodedata.category(ch)[0] == "C"
                      else ch for ch in unicodedata.normalize("NFC", text))
    stem = " ".join(cleaned.split()).strip(" .")
    while len(stem.encode("utf-8")) > _STEM_BYTES:
        stem = stem[:-1].rstrip(" .")
    if not stem or stem.split(".")[0].upper() in _DEVICE_NAMES:
        stem = f"{fallback} {stem}".strip(" .") if stem else fallback
    return stem + suffix

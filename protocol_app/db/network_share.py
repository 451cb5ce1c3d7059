"""Is the database file on a network share?  SQLite's file locking is not reliable on
NFS, SMB/CIFS and the like: two writers can both believe they hold the lock, and the
file can be damaged.  Detected by the file system type of the file's mount point.

Linux: ``/proc/self/mountinfo`` (the longest mount point containing the file).
macOS: the ``mount`` command's list (``/dev/x on /path (nfs, ...)``).
Windows: a UNC path (``\\\\server\\share``) or a drive the system calls remote.
Hand-written: no maintained library reports a path's file system type on all three.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: File system types that are network shares (Linux names; macOS uses the same for NFS
#: and SMB).  ``fuse.*`` types are the FUSE daemon's name.
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "ncpfs", "ceph",
    "glusterfs", "lustre", "gpfs", "beegfs", "davfs", "webdav", "afpfs",
    "fuse.sshfs", "fuse.glusterfs", "fuse.rclone", "fuse.davfs2", "fuse.s3fs",
    "fuse.ceph-fuse", "fuse.gcsfuse",
})

_warned: set[str] = set()


def _unescape(field: str) -> str:
    """Mount points in mountinfo escape space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mounts_from_mountinfo(text: str) -> list[tuple[str, str]]:
    """``(mount point, file system type)`` of each line of ``/proc/self/mountinfo``:
    ``36 35 98:0 / /mnt/office rw,noatime master:1 - nfs4 srv:/export rw``."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        if len(fields) > dash + 1:
            mounts.append((_unescape(fields[4]), fields[dash + 1]))
    return mounts


def mounts_from_macos(text: str) -> list[tuple[str, str]]:
    """``(mount point, type)`` from macOS ``mount``: ``//u@srv/share on /Volumes/x (smbfs,
    nodev, nosuid, mounted by u)``."""
    mounts = []
    for line in text.splitlines():
        head, sep, rest = line.rpartition(" (")
        if not sep or " on " not in head:
            continue
        mounts.append((head.split(" on ", 1)[1], rest.split(",", 1)[0].rstrip(")").strip()))
    return mounts


def file_system_type(path: Path, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the mount (among ``mounts``) holding ``path``: the longest mount point
    that contains it."""
    target = Path(os.path.abspath(path))
    best: tuple[int, str] | None = None
    for point, fs_type in mounts:
        mount = Path(point)
        if (target == mount or mount in target.parents) and (
                best is None or len(mount.parts) >= best[0]):
            best = (len(mount.parts), fs_type)
    return best[1] if best else None


def _system_mounts() -> list[tuple[str, str]]:
    if sys.platform.startswith("linux"):
        try:
            return mounts_from_mountinfo(Path("/proc/self/mountinfo").read_text())
        except OSError:
            return []
    if sys.platform == "darwin":
        try:
            done = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5)
        except (OSError, subprocess.SubprocessError):
            return []
        return mounts_from_macos(done.stdout)
    return []


def _windows_remote(path: Path) -> str | None:
    text = os.path.abspath(path)
    if text.startswith(("\\\\", "//")):
        return "a network path"
    try:
        import ctypes

        drive = os.path.splitdrive(text)[0] + "\\"
        # typeshed declares ctypes.windll only when checking for Windows
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # type: ignore[attr-defined]
            return "a network drive"
    except (AttributeError, OSError):
        pass
    return None


def network_share_reason(path: Path, mounts: list[tuple[str, str]] | None = None
                         ) -> str | None:
    """Why ``path`` should not hold an SQLite database, or None if it is on a local disk
    (or the type cannot be told).  ``mounts`` defaults to this machine's mount table."""
    if mounts is None and sys.platform == "win32":
        kind = _windows_remote(path)
    else:
        fs_type = file_system_type(path, _system_mounts() if mounts is None else mounts)
        kind = f"a {fs_type} network share" if fs_type in NETWORK_FS_TYPES else None
    if kind is None:
        return None
    return (f"The database {path} is on {kind}: SQLite's file locking is not reliable "
            "there, so two programs writing at once can damage it. Keep the database on a "
            "local disk (--db or PROTOCOL_APP_DB) and share exported packages instead.")


def warn_once(path: Path) -> str | None:
    """:func:`network_share_reason` the first time a path is asked about in this process,
    None afterwards (the warning is given once)."""
    key = os.path.abspath(path)
    if key in _warned:
        return None
    _warned.add(key)
    return network_share_reason(path)

"""A database on a network share is found by its mount's file system type and warned
about once, with the reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from protocol_app.cli import main
from protocol_app.db import network_share
from protocol_app.db.database import Database
from protocol_app.db.network_share import (
    file_system_type,
    mounts_from_macos,
    mounts_from_mountinfo,
    network_share_reason,
)

MOUNTINFO = """\
22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
40 22 0:35 / /home rw,relatime shared:20 - ext4 /dev/nvme0n1p3 rw
61 40 0:52 / /home/ana/Office\\040Share rw,relatime shared:31 - cifs //files/protocol rw,vers=3.1.1
62 22 0:53 / /mnt/nfs rw,relatime shared:32 - nfs4 srv:/export rw,vers=4.2
63 62 259:5 / /mnt/nfs/local-cache rw,relatime shared:33 - ext4 /dev/sdb1 rw
64 22 0:54 / /srv/ssh rw,nosuid,nodev,relatime shared:34 - fuse.sshfs ana@host:/d rw
65 22 0:55 / /mnt/vm rw,relatime - 9p hostshare rw,trans=virtio
"""


@pytest.mark.parametrize(("path", "fs_type"), [
    ("/home/ana/protocol.sqlite3", "ext4"),
    ("/home/ana/Office Share/protocol.sqlite3", "cifs"),
    ("/home/ana/Office Shared/protocol.sqlite3", "ext4"),  # a prefix, not the mount point
    ("/mnt/nfs/office/protocol.sqlite3", "nfs4"),
    ("/mnt/nfs/local-cache/protocol.sqlite3", "ext4"),  # the longest mount point wins
    ("/srv/ssh/protocol.sqlite3", "fuse.sshfs"),
    ("/mnt/vm/protocol.sqlite3", "9p"),
    ("/tmp/protocol.sqlite3", "ext4"),
])
def test_the_file_system_type_is_that_of_the_longest_mount_point(path, fs_type) -> None:
    assert file_system_type(Path(path), mounts_from_mountinfo(MOUNTINFO)) == fs_type


@pytest.mark.parametrize(("path", "shared"), [
    ("/home/ana/protocol.sqlite3", False),
    ("/home/ana/Office Share/protocol.sqlite3", True),
    ("/mnt/nfs/office/protocol.sqlite3", True),
    ("/mnt/nfs/local-cache/protocol.sqlite3", False),
    ("/srv/ssh/protocol.sqlite3", True),
    ("/mnt/vm/protocol.sqlite3", True),
])
def test_network_shares_are_named_with_the_reason(path, shared) -> None:
    reason = network_share_reason(Path(path), mounts_from_mountinfo(MOUNTINFO))
    if not shared:
        assert reason is None
        return
    assert reason is not None and reason.startswith(f"The database {path} is on a ")
    assert "network share: SQLite's file locking is not reliable there" in reason


def test_macos_mount_output_is_read() -> None:
    text = ("/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
            "//ana@files/Protocol on /Volumes/Protocol (smbfs, nodev, nosuid, mounted by ana)\n"
            "srv:/export on /Volumes/NFS Office (nfs, asynchronous)\n")
    mounts = mounts_from_macos(text)
    assert mounts == [("/", "apfs"), ("/Volumes/Protocol", "smbfs"),
                      ("/Volumes/NFS Office", "nfs")]
    assert network_share_reason(Path("/Volumes/NFS Office/db.sqlite3"), mounts)
    assert network_share_reason(Path("/Users/ana/db.sqlite3"), mounts) is None


def test_this_machines_temporary_folder_is_not_a_share(tmp_path) -> None:
    db = Database.open(tmp_path / "local.sqlite3")
    try:
        assert db.storage_warning is None
    finally:
        db.dispose()


def test_the_command_line_warns_once_on_stderr_and_in_the_log(tmp_path, monkeypatch, capsys,
                                                              caplog) -> None:
    # This machine's mount table, as it would read if tmp_path were an NFS mount.
    fake = MOUNTINFO + f"70 22 0:60 / {tmp_path} rw - nfs4 srv:/office rw\n"
    monkeypatch.setattr(network_share, "_system_mounts", lambda: mounts_from_mountinfo(fake))
    db = tmp_path / "office.sqlite3"
    with caplog.at_level(logging.WARNING, logger="protocol_app.db.database"):
        assert main(["--db", str(db), "visits"]) == 0
        err = capsys.readouterr().err
        assert err.startswith("protocol-app: warning: ") and err.count("\n") == 1
        assert f"The database {db} is on a nfs4 network share: SQLite's file locking" in err
        assert main(["--db", str(db), "visits"]) == 0  # the same process: once
        assert capsys.readouterr().err == ""
    assert [r.getMessage() for r in caplog.records].count(
        err.removeprefix("protocol-app: warning: ").strip()) == 1

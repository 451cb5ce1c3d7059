"""A real Dovecot IMAP server on loopback for the replies tests: started on a free port
with a throwaway user (a passwd-file) and a Maildir in a temporary folder, stopped at
the end.  Plain IMAP without TLS (loopback only); the test skips with its reason where
Dovecot is not installed (CI installs ``dovecot-imapd``)."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"


@dataclass(frozen=True)
class ImapServer:
    """Where the server listens and the throwaway account on it."""

    host: str
    port: int
    user: str
    password: str
    folder: Path

    def connect(self) -> imaplib.IMAP4:
        """A logged-in client with INBOX selected."""
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        client.select("INBOX")
        return client


def missing_reason() -> str | None:
    """Why a Dovecot server cannot be started here, or None."""
    if not Path(DOVECOT).is_file():
        return f"Dovecot is not installed ({DOVECOT} is missing; apt-get install dovecot-imapd)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid): Dovecot refuses to run its login
    and mail processes as root, so as root they use its own accounts and ``nobody``."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me, os.getuid(), os.getgid()
    nobody = pwd.getpwnam("nobody")
    return "dovecot", "dovenull", nobody.pw_uid, nobody.pw_gid


@contextmanager
def dovecot_server() -> Iterator[ImapServer]:
    """A running Dovecot on loopback with one user ``replies`` and an empty INBOX."""
    root = Path(tempfile.mkdtemp(prefix="protocol-desk-imap-"))
    try:
        root.chmod(0o755)  # the mail processes run as the mail user
        internal, login, uid, gid = _accounts()
        mail = root / "mail"
        (root / "run" / "state").mkdir(parents=True)
        mail.mkdir()
        if os.geteuid() == 0:
            os.chown(mail, uid, gid)
        port = _free_port()
        password = "throwaway-" + os.urandom(6).hex()
        (root / "passwd").write_text(f"replies:{{PLAIN}}{password}\n")
        group = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
        (root / "dovecot.conf").write_text(f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/run/state
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
mail_location = maildir:{mail}/%u
first_valid_uid = {min(uid, 1)}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""")
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log = (root / "dovecot.log")
                        raise RuntimeError(
                            "Dovecot did not start: " + (process.stderr.read().decode()
                                                         if process.stderr else "")
                            + (log.read_text() if log.exists() else "")) from None
                    time.sleep(0.1)
            yield ImapServer("127.0.0.1", port, "replies", password, root)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)

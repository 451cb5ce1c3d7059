"""Reading replies from the office's IMAP folder: TLS, STARTTLS or (for a local server)
plain, with the password in the OS keyring (never in a file), through the standard
library's :mod:`imaplib`.

:class:`Mailbox` logs in, selects the folder, lists the unseen messages (read with
``BODY.PEEK[]``, which leaves them unseen) and marks as seen those the caller has
processed.  Anything that stops it — no settings, no password, the server unreachable,
a refused login, a missing folder — is one :class:`MailboxError` with one line.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

from protocol_app.config import Settings
from protocol_app.errors import ProtocolError

#: The keyring service under which the IMAP password is stored.
KEYRING_SERVICE = "Protocol Desk IMAP"
SECURITY_CHOICES: tuple[str, ...] = ("tls", "starttls", "none")
#: Messages larger than this are not fetched (as files: 50 MB).
MAX_MESSAGE_BYTES = 50 * 1024 * 1024


class MailboxError(ProtocolError):
    """The mailbox cannot be used; nothing was read, recorded or marked."""


@dataclass(frozen=True, slots=True)
class ImapOptions:
    """Where the replies arrive: host, port, security, user and folder."""

    host: str
    port: int = 993
    security: str = "tls"
    user: str = ""
    folder: str = "INBOX"
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ImapOptions:
        """The options in the user's settings."""
        return cls(host=settings.imap_host.strip(), port=int(settings.imap_port),
                   security=(settings.imap_security or "tls").strip().lower(),
                   user=settings.imap_user.strip(),
                   folder=settings.imap_folder.strip() or "INBOX")

    def problem(self) -> str | None:
        """What is wrong with these options, if anything."""
        if not self.host:
            return "No mailbox is set: fill in the IMAP host in Settings."
        if not self.user:
            return "No IMAP user is set: fill in the IMAP user in Settings."
        if not 0 < self.port < 65536:
            return f"The IMAP port {self.port} is not a port number (1-65535)."
        if self.security not in SECURITY_CHOICES:
            return (f"The IMAP security '{self.security}' is not one of "
                    f"{', '.join(SECURITY_CHOICES)}.")
        return None

    @property
    def keyring_account(self) -> str:
        """The account name of the password in the keyring: ``user@host``."""
        return f"{self.user}@{self.host}"

    @property
    def where(self) -> str:
        """``imap://user@host:port/folder``, for messages and sources."""
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    """One unseen message: its UID in the folder, its bytes, its arrival time."""

    uid: str
    data: bytes
    received_at: datetime | None
    source: str


def _keyring():
    import keyring
    import keyring.errors

    return keyring


def stored_password(options: ImapOptions) -> str | None:
    """The IMAP password kept in the OS keyring for these options, if any."""
    keyring = _keyring()
    try:
        return keyring.get_password(KEYRING_SERVICE, options.keyring_account)
    except keyring.errors.KeyringError as exc:
        raise MailboxError(f"The password store (keyring) cannot be read: {exc}.") from None


def store_password(options: ImapOptions, password: str) -> None:
    """Keep the IMAP password in the OS keyring (never in a file)."""
    keyring = _keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, options.keyring_account, password)
    except keyring.errors.KeyringError as exc:
        raise MailboxError(f"The password could not be stored in the system's password "
                           f"store: {exc}. Nothing was saved.") from None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    return str(value)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class Mailbox:
    """One IMAP connection to the reply folder (a context manager)."""

    def __init__(self, options: ImapOptions, password: str | None = None, *,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        problem = options.problem()
        if problem:
            raise MailboxError(problem)
        self.options = options
        self._password = password
        self._context = ssl_context
        self._imap: imaplib.IMAP4 | None = None

    def __enter__(self) -> Mailbox:
        self._connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _connect(self) -> None:
        o = self.options
        password = self._password if self._password is not None else stored_password(o)
        if password is None:
            raise MailboxError(f"No password for {o.keyring_account} is stored in the system's "
                               "password store: run `protocol-app imap-password`.")
        context = self._context or ssl.create_default_context()
        try:
            if o.security == "tls":
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(o.host, o.port, ssl_context=context,
                                                        timeout=o.timeout)
            else:
                imap = imaplib.IMAP4(o.host, o.port, timeout=o.timeout)
                if o.security == "starttls":
                    imap.starttls(ssl_context=context)
            try:
                imap.login(o.user, password)
                status, data = imap.select(_quoted(o.folder))
                if status != "OK":
                    raise MailboxError(f"The folder '{o.folder}' cannot be opened on {o.host}: "
                                       f"{_text(data)}.")
            except BaseException:
                with contextlib.suppress(imaplib.IMAP4.error, OSError):
                    imap.logout()
                raise
        except MailboxError:
            raise
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"The mailbox {o.where} refused the login or a command "
                               f"({_text(exc.args[0] if exc.args else exc)}).") from None
        except (OSError, ssl.SSLError) as exc:
            raise MailboxError(f"Cannot reach the mailbox {o.host}:{o.port}: "
                               f"{getattr(exc, 'strerror', None) or exc}.") from None
        self._imap = imap

    def _command(self, name: str, *args: str) -> list:
        assert self._imap is not None
        try:
            status, data = self._imap.uid(name, *args)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailboxError(f"The mailbox {self.options.where} stopped answering ({exc}).") \
                from None
        if status != "OK":
            raise MailboxError(f"The mailbox {self.options.where} refused {name}: "
                               f"{_text(data)}.")
        return data

    def unseen(self) -> list[FetchedMessage]:
        """Every unseen message, oldest first, read without marking it seen; one larger
        than 50 MB is given as empty bytes (reported as not a reply)."""
        found = self._command("SEARCH", "UNSEEN")
        uids = [u for u in b" ".join(x for x in found if isinstance(x, bytes)).split() if u]
        out: list[FetchedMessage] = []
        for uid in uids:
            text_uid = uid.decode("ascii")
            size_data = self._command("FETCH", text_uid, "(RFC822.SIZE)")
            size = _SIZE.search(b" ".join(x for x in size_data if isinstance(x, bytes)))
            data, when = b"", None
            if size is None or int(size.group(1)) <= MAX_MESSAGE_BYTES:
                for part in self._command("FETCH", text_uid, "(INTERNALDATE BODY.PEEK[])"):
                    if isinstance(part, tuple) and _UID.search(part[0]):
                        data, when = part[1], _internal_date(part[0])
            out.append(FetchedMessage(text_uid, data, when,
                                      f"{self.options.where};UID={text_uid}"))
        return out

    def mark_seen(self, uids: list[str]) -> None:
        """Mark these messages as seen (processed)."""
        if uids:
            self._command("STORE", ",".join(uids), "+FLAGS.SILENT", r"(\Seen)")

    def close(self) -> None:
        """Log out (quietly if the connection is already gone)."""
        if self._imap is None:
            return
        try:
            self._imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
        finally:
            self._imap = None


_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


def _internal_date(head: bytes) -> datetime | None:
    """The INTERNALDATE of a FETCH response, in UTC."""
    found = _INTERNALDATE.search(head)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1).decode("ascii"),
                                 "%d-%b-%Y %H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None

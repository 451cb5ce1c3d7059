"""Sending through the office's SMTP server: STARTTLS, TLS or (for a local relay) plain,
with the password kept in the OS keyring, never in a file.

:class:`SmtpMailer` opens one connection for a batch and sends message by message; a
message counts as sent only when the server accepted it.  A refusal for one recipient
raises :class:`DeliveryError` for that message alone; a lost connection is retried once,
then :class:`MailSetupError` stops the batch.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType

from protocol_app.config import Settings
from protocol_app.errors import ProtocolError

#: The keyring service under which the SMTP password is stored.
KEYRING_SERVICE = "Protocol Desk SMTP"
SECURITY_CHOICES: tuple[str, ...] = ("starttls", "tls", "none")


class MailSetupError(ProtocolError):
    """The mail server cannot be used (settings, connection, login); nothing more is sent."""


class DeliveryError(Exception):
    """The server did not accept one message; the others may still go."""


@dataclass(frozen=True, slots=True)
class SmtpOptions:
    """Where and how to send: host, port, security (``starttls``, ``tls``, ``none``), user."""

    host: str
    port: int = 587
    security: str = "starttls"
    user: str = ""
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpOptions:
        """The options in the user's settings."""
        return cls(host=settings.smtp_host.strip(), port=int(settings.smtp_port),
                   security=(settings.smtp_security or "starttls").strip().lower(),
                   user=settings.smtp_user.strip())

    def problem(self) -> str | None:
        """What is wrong with these options, if anything."""
        if not self.host:
            return "No mail server is set: fill in the SMTP host in Settings."
        if not 0 < self.port < 65536:
            return f"The SMTP port {self.port} is not a port number (1-65535)."
        if self.security not in SECURITY_CHOICES:
            return (f"The SMTP security '{self.security}' is not one of "
                    f"{', '.join(SECURITY_CHOICES)}.")
        return None

    @property
    def keyring_account(self) -> str:
        """The account name of the password in the keyring: ``user@host``."""
        return f"{self.user}@{self.host}"


# -- the password in the keyring ------------------------------------------------------
def _keyring():
    try:
        import keyring
        import keyring.errors
    except ImportError as exc:  # pragma: no cover - a dependency of the app
        raise MailSetupError("The keyring package is missing; reinstall Protocol Desk.") from exc
    return keyring


def stored_password(options: SmtpOptions) -> str | None:
    """The SMTP password kept in the OS keyring for these options, if any."""
    keyring = _keyring()
    try:
        return keyring.get_password(KEYRING_SERVICE, options.keyring_account)
    except keyring.errors.KeyringError as exc:
        raise MailSetupError(f"The password store (keyring) cannot be read: {exc}.") from None


def store_password(options: SmtpOptions, password: str) -> None:
    """Keep the SMTP password in the OS keyring (never in a file)."""
    keyring = _keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, options.keyring_account, password)
    except keyring.errors.KeyringError as exc:
        raise MailSetupError(
            f"The password could not be stored in the system's password store: {exc}. "
            "Nothing was saved.") from None


def forget_password(options: SmtpOptions) -> None:
    """Remove the SMTP password from the keyring (nothing happens if there is none)."""
    keyring = _keyring()
    try:
        keyring.delete_password(KEYRING_SERVICE, options.keyring_account)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise MailSetupError(f"The password store (keyring) cannot be changed: {exc}.") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip().rstrip(".")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{who}: {code} {msg.decode('utf-8', 'replace')}"
                         for who, (code, msg) in exc.recipients.items())
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return (str(exc) or type(exc).__name__).rstrip(".")


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; credentials that are not ASCII (which smtplib cannot send) go as UTF-8
    with AUTH PLAIN or LOGIN (RFC 4616, RFC 4954)."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in mechanisms:
        token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
        code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    elif "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN " + base64.b64encode(user.encode()).decode())
        if code == 334:
            code, reply = smtp.docmd(base64.b64encode(password.encode()).decode())
    else:
        raise smtplib.SMTPException(
            "the server offers no login method for a user name or password that is not "
            "plain ASCII (PLAIN or LOGIN)")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


class SmtpMailer:
    """One connection to the SMTP server for a batch of messages (a context manager)."""

    def __init__(self, options: SmtpOptions, password: str | None = None, *,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        problem = options.problem()
        if problem:
            raise MailSetupError(problem)
        self.options = options
        self._password = password
        self._context = ssl_context
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _password_for_login(self) -> str:
        if self._password is not None:
            return self._password
        password = stored_password(self.options)
        if password is None:
            raise MailSetupError(
                f"No password for {self.options.keyring_account} is stored in the system's "
                "password store: enter it in Settings (or run `protocol-app smtp-password`).")
        self._password = password
        return password

    def connect(self) -> None:
        """Connect, secure the connection and log in."""
        o = self.options
        where = f"{o.host}:{o.port}"
        context = self._context or ssl.create_default_context()
        try:
            if o.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(o.host, o.port, timeout=o.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(o.host, o.port, timeout=o.timeout)
            try:
                smtp.ehlo()
                if o.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise MailSetupError(
                            f"The mail server {where} does not offer STARTTLS; choose TLS "
                            "(usually port 465) in Settings. Nothing was sent.")
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if o.user:
                    _login(smtp, o.user, self._password_for_login())
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailSetupError(
                f"The mail server {where} refused the user name or password for "
                f"'{o.user}' ({_reason(exc)}). Nothing was sent.") from None
        except ssl.SSLError as exc:
            raise MailSetupError(
                f"A secure connection to {where} could not be made ({exc.reason or exc}). "
                "Nothing was sent.") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSetupError(
                f"Cannot connect to the mail server {where}: {_reason(exc)}. "
                "Nothing was sent.") from None
        self._smtp = smtp

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Send one message to one recipient; returns when the server accepted it.

        Raises :class:`DeliveryError` if the server refused it, :class:`MailSetupError`
        if the connection is lost and cannot be made again."""
        for attempt in (1, 2):
            if self._smtp is None:
                self.connect()
            assert self._smtp is not None
            try:
                refused = self._smtp.send_message(message, from_addr=sender,
                                                  to_addrs=[recipient])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
                raise DeliveryError(_reason(exc)) from None
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self._drop()
                if attempt == 2:
                    raise MailSetupError(
                        f"The connection to the mail server was lost ({_reason(exc)}).") from None
                continue
            except smtplib.SMTPResponseException as exc:
                raise DeliveryError(_reason(exc)) from None
            if refused:
                raise DeliveryError("; ".join(f"{who}: {code} {text!r}"
                                              for who, (code, text) in refused.items()))
            return

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server (quietly if it is already gone)."""
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self._drop()

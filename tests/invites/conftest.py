"""Fixtures of the invitation tests: the ical.js reader under Node, an SMTP server on
loopback (aiosmtpd), an in-memory keyring, and the invitations service."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from .readers import ReadCalendar, from_icaljs  # noqa: E402

JS_DIR = Path(__file__).resolve().parent / "js"
_npm_lock = threading.Lock()


# -- ical.js ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def icaljs() -> Callable[..., list[ReadCalendar]]:
    """``icaljs(path, ...)``: the files read by Mozilla's ical.js (Node).  Skipped only when
    Node.js is not installed; the npm package is installed once if missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (`node` not on PATH): the ical.js cross-check "
                    "of the calendars cannot run")
    with _npm_lock:
        if not (JS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
            npm = shutil.which("npm")
            assert npm is not None, "node is installed but npm is not: cannot install ical.js"
            done = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=JS_DIR,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"npm install failed:\n{done.stdout}\n{done.stderr}"

    def read(*paths: Path) -> list[ReadCalendar]:
        done = subprocess.run([node, str(JS_DIR / "read_ics.mjs"), *map(str, paths)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [from_icaljs(doc) for doc in json.loads(done.stdout)]

    return read


@pytest.fixture
def icaljs_bytes(icaljs, tmp_path: Path) -> Callable[[bytes], ReadCalendar]:
    """``icaljs_bytes(data)``: one calendar in memory read by ical.js."""
    counter = iter(range(1_000_000))

    def read(data: bytes) -> ReadCalendar:
        path = tmp_path / f"icaljs-{next(counter)}.ics"
        path.write_bytes(data)
        return icaljs(path)[0]

    return read


# -- the service --------------------------------------------------------------------------
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
VISIT = "vn-moet-minister-2027"


@pytest.fixture
def invites(demo_services):
    """The invitations service over the demo database."""
    from protocol_app.invites.service import InviteService

    return InviteService(demo_services.db, demo_services.actor)


# -- keyring ------------------------------------------------------------------------------
@pytest.fixture
def memory_keyring() -> Iterator[dict]:
    """An in-memory keyring for the test (the real one is never touched)."""
    import keyring
    import keyring.errors
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if store.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError("no such password")

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield store
    keyring.set_keyring(previous)


# -- SMTP on loopback ---------------------------------------------------------------------
def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    logins: list[str] = field(default_factory=list)
    cafile: Path | None = None

    def client_context(self) -> ssl.SSLContext:
        assert self.cafile is not None
        return ssl.create_default_context(cafile=str(self.cafile))

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.server.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                             envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (cryptography, else the openssl tool)."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    try:
        import ipaddress
        from datetime import timedelta

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("neither the cryptography package nor openssl is available to make a "
                        "test certificate")
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                        str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, key


@pytest.fixture
def smtp_server_factory(tmp_path: Path) -> Iterator[Callable[..., SmtpServer]]:
    """``smtp_server_factory(security="none"|"starttls"|"tls", user=None, password=None)``:
    a real SMTP server (aiosmtpd) on a free loopback port, recording what it accepts."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    controllers: list[Controller] = []

    def start(security: str = "none", user: str | None = None,
              password: str | None = None) -> SmtpServer:
        server = SmtpServer("127.0.0.1", free_port())
        kwargs: dict[str, Any] = {}
        if security in ("starttls", "tls"):
            cert, key = _self_signed(tmp_path)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            server.cafile = cert
            if security == "tls":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if user is not None:
            def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str,
                              auth_data: Any) -> AuthResult:
                ok = (isinstance(auth_data, LoginPassword)
                      and auth_data.login.decode() == user
                      and auth_data.password.decode() == password)
                if ok:
                    server.logins.append(user)
                return AuthResult(success=ok, handled=False)
            kwargs.update(authenticator=authenticator, auth_required=True,
                          # aiosmtpd counts only STARTTLS as TLS, not a TLS socket
                          auth_require_tls=security == "starttls")
        controller = Controller(_Handler(server), hostname=server.host, port=server.port,
                                **kwargs)
        controller.start()
        controllers.append(controller)
        return server

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_server(smtp_server_factory) -> SmtpServer:
    """A plain SMTP server on loopback without login."""
    return smtp_server_factory()

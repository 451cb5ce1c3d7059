"""Shared fixtures: every test gets its own data folder and a real database.

The service, package, invite, briefing and rules tests run on both engines: their
``db_path`` (and so ``services``, ``world``, ``demo_db``...) is a real SQLite file, then
a fresh database on a throwaway PostgreSQL cluster (:mod:`tests.support.postgres`),
given as its URL: every test that hands ``db_path`` to ``Services.open`` or to the
command line's ``--db`` works unchanged.  A test that only makes sense on one engine
says so with ``@pytest.mark.sqlite_only`` or ``@pytest.mark.postgresql_only``.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.support.smtp import Handler, SmtpServer, free_port, self_signed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests explore fresh random examples on every local run; CI (.ci/run sets
# HYPOTHESIS_PROFILE=ci) replays one fixed sequence, so a run that passed here passes
# there, and a failure prints the blob that reproduces it.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private PROTOCOL_APP_HOME (data, settings, logs, backups) per test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PROTOCOL_APP_HOME", str(home))
    monkeypatch.delenv("PROTOCOL_APP_DB", raising=False)
    return home


#: The test folders whose tests run on both engines.
BOTH_ENGINES = ("services", "packages", "invites", "briefing", "rules")
ENGINES = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite files "
                            "(WAL, file modes, the file itself); not run on PostgreSQL")
    config.addinivalue_line("markers", "postgresql_only: the test is about a database server")


def engines_for(node: pytest.Function | Any) -> list[str]:
    """The engines a test runs on (see the module's docstring)."""
    if node.get_closest_marker("postgresql_only"):
        return ["postgresql"]
    if node.get_closest_marker("sqlite_only"):
        return ["sqlite"]
    folder = Path(str(node.path)).resolve().relative_to(Path(__file__).resolve().parent).parts
    return list(ENGINES) if folder and folder[0] in BOTH_ENGINES else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_engine" in metafunc.fixturenames:
        engines = engines_for(metafunc.definition)
        if engines != ["sqlite"]:
            metafunc.parametrize("db_engine", engines, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator:
    """A throwaway PostgreSQL cluster for the whole run, with a migrated template."""
    from tests.support.postgres import missing_reason, running_cluster

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def db_engine(request: pytest.FixtureRequest) -> str:
    """The engine of this test's database: "sqlite" unless parametrized."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def pg_database(pg_cluster) -> Iterator[str]:
    """A fresh database on the test cluster (copied from the migrated template): its URL."""
    name = pg_cluster.fresh_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def db_path(tmp_path: Path, db_engine: str, request: pytest.FixtureRequest) -> Path | str:
    """The test's database: an SQLite file's path, or a PostgreSQL URL."""
    if db_engine == "postgresql":
        return request.getfixturevalue("pg_database")
    return tmp_path / "protocol.sqlite3"


@pytest.fixture
def services(db_path: Path) -> Iterator:
    """Every service over a fresh database, acting as "tester"."""
    from protocol_app.services import Services

    s = Services.open(db_path, actor="tester")
    yield s
    s.close()


@pytest.fixture
def demo_services(services):
    """Services over a database filled with the demo visits."""
    from protocol_app.demo import load_demo

    load_demo(services)
    return services


# -- a small visit built through the services ------------------------------------------
@dataclass
class World:
    """A visit with a guest head of delegation, a guest member, a host and an outsider."""

    services: object
    visit_id: int
    guest_id: int
    member_id: int
    host_id: int
    outsider_id: int


@pytest.fixture
def demo_db(demo_services, db_path: Path) -> str:
    """The demo database's path, for the command line (the services fixture keeps it open,
    as the app would)."""
    return str(db_path)


@pytest.fixture
def world(services) -> World:
    s = services
    visit = s.visits.create(
        title="Visit of the Rector of Kyoto University", timezone="America/New_York",
        start_date=date(2027, 3, 12), end_date=date(2027, 3, 16), country="JP",
        purpose="Research cooperation", organizer_name="Office of Protocol",
        organizer_email="protocol@alderbrook.example.edu")
    guest = s.people.create(family_name="Tanaka", given_name="Haruto", name_order="family_first",
                            native_name="田中 陽翔", country="JP", email="tanaka@kyoto.example.jp",
                            organization="Kyoto University", honorific="Prof.")
    member = s.people.create(family_name="Sato", given_name="Yui", country="JP",
                             organization="Kyoto University")
    host = s.people.create(family_name="Mercer", given_name="Caroline", country="US",
                           email="president@alderbrook.example.edu",
                           organization="Alderbrook University")
    outsider = s.people.create(family_name="Outsider", given_name="Olga")
    s.visits.add_participant(visit.id, guest.id, "guest", "head")
    s.visits.add_participant(visit.id, member.id, "guest", "member")
    s.visits.add_participant(visit.id, host.id, "host", "host")
    return World(s, visit.id, guest.id, member.id, host.id, outsider.id)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask (group and others may read new files), restored afterwards."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


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
            cert, key = self_signed(tmp_path)
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
        controller = Controller(Handler(server), hostname=server.host, port=server.port,
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

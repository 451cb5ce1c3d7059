"""Real database logins on the throwaway cluster: LOGIN roles with passwords, checked by
the server (scram-sha-256 over TCP), as an office's workstations would connect.

The test cluster trusts its own ``postgres`` user; :func:`require_passwords` adds one
line before the others to ``pg_hba.conf``: members of :data:`PASSWORD_GROUP` must give
their password over TCP.  Nothing else of the cluster changes.
"""

from __future__ import annotations

import itertools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

#: Every login made here is a member, so the server asks for its password.
PASSWORD_GROUP = "protocol_desk_password_logins"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Login:
    """A database user and its password."""

    name: str
    password: str
    url: str


def require_passwords(cluster) -> None:
    """Make the cluster ask :data:`PASSWORD_GROUP`'s members for their password (once)."""
    hba = Path(cluster.folder) / "data" / "pg_hba.conf"
    line = f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
    if line in hba.read_text():
        return
    cluster.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                    f"'{PASSWORD_GROUP}') THEN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
                    "END IF; END $$")
    hba.write_text(line + hba.read_text())
    command = [str(cluster.bin / "pg_ctl"), "-D", str(hba.parent), "reload"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def create_login(cluster, database: str, kind: str) -> Login:
    """A new LOGIN role with a password (``kind`` names it: ``assistant_<pid>_<n>``)."""
    require_passwords(cluster)
    name = f"{kind}_{os.getpid()}_{next(_numbers)}"
    password = f"pw-{name}-secret"
    cluster.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}")
    url = (f"postgresql+psycopg://{name}:{quote(password)}@127.0.0.1:{cluster.port}/"
           f"{database}")
    return Login(name, password, url)

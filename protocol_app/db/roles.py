"""Who may read what on a server: the three roles, and what the connected login may read.

The SQL is shipped in ``resources/sql/roles.sql``; :func:`roles_sql` fills in its lists
from the schema (:data:`Base.metadata`) and from the one list of sensitive fields
(:data:`protocol_app.records.sensitivity.SENSITIVE_FIELDS`), so the database enforces
the very fields every printed output filters, with column privileges: a login holding
``protocol_assistant`` or ``protocol_viewer`` cannot read them, not even with psql.

:func:`login_privileges` asks the server (one statement at open) which sensitive fields
the connected login may not read (``has_column_privilege``); :class:`~protocol_app.db.database.
Database` then reads blanks in their place (:mod:`protocol_app.db.hidden`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from protocol_app.errors import ProtocolError
from protocol_app.records.models import Base, Event, Person, Visit
from protocol_app.records.reviews import ReviewCondition
from protocol_app.records.sensitivity import SENSITIVE_FIELDS
from protocol_app.resources import resource_path

#: The roles, from the most to the least trusted.
ROLES: tuple[str, ...] = ("protocol_officer", "protocol_assistant", "protocol_viewer")
#: The table holding each kind of record the sensitivity list names.
RECORD_TABLES: dict[str, str] = {"person": Person.__tablename__, "event": Event.__tablename__}


#: Sensitive fields kept outside their record's own table: (kind, field) -> (table, column).
STORED_ELSEWHERE: dict[tuple[str, str], tuple[str, str]] = {
    ("event", "review_conditions"): (ReviewCondition.__tablename__, "text"),
}


def stored_at(kind: str, field: str) -> tuple[str, str]:
    """The (table, column) holding a sensitive field of a kind of record."""
    return STORED_ELSEWHERE.get((kind, field), (RECORD_TABLES[kind], field))


def sensitive_columns() -> dict[str, tuple[str, ...]]:
    """Table -> its sensitive columns, from the one list (``{"people": ("medical", ...)}``)."""
    columns: dict[str, list[str]] = {}
    for kind, fields in SENSITIVE_FIELDS.items():
        for field in fields:
            table, column = stored_at(kind, field)
            columns.setdefault(table, []).append(column)
    return {table: tuple(names) for table, names in columns.items()}


def hidden_record_fields(hidden: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Kind of record -> its sensitive fields whose columns are ``hidden`` (table ->
    columns, as :func:`login_privileges` finds them)."""
    return {kind: frozenset(f for f in fields
                            if stored_at(kind, f)[1] in hidden.get(stored_at(kind, f)[0], ()))
            for kind, fields in SENSITIVE_FIELDS.items()}


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def roles_sql(connection: Connection) -> str:
    """The SQL of ``resources/sql/roles.sql`` for this database, its lists filled in."""
    q = _quoted
    schema = str(connection.execute(text("SELECT current_schema()")).scalar())
    database = str(connection.execute(text("SELECT current_database()")).scalar())
    hidden = sensitive_columns()
    existing = _schema_tables(connection, schema)
    tables = [t for t in Base.metadata.sorted_tables if t.name in existing]
    names = sorted(existing)
    open_tables = [n for n in names if n not in hidden]
    column_grants: dict[str, list[str]] = {"assistant": [], "viewer": []}
    for table in tables:
        if table.name not in hidden:
            continue
        readable = ", ".join(q(connection, c.name) for c in table.columns
                             if c.name not in hidden[table.name])
        target = f"{q(connection, schema)}.{q(connection, table.name)}"
        column_grants["assistant"].append(
            f"GRANT SELECT ({readable}), UPDATE ({readable}) ON {target} TO protocol_assistant;\n"
            f"GRANT INSERT, DELETE ON {target} TO protocol_assistant;")
        column_grants["viewer"].append(f"GRANT SELECT ({readable}) ON {target} TO protocol_viewer;")

    def listed(table_names: list[str]) -> str:
        return ", ".join(f"{q(connection, schema)}.{q(connection, n)}" for n in table_names)

    template = resource_path("sql", "roles.sql").read_text(encoding="utf-8")
    return template.format(
        database=q(connection, database), schema=q(connection, schema),
        all_tables=listed(names), open_tables=listed(open_tables),
        assistant_column_grants="\n".join(column_grants["assistant"]),
        viewer_column_grants="\n".join(column_grants["viewer"]))


def _schema_tables(connection: Connection, schema: str) -> set[str]:
    """The schema's tables (the mapped ones, and the people search index), not Alembic's:
    only those that exist, so the roles can be set up at any revision."""
    rows = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = :schema"), {"schema": schema})
    return {r[0] for r in rows if r[0] != "alembic_version"}


def setup_roles(connection: Connection) -> None:
    """Create the three roles (once) and grant them what they may do, in one transaction."""
    _require_server(connection)
    connection.exec_driver_sql(roles_sql(connection))


def roles_set_up(connection: Connection) -> bool:
    """Whether the three roles exist on this server (one statement; False on SQLite)."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname IN "
                                    "(:r0, :r1, :r2)"),
                               {f"r{i}": role for i, role in enumerate(ROLES)}).scalar()
    return found == len(ROLES)


def refresh_after_upgrade(connection: Connection) -> bool:
    """Grant the roles anew after a schema upgrade when ``setup-roles`` was run on this
    database (the roles exist and may read its schema revision): a table the upgrade
    added is then readable by whom it should be, and its sensitive columns by officers
    only, without running ``setup-roles`` again.  Returns whether it did."""
    if not roles_set_up(connection):
        return False
    granted_here = connection.execute(text(
        "SELECT has_table_privilege('protocol_viewer', 'alembic_version', 'SELECT')")).scalar()
    if not granted_here:
        return False
    setup_roles(connection)
    return True


def grant_role(connection: Connection, login: str, role: str) -> None:
    """Make ``login`` (an existing database user) an officer, assistant or viewer; it
    leaves the other two roles, so each login holds exactly one."""
    _require_server(connection)
    if role not in ROLES:
        raise ProtocolError(f"role: {role!r} is not one of {', '.join(ROLES)}; nothing changed.")
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                {"n": login}).first()
    if not exists:
        raise ProtocolError(f"login: there is no database user {login!r} (create it with "
                            "`createuser --pwprompt NAME`); nothing changed.")
    if not roles_set_up(connection):
        raise ProtocolError("The roles are not set up yet: run `protocol-app server "
                            "setup-roles` first; nothing changed.")
    who = _quoted(connection, login)
    for other in ROLES:
        if other != role:
            connection.exec_driver_sql(f"REVOKE {other} FROM {who}")
    connection.exec_driver_sql(f"GRANT {role} TO {who}")


@dataclass(frozen=True)
class LoginPrivileges:
    """What the connected login is and may do: its name, the sensitive columns it may
    not read (table -> columns), and whether it may change visits (not a viewer)."""

    login: str
    hidden: dict[str, frozenset[str]]
    may_write: bool


def login_privileges(connection: Connection) -> LoginPrivileges:
    """Ask the server, in one statement, who is connected and what it may do
    (``current_user``, ``has_column_privilege`` on each sensitive column,
    ``has_table_privilege`` to update visits)."""
    pairs = [(t, c) for t, columns in sensitive_columns().items() for c in columns]
    values = ", ".join(f"(:t{i}, :c{i})" for i in range(len(pairs)))
    params: dict[str, str] = {"visits": Visit.__tablename__}
    for i, (table, column) in enumerate(pairs):
        params[f"t{i}"], params[f"c{i}"] = table, column
    row = connection.execute(text(
        "SELECT current_user, has_table_privilege(:visits, 'UPDATE'), "
        "(SELECT coalesce(array_agg(t || '.' || c), '{}') "
        f" FROM (VALUES {values}) AS sensitive(t, c) "
        "  WHERE NOT has_column_privilege(t, c, 'SELECT'))"), params).one()
    hidden: dict[str, set[str]] = {}
    for qualified in row[2]:
        table, _, column = qualified.partition(".")
        hidden.setdefault(table, set()).add(column)
    return LoginPrivileges(str(row[0]), {t: frozenset(c) for t, c in hidden.items()},
                           bool(row[1]))


def _require_server(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        raise ProtocolError("Roles are for an office's PostgreSQL server (--db "
                            "postgresql+psycopg://…); an SQLite file is guarded by its "
                            "file permissions. Nothing changed.")


def describe_hidden(hidden: Mapping[str, frozenset[str]]) -> str:
    """The hidden fields as a reader says them ("medical, security (people)")."""
    return "; ".join(f"{', '.join(sorted(cols))} ({table})" for table, cols in hidden.items())

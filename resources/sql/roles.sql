-- Protocol Desk: who may read what on an office's PostgreSQL server.
--
-- Applied by `protocol-app server setup-roles` (as the owner of the database or an
-- administrator).  The names in braces are filled in by protocol_app/db/roles.py: the
-- lists of tables and of readable columns come from the schema and from the ONE list of
-- sensitive fields (protocol_app/records/sensitivity.py), never written by hand here.
-- Running it again is harmless: the roles are created once, every privilege is taken
-- away and granted anew (so a changed list, or a table added by an upgrade, takes effect;
-- the app applies it again itself after upgrading a database where it was applied).
--
--   protocol_officer    everything
--   protocol_assistant  everything but the sensitive fields (not even readable in psql)
--   protocol_viewer     read only, no sensitive fields

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'protocol_officer') THEN
        CREATE ROLE protocol_officer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'protocol_assistant') THEN
        CREATE ROLE protocol_assistant NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'protocol_viewer') THEN
        CREATE ROLE protocol_viewer NOLOGIN;
    END IF;
END
$roles$;

GRANT CONNECT ON DATABASE {database} TO protocol_officer, protocol_assistant, protocol_viewer;
GRANT USAGE ON SCHEMA {schema} TO protocol_officer, protocol_assistant, protocol_viewer;

-- Start again (column privileges go with their table's).
REVOKE ALL ON ALL TABLES IN SCHEMA {schema}
    FROM protocol_officer, protocol_assistant, protocol_viewer;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema}
    FROM protocol_officer, protocol_assistant, protocol_viewer;

-- Everyone reads the schema's revision (the start-up check); nobody but the owner moves it.
GRANT SELECT ON {schema}.alembic_version TO protocol_officer, protocol_assistant, protocol_viewer;

-- The officer: every record, every field.
GRANT SELECT, INSERT, UPDATE, DELETE ON {all_tables} TO protocol_officer;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO protocol_officer;

-- The assistant: the tables without sensitive fields whole; the others without them.
-- (INSERT is granted on whole rows: a new person's row carries the blank defaults of
-- the fields an assistant may neither read nor change afterwards.)
GRANT SELECT, INSERT, UPDATE, DELETE ON {open_tables} TO protocol_assistant;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO protocol_assistant;
{assistant_column_grants}

-- The viewer: reads what an assistant reads, writes nothing.
GRANT SELECT ON {open_tables} TO protocol_viewer;
{viewer_column_grants}

"""Versioned schema migrations: the ``NNNN_name.sql`` files beside this module, applied in
order, each in its own transaction, and recorded in ``schema_migrations``.

A session-level advisory lock serialises concurrent runs (several processes starting at
once): the second waits, then finds everything applied and does nothing.
"""

import logging
from collections.abc import Sequence
from importlib import resources

import psycopg

from itmj_adapters.database_schema import SchemaBehind

log = logging.getLogger(__name__)

# Any constant works as long as nothing else in the database takes the same advisory lock.
_LOCK_KEY = 0x17_4D_4A_5F_6D_69_67  # "itmj_mig"

_CREATE_SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def available() -> list[tuple[str, str]]:
    """Every migration shipped with the package, as (version, SQL), oldest first."""
    files = sorted(
        (f for f in resources.files(__package__).iterdir() if f.name.endswith(".sql")),
        key=lambda f: f.name,
    )
    return [(f.name.removesuffix(".sql"), f.read_text()) for f in files]


def check_schema(conn: psycopg.Connection) -> None:
    """Raise ``SchemaBehind`` unless every migration shipped with the package is applied.

    A database ahead of the code (migrated by a newer release) is only logged: during a
    rolling upgrade the new release migrates first, and the old processes still running or
    restarting must keep working over the additive change."""
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,):
        applied: set[str] = set()
    else:
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    known = [version for version, _ in available()]
    missing = [version for version in known if version not in applied]
    if missing:
        raise SchemaBehind(missing)
    newer = sorted(applied.difference(known))
    if newer:
        log.warning("the database has migrations this code does not know: %s", ", ".join(newer))


def migrate(url: str, migrations: Sequence[tuple[str, str]] | None = None) -> list[str]:
    """Apply the migrations this database lacks; returns the versions applied now.

    ``migrations`` defaults to those shipped with the package.
    """
    applied_now: list[str] = []
    # The lock is the session's: closing the connection releases it, however this ends.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
        conn.execute(_CREATE_SCHEMA_MIGRATIONS)
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, sql in available() if migrations is None else migrations:
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", [version])
            applied_now.append(version)
    return applied_now

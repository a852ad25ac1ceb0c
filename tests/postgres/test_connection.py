"""The pool's sessions and the health probe."""

from datetime import timedelta

import psycopg
import pytest

from itmj_adapters.postgres.connection import PostgresProbe, open_pool

pytestmark = pytest.mark.postgres


def test_sessions_are_in_utc_whatever_the_url_asks(database_url):
    url = psycopg.conninfo.make_conninfo(database_url, options="-c TimeZone=Asia/Kolkata")
    pool = open_pool(url, max_size=1)
    try:
        with pool.connection() as conn:
            now, zone = conn.execute("SELECT now(), current_setting('TimeZone')").fetchone()
    finally:
        pool.close()
    assert zone == "UTC"
    assert now.utcoffset() == timedelta(0)


def test_the_probe_fails_when_the_database_drops_it_and_recovers_after(database_url):
    pool = open_pool(database_url, max_size=1)
    try:
        probe = PostgresProbe(pool)
        assert probe.name == "database"
        probe.check()
        with pool.connection() as conn:
            backend = conn.info.backend_pid
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend])
        with pytest.raises(psycopg.OperationalError):
            probe.check()
        probe.check()
    finally:
        pool.close()

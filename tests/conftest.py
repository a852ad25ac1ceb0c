"""Fixtures shared by every suite.

Postgres tests talk to a real server and never skip: if it cannot be reached they fail.
``ITMJ_TEST_DATABASE_URL`` names the test database, made anew for each run; parallel runs
must each use their own. Redis is real too, never skipped: ``ITMJ_TEST_REDIS_URL`` names a
database number of its own, emptied for each test that asks for ``redis_url``.
"""

import os

import hypothesis
import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool
from redis import Redis

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.migrations import migrate
from itmj_adapters.settings import Settings
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.passwords import PasswordHasher
from tests.secret_keys import TEST_KEYS

TEST_DATABASE_URL = os.environ.get(
    "ITMJ_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/itmj_test"
)
TEST_REDIS_URL = os.environ.get("ITMJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = ["memory", pytest.param("postgres", marks=pytest.mark.postgres)]

# Bounded examples, so CI stays fast. No timed assertions (speed is measured under bench/):
# hypothesis's 200 ms deadline per example fails tests at random on a loaded machine, and CI
# shares one. A failure prints the blob that reproduces it. Tests that are costly per example
# bound themselves further.
hypothesis.settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
# Mutation testing (scripts/mutation): the same examples on every run, so that a mutant is
# killed or survives alike each time, and nothing carried over from an earlier run's database.
hypothesis.settings.register_profile(
    "mutation", hypothesis.settings.get_profile("ci"), derandomize=True, database=None
)
hypothesis.settings.load_profile("ci")

# Every table of the schema but the migrations ledger and the reference data migrations seed,
# so tables added by later migrations are wiped too without anyone listing them here.
_DATA_TABLES = """
SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
WHERE schemaname = current_schema() AND tablename NOT IN ('schema_migrations', 'countries')
ORDER BY tablename
"""


def _fresh_database(url: str) -> None:
    """Drop and recreate the test database, so every run starts from the migrations alone,
    whatever an earlier run (or an older schema) left behind."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    admin_url = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def _reset_data(pool: ConnectionPool) -> None:
    """Empty every table and restart its ids, keeping the schema and its migrations.

    The lock timeout turns a unit of work some test left open into a failure, not a hang.
    """
    with pool.connection() as conn, conn.transaction():
        tables = [row[0] for row in conn.execute(_DATA_TABLES)]
        conn.execute("SET LOCAL lock_timeout = '10s'")
        conn.execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY").format(
                sql.SQL(", ").join(sql.SQL(t) for t in tables)
            )
        )


@pytest.fixture(scope="session")
def database_url() -> str:
    _fresh_database(TEST_DATABASE_URL)
    migrate(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture(scope="session")
def pg_pool(database_url: str):
    """One pool for the whole run: cheap to reuse, and a reset needs a connection anyway."""
    pool = open_pool(database_url, max_size=8)
    yield pool
    pool.close()


@pytest.fixture
def clean_database(database_url: str, pg_pool: ConnectionPool) -> str:
    _reset_data(pg_pool)
    return database_url


@pytest.fixture
def redis_url() -> str:
    """A real Redis, never skipped; each test starts from an empty database whose number
    ``ITMJ_TEST_REDIS_URL`` gives, so that parallel suites do not meet."""
    redis = Redis.from_url(TEST_REDIS_URL)
    redis.flushdb()
    redis.close()
    return TEST_REDIS_URL


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def password_hasher() -> PasswordHasher:
    return Argon2PasswordHasher.cheap()


@pytest.fixture
def make_services(backend: str, request: pytest.FixtureRequest, clock: ManualClock,
                  notifier: RecordingNotifier, password_hasher: PasswordHasher):
    """Builds the real composition root on the chosen backend, with a manual clock and cheap
    password hashes, and whatever other ports a test replaces (``webhook_sender=``…);
    webhook targets may be on loopback, where the tests' receivers listen. Closed after the
    test."""
    built: list[Services] = []

    def make(**overrides) -> Services:
        settings = Settings(webhook_allow_private=True)
        if backend == "postgres":
            settings = Settings(
                database_url=request.getfixturevalue("clean_database"),
                db_pool_size=4,
                webhook_allow_private=True,
                secret_keys=TEST_KEYS,
            )
        built.append(build_services(
            settings, clock=clock, notifier=notifier, password_hasher=password_hasher,
            **overrides,
        ))
        return built[-1]

    yield make
    for services in reversed(built):
        services.close()


@pytest.fixture
def services(make_services) -> Services:
    """The real composition root on the chosen backend (see ``make_services``)."""
    return make_services()

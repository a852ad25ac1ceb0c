"""Fixtures shared by every suite.

Postgres tests talk to a real server and never skip: if it cannot be reached they fail.
``ITMJ_TEST_DATABASE_URL`` names the test database (created when missing); parallel runs
should each use their own.
"""

import os

import psycopg
import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.memory.notifier import MemoryNotifier
from itmj_adapters.settings import Settings

TEST_DATABASE_URL = os.environ.get(
    "ITMJ_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/itmj_test"
)
BACKENDS = ["memory", "postgres"]


def _ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info["dbname"]
    admin_url = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


@pytest.fixture(scope="session")
def database_url() -> str:
    from itmj_adapters.postgres.migrations import migrate

    _ensure_database(TEST_DATABASE_URL)
    migrate(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture
def clean_database(database_url: str) -> str:
    from itmj_adapters.postgres.migrations import reset_data

    reset_data(database_url)
    return database_url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def notifier() -> MemoryNotifier:
    return MemoryNotifier()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def services(backend: str, request: pytest.FixtureRequest, clock: ManualClock,
             notifier: MemoryNotifier):
    """The real composition root on the chosen backend, with a manual clock."""
    settings = Settings()
    if backend == "postgres":
        settings = Settings(database_url=request.getfixturevalue("clean_database"), db_pool_size=4)
    built: Services = build_services(settings, clock=clock, notifier=notifier)
    yield built
    built.close()

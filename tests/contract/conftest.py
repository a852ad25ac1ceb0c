"""Every port's contract runs against every adapter: ``uow_factory`` is one per backend, and
``seed`` writes committed data through it."""

import pytest

from itmj_adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.ports import UnitOfWorkFactory
from tests.contract.seed import Seed
from tests.secret_keys import TEST_KEY_RING

ADAPTERS = ["memory", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ADAPTERS)
def uow_factory(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    if request.param == "memory":
        return MemoryUnitOfWorkFactory()
    request.getfixturevalue("clean_database")
    return PostgresUnitOfWorkFactory(request.getfixturevalue("pg_pool"), TEST_KEY_RING)


@pytest.fixture
def seed(uow_factory: UnitOfWorkFactory) -> Seed:
    return Seed(uow_factory)

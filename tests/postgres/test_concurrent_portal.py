"""Portal decisions on real PostgreSQL under real concurrency, a connection per thread: an
order confirmed by several staff at once pays out once, and admins demoting one another at
once never leave the employer without an admin."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.accounts import Role
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.orders import BUNDLES, OrderStatus
from itmj_domain.services.credit_orders import CreditOrders
from itmj_domain.services.team import Team
from tests.contract.seed import Seed

pytestmark = pytest.mark.postgres

THREADS = 6
# Only guards against a hang when a thread dies before the barrier; never reached otherwise.
SAFETY_TIMEOUT_SECONDS = 60


@pytest.fixture
def own_connections(clean_database):
    pool = open_pool(clean_database, max_size=THREADS + 1)
    yield PostgresUnitOfWorkFactory(pool)
    pool.close()


@pytest.fixture
def seed(clean_database, pg_pool) -> Seed:
    return Seed(PostgresUnitOfWorkFactory(pg_pool))


def _at_once(work, arguments) -> list[object]:
    """Run ``work`` on each argument in its own thread, all released together; returns each
    result, or the InvalidState it raised."""
    start = threading.Barrier(len(arguments))

    def run(argument):
        start.wait(SAFETY_TIMEOUT_SECONDS)
        try:
            return work(argument)
        except InvalidState as refused:
            return refused

    with ThreadPoolExecutor(len(arguments)) as threads:
        return list(threads.map(run, arguments))


def test_an_order_confirmed_by_several_staff_at_once_pays_out_once(own_connections, seed):
    employer = seed.employer()
    order = seed.order(employer.id, BUNDLES[0])
    orders = CreditOrders(own_connections, ManualClock())
    outcomes = _at_once(lambda _: orders.confirm(order.id), range(THREADS))
    confirmed = [o for o in outcomes if not isinstance(o, InvalidState)]
    assert len(confirmed) == 1
    assert confirmed[0].status is OrderStatus.CONFIRMED
    with own_connections(read_only=True) as uow:
        [grant] = uow.ledger.entries(employer.id)
        assert uow.ledger.balances(employer.id)[order.bundle.kind] == order.bundle.credits
    assert grant.id == confirmed[0].ledger_entry_id


def test_admins_demoting_themselves_at_once_leave_exactly_one_admin(own_connections, seed):
    employer = seed.employer()
    admins = [seed.user(employer.id, f"admin{n}@acme.example") for n in range(THREADS)]
    members = Team(
        own_connections, ManualClock(), RecordingNotifier(), Argon2PasswordHasher.cheap()
    )
    outcomes = _at_once(
        lambda admin: members.change_role(employer.id, admin.id, Role.RECRUITER, admin.id),
        admins,
    )
    assert sum(isinstance(o, InvalidState) for o in outcomes) == 1
    with own_connections(read_only=True) as uow:
        assert len(uow.users.admins_of(employer.id)) == 1


def test_admins_removing_each_other_at_once_leave_exactly_one_admin(own_connections, seed):
    employer = seed.employer()
    admins = [seed.user(employer.id, f"admin{n}@acme.example") for n in range(THREADS)]
    members = Team(
        own_connections, ManualClock(), RecordingNotifier(), Argon2PasswordHasher.cheap()
    )
    # Each removes the next one round the circle, so every remover is also removed.
    pairs = list(zip(admins, admins[1:] + admins[:1], strict=True))
    _at_once(lambda pair: _remove_if_still_admin(members, employer.id, *pair), pairs)
    with own_connections(read_only=True) as uow:
        assert uow.users.admins_of(employer.id)


def _remove_if_still_admin(members: Team, employer_id: int, by, removed) -> None:
    # Refused when the remover was removed first, or the removed one already went.
    with contextlib.suppress(InvalidInput, NotFound):
        members.remove(employer_id, removed.id, by.id)

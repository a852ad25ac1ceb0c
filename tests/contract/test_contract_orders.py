"""The OrderRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain import credits
from itmj_domain.orders import BUNDLES, OrderStatus
from itmj_domain.pagination import PageRequest
from tests.contract.seed import T0

LATER = T0 + timedelta(hours=1)


def test_an_order_reads_back_equal_through_each_decision(uow_factory, seed):
    employer = seed.employer()
    admin = seed.user(employer.id)
    order = seed.order(employer.id, BUNDLES[4], ordered_by=admin.id)
    with uow_factory(read_only=True) as uow:
        assert uow.orders.get(order.id) == order
        assert uow.orders.get(order.id + 1) is None
    grant = seed.entry(lambda entry_id: credits.grant(
        entry_id, employer.id, order.bundle.kind, order.bundle.credits, LATER, order.reference
    ))
    confirmed = seed.save_order(order.confirm(LATER, grant.id))
    with uow_factory() as uow:
        assert uow.orders.get(order.id, for_update=True) == confirmed
    assert (confirmed.status, confirmed.ledger_entry_id) == (OrderStatus.CONFIRMED, grant.id)


def test_rejected_and_cancelled_orders_read_back_equal(uow_factory, seed):
    employer = seed.employer()
    rejected = seed.save_order(seed.order(employer.id).reject(LATER))
    cancelled = seed.save_order(seed.order(employer.id).cancel(LATER))
    with uow_factory(read_only=True) as uow:
        assert uow.orders.get(rejected.id) == rejected
        assert uow.orders.get(cancelled.id) == cancelled


def test_an_unconfirmed_change_left_uncommitted_is_not_kept(uow_factory, seed):
    order = seed.order(seed.employer().id)
    with uow_factory() as uow:
        uow.orders.save(order.reject(LATER))
    with uow_factory(read_only=True) as uow:
        assert uow.orders.get(order.id) == order


def test_list_for_employer_pages_its_orders_newest_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    made = [seed.order(acme.id, created_at=T0 + timedelta(minutes=n)) for n in range(3)]
    seed.order(other.id)
    with uow_factory(read_only=True) as uow:
        first = uow.orders.list_for_employer(acme.id, PageRequest(1, 2))
        second = uow.orders.list_for_employer(acme.id, PageRequest(2, 2))
    assert (list(first.items), first.total) == ([made[2], made[1]], 3)
    assert (list(second.items), second.total) == ([made[0]], 3)


def test_with_status_is_every_employers_orders_in_it_oldest_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    late = seed.order(acme.id, created_at=T0 + timedelta(minutes=5))
    early = seed.order(other.id, created_at=T0)
    seed.save_order(seed.order(acme.id, created_at=T0 - timedelta(days=1)).reject(LATER))
    with uow_factory(read_only=True) as uow:
        pending = uow.orders.with_status(OrderStatus.PENDING, PageRequest())
        rejected = uow.orders.with_status(OrderStatus.REJECTED, PageRequest())
        confirmed = uow.orders.with_status(OrderStatus.CONFIRMED, PageRequest())
    assert (list(pending.items), pending.total) == ([early, late], 2)
    assert rejected.total == 1
    assert (list(confirmed.items), confirmed.total) == ([], 0)

"""Buying bundles through the real composition root, on every backend: orders wait for staff
unless the platform confirms them at once (the demo), pay out once, and show in the ledger."""

from datetime import timedelta

import pytest

from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_domain import credits, orders
from itmj_domain.accounts import Role
from itmj_domain.credits import CreditKind, EntryReason
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.orders import OrderStatus
from itmj_domain.pagination import PageRequest
from tests.contract.seed import CONTENT
from tests.refusals import refused

SEARCHES = orders.bundle("cv-search-100")


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


@pytest.fixture
def admin(services, employer):
    return services.accounts.add_user(employer.id, "admin@acme.example", Role.EMPLOYER_ADMIN)


def test_an_order_waits_for_staff_and_confirming_grants_its_credits_once(
    services, employer, admin
):
    order = services.orders.buy(employer.id, SEARCHES.code, admin.id)
    assert (order.status, order.bundle, order.ordered_by) == (
        OrderStatus.PENDING, SEARCHES, admin.id
    )
    assert services.credits.balance(employer.id).available(CreditKind.CV_SEARCH) == 0
    assert list(services.orders.awaiting_confirmation(PageRequest()).items) == [order]

    confirmed = services.orders.confirm(order.id)
    assert confirmed.status is OrderStatus.CONFIRMED
    with refused(InvalidState):
        services.orders.confirm(order.id)
    assert services.credits.balance(employer.id).available(CreditKind.CV_SEARCH) == 100
    [grant] = services.credits.entries(employer.id)
    assert (grant.id, grant.amount, grant.reason, grant.reference) == (
        confirmed.ledger_entry_id, 100, EntryReason.GRANT, f"order:{order.id}"
    )
    assert services.orders.awaiting_confirmation(PageRequest()).total == 0
    assert list(services.orders.for_employer(employer.id, PageRequest()).items) == [confirmed]


def test_rejected_and_cancelled_orders_grant_nothing(services, employer, admin):
    rejected = services.orders.reject(services.orders.buy(employer.id, SEARCHES.code, admin.id).id)
    cancelled = services.orders.cancel(
        employer.id, services.orders.buy(employer.id, SEARCHES.code, admin.id).id
    )
    assert (rejected.status, cancelled.status) == (OrderStatus.REJECTED, OrderStatus.CANCELLED)
    for decided in (rejected, cancelled):
        with refused(InvalidState):
            services.orders.confirm(decided.id)
    assert services.credits.entries(employer.id) == []


def test_an_employer_cancels_only_its_own_orders(services, employer, admin):
    order = services.orders.buy(employer.id, SEARCHES.code, admin.id)
    rival = services.accounts.create_employer("Rival")
    with refused(NotFound):
        services.orders.cancel(rival.id, order.id)
    with refused(NotFound):
        services.orders.confirm(order.id + 1)
    assert services.orders.awaiting_confirmation(PageRequest()).total == 1


def test_only_an_admin_of_the_employer_buys_and_only_what_is_on_offer(services, employer, admin):
    recruiter = services.accounts.add_user(employer.id, "rec@acme.example", Role.RECRUITER)
    rival = services.accounts.create_employer("Rival")
    for buyer, employer_id, code, field in (
        (recruiter.id, employer.id, SEARCHES.code, "ordered_by"),
        (admin.id, rival.id, SEARCHES.code, "ordered_by"),
        (admin.id, employer.id, "cv-search-7", "bundle"),
    ):
        with refused(InvalidInput) as raised:
            services.orders.buy(employer_id, code, buyer)
        assert raised.value.field == field
    with refused(NotFound):
        services.orders.buy(rival.id + 1, SEARCHES.code, None)
    assert services.orders.awaiting_confirmation(PageRequest()).total == 0


def test_in_demo_mode_an_order_pays_out_as_it_is_placed(clock, notifier):
    demo = build_services(Settings(mode=Mode.DEMO), clock=clock, notifier=notifier)
    employer = demo.accounts.create_employer("Acme")
    order = demo.orders.buy(employer.id, "job-posting-5", None)
    assert (order.status, order.created_at, order.decided_at) == (
        OrderStatus.CONFIRMED, clock.now(), clock.now()
    )
    [grant] = demo.credits.entries(employer.id)
    assert (grant.id, grant.created_at) == (order.ledger_entry_id, clock.now())
    assert demo.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 5
    assert demo.orders.awaiting_confirmation(PageRequest()).total == 0
    demo.close()


def test_the_ledger_shows_every_grant_and_debit_newest_first_with_what_it_paid_for(
    services, clock, employer, admin
):
    order = services.orders.confirm(
        services.orders.buy(employer.id, "job-posting-5", admin.id).id
    )
    clock.advance(timedelta(minutes=1))
    job = services.jobs.create(employer.id, CONTENT)
    services.jobs.publish(employer.id, job.id)
    history = services.credits.history(employer.id, PageRequest())
    assert [credits.describe(e) for e in history.items] == [
        f"Published job #{job.id}", f"Bundle order #{order.id}"
    ]
    assert [e.amount for e in history.items] == [-1, 5]


def test_the_overview_has_balances_contracts_in_force_and_the_latest_entries(
    services, clock, employer, admin
):
    now = clock.now()
    current = services.credits.add_contract(
        employer.id, frozenset({CreditKind.CV_DOWNLOAD}), now - timedelta(days=1),
        now + timedelta(days=30),
    )
    services.credits.add_contract(
        employer.id, frozenset({CreditKind.CV_SEARCH}), now + timedelta(days=30),
        now + timedelta(days=60),
    )
    for _ in range(7):
        services.credits.grant(employer.id, CreditKind.JOB_POSTING, 2)
    granted = services.credits.grant(employer.id, CreditKind.CV_SEARCH, 1, reference="goodwill")
    assert (granted.reference, granted.created_at) == ("goodwill", now)
    assert services.credits.entries(employer.id)[-1] == granted
    overview = services.credits.overview(employer.id)
    assert overview.balance.available(CreditKind.JOB_POSTING) == 14
    assert overview.balance.available(CreditKind.CV_SEARCH) == 1
    assert overview.balance.unlimited == frozenset({CreditKind.CV_DOWNLOAD})
    assert list(overview.contracts) == [current]
    entries = services.credits.entries(employer.id)
    assert list(overview.recent) == list(reversed(entries))[:5]
    assert len(services.credits.contracts(employer.id)) == 2


def test_every_decision_on_an_order_is_dated(services, clock, employer, admin):
    placed = [services.orders.buy(employer.id, SEARCHES.code, admin.id) for _ in range(3)]
    assert {order.created_at for order in placed} == {clock.now()}
    clock.advance(timedelta(hours=1))
    decided = [
        services.orders.confirm(placed[0].id),
        services.orders.reject(placed[1].id),
        services.orders.cancel(employer.id, placed[2].id),
    ]
    assert [order.decided_at for order in decided] == [clock.now()] * 3
    stored = services.orders.for_employer(employer.id, PageRequest()).items
    assert {order.decided_at for order in stored} == {clock.now()}
    [grant] = services.credits.entries(employer.id)
    assert grant.created_at == clock.now()

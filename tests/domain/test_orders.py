from datetime import UTC, datetime, timedelta

import pytest

from itmj_domain import orders
from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.orders import BUNDLES, CreditOrder, OrderStatus
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


def pending() -> CreditOrder:
    return CreditOrder(3, 5, BUNDLES[0], 7, NOW)


def test_every_kind_is_on_offer_and_bigger_bundles_cost_less_per_credit():
    assert {b.kind for b in BUNDLES} == set(CreditKind)
    assert len({b.code for b in BUNDLES}) == len(BUNDLES)
    for kind in CreditKind:
        of_kind = sorted((b for b in BUNDLES if b.kind is kind), key=lambda b: b.credits)
        per_credit = [b.price_pence / b.credits for b in of_kind]
        assert per_credit == sorted(per_credit, reverse=True)
        assert len(set(per_credit)) == len(per_credit)


def test_a_bundle_is_found_by_its_code_and_an_unknown_code_is_refused():
    assert orders.bundle("cv-search-100").credits == 100
    with refused(InvalidInput) as raised:
        orders.bundle("cv-search-101")
    assert raised.value.field == "bundle"


def test_confirming_records_the_grant_and_the_time():
    confirmed = pending().confirm(LATER, 41)
    assert (confirmed.status, confirmed.decided_at, confirmed.ledger_entry_id) == (
        OrderStatus.CONFIRMED, LATER, 41
    )
    assert confirmed.reference == "order:3"


@pytest.mark.parametrize("decide", [
    lambda o: o.confirm(LATER, 1), lambda o: o.reject(LATER), lambda o: o.cancel(LATER),
], ids=["confirmed", "rejected", "cancelled"])
def test_only_a_pending_order_can_be_decided(decide):
    decided = decide(pending())
    assert decided.status is not OrderStatus.PENDING
    assert decided.decided_at == LATER
    for again in (lambda o: o.confirm(LATER, 2), lambda o: o.reject(LATER),
                  lambda o: o.cancel(LATER)):
        with refused(InvalidState):
            again(decided)


def test_rejecting_and_cancelling_grant_nothing():
    assert pending().reject(LATER).ledger_entry_id is None
    assert pending().cancel(LATER).ledger_entry_id is None

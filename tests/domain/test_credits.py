from datetime import UTC, datetime, timedelta

import pytest

from itmj_domain import credits
from itmj_domain.credits import Balance, Contract, CreditKind, EntryReason
from itmj_domain.errors import InvalidInput
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def contract(kinds=frozenset({CreditKind.JOB_POSTING}), start=NOW, days=30) -> Contract:
    return Contract(1, 5, kinds, start, start + timedelta(days=days))


def test_a_contract_covers_its_kinds_within_its_window_only():
    c = contract()
    assert c.covers(CreditKind.JOB_POSTING, NOW)
    assert c.covers(CreditKind.JOB_POSTING, NOW + timedelta(days=30) - timedelta(seconds=1))
    assert not c.covers(CreditKind.JOB_POSTING, NOW + timedelta(days=30))
    assert not c.covers(CreditKind.JOB_POSTING, NOW - timedelta(seconds=1))
    assert not c.covers(CreditKind.CV_SEARCH, NOW)


def test_a_contract_needs_kinds_and_a_forward_window():
    with refused(InvalidInput) as no_kinds:
        contract(kinds=frozenset())
    assert no_kinds.value.field == "kinds"
    for days in (0, -1):
        with refused(InvalidInput) as backwards:
            contract(days=days)
        assert backwards.value.field == "valid_until"
    one_second = Contract(1, 5, frozenset(CreditKind), NOW, NOW + timedelta(seconds=1))
    assert one_second.covers(CreditKind.CV_DOWNLOAD, NOW)


def test_a_debit_under_a_contract_costs_nothing_but_is_recorded():
    entry = credits.debit(
        1, 5, CreditKind.JOB_POSTING, EntryReason.JOB_PUBLISH, "job:1", NOW, [contract()]
    )
    assert (entry.id, entry.employer_id, entry.kind, entry.amount) == (
        1, 5, CreditKind.JOB_POSTING, 0
    )
    assert (entry.reason, entry.reference, entry.created_at, entry.contract_id) == (
        EntryReason.JOB_PUBLISH, "job:1", NOW, 1
    )
    assert entry.is_debit


def test_a_debit_outside_any_contract_costs_one_credit():
    expired = contract(start=NOW - timedelta(days=60))
    other_kind = contract(kinds=frozenset({CreditKind.CV_SEARCH}))
    entry = credits.debit(
        1, 5, CreditKind.JOB_POSTING, EntryReason.JOB_PUBLISH, "job:1", NOW, [expired, other_kind]
    )
    assert entry.amount == -1
    assert entry.contract_id is None


@pytest.mark.parametrize("amount", [0, -3, credits.MAX_GRANT + 1])
def test_grants_are_positive_and_bounded(amount):
    with refused(InvalidInput) as error:
        credits.grant(1, 5, CreditKind.CV_SEARCH, amount, NOW)
    assert error.value.field == "amount"


def test_a_grant_of_one_up_to_the_maximum_is_accepted():
    for amount in (1, credits.MAX_GRANT):
        assert credits.grant(1, 5, CreditKind.CV_SEARCH, amount, NOW).amount == amount


def test_a_grant_is_dated_and_names_its_source():
    entry = credits.grant(1, 5, CreditKind.CV_SEARCH, 3, NOW, reference="demo")
    assert (entry.id, entry.employer_id, entry.kind, entry.amount, entry.reason) == (
        1, 5, CreditKind.CV_SEARCH, 3, EntryReason.GRANT
    )
    assert (entry.reference, entry.created_at, entry.contract_id) == ("demo", NOW, None)


def test_balance_is_the_sum_of_entries():
    entries = [
        credits.grant(1, 5, CreditKind.JOB_POSTING, 3, NOW),
        credits.debit(2, 5, CreditKind.JOB_POSTING, EntryReason.JOB_PUBLISH, "job:1", NOW, []),
        credits.grant(3, 5, CreditKind.CV_SEARCH, 2, NOW),
    ]
    assert credits.sum_entries(entries) == {
        CreditKind.JOB_POSTING: 2,
        CreditKind.CV_SEARCH: 2,
        CreditKind.CV_DOWNLOAD: 0,
    }


def test_a_kind_never_granted_has_nothing_available():
    balance = Balance({CreditKind.JOB_POSTING: 2})
    assert balance.available(CreditKind.JOB_POSTING) == 2
    assert balance.available(CreditKind.CV_SEARCH) == 0


def test_balance_has_any_when_credits_or_a_contract():
    assert not Balance({CreditKind.JOB_POSTING: 0}).has_any
    assert Balance({CreditKind.CV_DOWNLOAD: 1}).has_any
    assert Balance({}, frozenset({CreditKind.CV_SEARCH})).has_any


@pytest.mark.parametrize(("reason", "amount", "reference", "contract_id", "described"), [
    (EntryReason.GRANT, 20, "order:3", None, "Bundle order #3"),
    (EntryReason.GRANT, 10, "demo", None, "Granted (demo)"),
    (EntryReason.GRANT, 10, None, None, "Granted"),
    (EntryReason.GRANT, 10, "promo:spring", None, "Granted (promo:spring)"),
    (EntryReason.GRANT, 10, "order", None, "Granted (order)"),
    (EntryReason.JOB_PUBLISH, -1, None, None, "Published a job"),
    (EntryReason.CV_DOWNLOAD, -1, None, None, "Unlocked a CV"),
    (EntryReason.JOB_PUBLISH, -1, "job:12", None, "Published job #12"),
    (EntryReason.JOB_PUBLISH, 0, "job:12", 4, "Published job #12, under contract #4"),
    (EntryReason.CV_SEARCH, -1, "search:ab12", None, "CV search"),
    (EntryReason.CV_DOWNLOAD, -1, "candidate:7", None, "Unlocked the CV of candidate #7"),
])
def test_an_entry_says_what_it_paid_for(reason, amount, reference, contract_id, described):
    entry = credits.LedgerEntry(
        1, 5, CreditKind.JOB_POSTING, amount, reason, reference, NOW, contract_id
    )
    assert credits.describe(entry) == described

"""The CreditLedger contract, on every adapter: the balance never goes below zero."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from itmj_domain import credits
from itmj_domain.credits import CreditKind, EntryReason
from itmj_domain.errors import NoCredits
from itmj_domain.pagination import PageRequest
from tests.contract.seed import T0

JOB_POSTING, CV_SEARCH, CV_DOWNLOAD = CreditKind


def _grant(employer_id: int, kind: CreditKind, amount: int, reference: str | None = None):
    return lambda entry_id: credits.grant(entry_id, employer_id, kind, amount, T0, reference)


def _debit(employer_id: int, kind: CreditKind, reference: str = "job:1", contracts=()):
    return lambda entry_id: credits.debit(
        entry_id, employer_id, kind, EntryReason.JOB_PUBLISH, reference, T0, contracts
    )


def _balances(uow_factory, employer_id: int) -> dict[CreditKind, int]:
    with uow_factory(read_only=True) as uow:
        return uow.ledger.balances(employer_id)


def test_every_kind_starts_at_zero(uow_factory, seed):
    employer = seed.employer()
    assert _balances(uow_factory, employer.id) == {JOB_POSTING: 0, CV_SEARCH: 0, CV_DOWNLOAD: 0}


def test_balances_are_the_sums_per_kind_and_per_employer(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    seed.entry(_grant(acme.id, JOB_POSTING, 3))
    seed.entry(_grant(acme.id, CV_SEARCH, 5))
    seed.entry(_grant(acme.id, JOB_POSTING, 2))
    seed.entry(_debit(acme.id, JOB_POSTING))
    seed.entry(_grant(other.id, CV_DOWNLOAD, 7))
    assert _balances(uow_factory, acme.id) == {JOB_POSTING: 4, CV_SEARCH: 5, CV_DOWNLOAD: 0}
    assert _balances(uow_factory, other.id) == {JOB_POSTING: 0, CV_SEARCH: 0, CV_DOWNLOAD: 7}


def test_entries_read_back_equal_oldest_first_and_only_the_employers(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    contract = seed.contract(acme.id, frozenset({CV_SEARCH}), T0 - timedelta(days=1),
                             T0 + timedelta(days=1))
    written = [
        seed.entry(_grant(acme.id, JOB_POSTING, 2, reference="invoice:77")),
        seed.entry(_debit(acme.id, JOB_POSTING, "job:9")),
        seed.entry(_debit(acme.id, CV_SEARCH, "search:3", contracts=[contract])),
    ]
    seed.entry(_grant(other.id, JOB_POSTING, 1))
    with uow_factory(read_only=True) as uow:
        assert list(uow.ledger.entries(acme.id)) == written
    assert written[2].contract_id == contract.id


def test_a_debit_past_zero_raises_and_writes_nothing(uow_factory, seed):
    employer = seed.employer()
    written = [
        seed.entry(_grant(employer.id, JOB_POSTING, 1)),
        seed.entry(_debit(employer.id, JOB_POSTING, "job:1")),
    ]
    with uow_factory() as uow:
        with pytest.raises(NoCredits):
            uow.ledger.append(_debit(employer.id, JOB_POSTING, "job:2")(uow.ledger.next_id()))
        with pytest.raises(NoCredits):
            uow.ledger.append(_debit(employer.id, CV_SEARCH, "search:1")(uow.ledger.next_id()))
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert list(uow.ledger.entries(employer.id)) == written
    assert _balances(uow_factory, employer.id)[JOB_POSTING] == 0


def test_a_refused_debit_leaves_the_unit_of_work_usable(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        with pytest.raises(NoCredits):
            uow.ledger.append(_debit(employer.id, JOB_POSTING)(uow.ledger.next_id()))
        uow.ledger.append(_grant(employer.id, JOB_POSTING, 4)(uow.ledger.next_id()))
        uow.ledger.append(_debit(employer.id, JOB_POSTING)(uow.ledger.next_id()))
        uow.commit()
    assert _balances(uow_factory, employer.id)[JOB_POSTING] == 3


def test_a_use_under_a_contract_costs_nothing_even_at_zero_balance(uow_factory, seed):
    employer = seed.employer()
    contract = seed.contract(employer.id, frozenset({JOB_POSTING}), T0, T0 + timedelta(days=30))
    entry = seed.entry(_debit(employer.id, JOB_POSTING, contracts=[contract]))
    assert (entry.amount, entry.contract_id) == (0, contract.id)
    assert _balances(uow_factory, employer.id)[JOB_POSTING] == 0
    with uow_factory(read_only=True) as uow:
        assert list(uow.ledger.entries(employer.id)) == [entry]


def test_appending_returns_the_kinds_balance_with_the_entry(uow_factory, seed):
    employer, other = seed.employer("Acme"), seed.employer("Other")
    seed.entry(_grant(other.id, JOB_POSTING, 9))
    contract = seed.contract(employer.id, frozenset({CV_SEARCH}), T0, T0 + timedelta(days=1))
    with uow_factory() as uow:
        ledger = uow.ledger
        assert ledger.append(_grant(employer.id, JOB_POSTING, 3)(ledger.next_id())) == 3
        assert ledger.append(_grant(employer.id, CV_SEARCH, 2)(ledger.next_id())) == 2
        assert ledger.append(_debit(employer.id, JOB_POSTING)(ledger.next_id())) == 2
        assert ledger.append(_debit(employer.id, JOB_POSTING)(ledger.next_id())) == 1
        covered = _debit(employer.id, CV_SEARCH, contracts=[contract])(ledger.next_id())
        assert ledger.append(covered) == 2
        uow.commit()
    assert _balances(uow_factory, employer.id) == {JOB_POSTING: 1, CV_SEARCH: 2, CV_DOWNLOAD: 0}


def test_concurrent_debits_return_every_balance_once_down_to_zero(uow_factory, seed):
    """Each debit's balance is the one its own write left: never the same figure twice."""
    employer = seed.employer()
    seed.entry(_grant(employer.id, CV_DOWNLOAD, 5))

    def try_debit(n: int) -> int | None:
        with uow_factory() as uow:
            try:
                left = uow.ledger.append(
                    _debit(employer.id, CV_DOWNLOAD, f"candidate:{n}")(uow.ledger.next_id())
                )
            except NoCredits:
                return None
            uow.commit()
            return left

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(try_debit, range(9)))
    assert sorted(o for o in outcomes if o is not None) == [0, 1, 2, 3, 4]


def test_concurrent_debits_never_overdraw(uow_factory, seed):
    employer = seed.employer()
    seed.entry(_grant(employer.id, CV_DOWNLOAD, 3))

    def try_debit(n: int) -> bool:
        with uow_factory() as uow:
            try:
                uow.ledger.append(
                    _debit(employer.id, CV_DOWNLOAD, f"candidate:{n}")(uow.ledger.next_id())
                )
            except NoCredits:
                return False
            uow.commit()
            return True

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(try_debit, range(12)))
    assert outcomes.count(True) == 3
    assert _balances(uow_factory, employer.id)[CV_DOWNLOAD] == 0
    with uow_factory(read_only=True) as uow:
        assert sum(e.is_debit for e in uow.ledger.entries(employer.id)) == 3


def test_history_pages_the_employers_entries_newest_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    written = [seed.entry(_grant(acme.id, JOB_POSTING, n + 1)) for n in range(5)]
    seed.entry(_grant(other.id, JOB_POSTING, 9))
    with uow_factory(read_only=True) as uow:
        first = uow.ledger.history(acme.id, PageRequest(1, 2))
        last = uow.ledger.history(acme.id, PageRequest(3, 2))
        beyond = uow.ledger.history(acme.id, PageRequest(4, 2))
        none = uow.ledger.history(seed.employer("Empty").id, PageRequest())
    assert (list(first.items), first.total) == ([written[4], written[3]], 5)
    assert (list(last.items), last.total) == ([written[0]], 5)
    assert (list(beyond.items), beyond.total) == ([], 5)
    assert (list(none.items), none.total) == ([], 0)

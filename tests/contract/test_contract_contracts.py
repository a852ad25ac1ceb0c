"""The ContractRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain.credits import CreditKind
from tests.contract.seed import T0

DAY = timedelta(days=1)


def test_a_contract_is_active_from_its_start_until_just_before_its_end(uow_factory, seed):
    employer = seed.employer()
    contract = seed.contract(
        employer.id, frozenset({CreditKind.JOB_POSTING, CreditKind.CV_DOWNLOAD}), T0, T0 + DAY
    )
    with uow_factory(read_only=True) as uow:
        assert list(uow.contracts.active_for(employer.id, T0)) == [contract]
        assert list(uow.contracts.active_for(employer.id, T0 + DAY / 2)) == [contract]
        assert list(uow.contracts.active_for(employer.id, T0 - timedelta(microseconds=1))) == []
        assert list(uow.contracts.active_for(employer.id, T0 + DAY)) == []


def test_active_for_lists_only_the_employers_contracts_in_id_order(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    kinds = frozenset({CreditKind.CV_SEARCH})
    first = seed.contract(acme.id, kinds, T0 - DAY, T0 + 30 * DAY)
    seed.contract(other.id, kinds, T0 - DAY, T0 + DAY)
    seed.contract(acme.id, kinds, T0 + DAY, T0 + 2 * DAY)
    second = seed.contract(acme.id, frozenset(CreditKind), T0, T0 + DAY)
    with uow_factory(read_only=True) as uow:
        assert list(uow.contracts.active_for(acme.id, T0)) == [first, second]


def test_list_for_employer_is_every_contract_latest_start_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    kinds = frozenset({CreditKind.CV_SEARCH})
    past = seed.contract(acme.id, kinds, T0 - 60 * DAY, T0 - 30 * DAY)
    future = seed.contract(acme.id, kinds, T0 + 30 * DAY, T0 + 60 * DAY)
    current = seed.contract(acme.id, kinds, T0 - DAY, T0 + DAY)
    seed.contract(other.id, kinds, T0 - DAY, T0 + DAY)
    with uow_factory(read_only=True) as uow:
        assert list(uow.contracts.list_for_employer(acme.id)) == [future, current, past]
        assert list(uow.contracts.list_for_employer(seed.employer("Empty").id)) == []

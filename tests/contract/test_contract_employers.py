"""The EmployerRepository contract, on every adapter."""

from datetime import timedelta

import attrs

from itmj_domain.accounts import Employer
from itmj_domain.pagination import PageRequest
from tests.contract.seed import T0


def test_an_added_employer_reads_back_equal_in_utc(uow_factory):
    with uow_factory() as uow:
        employer = Employer(uow.employers.next_id(), "Acme Ltd", True, T0)
        uow.employers.add(employer)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        found = uow.employers.get(employer.id)
    assert found == employer
    assert found.trusted_partner is True
    assert found.created_at.utcoffset() == timedelta(0)


def test_an_unknown_employer_is_none(uow_factory, seed):
    employer = seed.employer()
    with uow_factory(read_only=True) as uow:
        assert uow.employers.get(employer.id + 1) is None


def test_ids_are_never_issued_twice_not_even_after_a_rollback(uow_factory):
    with uow_factory() as uow:
        discarded = [uow.employers.next_id() for _ in range(3)]
    with uow_factory() as uow:
        later = uow.employers.next_id()
    assert len(set(discarded)) == 3
    assert later not in discarded


def test_save_changes_the_trusted_partner_flag(uow_factory, seed):
    employer, other = seed.employer("Acme"), seed.employer("Other")
    trusted = attrs.evolve(employer, trusted_partner=True)
    with uow_factory() as uow:
        uow.employers.save(trusted)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.employers.get(employer.id) == trusted
        assert uow.employers.get(other.id) == other


def test_list_pages_every_employer_by_id(uow_factory, seed):
    made = [seed.employer(f"Employer {n}") for n in range(5)]
    with uow_factory(read_only=True) as uow:
        first = uow.employers.list(PageRequest(1, 2))
        last = uow.employers.list(PageRequest(3, 2))
        beyond = uow.employers.list(PageRequest(4, 2))
    assert (list(first.items), first.total) == (made[:2], 5)
    assert (list(last.items), last.total) == (made[4:], 5)
    assert (list(beyond.items), beyond.total) == ([], 5)

"""The UserRepository contract, on every adapter."""

from itmj_domain.accounts import Role, User
from tests.contract.seed import T0


def test_an_added_user_reads_back_equal(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        user = User(uow.users.next_id(), employer.id, "grace@example.com", Role.RECRUITER, T0)
        uow.users.add(user)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.users.get(user.id) == user
        assert uow.users.get(user.id + 1) is None


def test_admins_of_lists_only_that_employers_admins_in_id_order(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.user(acme.id, "first@acme.example.com")
    seed.user(acme.id, "recruiter@acme.example.com", Role.RECRUITER)
    seed.user(other.id, "admin@other.example.com")
    second = seed.user(acme.id, "second@acme.example.com")
    with uow_factory(read_only=True) as uow:
        assert list(uow.users.admins_of(acme.id)) == [first, second]


def test_an_employer_without_admins_has_none(uow_factory, seed):
    employer = seed.employer()
    seed.user(employer.id, "recruiter@acme.example.com", Role.RECRUITER)
    with uow_factory(read_only=True) as uow:
        assert list(uow.users.admins_of(employer.id)) == []

"""The UserRepository contract, on every adapter."""

import attrs
import pytest

from itmj_domain import api_keys
from itmj_domain.accounts import Role, User
from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.errors import InvalidInput
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


def test_find_by_email_ignores_letter_case(uow_factory, seed):
    employer = seed.employer()
    ada = seed.user(employer.id, "Ada@Acme.example.com")
    with uow_factory(read_only=True) as uow:
        assert uow.users.find_by_email("ada@acme.EXAMPLE.com") == ada
        assert uow.users.find_by_email("grace@acme.example.com") is None


def test_list_for_employer_is_every_member_by_id(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    admin = seed.user(acme.id, "admin@acme.example.com")
    recruiter = seed.user(acme.id, "recruiter@acme.example.com", Role.RECRUITER)
    seed.user(other.id, "admin@other.example.com")
    with uow_factory(read_only=True) as uow:
        assert list(uow.users.list_for_employer(acme.id)) == [admin, recruiter]


def test_save_changes_the_role(uow_factory, seed):
    employer = seed.employer()
    admin = seed.user(employer.id, "admin@acme.example.com")
    demoted = attrs.evolve(admin, role=Role.RECRUITER)
    with uow_factory() as uow:
        uow.users.save(demoted)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.users.get(admin.id) == demoted
        assert list(uow.users.admins_of(employer.id)) == []


def test_a_removed_user_is_gone_and_the_keys_they_minted_stay_without_a_minter(
    uow_factory, seed
):
    employer = seed.employer()
    keeper = seed.user(employer.id, "keeper@acme.example.com")
    leaver = seed.user(employer.id, "leaver@acme.example.com")
    with uow_factory() as uow:
        minted = api_keys.mint(
            uow.api_keys.next_id(), employer.id, "ATS", frozenset({Scope.JOB_POSTING}),
            leaver.id, T0, KeyStatus.ACTIVE,
        ).key
        uow.api_keys.add(minted)
        uow.commit()
    with uow_factory() as uow:
        uow.users.remove(leaver.id)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.users.get(leaver.id) is None
        assert uow.users.find_by_email(leaver.email) is None
        assert list(uow.users.list_for_employer(employer.id)) == [keeper]
        assert uow.api_keys.get(minted.id).created_by is None


def test_a_removal_left_uncommitted_keeps_the_user(uow_factory, seed):
    employer = seed.employer()
    user = seed.user(employer.id)
    with uow_factory() as uow:
        uow.users.remove(user.id)
    with uow_factory(read_only=True) as uow:
        assert uow.users.get(user.id) == user


def test_admins_held_for_update_are_the_same_admins(uow_factory, seed):
    employer = seed.employer()
    first = seed.user(employer.id, "first@acme.example.com")
    seed.user(employer.id, "recruiter@acme.example.com", Role.RECRUITER)
    second = seed.user(employer.id, "second@acme.example.com")
    with uow_factory() as uow:
        assert list(uow.users.admins_of(employer.id, for_update=True)) == [first, second]


def test_a_user_is_found_by_email_in_any_letter_case(uow_factory, seed):
    employer = seed.employer()
    user = seed.user(employer.id, "Grace.Hopper@Acme.example.com")
    with uow_factory(read_only=True) as uow:
        assert uow.users.find_by_email("grace.hopper@acme.EXAMPLE.com") == user
        assert uow.users.find_by_email(" grace.hopper@acme.example.com") == user
        assert uow.users.find_by_email("grace@acme.example.com") is None


def test_a_second_user_with_the_same_email_is_refused_writing_nothing(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.user(acme.id, "grace@example.com")
    with uow_factory() as uow, pytest.raises(InvalidInput) as refused:
        uow.users.add(User(uow.users.next_id(), other.id, "GRACE@example.com",
                           Role.EMPLOYER_ADMIN, T0))
    assert refused.value.field == "email"
    with uow_factory(read_only=True) as uow:
        assert uow.users.find_by_email("grace@example.com") == first
        assert list(uow.users.admins_of(other.id)) == []


def test_a_name_reads_back(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        user = User(uow.users.next_id(), employer.id, "ada@example.com", Role.RECRUITER, T0,
                    name="Ada Lovelace")
        uow.users.add(user)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.users.get(user.id) == user


def test_a_removed_users_email_can_be_taken_again(uow_factory, seed):
    employer = seed.employer()
    leaver = seed.user(employer.id, "leaver@acme.example.com")
    with uow_factory() as uow:
        uow.users.remove(leaver.id)
        uow.commit()
    returner = seed.user(employer.id, "Leaver@acme.example.com")
    with uow_factory(read_only=True) as uow:
        assert uow.users.find_by_email("leaver@acme.example.com") == returner

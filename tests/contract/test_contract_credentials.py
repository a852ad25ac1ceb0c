"""The CredentialRepository contract, on every adapter: the password hashes of users and
staff, by principal."""

import pytest

from itmj_domain.principals import Principal, PrincipalKind


@pytest.fixture
def holders(seed) -> list[Principal]:
    """A user and a staff member, both with id 1: only the kind tells them apart."""
    user, member = seed.user(seed.employer().id), seed.staff_member()
    assert user.id == member.id
    return [Principal(PrincipalKind.USER, user.id), Principal(PrincipalKind.STAFF, member.id)]


def test_a_password_hash_is_none_until_set_and_then_the_last_set(uow_factory, holders):
    with uow_factory(read_only=True) as uow:
        assert [uow.credentials.password_hash(holder) for holder in holders] == [None, None]
    for value in ("$argon2id$first", "$argon2id$second"):
        with uow_factory() as uow:
            for holder in holders:
                uow.credentials.set_password_hash(holder, f"{value}-{holder.kind.value}")
            uow.commit()
    with uow_factory(read_only=True) as uow:
        assert [uow.credentials.password_hash(holder) for holder in holders] == [
            "$argon2id$second-user", "$argon2id$second-staff"
        ]


def test_a_user_and_a_staff_member_with_the_same_id_keep_their_own_hash(uow_factory,
                                                                          holders):
    user, member = holders
    with uow_factory() as uow:
        uow.credentials.set_password_hash(member, "$argon2id$staff")
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.credentials.password_hash(user) is None
        assert uow.credentials.password_hash(member) == "$argon2id$staff"


def test_a_hash_set_without_commit_is_not_kept(uow_factory, holders):
    with uow_factory() as uow:
        for holder in holders:
            uow.credentials.set_password_hash(holder, "$argon2id$lost")
    with uow_factory(read_only=True) as uow:
        assert [uow.credentials.password_hash(holder) for holder in holders] == [None, None]


def test_a_removed_users_hash_is_gone(uow_factory, holders):
    user, _ = holders
    with uow_factory() as uow:
        uow.credentials.set_password_hash(user, "$argon2id$leaver")
        uow.commit()
    with uow_factory() as uow:
        uow.users.remove(user.id)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.credentials.password_hash(user) is None

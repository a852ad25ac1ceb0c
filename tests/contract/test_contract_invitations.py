"""The InvitationRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain import team
from itmj_domain.accounts import Role
from tests.contract.seed import T0


def test_an_invitation_is_found_by_its_token_hash_only(uow_factory, seed):
    employer = seed.employer()
    admin = seed.user(employer.id)
    issued = seed.invitation(employer.id, "grace@example.com", Role.EMPLOYER_ADMIN, admin.id)
    with uow_factory(read_only=True) as uow:
        found = uow.invitations.find_by_token_hash(team.token_hash(issued.token))
        assert uow.invitations.find_by_token_hash(issued.token) is None
        assert uow.invitations.find_by_token_hash(team.token_hash("inv_other")) is None
    assert found == issued.invitation
    with uow_factory() as uow:
        held = uow.invitations.find_by_token_hash(
            team.token_hash(issued.token), for_update=True
        )
    assert held == issued.invitation


def test_an_accepted_invitation_reads_back_accepted(uow_factory, seed):
    issued = seed.invitation(seed.employer().id)
    accepted = seed.save_invitation(issued.invitation.accept(T0 + timedelta(hours=1)))
    with uow_factory(read_only=True) as uow:
        assert uow.invitations.find_by_token_hash(team.token_hash(issued.token)) == accepted


def test_open_for_employer_leaves_out_accepted_expired_and_other_employers(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    now = T0 + timedelta(days=3)
    expired = seed.invitation(acme.id, "old@example.com", created_at=now - team.LIFETIME)
    older = seed.invitation(acme.id, "one@example.com", created_at=T0)
    newer = seed.invitation(acme.id, "two@example.com", created_at=T0 + timedelta(days=1))
    used = seed.invitation(acme.id, "three@example.com", created_at=T0)
    seed.save_invitation(used.invitation.accept(now))
    seed.invitation(other.id, "four@example.com", created_at=T0)
    with uow_factory(read_only=True) as uow:
        found = list(uow.invitations.open_for_employer(acme.id, now))
    assert found == [newer.invitation, older.invitation]
    assert expired.invitation not in found


def test_an_invitation_is_found_by_id_and_reads_back_withdrawn(uow_factory, seed):
    acme = seed.employer("Acme")
    issued = seed.invitation(acme.id)
    with uow_factory() as uow:
        held = uow.invitations.get(issued.invitation.id, for_update=True)
        assert uow.invitations.get(issued.invitation.id + 1000) is None
    assert held == issued.invitation
    withdrawn = seed.save_invitation(issued.invitation.withdraw(T0 + timedelta(hours=1)))
    with uow_factory(read_only=True) as uow:
        assert uow.invitations.get(issued.invitation.id) == withdrawn
        assert uow.invitations.find_by_token_hash(team.token_hash(issued.token)) == withdrawn
        assert list(uow.invitations.open_for_employer(acme.id, T0 + timedelta(hours=2))) == []

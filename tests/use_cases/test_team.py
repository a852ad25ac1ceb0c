"""Team management through the real composition root, on every backend."""

from datetime import timedelta

import pytest

from itmj_domain import team
from itmj_domain.accounts import Role
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from tests.refusals import refused


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


@pytest.fixture
def admin(services, employer):
    return services.accounts.add_user(employer.id, "admin@acme.example", Role.EMPLOYER_ADMIN)


PASSWORD = "correct horse battery"


def link(token: str) -> str:
    return f"https://portal.example/invitations/{token}"


def _token_from(mail) -> str:
    start = mail.body.index(team.TOKEN_PREFIX)
    return mail.body[start:].split()[0]


def test_an_invitation_emails_a_single_use_link_that_makes_the_member(
    services, clock, notifier, employer, admin
):
    invitation = services.team.invite(employer.id, "grace@example.com", Role.RECRUITER,
                                      admin.id, link)
    [mail] = notifier.sent
    assert mail.to == "grace@example.com"
    assert "Acme" in mail.subject
    token = _token_from(mail)
    assert link(token) in mail.body
    assert list(services.team.open_invitations(employer.id)) == [invitation]
    opened = services.team.invitation(token)
    assert (opened.invitation, opened.employer.name) == (invitation, "Acme")

    assert (invitation.invited_by, invitation.created_at) == (admin.id, clock.now())
    clock.advance(timedelta(hours=5))
    member = services.team.accept(token, " Grace Hopper ", PASSWORD)
    assert (member.email, member.name, member.role, member.employer_id) == (
        "grace@example.com", "Grace Hopper", Role.RECRUITER, employer.id
    )
    assert member.created_at == clock.now()
    assert services.portal_accounts.sign_in("grace@example.com", PASSWORD, "203.0.113.7") == member
    assert list(services.team.members(employer.id)) == [admin, member]
    assert list(services.team.open_invitations(employer.id)) == []
    with refused(InvalidState, match="already been used"):
        services.team.invitation(token)
    with refused(InvalidState, match="already been used"):
        services.team.accept(token, "Someone Else", PASSWORD)
    assert len(services.team.members(employer.id)) == 2


def test_an_expired_or_unknown_link_makes_nobody(services, clock, notifier, employer, admin):
    services.team.invite(employer.id, "grace@example.com", Role.RECRUITER, admin.id, link)
    token = _token_from(notifier.sent[0])
    clock.advance(team.LIFETIME)
    with refused(InvalidState, match="expired"):
        services.team.accept(token, "Grace Hopper", PASSWORD)
    with refused(NotFound):
        services.team.accept(token + "x", "Grace Hopper", PASSWORD)
    assert list(services.team.members(employer.id)) == [admin]


def test_only_an_admin_invites_and_never_someone_who_has_an_account(
    services, notifier, employer, admin
):
    recruiter = services.accounts.add_user(employer.id, "rec@acme.example", Role.RECRUITER)
    with refused(InvalidInput, field="by"):
        services.team.invite(employer.id, "x@example.com", Role.RECRUITER, recruiter.id, link)
    with refused(InvalidState):
        services.team.invite(employer.id, "REC@acme.example", Role.RECRUITER, admin.id, link)
    with refused(InvalidInput) as raised:
        services.team.invite(employer.id, "no address", Role.RECRUITER, admin.id, link)
    assert raised.value.field == "email"
    assert notifier.sent == []
    assert list(services.team.open_invitations(employer.id)) == []


def test_an_account_made_since_the_invitation_is_not_made_twice(
    services, notifier, employer, admin
):
    services.team.invite(employer.id, "grace@example.com", Role.RECRUITER, admin.id, link)
    services.accounts.add_user(employer.id, "grace@example.com", Role.RECRUITER)
    with refused(InvalidState):
        services.team.accept(_token_from(notifier.sent[0]), "Grace Hopper", PASSWORD)
    assert len(services.team.members(employer.id)) == 2


def test_roles_change_but_the_last_admin_stays(services, employer, admin):
    other = services.accounts.add_user(employer.id, "other@acme.example", Role.RECRUITER)
    promoted = services.team.change_role(employer.id, other.id, Role.EMPLOYER_ADMIN, admin.id)
    assert promoted.role is Role.EMPLOYER_ADMIN
    services.team.change_role(employer.id, admin.id, Role.RECRUITER, other.id)
    with refused(InvalidState):
        services.team.change_role(employer.id, other.id, Role.RECRUITER, other.id)
    # The last admin may still be "made" an admin: nothing is taken away.
    assert services.team.change_role(
        employer.id, other.id, Role.EMPLOYER_ADMIN, other.id
    ).role is Role.EMPLOYER_ADMIN
    with refused(InvalidState):
        services.team.remove(employer.id, other.id, other.id)
    assert [(m.id, m.role) for m in services.team.members(employer.id)] == [
        (admin.id, Role.RECRUITER), (other.id, Role.EMPLOYER_ADMIN)
    ]


def test_removing_a_member_keeps_the_keys_they_minted(services, employer, admin):
    second = services.accounts.add_user(employer.id, "second@acme.example", Role.EMPLOYER_ADMIN)
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    minted = services.accounts.mint_key(
        employer.id, "ATS", frozenset({Scope.JOB_POSTING}), created_by=second.id
    )
    services.team.remove(employer.id, second.id, admin.id)
    assert list(services.team.members(employer.id)) == [admin]
    [key] = services.accounts.list_keys(employer.id)
    assert (key.id, key.created_by) == (minted.key.id, None)


def test_nobody_manages_another_employers_team(services, employer, admin):
    rival = services.accounts.create_employer("Rival")
    theirs = services.accounts.add_user(rival.id, "admin@rival.example", Role.EMPLOYER_ADMIN)
    with refused(NotFound):
        services.team.remove(employer.id, theirs.id, admin.id)
    with refused(InvalidInput, field="by"):
        services.team.remove(rival.id, theirs.id, admin.id)
    with refused(InvalidInput, field="by"):
        services.team.change_role(rival.id, theirs.id, Role.RECRUITER, admin.id)
    with refused(InvalidInput, field="by"):
        services.team.invite(rival.id, "x@example.com", Role.RECRUITER, admin.id, link)
    with refused(NotFound):
        services.team.change_role(employer.id, theirs.id, Role.RECRUITER, admin.id)
    assert list(services.team.members(rival.id)) == [theirs]


def test_a_name_and_a_good_password_are_needed_and_a_refusal_keeps_the_link_usable(
    services, notifier, employer, admin
):
    services.team.invite(employer.id, "grace@example.com", Role.RECRUITER, admin.id, link)
    token = _token_from(notifier.sent[0])
    for name, password, field in (("  ", PASSWORD, "name"), ("Grace Hopper", "short", "password"),
                                  ("G" * 201, PASSWORD, "name")):
        with refused(InvalidInput) as raised:
            services.team.accept(token, name, password)
        assert raised.value.field == field
    assert services.team.invitation(token).invitation.accepted_at is None
    assert services.team.accept(token, "Grace Hopper", PASSWORD).name == "Grace Hopper"


def test_an_unknown_employer_or_link_is_not_found(services, notifier, employer, admin):
    missing = employer.id + 1000
    with refused(NotFound):
        services.team.invite(missing, "x@example.com", Role.RECRUITER, admin.id, link)
    with refused(NotFound):
        services.team.change_role(missing, admin.id, Role.RECRUITER, admin.id)
    with refused(NotFound):
        services.team.remove(missing, admin.id, admin.id)
    with refused(NotFound):
        services.team.invitation(team.TOKEN_PREFIX + "unknown")
    assert notifier.sent == []
    assert list(services.team.members(employer.id)) == [admin]


def test_each_invitation_has_its_own_id(services, employer, admin):
    first = services.team.invite(employer.id, "a@example.com", Role.RECRUITER, admin.id, link)
    second = services.team.invite(employer.id, "b@example.com", Role.RECRUITER, admin.id, link)
    assert isinstance(first.id, int) and isinstance(second.id, int)
    assert first.id != second.id
    assert {i.id for i in services.team.open_invitations(employer.id)} == {first.id, second.id}


def test_resending_mails_a_new_link_and_the_old_one_stops(services, clock, notifier, employer,
                                                         admin):
    first = services.team.invite(employer.id, "grace@example.com", Role.RECRUITER, admin.id,
                                 link)
    old_token = _token_from(notifier.sent[-1])
    clock.advance(timedelta(days=6))
    second = services.team.resend(employer.id, first.id, admin.id, link)
    new_token = _token_from(notifier.sent[-1])
    assert new_token != old_token
    assert notifier.sent[-1].to == "grace@example.com"
    assert (second.email, second.role, second.invited_by) == (
        "grace@example.com", Role.RECRUITER, admin.id
    )
    assert second.expires_at == clock.now() + team.LIFETIME
    assert list(services.team.open_invitations(employer.id)) == [second]
    with refused(InvalidState, match="withdrawn"):
        services.team.invitation(old_token)
    with refused(InvalidState, match="withdrawn"):
        services.team.accept(old_token, "Grace", PASSWORD)
    with refused(InvalidState, match="withdrawn"):
        services.team.resend(employer.id, first.id, admin.id, link)
    assert len(notifier.sent) == 2
    assert services.team.accept(new_token, "Grace", PASSWORD).email == "grace@example.com"


def test_a_withdrawn_link_makes_nobody(services, notifier, employer, admin):
    invitation = services.team.invite(employer.id, "grace@example.com", Role.RECRUITER,
                                      admin.id, link)
    token = _token_from(notifier.sent[-1])
    withdrawn = services.team.withdraw(employer.id, invitation.id, admin.id)
    assert withdrawn.withdrawn_at is not None
    assert list(services.team.open_invitations(employer.id)) == []
    with refused(InvalidState, match="withdrawn"):
        services.team.accept(token, "Grace", PASSWORD)
    with refused(InvalidState, match="withdrawn"):
        services.team.withdraw(employer.id, invitation.id, admin.id)
    assert list(services.team.members(employer.id)) == [admin]


def test_nobody_withdraws_or_resends_another_employers_invitation(services, notifier, employer,
                                                                  admin):
    rival = services.accounts.create_employer("Rival")
    boss = services.accounts.add_user(rival.id, "boss@rival.example", Role.EMPLOYER_ADMIN)
    theirs = services.team.invite(rival.id, "x@example.com", Role.RECRUITER, boss.id, link)
    recruiter = services.accounts.add_user(employer.id, "rita@acme.example", Role.RECRUITER)
    with refused(NotFound):
        services.team.withdraw(employer.id, theirs.id, admin.id)
    with refused(NotFound):
        services.team.resend(employer.id, theirs.id, admin.id, link)
    with refused(InvalidInput, field="by"):
        services.team.withdraw(rival.id, theirs.id, admin.id)
    mine = services.team.invite(employer.id, "y@example.com", Role.RECRUITER, admin.id, link)
    with refused(InvalidInput, field="by"):
        services.team.resend(employer.id, mine.id, recruiter.id, link)
    assert list(services.team.open_invitations(rival.id)) == [theirs]
    assert list(services.team.open_invitations(employer.id)) == [mine]
    assert len(notifier.sent) == 2


def test_an_invitation_is_not_resent_to_someone_who_has_an_account_since(
    services, notifier, employer, admin
):
    invitation = services.team.invite(employer.id, "grace@example.com", Role.RECRUITER,
                                      admin.id, link)
    services.accounts.add_user(employer.id, "grace@example.com", Role.RECRUITER)
    with refused(InvalidState, match="already has an account"):
        services.team.resend(employer.id, invitation.id, admin.id, link)
    assert list(services.team.open_invitations(employer.id)) == [invitation]
    assert len(notifier.sent) == 1

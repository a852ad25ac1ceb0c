from datetime import UTC, datetime, timedelta

from itmj_domain import team
from itmj_domain.accounts import Role, User
from itmj_domain.errors import InvalidInput, InvalidState
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def user(user_id: int, role: Role = Role.EMPLOYER_ADMIN) -> User:
    return User(user_id, 5, f"u{user_id}@acme.example", role, NOW)


def test_an_invitation_keeps_only_the_hash_of_its_token_and_expires_after_its_lifetime():
    issued = team.issue(1, 5, "grace@example.com", Role.RECRUITER, 7, NOW)
    assert issued.token.startswith(team.TOKEN_PREFIX)
    assert len(issued.token) >= len(team.TOKEN_PREFIX) + 43
    assert issued.invitation.token_hash == team.token_hash(issued.token)
    assert issued.token not in repr(issued) + repr(issued.invitation)
    assert issued.invitation.expires_at == NOW + team.LIFETIME
    other = team.issue(2, 5, "grace@example.com", Role.RECRUITER, 7, NOW)
    assert other.token != issued.token


def test_an_invitation_needs_an_email_address():
    with refused(InvalidInput) as raised:
        team.issue(1, 5, "not an address", Role.RECRUITER, 7, NOW)
    assert raised.value.field == "email"


def test_an_invitation_is_accepted_once_and_only_before_it_expires():
    invitation = team.issue(1, 5, "grace@example.com", Role.RECRUITER, 7, NOW).invitation
    just_before = NOW + team.LIFETIME - timedelta(microseconds=1)
    assert invitation.is_open(just_before)
    accepted = invitation.accept(just_before)
    assert accepted.accepted_at == just_before
    assert not accepted.is_open(just_before)
    with refused(InvalidState, match="already been used"):
        accepted.accept(just_before)
    assert not invitation.is_open(NOW + team.LIFETIME)
    with refused(InvalidState, match="expired"):
        invitation.accept(NOW + team.LIFETIME)


def test_the_last_admin_can_be_neither_demoted_nor_removed():
    last = user(1)
    for change in (Role.RECRUITER, None):
        with refused(InvalidState):
            team.check_an_admin_remains([last], last, change)
    team.check_an_admin_remains([last], last, Role.EMPLOYER_ADMIN)


def test_an_admin_with_another_beside_them_can_go_and_recruiters_always_can():
    first, second, recruiter = user(1), user(2), user(3, Role.RECRUITER)
    for change in (Role.RECRUITER, None):
        team.check_an_admin_remains([first, second], first, change)
        team.check_an_admin_remains([first], recruiter, change)


def test_an_invitation_says_who_invited_and_when_and_its_token_carries_256_bits():
    issued = team.issue(1, 5, "grace@example.com", Role.RECRUITER, 7, NOW)
    assert (issued.invitation.invited_by, issued.invitation.created_at) == (7, NOW)
    assert len(issued.token) - len(team.TOKEN_PREFIX) == 43  # 32 bytes, base64url unpadded
    staff = team.issue(2, 5, "alan@example.com", Role.EMPLOYER_ADMIN, None, NOW)
    assert staff.invitation.invited_by is None


def test_a_withdrawn_invitation_is_closed_and_settled():
    invitation = team.issue(1, 5, "grace@example.com", Role.RECRUITER, 7, NOW).invitation
    withdrawn = invitation.withdraw(NOW + timedelta(hours=1))
    assert withdrawn.withdrawn_at == NOW + timedelta(hours=1)
    assert not withdrawn.is_open(NOW + timedelta(hours=1))
    with refused(InvalidState, match="withdrawn"):
        withdrawn.accept(NOW + timedelta(hours=2))
    with refused(InvalidState, match="withdrawn"):
        withdrawn.withdraw(NOW + timedelta(hours=2))
    with refused(InvalidState, match="already been used"):
        invitation.accept(NOW).withdraw(NOW)
    assert invitation.withdraw(NOW + team.LIFETIME).withdrawn_at == NOW + team.LIFETIME

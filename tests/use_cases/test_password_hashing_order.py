"""A stranger's request computes no Argon2 hash until every cheap check has passed: the
form, the limits, a free email, an open link. Counted on every backend."""

from datetime import timedelta

import pytest

from itmj_domain.accounts import Role
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.services.portal_accounts import TooManyAttempts
from tests.counting_hasher import CountingHasher
from tests.refusals import refused

HERE = "203.0.113.7"
PASSWORD = "correct horse battery"
PAGE = "https://portal.example/account/password/reset"


@pytest.fixture
def password_hasher() -> CountingHasher:
    return CountingHasher()


def _reset_token(services, notifier) -> str:
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    return notifier.sent[-1].body.split("?token=", 1)[1].split()[0]


def test_a_sign_up_hashes_once_and_only_when_it_can_succeed(services, password_hasher):
    services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)
    assert password_hasher.hashes == 1
    for employer, name, email, password in [
        ("Other", "Ada", "ADA@acme.example", PASSWORD),  # taken
        ("", "Ada", "grace@acme.example", PASSWORD),
        ("Other", " ", "grace@acme.example", PASSWORD),
        ("Other", "Grace", "grace at acme", PASSWORD),
        ("Other", "Grace", "grace@acme.example", "short"),
    ]:
        with refused(InvalidInput):
            services.portal_accounts.sign_up(employer, name, email, password, HERE)
    assert password_hasher.hashes == 1


def test_sign_ups_are_limited_per_address_before_anything_is_hashed(services, password_hasher,
                                                                    clock):
    for n in range(10):
        services.portal_accounts.sign_up(f"Company {n}", "Ada", f"ada{n}@acme.example",
                                         PASSWORD, HERE)
    with refused(TooManyAttempts, match="too many sign-ups; try again in 60 minutes"):
        services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)
    assert password_hasher.hashes == 10
    services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD,
                                     "203.0.113.99")
    clock.advance(timedelta(hours=1))
    services.portal_accounts.sign_up("Globex", "Hank", "hank@globex.example", PASSWORD, HERE)


def test_a_dead_link_costs_no_hash(services, notifier, password_hasher, clock):
    services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)
    expired = _reset_token(services, notifier)
    clock.advance(timedelta(hours=1))
    used = _reset_token(services, notifier)
    services.portal_accounts.reset_password(used, "a brand new phrase", HERE)
    assert password_hasher.hashes == 2
    for token in ("no-such-token", expired, used):
        with refused(InvalidInput, field="token"):
            services.portal_accounts.reset_password(token, "another new phrase", HERE)
    assert password_hasher.hashes == 2


def test_asking_for_a_link_costs_no_hash(services, notifier, password_hasher):
    services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    services.portal_accounts.request_password_reset("nobody@acme.example", HERE, PAGE)
    assert password_hasher.hashes == 1


def test_an_invitation_that_cannot_be_accepted_costs_no_hash(services, notifier,
                                                             password_hasher, clock):
    employer = services.accounts.create_employer("Acme")
    admin = services.accounts.add_user(employer.id, "admin@acme.example", Role.EMPLOYER_ADMIN)
    tokens: list[str] = []
    services.team.invite(employer.id, "grace@acme.example", Role.RECRUITER, admin.id,
                         lambda token: tokens.append(token) or token)
    with refused(NotFound):
        services.team.accept("no-such-token", "Grace Hopper", PASSWORD)
    clock.advance(timedelta(days=8))
    with refused(InvalidState, match="expired"):
        services.team.accept(tokens[0], "Grace Hopper", PASSWORD)
    assert password_hasher.hashes == 0

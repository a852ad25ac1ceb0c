"""Signing up, signing in and password links through the real composition root, on every
backend."""

import re
from datetime import timedelta

import pytest

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_domain.accounts import Role
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.services.portal_accounts import TooManyAttempts
from tests.refusals import refused

# Where sign-in attempts come from (TEST-NET-3: no real address).
HERE = "203.0.113.7"

PASSWORD = "correct horse battery"


PAGE = "https://portal.example/account/password/reset"


def _ada(services):
    return services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)


def _token_in(body: str) -> str:
    match = re.search(r"\?token=(\S+)", body)
    assert match, body
    return match.group(1)


def test_sign_up_makes_an_untrusted_employer_and_its_admin(services):
    signed_up = services.portal_accounts.sign_up("Acme", "Ada Lovelace", "ada@acme.example",
                                                 PASSWORD, HERE)
    assert signed_up.employer.name == "Acme"
    assert not signed_up.employer.trusted_partner
    assert signed_up.admin.role is Role.EMPLOYER_ADMIN
    assert signed_up.admin.name == "Ada Lovelace"
    assert services.accounts.get_employer(signed_up.employer.id) == signed_up.employer
    assert services.portal_accounts.user(signed_up.admin.id) == signed_up.admin


@pytest.mark.parametrize(
    ("employer", "name", "email", "password", "field"),
    [
        ("", "Ada", "ada@acme.example", PASSWORD, "employer_name"),
        ("Acme", "  ", "ada@acme.example", PASSWORD, "admin_name"),
        ("Acme", "Ada", "not-an-email", PASSWORD, "email"),
        ("Acme", "Ada", "ada@acme.example", "short", "password"),
        ("Acme", "Ada", "ada@acme.example", "x" * 257, "password"),
        ("A" * 201, "Ada", "ada@acme.example", PASSWORD, "employer_name"),
    ],
)
def test_a_bad_sign_up_names_its_field_and_creates_nothing(services, employer, name, email,
                                                           password, field):
    with refused(InvalidInput) as raised:
        services.portal_accounts.sign_up(employer, name, email, password, HERE)
    assert raised.value.field == field
    assert services.portal_accounts.sign_in(email, password, HERE) is None
    with services.uow(read_only=True) as uow:
        assert uow.employers.get(1) is None


def test_a_taken_email_is_refused_and_leaves_no_employer_behind(services):
    first = _ada(services)
    with refused(InvalidInput) as raised:
        services.portal_accounts.sign_up("Other", "Ada", "ADA@acme.example", PASSWORD, HERE)
    assert raised.value.field == "email"
    with services.uow(read_only=True) as uow:
        assert uow.employers.get(first.employer.id + 1) is None


def test_sign_in_takes_the_right_password_in_any_email_case(services):
    admin = _ada(services).admin
    assert services.portal_accounts.sign_in("Ada@Acme.Example", PASSWORD, HERE) == admin
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD + "!", HERE) is None
    assert services.portal_accounts.sign_in("nobody@acme.example", PASSWORD, HERE) is None


def test_a_user_without_a_password_cannot_sign_in(services):
    employer = services.accounts.create_employer("Acme")
    services.accounts.add_user(employer.id, "ops@acme.example", Role.EMPLOYER_ADMIN)
    assert services.portal_accounts.sign_in("ops@acme.example", "", HERE) is None
    assert services.portal_accounts.sign_in("ops@acme.example", PASSWORD, HERE) is None


def test_a_reset_link_sets_a_new_password_once(services, notifier):
    admin = _ada(services).admin
    services.portal_accounts.request_password_reset("ADA@acme.example", HERE, PAGE)
    (email,) = notifier.sent
    assert email.to == "ada@acme.example"
    token = _token_in(email.body)
    assert services.portal_accounts.reset_password(
        token, "a brand new phrase", HERE
    ) == Principal(PrincipalKind.USER, admin.id)
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) is None
    assert services.portal_accounts.sign_in("ada@acme.example", "a brand new phrase", HERE) == admin
    with refused(InvalidInput):
        services.portal_accounts.reset_password(token, "yet another phrase", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "a brand new phrase", HERE) == admin


def test_a_reset_for_an_unknown_email_sends_nothing(services, notifier):
    services.portal_accounts.request_password_reset("nobody@acme.example", HERE, PAGE)
    assert notifier.sent == []


def test_a_reset_link_expires_after_an_hour(services, notifier, clock):
    _ada(services)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    clock.advance(timedelta(hours=1))
    with refused(InvalidInput):
        services.portal_accounts.reset_password(_token_in(notifier.sent[0].body),
                                                "new phrase!!", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) is not None


def test_a_rejected_new_password_leaves_the_link_usable(services, notifier):
    _ada(services)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    token = _token_in(notifier.sent[0].body)
    with refused(InvalidInput) as raised:
        services.portal_accounts.reset_password(token, "short", HERE)
    assert raised.value.field == "password"
    services.portal_accounts.reset_password(token, "long enough now", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "long enough now", HERE) is not None


def test_staff_set_their_password_through_the_setup_link_and_sign_in(services, clock):
    member, token = services.portal_accounts.add_staff(" grace@platform.example ")
    assert (member.email, member.created_at) == ("grace@platform.example", clock.now())
    assert services.portal_accounts.sign_in_staff("grace@platform.example", "", HERE) is None
    assert services.portal_accounts.reset_password(
        token, "staff passphrase", HERE
    ) == Principal(PrincipalKind.STAFF, member.id)
    assert services.portal_accounts.sign_in_staff("GRACE@platform.example",
                                                  "staff passphrase", HERE) == member
    assert services.portal_accounts.sign_in_staff("nobody@platform.example",
                                                  "staff passphrase", HERE) is None
    assert services.portal_accounts.sign_in("grace@platform.example", "staff passphrase",
                                            HERE) is None
    with refused(InvalidInput, field="email"):
        services.portal_accounts.add_staff("grace@platform.example")


def test_staff_setup_links_last_three_days(services, clock):
    _, token = services.portal_accounts.add_staff("grace@platform.example")
    clock.advance(timedelta(days=3))
    with refused(InvalidInput):
        services.portal_accounts.reset_password(token, "staff passphrase", HERE)


def test_sign_in_attempts_are_limited_per_account_before_any_password_check(services, clock):
    admin = _ada(services).admin
    for _ in range(10):
        assert services.portal_accounts.sign_in("ada@acme.example", "wrong", HERE) is None
    with refused(TooManyAttempts, match="too many sign-in attempts") as raised:
        services.portal_accounts.sign_in("ADA@acme.example", PASSWORD, "198.51.100.9")
    assert raised.value.retry_after_seconds == 15 * 60
    clock.advance(timedelta(minutes=15))
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) == admin


def test_sign_in_attempts_are_limited_per_address(services):
    _ada(services)
    for n in range(100):
        services.portal_accounts.sign_in(f"guess{n}@acme.example", "wrong", HERE)
    with pytest.raises(TooManyAttempts):
        services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, "198.51.100.9")


def test_a_seeded_password_signs_in_and_changes_the_credential(services):
    admin = _ada(services).admin
    member, _ = services.portal_accounts.add_staff("grace@platform.example")
    ada, grace = Principal(PrincipalKind.USER, admin.id), Principal(PrincipalKind.STAFF, member.id)
    assert services.portal_accounts.credential(grace) is None
    before = services.portal_accounts.credential(ada)
    assert before is not None and len(before) == 32

    services.portal_accounts.set_password(ada, "another passphrase")
    services.portal_accounts.set_password(grace, "staff passphrase")
    assert services.portal_accounts.credential(ada) not in (None, before)
    assert services.portal_accounts.credential(grace) is not None
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) is None
    assert services.portal_accounts.sign_in("ada@acme.example", "another passphrase",
                                            HERE) == admin
    assert services.portal_accounts.sign_in_staff("grace@platform.example", "staff passphrase",
                                                  HERE) == member
    assert services.portal_accounts.user(admin.id) == admin
    assert services.portal_accounts.staff_member(member.id) == member
    assert services.portal_accounts.user(admin.id + 100) is None
    assert services.portal_accounts.staff_member(member.id + 100) is None


def test_a_seeded_password_needs_someone_to_hold_it_and_keeps_the_rules(services):
    admin = _ada(services).admin
    member, _ = services.portal_accounts.add_staff("grace@platform.example")
    missing = admin.id + member.id + 100
    for kind, who in ((PrincipalKind.USER, "user"), (PrincipalKind.STAFF, "staff member")):
        with refused(NotFound, match=f"^{who} {missing} not found$"):
            services.portal_accounts.set_password(Principal(kind, missing), "long enough now")
    with refused(InvalidInput, field="password"):
        services.portal_accounts.set_password(Principal(PrincipalKind.USER, admin.id), "short")
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) == admin


def test_sign_up_dates_an_untrusted_employer_and_its_admin(services, clock):
    signed = _ada(services)
    assert (signed.employer.trusted_partner, signed.employer.created_at) == (False, clock.now())
    assert (signed.admin.employer_id, signed.admin.created_at) == (signed.employer.id,
                                                                    clock.now())


def test_a_used_reset_link_is_refused_as_the_token_and_says_how_long_links_last(
    services, notifier
):
    _ada(services)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    [mail] = notifier.sent
    assert mail.subject == "Reset your ITManagerJobs password"
    assert "within 60 minutes" in mail.body
    token = _token_in(mail.body)
    services.portal_accounts.reset_password(token, "long enough now", HERE)
    with refused(InvalidInput, field="token"):
        services.portal_accounts.reset_password(token, "another one now", HERE)


def test_a_hash_made_with_older_parameters_is_replaced_at_sign_in(services):
    admin = _ada(services).admin
    member, _ = services.portal_accounts.add_staff("grace@platform.example")
    ada, grace = Principal(PrincipalKind.USER, admin.id), Principal(PrincipalKind.STAFF, member.id)
    older = Argon2PasswordHasher(time_cost=2, memory_cost=8, parallelism=1)
    with services.uow() as uow:
        uow.credentials.set_password_hash(ada, older.hash(PASSWORD))
        uow.credentials.set_password_hash(grace, older.hash(PASSWORD))
        uow.commit()
    assert services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) == admin
    assert services.portal_accounts.sign_in_staff("grace@platform.example", PASSWORD,
                                                  HERE) == member
    with services.uow(read_only=True) as uow:
        stored = [uow.credentials.password_hash(ada), uow.credentials.password_hash(grace)]
    current = Argon2PasswordHasher.cheap()
    for password_hash in stored:
        assert not current.needs_rehash(password_hash)
        assert current.verify(password_hash, PASSWORD)


def test_staff_sign_in_attempts_are_limited_per_address(services):
    services.portal_accounts.add_staff("grace@platform.example")
    for n in range(100):
        services.portal_accounts.sign_in_staff(f"guess{n}@platform.example", "wrong", HERE)
    with refused(TooManyAttempts, match="too many sign-in attempts"):
        services.portal_accounts.sign_in_staff("grace@platform.example", "wrong", HERE)
    assert services.portal_accounts.sign_in_staff("grace@platform.example", "wrong",
                                                  "198.51.100.9") is None


def test_staff_sign_in_attempts_are_limited_per_account(services):
    _, token = services.portal_accounts.add_staff("grace@platform.example")
    services.portal_accounts.reset_password(token, PASSWORD, HERE)
    for _ in range(10):
        services.portal_accounts.sign_in_staff("grace@platform.example", "wrong", HERE)
    with refused(TooManyAttempts, match="too many sign-in attempts"):
        services.portal_accounts.sign_in_staff("GRACE@platform.example", PASSWORD,
                                               "198.51.100.9")


@pytest.mark.parametrize(("seconds", "wait"), [
    (1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (15 * 60, "15 minutes"),
])
def test_a_refused_sign_in_says_how_many_minutes_to_wait(seconds, wait):
    refusal = TooManyAttempts(seconds, "sign-in attempts")
    assert refusal.message == f"too many sign-in attempts; try again in {wait}"
    assert refusal.retry_after_seconds == seconds

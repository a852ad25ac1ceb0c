"""Accounts and keys through the real composition root, on every backend."""

from datetime import timedelta

from itmj_domain.accounts import Role
from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.services.authentication import Admission
from itmj_domain.webhooks.subscriptions import EventType
from tests.contract.seed import CONTENT
from tests.refusals import refused

JOBS = frozenset({Scope.JOB_POSTING})
SEARCH = frozenset({Scope.CV_SEARCH})
WEBHOOKS = frozenset({Scope.WEBHOOKS})


def test_a_job_posting_key_is_pending_until_the_employer_has_credit(services):
    employer = services.accounts.create_employer("Acme")
    assert services.accounts.mint_key(employer.id, "a", JOBS).key.status is (
        KeyStatus.PENDING_APPROVAL
    )
    services.credits.grant(employer.id, CreditKind.CV_DOWNLOAD, 1)
    assert services.accounts.mint_key(employer.id, "b", JOBS).key.status is KeyStatus.ACTIVE
    assert services.accounts.mint_key(employer.id, "c", SEARCH).key.status is (
        KeyStatus.PENDING_APPROVAL
    )


def test_an_active_contract_counts_as_credit_for_approval(services, clock):
    employer = services.accounts.create_employer("Acme")
    now = clock.now()
    services.credits.add_contract(
        employer.id, frozenset({CreditKind.JOB_POSTING}), now, now + timedelta(days=30)
    )
    assert services.accounts.mint_key(employer.id, "a", JOBS).key.status is KeyStatus.ACTIVE
    clock.advance(timedelta(days=31))
    assert services.accounts.mint_key(employer.id, "b", JOBS).key.status is (
        KeyStatus.PENDING_APPROVAL
    )


def test_trusted_partners_are_approved_instantly(services):
    employer = services.accounts.create_employer("Bullhorn", trusted_partner=True)
    minted = services.accounts.mint_key(employer.id, "ats", JOBS | SEARCH)
    assert minted.key.status is KeyStatus.ACTIVE
    assert minted.key.approved_at is not None


def test_approval_emails_the_admin_who_minted_the_key(services, notifier):
    employer = services.accounts.create_employer("Acme")
    admin = services.accounts.add_user(employer.id, "ada@acme.example", Role.EMPLOYER_ADMIN)
    minted = services.accounts.mint_key(employer.id, "search", SEARCH, created_by=admin.id)
    assert notifier.sent == []
    approved = services.accounts.approve_key(minted.key.id)
    assert approved.status is KeyStatus.ACTIVE
    assert [mail.to for mail in notifier.sent] == ["ada@acme.example"]
    assert minted.plaintext not in notifier.sent[0].body
    with refused(InvalidState):
        services.accounts.approve_key(minted.key.id)


def test_staff_minted_keys_notify_every_admin_on_approval(services, notifier):
    employer = services.accounts.create_employer("Acme")
    services.accounts.add_user(employer.id, "a@acme.example", Role.EMPLOYER_ADMIN)
    services.accounts.add_user(employer.id, "r@acme.example", Role.RECRUITER)
    services.accounts.add_user(employer.id, "b@acme.example", Role.EMPLOYER_ADMIN)
    minted = services.accounts.mint_key(employer.id, "search", SEARCH)
    services.accounts.approve_key(minted.key.id)
    assert sorted(mail.to for mail in notifier.sent) == ["a@acme.example", "b@acme.example"]


def test_only_an_admin_of_the_employer_may_mint(services):
    acme = services.accounts.create_employer("Acme")
    other = services.accounts.create_employer("Other")
    recruiter = services.accounts.add_user(acme.id, "r@acme.example", Role.RECRUITER)
    outsider = services.accounts.add_user(other.id, "o@other.example", Role.EMPLOYER_ADMIN)
    for user in (recruiter, outsider):
        with refused(InvalidInput, field="created_by"):
            services.accounts.mint_key(acme.id, "k", JOBS, created_by=user.id)
    assert services.accounts.list_keys(acme.id) == []


def test_unknown_employers_are_not_found(services):
    with refused(NotFound):
        services.accounts.mint_key(404, "k", JOBS)
    with refused(NotFound):
        services.accounts.add_user(404, "a@b.example", Role.EMPLOYER_ADMIN)
    with refused(NotFound):
        services.credits.grant(404, CreditKind.JOB_POSTING, 1)
    with refused(NotFound):
        services.webhooks.subscribe(
            404, "https://ats.example.com/hook", frozenset({EventType.JOB_EXPIRED})
        )
    for change in (services.accounts.approve_key, services.accounts.revoke_key):
        with refused(NotFound):
            change(404)


def test_a_user_is_dated_when_added(services, clock):
    employer = services.accounts.create_employer("Acme")
    clock.advance(timedelta(minutes=5))
    user = services.accounts.add_user(employer.id, "ada@acme.example", Role.RECRUITER)
    assert (user.employer_id, user.email, user.created_at) == (
        employer.id, "ada@acme.example", clock.now()
    )


def test_authentication_follows_the_key_status_on_the_next_call(services, clock):
    employer = services.accounts.create_employer("Acme", trusted_partner=True)
    minted = services.accounts.mint_key(
        employer.id, "k", JOBS, expires_at=clock.now() + timedelta(days=1)
    )
    assert services.authenticator.authenticate(minted.plaintext).id == minted.key.id
    other_last = "1" if minted.plaintext.endswith("0") else "0"
    assert services.authenticator.authenticate(minted.plaintext[:-1] + other_last) is None
    clock.advance(timedelta(days=1))
    assert services.authenticator.authenticate(minted.plaintext) is None

    other = services.accounts.mint_key(employer.id, "k2", JOBS)
    services.accounts.revoke_key(other.key.id)
    assert services.authenticator.authenticate(other.plaintext) is None


def test_pending_and_rejected_keys_do_not_authenticate(services):
    employer = services.accounts.create_employer("Acme")
    minted = services.accounts.mint_key(employer.id, "k", SEARCH)
    assert services.authenticator.authenticate(minted.plaintext) is None
    services.accounts.reject_key(minted.key.id)
    assert services.authenticator.authenticate(minted.plaintext) is None


def test_admission_tells_only_a_real_pending_key_apart(services, clock):
    employer = services.accounts.create_employer("Acme")
    pending = services.accounts.mint_key(employer.id, "k", SEARCH,
                                         expires_at=clock.now() + timedelta(days=1))
    rejected = services.accounts.mint_key(employer.id, "r", SEARCH)
    services.accounts.reject_key(rejected.key.id)
    admit = services.authenticator.admit
    assert admit(pending.plaintext) == Admission(None, pending=True)
    assert admit(pending.plaintext[:-1] + ("1" if pending.plaintext[-1] == "0" else "0")) == (
        Admission(None)
    )
    assert admit(pending.plaintext[:20]) == Admission(None)
    assert admit(rejected.plaintext) == Admission(None)
    services.accounts.approve_key(pending.key.id)
    assert admit(pending.plaintext).key.id == pending.key.id
    clock.advance(timedelta(days=1))
    assert admit(pending.plaintext) == Admission(None)


def test_an_admitted_key_brings_the_job_it_was_asked_for_of_its_own_employer_only(
    services, clock
):
    acme = services.accounts.create_employer("Acme", trusted_partner=True)
    other = services.accounts.create_employer("Other", trusted_partner=True)
    minted = services.accounts.mint_key(acme.id, "k", JOBS)
    ours = services.jobs.create(acme.id, CONTENT)
    theirs = services.jobs.create(other.id, CONTENT)
    admit = services.authenticator.admit
    assert admit(minted.plaintext, ours.id).job_read.found() == ours
    assert admit(minted.plaintext).job_read is None
    with refused(NotFound, match=f"job {theirs.id} not found"):
        admit(minted.plaintext, theirs.id).job_read.found()
    services.accounts.revoke_key(minted.key.id)
    assert admit(minted.plaintext, ours.id) == Admission(None)


def test_a_webhooks_key_is_approved_like_a_job_posting_key(services):
    employer = services.accounts.create_employer("Acme")
    assert services.accounts.mint_key(employer.id, "w", WEBHOOKS).key.status is (
        KeyStatus.PENDING_APPROVAL
    )
    services.credits.grant(employer.id, CreditKind.CV_SEARCH, 1)
    assert services.accounts.mint_key(employer.id, "w", WEBHOOKS | JOBS).key.status is (
        KeyStatus.ACTIVE
    )


def test_last_used_is_recorded_and_coalesced(services, clock):
    employer = services.accounts.create_employer("Acme", trusted_partner=True)
    minted = services.accounts.mint_key(employer.id, "k", JOBS)
    first = clock.now()
    services.authenticator.record_use(services.authenticator.authenticate(minted.plaintext))
    services.key_uses.flush()
    clock.advance(timedelta(milliseconds=400))
    services.authenticator.record_use(services.authenticator.authenticate(minted.plaintext))
    services.key_uses.flush()
    [key] = services.accounts.list_keys(employer.id)
    assert key.last_used_at == first
    clock.advance(timedelta(milliseconds=700))
    services.authenticator.record_use(services.authenticator.authenticate(minted.plaintext))
    services.key_uses.flush()
    [key] = services.accounts.list_keys(employer.id)
    assert key.last_used_at == clock.now()
    services.accounts.revoke_key(key.id)
    [revoked] = services.accounts.list_keys(employer.id)
    assert revoked.last_used_at == clock.now()


def test_an_admin_revokes_only_their_employers_keys(services):
    acme = services.accounts.create_employer("Acme", trusted_partner=True)
    other = services.accounts.create_employer("Other", trusted_partner=True)
    admin = services.accounts.add_user(acme.id, "ada@acme.example", Role.EMPLOYER_ADMIN)
    recruiter = services.accounts.add_user(acme.id, "rita@acme.example", Role.RECRUITER)
    ours = services.accounts.mint_key(acme.id, "ours", JOBS, created_by=admin.id)
    theirs = services.accounts.mint_key(other.id, "theirs", JOBS)
    with refused(NotFound):
        services.accounts.revoke_employer_key(acme.id, theirs.key.id, admin.id)
    with refused(NotFound):
        services.accounts.employer_key(acme.id, theirs.key.id)
    assert services.accounts.employer_key(acme.id, ours.key.id) == ours.key
    stranger = services.accounts.add_user(other.id, "sam@other.example", Role.EMPLOYER_ADMIN)
    for not_our_admin in (recruiter.id, stranger.id, stranger.id + 100):
        with refused(InvalidInput, field="by"):
            services.accounts.revoke_employer_key(acme.id, ours.key.id, not_our_admin)
    assert services.authenticator.authenticate(ours.plaintext) is not None
    assert services.authenticator.authenticate(theirs.plaintext) is not None
    revoked = services.accounts.revoke_employer_key(acme.id, ours.key.id, admin.id)
    assert revoked.status is KeyStatus.REVOKED
    assert services.authenticator.authenticate(ours.plaintext) is None


def test_pending_keys_name_their_employer_and_who_asked(services):
    acme = services.accounts.create_employer("Acme")
    admin = services.accounts.add_user(acme.id, "ada@acme.example", Role.EMPLOYER_ADMIN)
    by_admin = services.accounts.mint_key(acme.id, "a", SEARCH, created_by=admin.id).key
    by_staff = services.accounts.mint_key(acme.id, "b", SEARCH).key
    services.accounts.approve_key(services.accounts.mint_key(acme.id, "c", SEARCH).key.id)
    pending = services.accounts.pending_keys()
    assert [(p.key.id, p.employer.name, p.created_by) for p in pending] == [
        (by_admin.id, "Acme", "ada@acme.example"), (by_staff.id, "Acme", None),
    ]
    assert [p.key.id for p in services.accounts.pending_keys(limit=1)] == [by_admin.id]


def test_approval_emails_only_the_minting_admin_and_names_the_key(services, notifier, clock):
    employer = services.accounts.create_employer("Acme")
    services.accounts.add_user(employer.id, "bea@acme.example", Role.EMPLOYER_ADMIN)
    ada = services.accounts.add_user(employer.id, "ada@acme.example", Role.EMPLOYER_ADMIN)
    minted = services.accounts.mint_key(employer.id, "Bullhorn", SEARCH, created_by=ada.id)
    clock.advance(timedelta(hours=3))
    services.accounts.approve_key(minted.key.id)
    [mail] = notifier.sent
    assert mail.to == "ada@acme.example"
    assert "Bullhorn" in mail.subject
    assert minted.key.display_prefix in mail.body
    [stored] = services.accounts.list_keys(employer.id)
    assert (stored.status, stored.approved_at) == (KeyStatus.ACTIVE, clock.now())


def test_an_employer_is_read_back_as_created(services, clock):
    employer = services.accounts.create_employer("Bullhorn", trusted_partner=True)
    assert (employer.name, employer.trusted_partner, employer.created_at) == (
        "Bullhorn", True, clock.now()
    )
    assert services.accounts.get_employer(employer.id) == employer
    user = services.accounts.add_user(employer.id, "ada@bullhorn.example", Role.RECRUITER,
                                      name="Ada")
    assert (user.name, user.created_at) == ("Ada", clock.now())
    assert services.portal_accounts.user(user.id) == user
    with refused(NotFound):
        services.accounts.get_employer(employer.id + 1)

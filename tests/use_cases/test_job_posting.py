"""Job posting and its credits through the real composition root, on every backend."""

from datetime import timedelta

import pytest

from itmj_domain.credits import CreditKind, EntryReason
from itmj_domain.errors import InvalidState, NoCredits, NotFound
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, JobStatus, RemoteType
from itmj_domain.pagination import PageRequest
from tests.refusals import refused

CONTENT = JobContent(
    title="IT Manager",
    description="Run the service desk.",
    employment_type=EmploymentType.FULL_TIME,
    remote_type=RemoteType.ON_SITE,
    apply_method=ApplyMethod.PORTAL_APPLY,
)


def test_publish_debits_one_credit_with_a_reference(services):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 2)
    job = services.jobs.create(employer.id, CONTENT)
    published = services.jobs.publish(employer.id, job.id)
    assert published.status is JobStatus.ACTIVE
    assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 1
    debit = services.credits.entries(employer.id)[-1]
    assert (debit.amount, debit.reason, debit.reference) == (
        -1,
        EntryReason.JOB_PUBLISH,
        f"job:{job.id}",
    )


def test_no_credit_leaves_the_job_draft_and_the_ledger_untouched(services):
    employer = services.accounts.create_employer("Acme")
    job = services.jobs.create(employer.id, CONTENT)
    with refused(NoCredits):
        services.jobs.publish(employer.id, job.id)
    assert services.jobs.get(employer.id, job.id).status is JobStatus.DRAFT
    assert services.credits.entries(employer.id) == []


def test_a_failed_publish_charges_nothing(services, clock):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    job = services.jobs.create(employer.id, CONTENT)
    with pytest.raises(Exception, match="expiry_date"):
        services.jobs.publish(employer.id, job.id, clock.now() - timedelta(days=1))
    assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 1


def test_publishing_twice_charges_once(services):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 5)
    job = services.jobs.create(employer.id, CONTENT)
    services.jobs.publish(employer.id, job.id)
    with refused(InvalidState):
        services.jobs.publish(employer.id, job.id)
    assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 4


def test_usage_under_a_contract_is_free_and_recorded(services, clock):
    employer = services.accounts.create_employer("Acme")
    now = clock.now()
    contract = services.credits.add_contract(
        employer.id, frozenset({CreditKind.JOB_POSTING}), now, now + timedelta(days=1)
    )
    job = services.jobs.create(employer.id, CONTENT)
    services.jobs.publish(employer.id, job.id)
    [entry] = services.credits.entries(employer.id)
    assert (entry.amount, entry.contract_id) == (0, contract.id)
    balance = services.credits.balance(employer.id)
    assert balance.available(CreditKind.JOB_POSTING) == 0
    assert balance.unlimited == {CreditKind.JOB_POSTING}
    later = services.credits.add_contract(
        employer.id, frozenset({CreditKind.CV_SEARCH}), now, now + timedelta(days=1)
    )
    assert isinstance(later.id, int) and later.id != contract.id


def test_another_employers_job_is_not_found(services):
    acme = services.accounts.create_employer("Acme")
    rival = services.accounts.create_employer("Rival")
    services.credits.grant(rival.id, CreditKind.JOB_POSTING, 5)
    job = services.jobs.create(acme.id, CONTENT)
    for action in (
        lambda: services.jobs.get(rival.id, job.id),
        lambda: services.jobs.edit(rival.id, job.id, {"title": "Mine now"}),
        lambda: services.jobs.publish(rival.id, job.id),
        lambda: services.jobs.deactivate(rival.id, job.id),
    ):
        with refused(NotFound):
            action()
    untouched = services.jobs.get(acme.id, job.id)
    assert (untouched.status, untouched.content.title) == (JobStatus.DRAFT, "IT Manager")
    assert services.credits.balance(rival.id).available(CreditKind.JOB_POSTING) == 5
    assert services.jobs.list(rival.id, None, PageRequest()).total == 0


def test_expire_due_expires_only_active_jobs_past_their_date(services, clock):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 2)
    soon = services.jobs.create(employer.id, CONTENT)
    later = services.jobs.create(employer.id, CONTENT)
    services.jobs.publish(employer.id, soon.id, clock.now() + timedelta(days=1))
    services.jobs.publish(employer.id, later.id, clock.now() + timedelta(days=2))
    services.jobs.create(employer.id, CONTENT)
    clock.advance(timedelta(days=1))
    assert [job.id for job in services.job_expiry.expire_due()] == [soon.id]
    assert services.jobs.get(employer.id, soon.id).status is JobStatus.EXPIRED
    assert services.jobs.get(employer.id, later.id).status is JobStatus.ACTIVE
    assert services.job_expiry.expire_due() == []


def test_an_edit_replaces_the_named_fields_and_is_dated(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = services.jobs.create(employer.id, CONTENT)
    assert (job.created_at, job.updated_at) == (clock.now(), clock.now())
    clock.advance(timedelta(hours=2))
    edited = services.jobs.edit(employer.id, job.id, {"title": "Head of IT", "city": "Leeds"})
    stored = services.jobs.get(employer.id, job.id)
    assert stored == edited
    assert (stored.content.title, stored.content.city) == ("Head of IT", "Leeds")
    assert stored.content.description == CONTENT.description
    assert (stored.created_at, stored.updated_at) == (job.created_at, clock.now())


def test_a_deactivated_job_is_kept_inactive_and_dated(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = services.jobs.create(employer.id, CONTENT)
    clock.advance(timedelta(hours=2))
    services.jobs.deactivate(employer.id, job.id)
    stored = services.jobs.get(employer.id, job.id)
    assert (stored.status, stored.updated_at) == (JobStatus.INACTIVE, clock.now())


def test_the_list_filters_by_status(services):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    draft = services.jobs.create(employer.id, CONTENT)
    active = services.jobs.publish(employer.id, services.jobs.create(employer.id, CONTENT).id)
    listed = services.jobs.list(employer.id, JobStatus.ACTIVE, PageRequest())
    assert [job.id for job in listed.items] == [active.id]
    everything = services.jobs.list(employer.id, None, PageRequest())
    assert sorted(job.id for job in everything.items) == sorted([draft.id, active.id])


def test_expire_due_takes_at_most_its_limit_at_a_time(services, clock):
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 3)
    for _ in range(3):
        job = services.jobs.create(employer.id, CONTENT)
        services.jobs.publish(employer.id, job.id, clock.now() + timedelta(days=1))
    clock.advance(timedelta(days=1))
    assert len(services.job_expiry.expire_due(limit=2)) == 2
    assert len(services.job_expiry.expire_due(limit=2)) == 1

"""Relisting an Expired or Inactive job and moving an Active job's expiry date (SPEC §12),
through the real composition root, on every backend."""

import json
from datetime import timedelta

import pytest

from itmj_domain.credits import CreditKind, EntryReason
from itmj_domain.errors import InvalidInput, InvalidState, NoCredits
from itmj_domain.jobs import JobStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.subscriptions import EventType
from tests.adapters.receiver import Receiver
from tests.refusals import refused
from tests.use_cases.test_job_posting import CONTENT
from tests.use_cases.test_webhooks import active_job, candidate


def job_posting_credits(services, employer_id: int) -> int:
    return services.credits.balance(employer_id).available(CreditKind.JOB_POSTING)


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


@pytest.mark.parametrize("closed_by", ["expiry", "deactivation"])
def test_relisting_costs_one_credit_and_keeps_the_id_and_the_applications(
    services, clock, employer, closed_by
):
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    if closed_by == "expiry":
        clock.set(job.expiry_date)
        services.job_expiry.expire_due()
    else:
        services.jobs.deactivate(employer.id, job.id)
    clock.advance(timedelta(days=3))
    relisted = services.jobs.publish(employer.id, job.id, clock.now() + timedelta(days=14))
    assert (relisted.id, relisted.status) == (job.id, JobStatus.ACTIVE)
    assert (relisted.posted_date, relisted.expiry_date) == (
        clock.now(), clock.now() + timedelta(days=14))
    assert services.jobs.get(employer.id, job.id) == relisted
    assert job_posting_credits(services, employer.id) == 3
    debits = [e for e in services.credits.entries(employer.id) if e.amount < 0]
    assert [(e.reason, e.reference) for e in debits] == [(EntryReason.JOB_PUBLISH,
                                                          f"job:{job.id}")] * 2
    listed = services.applications.list_for_job(employer.id, job.id, None, PageRequest())
    assert [a.id for a in listed.items] == [application.id]
    services.applications.submit(job.id, candidate(services, clock))


def test_relisting_without_credit_is_refused_and_changes_nothing(services, clock, employer):
    job = active_job(services, employer.id)
    closed = services.jobs.deactivate(employer.id, job.id)
    for _ in range(4):
        spent = services.jobs.create(employer.id, CONTENT)
        services.jobs.publish(employer.id, spent.id)
    entries = services.credits.entries(employer.id)
    with refused(NoCredits):
        services.jobs.publish(employer.id, job.id)
    assert services.jobs.get(employer.id, job.id) == closed
    assert services.credits.entries(employer.id) == entries


def test_an_active_job_is_not_published_again(services, employer):
    job = active_job(services, employer.id)
    with refused(InvalidState):
        services.jobs.publish(employer.id, job.id)
    assert job_posting_credits(services, employer.id) == 4


def test_a_relisted_job_expires_again_with_a_job_expired_event_of_its_own(
    services, clock, employer
):
    job = active_job(services, employer.id)
    with Receiver() as receiver:
        services.webhooks.subscribe(employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED}))
        clock.set(job.expiry_date)
        assert [j.id for j in services.job_expiry.expire_due()] == [job.id]
        clock.advance(timedelta(days=1))
        services.jobs.publish(employer.id, job.id, clock.now() + timedelta(days=2))
        clock.advance(timedelta(days=2) - timedelta(microseconds=1))
        assert services.job_expiry.expire_due() == []
        clock.advance(timedelta(microseconds=1))
        assert [j.id for j in services.job_expiry.expire_due()] == [job.id]
    bodies = [json.loads(received.body) for received in receiver.received]
    assert [(b["event"], b["data"]["jobPostId"]) for b in bodies] == [
        ("job.expired", job.id)] * 2
    assert bodies[0]["id"] != bodies[1]["id"]
    assert services.jobs.get(employer.id, job.id).status is JobStatus.EXPIRED


def test_an_edit_extends_an_active_job_for_free(services, clock, employer):
    job = active_job(services, employer.id)
    clock.advance(timedelta(days=20))
    extended = services.jobs.edit(employer.id, job.id, {}, clock.now() + timedelta(days=90))
    assert (extended.expiry_date, extended.posted_date, extended.updated_at) == (
        clock.now() + timedelta(days=90), job.posted_date, clock.now())
    assert job_posting_credits(services, employer.id) == 4
    clock.set(job.expiry_date)
    assert services.job_expiry.expire_due() == []
    with refused(InvalidInput):
        services.jobs.edit(employer.id, job.id, {}, clock.now() + timedelta(days=91))
    assert services.jobs.get(employer.id, job.id) == extended


def test_an_edit_gives_a_draft_no_expiry_date(services, clock, employer):
    draft = services.jobs.create(employer.id, CONTENT)
    with refused(InvalidState):
        services.jobs.edit(employer.id, draft.id, {"title": "CTO"},
                           clock.now() + timedelta(days=5))
    assert services.jobs.get(employer.id, draft.id) == draft

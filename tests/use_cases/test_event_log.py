"""The Events API's use case (SPEC §12): an employer re-reads its own events of the last 30
days, oldest first, by ``sequence``, on every backend."""

from datetime import timedelta

import pytest

from itmj_domain.applications import ApplicationStatus
from itmj_domain.errors import InvalidInput
from itmj_domain.events import ApplicationStatusChanged, ApplicationSubmitted, JobExpired
from itmj_domain.services.event_log import MAX_LIMIT, RETENTION
from itmj_domain.webhooks.subscriptions import EventType
from tests.refusals import refused
from tests.use_cases.test_webhooks import active_job, candidate


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def test_an_employers_events_are_listed_oldest_first_by_sequence(services, clock, employer):
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    services.applications.move(application.id, ApplicationStatus.SCREENED)
    clock.set(job.expiry_date)
    services.job_expiry.expire_due()

    page = services.event_log.list(employer.id)

    assert [type(e.payload) for e in page.items] == [
        ApplicationSubmitted, ApplicationStatusChanged, JobExpired
    ]
    assert [e.sequence for e in page.items] == [1, 2, 3]
    assert (page.resume_after, page.has_more) == (3, False)


def test_pages_continue_after_the_last_number_and_an_empty_page_keeps_the_place(
    services, clock, employer
):
    job = active_job(services, employer.id)
    for _ in range(5):
        services.applications.submit(job.id, candidate(services, clock))

    first = services.event_log.list(employer.id, limit=2)
    second = services.event_log.list(employer.id, first.resume_after, limit=2)
    last = services.event_log.list(employer.id, second.resume_after, limit=2)
    caught_up = services.event_log.list(employer.id, last.resume_after, limit=2)

    assert [[e.sequence for e in p.items] for p in (first, second, last, caught_up)] == [
        [1, 2], [3, 4], [5], []
    ]
    assert [p.has_more for p in (first, second, last, caught_up)] == [True, True, False, False]
    assert caught_up.resume_after == last.resume_after == 5
    assert services.event_log.list(employer.id, limit=MAX_LIMIT).resume_after == 5
    assert services.event_log.list(services.accounts.create_employer("New").id).resume_after is None


def test_a_type_keeps_only_those_events(services, clock, employer):
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    services.applications.move(application.id, ApplicationStatus.SCREENED)
    page = services.event_log.list(employer.id, event_type=EventType.APPLICATION_STATUS_CHANGED)
    assert [e.sequence for e in page.items] == [2]
    with refused(InvalidInput):
        services.event_log.list(employer.id, event_type=EventType.WEBHOOK_TEST)


def test_events_older_than_thirty_days_are_not_listed(services, clock, employer):
    job = active_job(services, employer.id)
    services.applications.submit(job.id, candidate(services, clock))
    clock.advance(RETENTION - timedelta(seconds=1))
    services.applications.submit(job.id, candidate(services, clock))
    assert [e.sequence for e in services.event_log.list(employer.id).items] == [1, 2]
    clock.advance(timedelta(seconds=2))
    assert [e.sequence for e in services.event_log.list(employer.id).items] == [2]


def test_test_events_are_not_listed(services, employer):
    subscription = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", frozenset({EventType.JOB_EXPIRED})
    ).subscription
    services.webhooks.send_test(subscription.id)
    assert services.event_log.list(employer.id).items == []


def test_an_employer_sees_only_its_own_events(services, clock, employer):
    rival = services.accounts.create_employer("Rival")
    job = active_job(services, rival.id)
    services.applications.submit(job.id, candidate(services, clock))
    assert services.event_log.list(employer.id).items == []
    assert [e.employer_id for e in services.event_log.list(rival.id).items] == [rival.id]


@pytest.mark.parametrize("limit", [0, MAX_LIMIT + 1])
def test_a_limit_out_of_range_is_refused(services, employer, limit):
    with refused(InvalidInput):
        services.event_log.list(employer.id, limit=limit)

"""The testing kit (itmj_adapters.testing), through the real composition root: replacing the
outbound ports, scripting a partner's answers and running the periodic work on demand."""

from datetime import timedelta

import pytest

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import build_services
from itmj_adapters.memory.candidate_index import MemoryCandidateIndex
from itmj_adapters.settings import Settings
from itmj_adapters.testing import (
    TIMED_OUT,
    NotAManualClock,
    RecordingSender,
    run_due,
)
from itmj_domain.jobs import JobStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.ports import OutboundRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType
from tests.use_cases.test_webhooks import active_job, candidate

SUBMITTED = frozenset({EventType.APPLICATION_SUBMITTED})


@pytest.fixture
def partner(clock) -> RecordingSender:
    return RecordingSender(clock)


@pytest.fixture
def services(make_services, partner):
    return make_services(webhook_sender=partner)


def test_a_scripted_partner_fails_twice_and_run_due_delivers_the_retries(
    services, clock, partner
):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    created = services.webhooks.subscribe(employer.id, "https://partner.example/hook", SUBMITTED)
    partner.answer_with(503, TIMED_OUT, 200)

    services.applications.submit(job.id, candidate(services, clock))
    run_due(services, advance=timedelta(seconds=59))  # the first retry is a minute away
    assert len(partner.requests) == 1
    run_due(services, advance=timedelta(seconds=1))
    run_due(services, advance=timedelta(minutes=5))

    assert partner.events == ["application.submitted"] * 3
    assert len(set(partner.delivery_ids)) == 1
    start = partner.sent_at[0]
    assert partner.sent_at == [start, start + timedelta(minutes=1), start + timedelta(minutes=6)]
    assert RecordingSender.signed_by(created.secret, partner.requests[0], start)
    assert not RecordingSender.signed_by(
        created.secret, partner.requests[0], start + timedelta(minutes=6)
    )  # outside the five minutes a partner tolerates
    assert all(RecordingSender.signed_by(created.secret, r) for r in partner.requests)
    assert not RecordingSender.signed_by("whsec_other", partner.requests[0])
    [delivery] = services.webhooks.deliveries(
        created.subscription.id, None, PageRequest(1, 10)
    ).items
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)


def test_run_due_expires_jobs_and_delivers_what_expiry_fired(services, partner):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    services.webhooks.subscribe(
        employer.id, "https://partner.example/hook", frozenset({EventType.JOB_EXPIRED})
    )

    expired = run_due(services, advance=timedelta(days=30))

    assert [j.id for j in expired.jobs] == [job.id]
    assert services.jobs.get(employer.id, job.id).status is JobStatus.EXPIRED
    assert partner.events == ["job.expired"]


def test_run_due_needs_a_manual_clock():
    services = build_services(Settings(), clock=SystemClock())
    with pytest.raises(NotAManualClock, match="ManualClock"):
        run_due(services, advance=timedelta(hours=1))
    services.close()


def test_the_sender_answers_200_once_its_script_has_run_out(clock):
    sender = RecordingSender(default=202).answer_with(500)
    requests = [_request(n) for n in range(3)]
    assert [o.status_code for o in sender.send_many(requests)] == [500, 202, 202]
    assert sender.requests == requests
    assert sender.sent_at == []


class CountingTasks:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def dispatch(self) -> None:
        self.asked.append("dispatch")

    def deliver(self, delivery_ids) -> None:
        self.asked.append("deliver")

    def index_candidates(self, candidate_ids) -> None:
        self.asked.append("index_candidates")

    def send_password_reset(self, email: str, page_url: str) -> None:
        self.asked.append("send_password_reset")


@pytest.mark.redis
def test_a_replacement_queue_is_used_with_redis_configured(redis_url, clock):
    tasks = CountingTasks()
    services = build_services(
        Settings(redis_url=redis_url, rate_limits=False), clock=clock, task_queue=tasks
    )
    try:
        assert services.tasks is tasks
        employer = services.accounts.create_employer("Acme")
        job = active_job(services, employer.id)
        services.applications.submit(job.id, candidate(services, clock))
        assert tasks.asked == ["dispatch"]
        run_due(services)  # the scheduler's sweep goes to the same queue
        assert tasks.asked == ["dispatch", "dispatch"]
    finally:
        services.close()


def test_a_replacement_candidate_index_is_the_one_searched(clock):
    index = MemoryCandidateIndex()
    services = build_services(Settings(), clock=clock, candidate_index=index)
    assert services.cv_search.index is index
    assert services.candidate_indexing.index is index
    services.close()


def _request(n: int) -> OutboundRequest:
    return OutboundRequest(f"https://partner.example/{n}", {}, b"{}")

"""Events a disabled subscription wants are held, not lost, and the first attempts about one
application or job reach a subscription one after another in ``sequence`` order, while other
applications' go out beside them (SPEC §12). Through the real composition root, on every
backend, with a partner that records each batch it is sent."""

import json
from collections.abc import Sequence
from datetime import timedelta

import pytest

from itmj_adapters.testing import RecordingSender
from itmj_domain.applications import ApplicationStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.ports import OutboundRequest
from itmj_domain.webhooks.deliveries import AttemptOutcome, DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE
from tests.use_cases.test_webhook_dispatch import RecordingTasks
from tests.use_cases.test_webhooks import active_job, candidate

MOVES = (ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEWED, ApplicationStatus.OFFERED)


class BatchRecorder(RecordingSender):
    """Also keeps the application each request of each batch is about."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[int]] = []

    def send_many(self, requests: Sequence[OutboundRequest]) -> list[AttemptOutcome]:
        self.batches.append([_body(r)["data"]["applicationId"] for r in requests])
        return super().send_many(requests)


def _body(request: OutboundRequest) -> dict:
    return json.loads(request.body)


@pytest.fixture
def partner() -> BatchRecorder:
    return BatchRecorder()


@pytest.fixture
def services(make_services, partner):
    return make_services(webhook_sender=partner, task_queue=RecordingTasks())


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def applications_moved_through_the_pipeline(services, clock, employer, count: int) -> list[int]:
    job = active_job(services, employer.id)
    applications = [
        services.applications.submit(job.id, candidate(services, clock)) for _ in range(count)
    ]
    for to in MOVES:
        for application in applications:
            services.applications.move(application.id, to)
    return [application.id for application in applications]


def test_a_disabled_subscription_holds_its_events_and_enabling_sends_each_applications_in_order(
    services, clock, employer, partner
):
    subscription = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", SUBSCRIBABLE
    ).subscription
    services.webhooks.disable(subscription.id)
    applications = applications_moved_through_the_pipeline(services, clock, employer, 3)
    services.webhook_delivery.dispatch()
    assert partner.requests == []
    held = services.webhooks.deliveries(subscription.id, None, PageRequest(1, 100))
    assert held.total == 3 * (1 + len(MOVES))
    assert {d.attempts for d in held.items} == {0}

    services.webhooks.enable(subscription.id)
    services.webhook_delivery.dispatch()

    bodies = [_body(r) for r in partner.requests]
    assert len(set(partner.delivery_ids)) == len(bodies) == held.total
    for application_id in applications:
        about = [b for b in bodies if b["data"]["applicationId"] == application_id]
        assert [b["event"] for b in about] == [
            "application.submitted", *["application.status_changed"] * len(MOVES)
        ]
        assert [b["sequence"] for b in about] == sorted(b["sequence"] for b in about)
    assert all(len(batch) == len(set(batch)) for batch in partner.batches)
    assert sorted(partner.batches[0]) == applications


def test_a_failed_first_attempt_releases_the_next_event_and_its_retry_lands_after_it(
    services, clock, employer, partner
):
    subscription = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", SUBSCRIBABLE
    ).subscription
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    services.webhook_delivery.dispatch()
    partner.clear()
    partner.answer_with(503)
    services.applications.move(application.id, ApplicationStatus.SCREENED)
    services.webhook_delivery.dispatch()
    services.applications.move(application.id, ApplicationStatus.INTERVIEWED)
    services.webhook_delivery.dispatch()
    clock.advance(timedelta(minutes=1))
    services.webhook_delivery.dispatch()

    arrived = [_body(r) for r in partner.requests]
    assert [b["data"]["newStatus"] for b in arrived] == ["Screened", "Interviewed", "Screened"]
    assert arrived[2]["sequence"] < arrived[1]["sequence"]
    delivered = services.webhooks.deliveries(
        subscription.id, DeliveryStatus.DELIVERED, PageRequest()
    )
    assert delivered.total == 3


def test_deleting_a_disabled_subscription_drops_what_it_held(services, clock, employer, partner):
    subscription = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", SUBSCRIBABLE
    ).subscription
    services.webhooks.disable(subscription.id)
    applications_moved_through_the_pipeline(services, clock, employer, 1)
    services.webhook_delivery.dispatch()
    services.webhooks.delete(subscription.id)
    again = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", SUBSCRIBABLE
    ).subscription
    services.webhook_delivery.dispatch()
    assert partner.requests == []
    assert services.webhooks.deliveries(again.id, None, PageRequest()).total == 0


def test_enabling_sends_the_waiting_retries_at_once_with_the_held_events_oldest_first(
    services, clock, employer, partner
):
    subscription = services.webhooks.subscribe(
        employer.id, "https://ats.example.com/hook", SUBSCRIBABLE
    ).subscription
    job = active_job(services, employer.id)
    partner.answer_with(503)
    application = services.applications.submit(job.id, candidate(services, clock))
    services.webhook_delivery.dispatch()
    services.webhooks.disable(subscription.id)
    services.applications.move(application.id, ApplicationStatus.SCREENED)
    services.webhook_delivery.dispatch()
    partner.clear()

    services.webhooks.enable(subscription.id)
    services.webhook_delivery.dispatch()

    assert [_body(r)["sequence"] for r in partner.requests] == [1, 2]
    assert partner.batches[-2:] == [[application.id], [application.id]]

"""No event is lost, and each application's events arrive in order (SPEC §12), on the real
parts: PostgreSQL, Redis, ``itmj worker`` and ``itmj scheduler`` processes, a receiver on
loopback.

The receiver is down long enough for its subscription to switch itself off; events go on
happening, and are held; the employer enables the subscription again through the Webhooks
API. Then every event has arrived, each delivery accepted once, each application's events in
``sequence`` order, and the Events API lists exactly what arrived."""

import json
import os
from collections import defaultdict

import pytest
from falcon.testing import TestClient

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope
from itmj_domain.applications import ApplicationStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE
from itmj_http.app import create_app
from tests.adapters.receiver import Received, Receiver
from tests.jobs.test_at_least_once import spawn, wait_until
from tests.secret_keys import TEST_KEYS, TEST_SECRET_KEYS
from tests.use_cases.test_webhooks import active_job, candidate

APPLICATIONS = 4
pytestmark = pytest.mark.postgres


class FlakyReceiver(Receiver):
    """Answers 503 while ``down``, else 200, and keeps what it accepted, in arrival order."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True
        self.accepted: list[Received] = []

    def answer(self, received: Received) -> int:
        if self.down:
            return 503
        self.accepted.append(received)
        return 200


def test_a_receiver_down_long_enough_to_be_disabled_still_gets_every_event_in_order(
    clean_database, redis_url
):
    settings = Settings(
        database_url=clean_database, redis_url=redis_url, webhook_allow_private=True,
        secret_keys=TEST_KEYS,
    )
    env = {
        **os.environ,
        "ITMJ_DATABASE_URL": clean_database,
        "ITMJ_SECRET_KEYS": TEST_SECRET_KEYS,
        "ITMJ_REDIS_URL": redis_url,
        "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1",
        "ITMJ_WEBHOOK_RETRY_DELAYS": "1,1,1,1,1,1,1,1",
    }
    clock = SystemClock()
    services = build_services(settings, clock=clock)
    processes = []
    try:
        employer = services.accounts.create_employer("Acme", trusted_partner=True)
        key = services.accounts.mint_key(
            employer.id, "ATS", frozenset({Scope.JOB_POSTING, Scope.WEBHOOKS})
        )
        api = TestClient(
            create_app(services), headers={"Authorization": f"Bearer {key.plaintext}"}
        )
        job = active_job(services, employer.id)
        with FlakyReceiver() as receiver:
            subscription = services.webhooks.subscribe(
                employer.id, receiver.url, SUBSCRIBABLE
            ).subscription
            processes += [spawn("worker", env), spawn("scheduler", env)]

            applications = [
                services.applications.submit(job.id, candidate(services, clock)).id
                for _ in range(APPLICATIONS)
            ]
            assert wait_until(
                lambda: not services.webhooks.get(subscription.id).enabled, 60
            ), len(receiver.received)

            for to in (ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEWED):
                for application_id in applications:
                    services.applications.move(application_id, to)
            assert wait_until(lambda: services.webhook_delivery.oldest_unrelayed() is None, 60)
            deliveries = services.webhooks.deliveries(
                subscription.id, None, PageRequest(1, 100), employer.id
            )
            held = [d for d in deliveries.items if d.attempts == 0]
            assert len(held) == 2 * APPLICATIONS
            assert {d.status for d in deliveries.items} == {DeliveryStatus.PENDING}
            attempts_while_off = len(receiver.received)

            receiver.down = False
            enabled = api.simulate_post(
                f"/api/v1/webhooks/subscriptions/{subscription.id}/enable"
            )
            assert enabled.status_code == 200, enabled.text
            assert enabled.json["enabled"] is True

            def all_delivered() -> bool:
                page = services.webhooks.deliveries(
                    subscription.id, DeliveryStatus.DELIVERED, PageRequest(1, 100), employer.id
                )
                return page.total == 3 * APPLICATIONS

            assert wait_until(all_delivered, 120), len(receiver.accepted)
            accepted = list(receiver.accepted)
            received = list(receiver.received)
    finally:
        for process in processes:
            process.kill()
            process.wait(10)

    held_ids = {d.event_id for d in held}
    assert not any(json.loads(r.body)["id"] in held_ids for r in received[:attempts_while_off])
    bodies = each_accepted_once_in_order(received, accepted, applications)

    try:
        listed = api.simulate_get("/api/v1/events").json
    finally:
        services.close()
    assert listed["hasMore"] is False
    assert listed["items"] == sorted(bodies, key=lambda b: b["sequence"])


def each_accepted_once_in_order(
    received: list[Received], accepted: list[Received], applications: list[int]
) -> list[dict]:
    """The accepted bodies, once each is checked to have one delivery id that no other event
    used and was accepted once, every application's three in ``sequence`` order."""
    bodies = [json.loads(r.body) for r in accepted]
    delivery_ids = [r.headers["X-Webhook-Delivery-Id"] for r in accepted]
    assert len(set(delivery_ids)) == len(delivery_ids) == 3 * APPLICATIONS
    assert len({b["id"] for b in bodies}) == 3 * APPLICATIONS
    events_of_delivery: dict[str, set[str]] = defaultdict(set)
    for r in received:
        events_of_delivery[r.headers["X-Webhook-Delivery-Id"]].add(json.loads(r.body)["id"])
    assert all(len(events) == 1 for events in events_of_delivery.values())
    for application_id in applications:
        sequences = [b["sequence"] for b in bodies if b["data"]["applicationId"] == application_id]
        assert len(sequences) == 3
        assert sequences == sorted(sequences), application_id
    return bodies

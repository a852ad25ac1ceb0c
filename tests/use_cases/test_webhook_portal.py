"""What the portal's webhook page does: a signed test event to one subscription, the delivery
log with status codes and dead letters, replay under the same id, and no reach into another
employer's subscriptions."""

import json
from datetime import timedelta

import pytest

from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from tests.adapters.receiver import Receiver
from tests.refusals import refused
from tests.use_cases.test_webhooks import partner_verifies

SUBMITTED = frozenset({EventType.APPLICATION_SUBMITTED})


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def test_a_test_event_reaches_only_that_subscription_signed_as_spec_section_10_says(
    services, clock, employer
):
    with Receiver(status=202) as receiver, Receiver() as sibling:
        created = services.webhooks.subscribe(employer.id, receiver.url + "/hook", SUBMITTED)
        services.webhooks.subscribe(employer.id, sibling.url, SUBSCRIBABLE)
        delivery = services.webhooks.send_test(created.subscription.id, employer.id)
        services.webhook_delivery.dispatch()
    assert sibling.received == []
    [received] = receiver.received
    now = int(clock.now().timestamp())
    assert partner_verifies(
        created.secret, received.headers["X-Webhook-Signature"], received.body, now
    )
    assert received.headers["X-Webhook-Event"] == "webhook.test"
    assert received.headers["X-Webhook-Delivery-Id"] == delivery.id
    body = json.loads(received.body)
    assert body["event"] == "webhook.test"
    assert body["data"] == {
        "subscriptionId": created.subscription.id,
        "sentAt": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    [logged] = services.webhooks.delivery_log(
        created.subscription.id, None, PageRequest(), employer.id
    ).items
    assert logged.event_type is EventType.WEBHOOK_TEST
    assert (logged.delivery.id, logged.delivery.status) == (delivery.id, DeliveryStatus.DELIVERED)
    assert (logged.delivery.attempts, logged.delivery.last_status_code) == (1, 202)


def test_a_test_event_is_the_employers_and_never_relayed_to_anyone_else(
    services, clock, employer
):
    created = services.webhooks.subscribe(employer.id, "https://hooks.example.com", SUBMITTED)
    delivery = services.webhooks.send_test(created.subscription.id, employer.id)
    with services.uow(read_only=True) as uow:
        event = uow.outbox.get_many([delivery.event_id])[delivery.event_id]
    assert (event.employer_id, event.type) == (employer.id, EventType.WEBHOOK_TEST)
    assert services.webhook_delivery.relay() == 0


def test_the_log_shows_failed_attempts_the_next_retry_and_dead_letters_then_replays_them(
    services, clock, employer
):
    with Receiver(status=503) as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        subscription_id = created.subscription.id
        sent = services.webhooks.send_test(subscription_id, employer.id)
        log = services.webhooks.delivery_log(
            subscription_id, DeliveryStatus.PENDING, PageRequest(1, 10), employer.id
        )
        [logged] = log.items
        assert log.request == PageRequest(1, 10)
        assert services.webhooks.delivery_log(
            subscription_id, DeliveryStatus.DEAD, PageRequest(), employer.id
        ).total == 0
        assert logged.delivery.last_status_code == 503
        assert logged.delivery.last_error == "HTTP 503"
        assert logged.delivery.next_attempt_at == clock.now() + timedelta(minutes=1)
        for _ in range(8):
            clock.advance(timedelta(days=1))
            services.webhook_delivery.dispatch()
        [dead] = services.webhooks.delivery_log(
            subscription_id, DeliveryStatus.DEAD, PageRequest(), employer.id
        ).items
        assert (dead.delivery.attempts, dead.delivery.last_status_code) == (9, 503)
        receiver.status = 200
        replayed = services.webhooks.redeliver(sent.id, employer.id)
    assert replayed.id == sent.id
    assert [r.headers["X-Webhook-Delivery-Id"] for r in receiver.received] == [sent.id] * 10
    [delivered] = services.webhooks.delivery_log(
        subscription_id, None, PageRequest(), employer.id
    ).items
    assert (delivered.delivery.status, delivered.delivery.last_status_code) == (
        DeliveryStatus.DELIVERED, 200
    )


def test_a_disabled_subscription_takes_no_test_event(services, employer):
    created = services.webhooks.subscribe(employer.id, "https://hooks.example.com", SUBMITTED)
    services.webhooks.disable(created.subscription.id, employer.id)
    with refused(InvalidState):
        services.webhooks.send_test(created.subscription.id, employer.id)
    assert services.webhooks.delivery_log(
        created.subscription.id, None, PageRequest(), employer.id
    ).total == 0


def test_nobody_subscribes_to_test_events(services, employer):
    with refused(InvalidInput) as raised:
        services.webhooks.subscribe(
            employer.id, "https://hooks.example.com", frozenset({EventType.WEBHOOK_TEST})
        )
    assert raised.value.field == "events"


def test_another_employers_subscriptions_and_deliveries_are_not_found(services, employer):
    rival = services.accounts.create_employer("Rival")
    with Receiver() as receiver:
        theirs = services.webhooks.subscribe(rival.id, receiver.url, SUBMITTED).subscription
        delivery = services.webhooks.send_test(theirs.id, rival.id)
    attempts = [
        lambda: services.webhooks.get(theirs.id, employer.id),
        lambda: services.webhooks.enable(theirs.id, employer.id),
        lambda: services.webhooks.disable(theirs.id, employer.id),
        lambda: services.webhooks.rotate_secret(theirs.id, employer.id),
        lambda: services.webhooks.send_test(theirs.id, employer.id),
        lambda: services.webhooks.delivery_log(theirs.id, None, PageRequest(), employer.id),
        lambda: services.webhooks.deliveries(theirs.id, None, PageRequest(), employer.id),
        lambda: services.webhooks.redeliver(delivery.id, employer.id),
        lambda: services.webhooks.delete(theirs.id, employer.id),
    ]
    for attempt in attempts:
        with refused(NotFound):
            attempt()
    for employer_id in (employer.id, None):
        with refused(NotFound):
            services.webhooks.redeliver("no-such-delivery", employer_id)
    assert services.webhooks.get(theirs.id, rival.id) == theirs
    assert services.webhooks.delivery_log(theirs.id, None, PageRequest(), rival.id).total == 1


def test_an_update_is_checked_as_a_subscription_and_only_for_its_employer(services, employer):
    created = services.webhooks.subscribe(employer.id, "https://hooks.example.com", SUBMITTED)
    other = services.accounts.create_employer("Other")
    with refused(NotFound):
        services.webhooks.update(created.subscription.id, other.id, url="https://x.example.com")
    with refused(InvalidInput):
        services.webhooks.update(created.subscription.id, employer.id, url="ftp://x.example.com")
    assert services.webhooks.get(created.subscription.id) == created.subscription
    moved = services.webhooks.update(created.subscription.id, url="https://y.example.com")
    assert services.webhooks.get(created.subscription.id, employer.id) == moved
    assert (moved.url, moved.events) == ("https://y.example.com", SUBMITTED)

"""The SubscriptionRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.subscriptions import AUTO_DISABLE_AFTER, EventType, Subscription
from tests.contract.seed import T0

SUBMITTED = EventType.APPLICATION_SUBMITTED
CHANGED = EventType.APPLICATION_STATUS_CHANGED
EXPIRED = EventType.JOB_EXPIRED


def test_an_added_subscription_reads_back_equal(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        subscription = Subscription(
            uow.subscriptions.next_id(), employer.id, "https://ats.example.com/hooks?k=1",
            frozenset({SUBMITTED, EXPIRED}), "whsec_abc", T0,
        )
        uow.subscriptions.add(subscription)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.subscriptions.get(subscription.id) == subscription
        assert uow.subscriptions.get(subscription.id + 1) is None
    with uow_factory() as uow:
        assert uow.subscriptions.get(subscription.id, for_update=True) == subscription


def test_save_stores_failures_the_auto_disable_and_a_new_secret(uow_factory, seed):
    subscription = seed.subscription(seed.employer().id)
    failing = subscription
    for n in range(AUTO_DISABLE_AFTER):
        failing = failing.record_failure(T0 + timedelta(minutes=n))
    changed = failing.rotate_secret("whsec_rotated", T0 + timedelta(hours=1))
    seed.save_subscription(changed)
    with uow_factory(read_only=True) as uow:
        stored = uow.subscriptions.get(subscription.id)
    assert stored == changed
    assert (stored.secret, stored.previous_secret) == ("whsec_rotated", subscription.secret)
    assert stored.previous_secret_until == T0 + timedelta(hours=25)
    assert (stored.enabled, stored.consecutive_failures, stored.disabled_at) == (
        False, AUTO_DISABLE_AFTER, T0 + timedelta(minutes=AUTO_DISABLE_AFTER - 1)
    )
    enabled = seed.save_subscription(stored.enable())
    with uow_factory(read_only=True) as uow:
        assert uow.subscriptions.get(subscription.id) == enabled


def test_save_stores_a_new_url_and_events(uow_factory, seed):
    subscription = seed.subscription(seed.employer().id)
    changed = seed.save_subscription(
        subscription.change("https://ats.example.org/v2/hooks", frozenset({CHANGED}))
    )
    with uow_factory(read_only=True) as uow:
        stored = uow.subscriptions.get(subscription.id)
        wanting = uow.subscriptions.wanting(subscription.employer_id, CHANGED)
    assert stored == changed
    assert (stored.url, stored.events) == ("https://ats.example.org/v2/hooks",
                                           frozenset({CHANGED}))
    assert wanting == [changed]


def test_list_for_employer_holds_only_its_subscriptions_in_id_order(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.subscription(acme.id)
    seed.subscription(other.id)
    second = seed.subscription(acme.id, frozenset({EXPIRED}), enabled=False)
    with uow_factory(read_only=True) as uow:
        assert list(uow.subscriptions.list_for_employer(acme.id)) == [first, second]
        assert list(uow.subscriptions.list_for_employer(other.id + 1)) == []


def test_wanting_is_the_employers_subscriptions_to_that_event_enabled_or_not(
    uow_factory, seed
):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    everything = seed.subscription(acme.id)
    submitted_only = seed.subscription(acme.id, frozenset({SUBMITTED}))
    off = seed.subscription(acme.id, frozenset({SUBMITTED, CHANGED}), enabled=False)
    expiry_only = seed.subscription(acme.id, frozenset({EXPIRED}))
    seed.subscription(other.id, frozenset({SUBMITTED}))
    with uow_factory(read_only=True) as uow:
        assert list(uow.subscriptions.wanting(acme.id, SUBMITTED)) == [
            everything, submitted_only, off
        ]
        assert list(uow.subscriptions.wanting(acme.id, CHANGED)) == [everything, off]
        assert list(uow.subscriptions.wanting(acme.id, EXPIRED)) == [everything, expiry_only]
        assert list(uow.subscriptions.wanting(other.id + 1, SUBMITTED)) == []


def test_delete_removes_the_subscription_and_its_deliveries_only(uow_factory, seed):
    employer = seed.employer()
    doomed, kept = seed.subscription(employer.id), seed.subscription(employer.id)
    event = seed.event(employer.id)
    gone = seed.deliveries(doomed.id, event.id, 3)
    staying = seed.deliveries(kept.id, event.id, 2)
    with uow_factory() as uow:
        uow.subscriptions.delete(doomed.id)
        uow.subscriptions.delete(kept.id + 100)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.subscriptions.get(doomed.id) is None
        assert list(uow.subscriptions.list_for_employer(employer.id)) == [kept]
        assert [uow.deliveries.get(d.id) for d in gone] == [None, None, None]
        assert uow.deliveries.list_for_subscription(doomed.id, None, PageRequest()).total == 0
        assert [uow.deliveries.get(d.id) for d in staying] == staying
        assert list(uow.deliveries.due(T0, 10)) == [d.id for d in staying]


def test_a_delete_left_uncommitted_keeps_everything(uow_factory, seed):
    employer = seed.employer()
    subscription = seed.subscription(employer.id)
    [delivery] = seed.deliveries(subscription.id, seed.event(employer.id).id, 1)
    with uow_factory() as uow:
        uow.subscriptions.delete(subscription.id)
    with uow_factory(read_only=True) as uow:
        assert uow.subscriptions.get(subscription.id) == subscription
        assert uow.deliveries.get(delivery.id) == delivery

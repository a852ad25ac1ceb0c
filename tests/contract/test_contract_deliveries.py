"""The DeliveryRepository contract, on every adapter: leases, the in-flight cap, the order of
first attempts about one subject, the sweep's view of what is due, and the listing."""

from datetime import timedelta

import pytest

from itmj_domain.applications import ApplicationStatus
from itmj_domain.events import ApplicationStatusChanged, JobExpired, WebhookTest
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.retry_policy import RetryPolicy
from tests.contract.seed import T0

NOW = T0 + timedelta(seconds=1)
UNTIL = NOW + timedelta(seconds=60)
CAP = 50
POLICY = RetryPolicy()


@pytest.fixture
def employer(seed):
    return seed.employer()


@pytest.fixture
def subscription(seed, employer):
    return seed.subscription(employer.id)


@pytest.fixture
def event(seed, employer):
    """An event about no application or job, so that no order holds its deliveries back."""
    return seed.event(employer.id, WebhookTest(1, T0))


def _about(seed, employer_id: int, application_id: int):
    return seed.event(employer_id, ApplicationStatusChanged(
        application_id, ApplicationStatus.NEW, ApplicationStatus.SCREENED, T0, 1,
    ))


def _lease(uow_factory, deliveries, now=NOW, until=UNTIL, cap=CAP) -> list[Delivery]:
    """Lease in a unit of work of its own, committed."""
    with uow_factory() as uow:
        leased = list(uow.deliveries.lease(
            [d if isinstance(d, str) else d.id for d in deliveries], now, until, cap
        ))
        uow.commit()
    return leased


def _due(uow_factory, now=NOW, limit=1000) -> list[str]:
    with uow_factory(read_only=True) as uow:
        return list(uow.deliveries.due(now, limit))


def _ids(deliveries) -> list[str]:
    return [d.id for d in deliveries]


def test_a_delivery_reads_back_equal_after_each_outcome(uow_factory, seed, subscription, event):
    [pending] = seed.deliveries(subscription.id, event.id, 1)
    with uow_factory(read_only=True) as uow:
        assert uow.deliveries.get(pending.id) == pending
        assert uow.deliveries.get("dlv_unknown") is None
    failed = pending.failed(NOW, "HTTP 503 — " + "x" * 600, POLICY, status_code=503)
    dead = failed.failed(NOW + timedelta(minutes=1), "timed out", RetryPolicy((
        timedelta(seconds=1),
    )))
    replayed = dead.redeliver(NOW + timedelta(hours=1))
    delivered = replayed.succeeded(NOW + timedelta(hours=1, microseconds=7), status_code=204)
    for outcome in (failed, dead, replayed, delivered):
        seed.save_delivery(outcome)
        with uow_factory(read_only=True) as uow:
            assert uow.deliveries.get(pending.id) == outcome
    assert len(failed.last_error) == 500
    assert (failed.last_status_code, dead.last_status_code) == (503, None)
    assert delivered.last_status_code == 204


def test_due_is_pending_and_due_deliveries_soonest_first(uow_factory, seed, subscription, event):
    later = seed.deliveries(subscription.id, event.id, 2, due_at=T0 + timedelta(microseconds=1),
                            prefix="a")
    sooner = seed.deliveries(subscription.id, event.id, 2, due_at=T0, prefix="b")
    [not_yet] = seed.deliveries(subscription.id, event.id, 1, due_at=NOW + timedelta(seconds=1),
                                prefix="c")
    [delivered, dead] = seed.deliveries(subscription.id, event.id, 2, prefix="d")
    seed.save_delivery(delivered.succeeded(T0))
    seed.save_delivery(dead.failed(T0, "gone", RetryPolicy((timedelta(seconds=1),))).failed(
        T0, "gone", RetryPolicy((timedelta(seconds=1),))
    ))
    assert _due(uow_factory) == _ids(sooner + later)
    assert _due(uow_factory, limit=3) == _ids(sooner + later[:1])
    assert _due(uow_factory, now=NOW + timedelta(seconds=1)) == _ids(sooner + later + [not_yet])
    assert _due(uow_factory, now=T0 - timedelta(microseconds=1)) == []


def test_a_leased_delivery_is_neither_due_nor_leasable_until_its_lease_lapses(
    uow_factory, seed, subscription, event
):
    [delivery, other] = seed.deliveries(subscription.id, event.id, 2)
    assert _lease(uow_factory, [delivery]) == [delivery]
    assert _due(uow_factory) == [other.id]
    assert _lease(uow_factory, [delivery], now=UNTIL - timedelta(microseconds=1)) == []
    assert _due(uow_factory, now=UNTIL) == [delivery.id, other.id]
    assert _lease(uow_factory, [delivery], now=UNTIL, until=UNTIL + timedelta(seconds=60)) == [
        delivery
    ]


def test_lease_claims_only_pending_due_deliveries_in_the_order_asked(
    uow_factory, seed, subscription, event
):
    first, second, third = seed.deliveries(subscription.id, event.id, 3)
    [not_yet] = seed.deliveries(subscription.id, event.id, 1, due_at=UNTIL, prefix="later")
    [delivered] = seed.deliveries(subscription.id, event.id, 1, prefix="done")
    seed.save_delivery(delivered.succeeded(T0))
    leased = _lease(uow_factory, [third.id, "dlv_unknown", not_yet.id, first.id, delivered.id,
                                  third.id, second.id])
    assert leased == [third, first, second]


def test_lease_never_holds_more_than_the_cap_per_subscription(
    uow_factory, seed, subscription, event
):
    deliveries = seed.deliveries(subscription.id, event.id, 60)
    leased = _lease(uow_factory, deliveries)
    assert leased == deliveries[:CAP]
    assert _lease(uow_factory, deliveries) == []
    assert _due(uow_factory) == _ids(deliveries[CAP:])


def test_leases_other_units_of_work_hold_count_against_the_cap(
    uow_factory, seed, subscription, event
):
    deliveries = seed.deliveries(subscription.id, event.id, 60)
    held = _lease(uow_factory, deliveries[-10:])
    assert held == deliveries[-10:]
    assert _lease(uow_factory, reversed(deliveries)) == list(reversed(deliveries[10:50]))
    assert _due(uow_factory) == _ids(deliveries[:10])


def test_the_cap_is_per_subscription(uow_factory, seed, employer, subscription, event):
    other = seed.subscription(employer.id)
    mine = seed.deliveries(subscription.id, event.id, 3)
    theirs = seed.deliveries(other.id, event.id, 3)
    leased = _lease(uow_factory, [d for pair in zip(mine, theirs, strict=True) for d in pair],
                    cap=2)
    assert leased == [mine[0], theirs[0], mine[1], theirs[1]]


def test_lapsed_leases_do_not_count_against_the_cap(uow_factory, seed, subscription, event):
    deliveries = seed.deliveries(subscription.id, event.id, 4)
    assert _lease(uow_factory, deliveries, cap=2) == deliveries[:2]
    later = UNTIL + timedelta(seconds=1)
    assert _lease(uow_factory, deliveries[2:], now=later, until=later + timedelta(seconds=60),
                  cap=2) == deliveries[2:]


def test_save_releases_the_lease(uow_factory, seed, subscription, event):
    first, second, third = seed.deliveries(subscription.id, event.id, 3)
    assert _lease(uow_factory, [first], cap=1) == [first]
    assert _lease(uow_factory, [second], cap=1) == []
    seed.save_delivery(first.failed(NOW, "HTTP 500", POLICY))
    assert _lease(uow_factory, [first, second], cap=1) == [second]
    seed.save_delivery(second.succeeded(NOW))
    replayed = seed.save_delivery(second.succeeded(NOW).redeliver(NOW))
    assert _due(uow_factory) == [third.id, second.id]
    assert _lease(uow_factory, [second, third], cap=1) == [replayed]


def test_a_disabled_subscriptions_deliveries_are_neither_due_nor_leasable(
    uow_factory, seed, employer, subscription, event
):
    off = seed.subscription(employer.id, enabled=False)
    waiting = seed.deliveries(off.id, event.id, 2, prefix="off")
    live = seed.deliveries(subscription.id, event.id, 1)
    assert _due(uow_factory) == _ids(live)
    assert _lease(uow_factory, waiting + live) == live
    seed.save_subscription(off.enable())
    assert _due(uow_factory) == _ids(waiting)
    assert _lease(uow_factory, waiting) == waiting


def test_disabling_a_subscription_stops_its_deliveries_being_leased(
    uow_factory, seed, subscription, event
):
    deliveries = seed.deliveries(subscription.id, event.id, 2)
    assert _lease(uow_factory, deliveries[:1]) == deliveries[:1]
    seed.save_subscription(subscription.disable(NOW))
    assert _lease(uow_factory, deliveries) == []
    assert _due(uow_factory, now=UNTIL) == []


def test_a_lease_left_uncommitted_claims_nothing(uow_factory, seed, subscription, event):
    deliveries = seed.deliveries(subscription.id, event.id, 2)
    with uow_factory() as uow:
        assert list(uow.deliveries.lease(_ids(deliveries), NOW, UNTIL, CAP)) == deliveries
    assert _lease(uow_factory, deliveries, cap=2) == deliveries


def test_list_for_subscription_is_oldest_first_by_creation_then_id(
    uow_factory, seed, employer, subscription, event
):
    newer = seed.deliveries(subscription.id, event.id, 2, created_at=T0 + timedelta(minutes=1),
                            prefix="a")
    older = seed.deliveries(subscription.id, event.id, 2, created_at=T0, prefix="b")
    seed.deliveries(seed.subscription(employer.id).id, event.id, 2, prefix="theirs")
    with uow_factory(read_only=True) as uow:
        page = uow.deliveries.list_for_subscription(subscription.id, None, PageRequest())
    assert list(page.items) == older + newer
    assert page.total == 4


def test_list_for_subscription_pages_and_filters_by_status(
    uow_factory, seed, subscription, event
):
    deliveries = [
        seed.deliveries(subscription.id, event.id, 1, created_at=T0 + timedelta(seconds=n),
                        prefix=f"n{n}")[0]
        for n in range(5)
    ]
    delivered = [seed.save_delivery(d.succeeded(NOW)) for d in deliveries[1::2]]

    def listed(status, page):
        with uow_factory(read_only=True) as uow:
            return uow.deliveries.list_for_subscription(subscription.id, status, page)

    pages = [listed(None, PageRequest(n, 2)) for n in (1, 2, 3, 4)]
    assert [list(p.items) for p in pages] == [
        [deliveries[0], delivered[0]], [deliveries[2], delivered[1]], [deliveries[4]], []
    ]
    assert [p.total for p in pages] == [5, 5, 5, 5]
    done = listed(DeliveryStatus.DELIVERED, PageRequest())
    assert (list(done.items), done.total) == (delivered, 2)
    pending = listed(DeliveryStatus.PENDING, PageRequest(2, 2))
    assert (_ids(pending.items), pending.total) == ([deliveries[4].id], 3)
    dead = listed(DeliveryStatus.DEAD, PageRequest(3, 10))
    assert (list(dead.items), dead.total) == ([], 0)


def _one_each(seed, subscription_id, events, prefix="dlv"):
    return [
        seed.deliveries(subscription_id, event.id, 1, prefix=f"{prefix}{n}")[0]
        for n, event in enumerate(events)
    ]


def test_first_attempts_about_one_subject_go_one_at_a_time_in_sequence_order(
    uow_factory, seed, employer, subscription
):
    first, second, third = (_about(seed, employer.id, 7) for _ in range(3))
    elsewhere = _about(seed, employer.id, 8)
    job = seed.event(employer.id, JobExpired(7, T0))
    # Created newest first, so that neither creation nor id order gives the answer.
    later, middle, earliest = _one_each(seed, subscription.id, [third, second, first], "z")
    [other, expiry] = _one_each(seed, subscription.id, [elsewhere, job], "a")
    assert _due(uow_factory) == _ids([earliest, other, expiry])
    assert _lease(uow_factory, [later, middle, earliest, other, expiry]) == [
        earliest, other, expiry
    ]
    assert _due(uow_factory) == []
    assert _lease(uow_factory, [middle, later]) == []
    seed.save_delivery(earliest.succeeded(NOW))
    assert _due(uow_factory) == [middle.id]
    assert _lease(uow_factory, [later, middle]) == [middle]


def test_a_failed_first_attempt_releases_the_next_event_and_its_retry_waits_its_turn(
    uow_factory, seed, employer, subscription
):
    first, second = (_about(seed, employer.id, 7) for _ in range(2))
    earlier, later = _one_each(seed, subscription.id, [first, second])
    assert _lease(uow_factory, [earlier, later]) == [earlier]
    failed = seed.save_delivery(earlier.failed(NOW, "HTTP 500", RetryPolicy((
        timedelta(seconds=1),
    ))))
    assert _due(uow_factory) == [later.id]
    retry_at = failed.next_attempt_at
    assert _lease(uow_factory, [later]) == [later]
    assert _due(uow_factory, now=retry_at) == []
    assert _lease(uow_factory, [failed], now=retry_at) == []
    seed.save_delivery(later.failed(NOW, "HTTP 500", POLICY))
    assert _due(uow_factory, now=retry_at) == [failed.id]
    assert _lease(uow_factory, [failed], now=retry_at) == [failed]


def test_of_two_due_retries_about_one_subject_one_is_leased_the_earlier_event(
    uow_factory, seed, employer, subscription
):
    first, second = (_about(seed, employer.id, 7) for _ in range(2))
    earlier, later = _one_each(seed, subscription.id, [first, second])
    policy = RetryPolicy((timedelta(seconds=1),))
    retry_at = NOW + timedelta(seconds=1)
    seed.save_delivery(earlier.failed(NOW, "HTTP 500", policy))
    seed.save_delivery(later.failed(NOW, "HTTP 500", policy))
    assert _lease(uow_factory, [later, earlier], now=retry_at) == [
        earlier.failed(NOW, "HTTP 500", policy)
    ]


def test_the_order_holds_per_subscription(uow_factory, seed, employer, subscription):
    other = seed.subscription(employer.id)
    first, second = (_about(seed, employer.id, 7) for _ in range(2))
    [mine] = _one_each(seed, subscription.id, [first])
    [theirs] = _one_each(seed, other.id, [second])
    assert _lease(uow_factory, [mine, theirs]) == [mine, theirs]


def test_a_disabled_subscription_holds_its_deliveries_and_enabling_releases_the_oldest(
    uow_factory, seed, employer
):
    off = seed.subscription(employer.id, enabled=False)
    first, second = (_about(seed, employer.id, 7) for _ in range(2))
    earlier, _ = _one_each(seed, off.id, [first, second])
    assert _due(uow_factory) == []
    seed.save_subscription(off.enable())
    assert _due(uow_factory) == [earlier.id]


def test_resume_makes_every_pending_delivery_due_and_due_gives_them_by_sequence(
    uow_factory, seed, employer, subscription
):
    other = seed.subscription(employer.id)
    first, second, third = (_about(seed, employer.id, n) for n in (7, 8, 9))
    # Created newest first, and the earliest event's retry waits longest.
    newest, middle, oldest = _one_each(seed, subscription.id, [third, second, first], "a")
    [elsewhere] = _one_each(seed, other.id, [first], "b")
    retry = seed.save_delivery(oldest.failed(NOW, "HTTP 503", POLICY))
    [done] = _one_each(seed, subscription.id, [seed.event(employer.id, WebhookTest(1, T0))], "c")
    seed.save_delivery(done.succeeded(NOW))
    later = NOW + timedelta(seconds=1)
    assert _due(uow_factory, now=later) == _ids([elsewhere, middle, newest])
    with uow_factory() as uow:
        uow.deliveries.resume(subscription.id, later)
        uow.commit()
    assert _due(uow_factory, now=later) == _ids([elsewhere, retry, middle, newest])
    with uow_factory(read_only=True) as uow:
        resumed = uow.deliveries.get(retry.id)
        assert (resumed.next_attempt_at, resumed.attempts) == (later, 1)
        assert uow.deliveries.get(done.id).next_attempt_at == done.next_attempt_at

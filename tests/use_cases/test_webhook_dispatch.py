"""The delivery dispatcher through the real composition root, on every backend, with a partner
that answers on cue: what a pass reports, backlogs beyond one batch, work leased by another
worker, and subscriptions deleted while their requests are in flight."""

from collections.abc import Sequence

import attrs
import pytest

from itmj_adapters.testing import RecordingSender
from itmj_domain.events import Event, JobExpired
from itmj_domain.pagination import PageRequest
from itmj_domain.services.webhook_delivery import BATCH_SIZE, MAX_IN_FLIGHT, Dispatch
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType

EXPIRED = frozenset({EventType.JOB_EXPIRED})


class RecordingTasks:
    """A queue that only counts the passes handed over to another task."""

    def __init__(self) -> None:
        self.dispatches = 0

    def dispatch(self) -> None:
        self.dispatches += 1

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        raise AssertionError("the dispatcher hands over whole passes, not deliveries")

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        raise AssertionError("not the dispatcher's business")

    def send_password_reset(self, email: str, page_url: str) -> None:
        raise AssertionError("not the dispatcher's business")


@pytest.fixture
def partner() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def tasks() -> RecordingTasks:
    return RecordingTasks()


@pytest.fixture
def services(make_services, partner, tasks):
    """The partner's endpoint answers every POST with 200; the queue only counts."""
    return make_services(webhook_sender=partner, task_queue=tasks)


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def subscribe(services, employer, name: str) -> int:
    url = f"https://{name}.example.com/hook"
    return services.webhooks.subscribe(employer.id, url, EXPIRED).subscription.id


def record_events(services, clock, employer, count: int) -> None:
    with services.uow() as uow:
        for job_id in range(1, count + 1):
            uow.outbox.add(Event.record(employer.id, clock.now(), JobExpired(job_id, clock.now())))
        uow.commit()


def deliveries(services, subscription_id: int):
    return services.webhooks.deliveries(subscription_id, None, PageRequest(1, 100)).items


def test_a_pass_reports_the_events_it_relayed_and_the_deliveries_it_attempted(
    services, clock, employer, partner
):
    first, second = subscribe(services, employer, "one"), subscribe(services, employer, "two")
    record_events(services, clock, employer, 3)
    delivery = services.webhook_delivery

    assert delivery.dispatch() == Dispatch(relayed_events=3, attempted_deliveries=6)
    assert delivery.dispatch() == Dispatch(relayed_events=0, attempted_deliveries=0)
    assert len(set(partner.delivery_ids)) == 6
    for subscription_id in (first, second):
        made = deliveries(services, subscription_id)
        assert [d.status for d in made] == [DeliveryStatus.DELIVERED] * 3
        assert {d.created_at for d in made} == {clock.now()}


def test_one_pass_works_through_a_backlog_of_several_batches(services, clock, employer, tasks):
    subscription_id = subscribe(services, employer, "one")
    backlog = 2 * BATCH_SIZE + 20
    record_events(services, clock, employer, backlog)

    assert services.webhook_delivery.dispatch() == Dispatch(backlog, backlog)
    assert {d.status for d in deliveries(services, subscription_id)} == {DeliveryStatus.DELIVERED}
    assert tasks.dispatches == 0


def test_a_pass_told_to_stop_ends_before_its_next_batch_and_hands_the_rest_over(
    services, clock, employer, tasks
):
    subscription_id = subscribe(services, employer, "one")
    backlog = 2 * BATCH_SIZE + 20
    record_events(services, clock, employer, backlog)
    answers = iter([False, True])

    stopped = services.webhook_delivery.dispatch(stopping=lambda: next(answers))

    assert stopped == Dispatch(relayed_events=backlog, attempted_deliveries=BATCH_SIZE)
    assert tasks.dispatches == 1
    delivered = services.webhooks.deliveries(
        subscription_id, DeliveryStatus.DELIVERED, PageRequest(1, 100)
    )
    assert delivered.total == BATCH_SIZE
    assert services.webhook_delivery.dispatch() == Dispatch(0, backlog - BATCH_SIZE)


def test_deliveries_another_worker_holds_are_left_to_it(
    services, clock, employer, partner, tasks
):
    subscribe(services, employer, "one")
    record_events(services, clock, employer, 2)
    services.webhook_delivery.relay()
    now = clock.now()
    until = now + services.webhook_delivery.lease
    with services.uow() as uow:
        held = uow.deliveries.lease(uow.deliveries.due(now, 10), now, until, 50)
        uow.commit()
    assert len(held) == 2

    assert services.webhook_delivery.dispatch() == Dispatch(0, 0)
    assert partner.requests == []
    assert tasks.dispatches == 0  # nothing to hand over: the holder goes on


def test_a_subscription_at_its_in_flight_cap_is_left_to_the_holder(
    services, clock, employer, partner, tasks
):
    subscribe(services, employer, "one")
    record_events(services, clock, employer, MAX_IN_FLIGHT + 10)
    services.webhook_delivery.relay()
    now = clock.now()
    until = now + services.webhook_delivery.lease
    with services.uow() as uow:
        held = uow.deliveries.lease(uow.deliveries.due(now, MAX_IN_FLIGHT), now, until,
                                    MAX_IN_FLIGHT)
        uow.commit()
    assert len(held) == MAX_IN_FLIGHT

    # Ten are due but none can be leased: the pass gives up rather than spinning or handing
    # the same refusal over to another task.
    assert services.webhook_delivery.dispatch() == Dispatch(0, 0)
    assert partner.requests == []
    assert tasks.dispatches == 0


def test_a_delivery_in_flight_is_not_sent_again_by_another_worker(
    services, clock, employer, partner
):
    subscribe(services, employer, "one")
    record_events(services, clock, employer, 1)
    # The other worker: the same store, a sender of its own.
    other = RecordingSender()
    partner.while_in_flight(
        lambda: attrs.evolve(services.webhook_delivery, sender=other).dispatch()
    )

    services.webhook_delivery.dispatch()

    assert (len(partner.requests), other.requests) == (1, [])


def test_a_subscription_deleted_in_flight_leaves_the_others_recorded(
    services, clock, employer, partner
):
    doomed, kept = subscribe(services, employer, "one"), subscribe(services, employer, "two")
    record_events(services, clock, employer, 1)
    partner.while_in_flight(lambda: services.webhooks.delete(doomed))

    services.webhook_delivery.dispatch()

    assert len(partner.requests) == 2
    [delivered] = deliveries(services, kept)
    assert delivered.status is DeliveryStatus.DELIVERED
    assert [s.id for s in services.webhooks.list(employer.id)] == [kept]

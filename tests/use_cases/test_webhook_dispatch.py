"""The delivery dispatcher through the real composition root, on every backend, with a partner
that answers on cue: what a pass reports, backlogs beyond one batch, work leased by another
worker, and subscriptions deleted while their requests are in flight."""

from collections.abc import Callable, Sequence

import attrs
import pytest

from itmj_domain.events import Event, JobExpired
from itmj_domain.pagination import PageRequest
from itmj_domain.ports import OutboundRequest
from itmj_domain.services.webhook_delivery import BATCH_SIZE, MAX_IN_FLIGHT, Dispatch
from itmj_domain.webhooks.deliveries import AttemptOutcome, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType

EXPIRED = frozenset({EventType.JOB_EXPIRED})


class Partner:
    """Answers every POST with 200 and notes which delivery it was; ``during`` runs once,
    while the first requests are in flight."""

    def __init__(self, during: Callable[[], None] = lambda: None) -> None:
        self.received: list[str] = []
        self._during: Callable[[], None] | None = during

    def send_many(self, requests: Sequence[OutboundRequest]) -> list[AttemptOutcome]:
        if self._during is not None:
            during, self._during = self._during, None
            during()
        self.received.extend(r.headers["X-Webhook-Delivery-Id"] for r in requests)
        return [AttemptOutcome(200) for _ in requests]


class RecordingTasks:
    def __init__(self) -> None:
        self.dispatches = 0

    def dispatch(self) -> None:
        self.dispatches += 1

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        raise AssertionError("the dispatcher hands over whole passes, not deliveries")

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        raise AssertionError("not the dispatcher's business")


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


def dispatcher(services, partner, tasks=None):
    return attrs.evolve(services.webhook_delivery, sender=partner, tasks=tasks or RecordingTasks())


def deliveries(services, subscription_id: int):
    return services.webhooks.deliveries(subscription_id, None, PageRequest(1, 100)).items


def test_a_pass_reports_the_events_it_relayed_and_the_deliveries_it_attempted(
    services, clock, employer
):
    first, second = subscribe(services, employer, "one"), subscribe(services, employer, "two")
    record_events(services, clock, employer, 3)
    partner = Partner()
    delivery = dispatcher(services, partner)

    assert delivery.dispatch() == Dispatch(relayed_events=3, attempted_deliveries=6)
    assert delivery.dispatch() == Dispatch(relayed_events=0, attempted_deliveries=0)
    assert len(set(partner.received)) == 6
    for subscription_id in (first, second):
        made = deliveries(services, subscription_id)
        assert [d.status for d in made] == [DeliveryStatus.DELIVERED] * 3
        assert {d.created_at for d in made} == {clock.now()}


def test_one_pass_works_through_a_backlog_of_several_batches(services, clock, employer):
    subscription_id = subscribe(services, employer, "one")
    backlog = 2 * BATCH_SIZE + 20
    record_events(services, clock, employer, backlog)
    tasks = RecordingTasks()

    assert dispatcher(services, Partner(), tasks).dispatch() == Dispatch(backlog, backlog)
    assert {d.status for d in deliveries(services, subscription_id)} == {DeliveryStatus.DELIVERED}
    assert tasks.dispatches == 0


def test_deliveries_another_worker_holds_are_left_to_it(services, clock, employer):
    subscribe(services, employer, "one")
    record_events(services, clock, employer, 2)
    services.webhook_delivery.relay()
    now = clock.now()
    until = now + services.webhook_delivery.lease
    with services.uow() as uow:
        held = uow.deliveries.lease(uow.deliveries.due(now, 10), now, until, 50)
        uow.commit()
    assert len(held) == 2
    partner, tasks = Partner(), RecordingTasks()

    assert dispatcher(services, partner, tasks).dispatch() == Dispatch(0, 0)
    assert partner.received == []
    assert tasks.dispatches == 0  # nothing to hand over: the holder goes on


def test_a_subscription_at_its_in_flight_cap_is_left_to_the_holder(services, clock, employer):
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
    partner, tasks = Partner(), RecordingTasks()

    # Ten are due but none can be leased: the pass gives up rather than spinning or handing
    # the same refusal over to another task.
    assert dispatcher(services, partner, tasks).dispatch() == Dispatch(0, 0)
    assert partner.received == []
    assert tasks.dispatches == 0


def test_a_delivery_in_flight_is_not_sent_again_by_another_worker(services, clock, employer):
    subscribe(services, employer, "one")
    record_events(services, clock, employer, 1)
    other = Partner()
    partner = Partner(during=lambda: dispatcher(services, other).dispatch())

    dispatcher(services, partner).dispatch()

    assert (len(partner.received), other.received) == (1, [])


def test_a_subscription_deleted_in_flight_leaves_the_others_recorded(services, clock, employer):
    doomed, kept = subscribe(services, employer, "one"), subscribe(services, employer, "two")
    record_events(services, clock, employer, 1)
    partner = Partner(during=lambda: services.webhooks.delete(doomed))

    dispatcher(services, partner).dispatch()

    assert len(partner.received) == 2
    [delivered] = deliveries(services, kept)
    assert delivered.status is DeliveryStatus.DELIVERED
    assert [s.id for s in services.webhooks.list(employer.id)] == [kept]

"""Turning outbox events into signed deliveries, and delivering them.

Delivery is at-least-once: the outbox and the deliveries live in the database, tasks only
say "look now". A batch is leased before it is sent so that two workers never send the same
delivery at once and no subscription has more than ``MAX_IN_FLIGHT`` requests in flight; a
worker that dies mid-batch leaves leases that lapse, and the sweep sends those again (with the
same delivery id, so receivers can drop the duplicate).

Order (SPEC §12): the lease never gives a batch two deliveries of one subscription about the
same application or job, nor one while another about it is in flight, and a first attempt
waits for the first attempts of that subject's earlier events. So a batch still goes out in
parallel, its subjects all different, and a subject's events go out one after another in
``sequence`` order. Every subscription that wants an event gets its delivery, a disabled one
too: the lease leaves those held until the subscription is enabled again.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import attrs

from itmj_domain.clock import Clock
from itmj_domain.events import Event
from itmj_domain.ports import (
    NO_METRICS,
    DeliveryLog,
    EventEncoder,
    Metrics,
    Notifier,
    OutboundRequest,
    TaskQueue,
    UnitOfWorkFactory,
    WebhookSender,
)
from itmj_domain.webhooks import signing
from itmj_domain.webhooks.deliveries import AttemptOutcome, Delivery, DeliveryStatus
from itmj_domain.webhooks.retry_policy import RetryPolicy
from itmj_domain.webhooks.subscriptions import EventType, Subscription

MAX_IN_FLIGHT = 50
BATCH_SIZE = 50
MAX_BATCHES_PER_DISPATCH = 200
# Longer than the 10 s request budget, so a live worker never loses its lease mid-send.
DEFAULT_LEASE = timedelta(seconds=60)


def _never() -> bool:
    return False


@attrs.frozen
class Dispatch:
    """What one pass of the dispatcher did."""

    relayed_events: int
    attempted_deliveries: int


class SilentDeliveryLog:
    """The ``DeliveryLog`` of an embedder who wants none."""

    def attempted(self, delivery: Delivery, event: Event) -> None:
        pass

    def relayed(self, events: int, attempted: int) -> None:
        pass


@attrs.frozen
class WebhookDelivery:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue
    sender: WebhookSender
    encoder: EventEncoder
    notifier: Notifier
    policy: RetryPolicy = attrs.field(factory=RetryPolicy)
    lease: timedelta = DEFAULT_LEASE
    log: DeliveryLog = attrs.field(factory=SilentDeliveryLog)
    metrics: Metrics = NO_METRICS

    def dispatch(self, limit: int = 1000, stopping: Callable[[], bool] = _never) -> Dispatch:
        """Relay waiting events into deliveries, then send what is due, batch after batch,
        until nothing due can be leased here: all sent, or held by other workers, or the
        subscriptions are at their in-flight cap (their leases' holders, or the next sweep,
        go on). Workers pull due work this way instead of being handed delivery ids, so a
        backlog never fills the queue with copies of the same work.

        ``stopping`` is asked before each batch: a worker told to stop hands the rest over
        there, with every lease it took recorded, rather than keep its stop waiting until
        the whole backlog is sent."""
        relayed, attempted, idle_rounds = 0, 0, 0
        for _ in range(MAX_BATCHES_PER_DISPATCH):
            if stopping():
                self.tasks.dispatch()
                break
            # Relaying again before each batch lets events committed meanwhile join the
            # queue of due deliveries at once rather than after this whole backlog.
            relayed += self.relay(limit)
            with self.uow(read_only=True) as uow:
                due = uow.deliveries.due(self.clock.now(), BATCH_SIZE)
            if not due:
                break
            done = self.deliver(due)
            attempted += len(done)
            # Nothing leased twice in a row: the due ones are another worker's or capped.
            idle_rounds = 0 if done else idle_rounds + 1
            if idle_rounds == 2:
                break
        else:
            self.tasks.dispatch()  # more is due than one task should take on: hand over
        self.log.relayed(relayed, attempted)
        return Dispatch(relayed, attempted)

    def relay(self, limit: int = 1000) -> int:
        now = self.clock.now()
        with self.uow() as uow:
            events = uow.outbox.claim_unrelayed(limit)
            wanting: dict[tuple[int, EventType], Sequence[Subscription]] = {}
            deliveries: list[Delivery] = []
            for event in events:
                audience = (event.employer_id, event.type)
                if audience not in wanting:
                    wanting[audience] = uow.subscriptions.wanting(*audience)
                deliveries.extend(
                    Delivery.new(subscription.id, event.id, now)
                    for subscription in wanting[audience]
                )
            uow.deliveries.add_all(deliveries)
            uow.outbox.mark_relayed([event.id for event in events], now)
            uow.commit()
        return len(events)

    def deliver(self, delivery_ids: Sequence[str]) -> list[Delivery]:
        """Attempt the given deliveries that are due; returns their new states."""
        now = self.clock.now()
        with self.uow() as uow:
            leased = uow.deliveries.lease(delivery_ids, now, now + self.lease, MAX_IN_FLIGHT)
            # A leased delivery's subscription and event exist: the lease was taken in this
            # unit of work, and deliveries are deleted together with their subscription.
            subscriptions = {
                sid: subscription for sid in {d.subscription_id for d in leased}
                if (subscription := uow.subscriptions.get(sid)) is not None
            }
            events = uow.outbox.get_many(list({d.event_id for d in leased}))
            uow.commit()
        bodies = {event_id: self.encoder.encode(event) for event_id, event in events.items()}
        requests = [
            self._request(d, subscriptions[d.subscription_id], events[d.event_id].type,
                          bodies[d.event_id], now)
            for d in leased
        ]
        outcomes = self.sender.send_many(requests) if requests else []
        recorded = self._record(list(zip(leased, outcomes, strict=True)))
        for delivery in recorded:
            self.log.attempted(delivery, events[delivery.event_id])
        return recorded

    @staticmethod
    def _request(delivery: Delivery, subscription: Subscription, event: EventType,
                 body: bytes, now: datetime) -> OutboundRequest:
        timestamp = int(now.timestamp())
        return OutboundRequest(subscription.url, {
            "X-Webhook-Signature": signing.signature_header(subscription.secret, timestamp, body),
            "X-Webhook-Event": event.value,
            "X-Webhook-Delivery-Id": delivery.id,
            **signing.standard_headers(
                subscription.signing_secrets(now), delivery.id, timestamp, body
            ),
        }, body)

    def _record(self, attempts: list[tuple[Delivery, AttemptOutcome]]) -> list[Delivery]:
        now = self.clock.now()
        by_subscription: dict[int, list[tuple[Delivery, AttemptOutcome]]] = defaultdict(list)
        for delivery, outcome in attempts:
            by_subscription[delivery.subscription_id].append((delivery, outcome))
        recorded: list[Delivery] = []
        disabled: list[Subscription] = []
        with self.uow() as uow:
            # Subscriptions are locked in id order, as every other writer locks them, so two
            # workers recording overlapping batches cannot deadlock.
            for subscription_id in sorted(by_subscription):
                subscription = uow.subscriptions.get(subscription_id, for_update=True)
                if subscription is None:
                    continue  # deleted while the requests were in flight, deliveries with it
                stored = subscription
                for delivery, outcome in by_subscription[subscription_id]:
                    before = subscription
                    if outcome.succeeded:
                        recorded.append(delivery.succeeded(now, outcome.status_code))
                        subscription = subscription.record_success()
                    else:
                        recorded.append(delivery.failed(
                            now, outcome.describe(), self.policy, outcome.status_code
                        ))
                        subscription = subscription.record_failure(now)
                        if subscription.auto_disabled_by(before):
                            disabled.append(subscription)
                # A healthy subscription's successes change nothing: no write (and no
                # re-sealed secret) for them.
                if subscription != stored:
                    uow.subscriptions.save(subscription)
            uow.deliveries.save_all(recorded)
            admins = {s.id: [u.email for u in uow.users.admins_of(s.employer_id)]
                      for s in disabled}
            uow.commit()
        self._count(attempts, recorded, disabled)
        for subscription in disabled:
            self._notify_disabled(subscription, admins[subscription.id])
        return recorded

    def oldest_unrelayed(self) -> datetime | None:
        """When the oldest event still waiting to be relayed occurred: the outbox's lag."""
        with self.uow(read_only=True) as uow:
            return uow.outbox.oldest_unrelayed()

    def _count(self, attempts: list[tuple[Delivery, AttemptOutcome]],
               recorded: list[Delivery], disabled: list[Subscription]) -> None:
        recorded_ids = {delivery.id for delivery in recorded}
        for delivery, outcome in attempts:
            if delivery.id in recorded_ids:
                self.metrics.delivery_attempted(outcome.category)
        for delivery in recorded:
            if delivery.status is DeliveryStatus.DEAD:
                self.metrics.dead_lettered()
        for _ in disabled:
            self.metrics.subscription_disabled()

    def _notify_disabled(self, subscription: Subscription, recipients: list[str]) -> None:
        for address in recipients:
            self.notifier.send(
                address,
                "A webhook subscription was disabled",
                f"Deliveries to {subscription.url} failed {subscription.consecutive_failures} "
                "times in a row, so the subscription was disabled. Pending deliveries, and those "
                "of the events that happen meanwhile, are kept and go out, oldest first, when "
                "you enable it again.",
            )

"""Employers manage webhook subscriptions and inspect and replay their deliveries.

Each call that names a subscription or a delivery takes the calling employer's id, and one of
another employer's is not found; None is platform staff (the ``itmj`` command), who reach any.
"""

from collections.abc import Callable, Sequence

import attrs

from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidState, NotFound
from itmj_domain.events import Event, WebhookTest
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import HostResolver, TaskQueue, UnitOfWork, UnitOfWorkFactory
from itmj_domain.webhooks import signing
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription
from itmj_domain.webhooks.targets import TargetPolicy


@attrs.frozen
class CreatedSubscription:
    """A new subscription with its secret, shown this once."""

    subscription: Subscription
    secret: str


@attrs.frozen
class LoggedDelivery:
    """A line of a subscription's delivery log: the delivery and the event it carries."""

    delivery: Delivery
    event_type: EventType
    # The request that caused the event (SPEC §11), when one did.
    request_id: str | None = None


@attrs.frozen
class Webhooks:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue
    targets: TargetPolicy
    resolver: HostResolver

    def subscribe(
        self, employer_id: int, url: str, events: frozenset[EventType]
    ) -> CreatedSubscription:
        self._check_target(url)
        secret = signing.new_secret()
        with self.uow() as uow:
            if uow.employers.get(employer_id) is None:
                raise NotFound(f"employer {employer_id} not found")
            subscription = Subscription(
                uow.subscriptions.next_id(), employer_id, url, events, secret, self.clock.now()
            )
            uow.subscriptions.add(subscription)
            uow.commit()
        return CreatedSubscription(subscription, secret)

    def list(self, employer_id: int) -> Sequence[Subscription]:
        with self.uow(read_only=True) as uow:
            return uow.subscriptions.list_for_employer(employer_id)

    def get(self, subscription_id: int, employer_id: int | None = None) -> Subscription:
        with self.uow(read_only=True) as uow:
            return _subscription(uow, subscription_id, employer_id)

    def update(
        self, subscription_id: int, employer_id: int | None = None, *,
        url: str | None = None, events: frozenset[EventType] | None = None,
    ) -> Subscription:
        """Point a subscription at another URL (checked as at registration) or change the
        events it wants; what is not given stays. Deliveries already made keep going to the
        subscription, so to its new URL."""
        if url is not None:
            self._check_target(url)
        return self._change(subscription_id, employer_id, lambda s: s.change(url, events))

    def enable(self, subscription_id: int, employer_id: int | None = None) -> Subscription:
        """Re-enabling sends at once what waited while it was off, oldest event first: the
        deliveries held unattempted, and the retries, whose wait the outage set (SPEC §12)."""
        now = self.clock.now()
        with self.uow() as uow:
            subscription = _subscription(uow, subscription_id, employer_id, for_update=True)
            enabled = subscription.enable()
            uow.subscriptions.save(enabled)
            if not subscription.enabled:
                uow.deliveries.resume(subscription_id, now)
            uow.commit()
        self.tasks.dispatch()
        return enabled

    def disable(self, subscription_id: int, employer_id: int | None = None) -> Subscription:
        now = self.clock.now()
        return self._change(subscription_id, employer_id, lambda s: s.disable(now))

    def rotate_secret(
        self, subscription_id: int, employer_id: int | None = None
    ) -> CreatedSubscription:
        """A new secret, for a target that may still be called: one registered before the
        target rules tightened is refused here, as it would be at registration. The secret
        it replaces signs beside it for a day (``ROTATION_OVERLAP``)."""
        self._check_target(self.get(subscription_id, employer_id).url)
        secret, now = signing.new_secret(), self.clock.now()
        rotated = self._change(
            subscription_id, employer_id, lambda s: s.rotate_secret(secret, now)
        )
        return CreatedSubscription(rotated, secret)

    def delete(self, subscription_id: int, employer_id: int | None = None) -> None:
        with self.uow() as uow:
            _subscription(uow, subscription_id, employer_id)
            uow.subscriptions.delete(subscription_id)
            uow.commit()

    def send_test(self, subscription_id: int, employer_id: int | None = None) -> Delivery:
        """Send a ``webhook.test`` event to this one subscription, signed and retried like
        any other delivery. Its event is recorded as already relayed: the relay fans events
        out to every subscription that wants them, and this one is for one alone."""
        now = self.clock.now()
        with self.uow() as uow:
            subscription = _subscription(uow, subscription_id, employer_id)
            if not subscription.enabled:
                raise InvalidState("enable the subscription before sending it a test event")
            event = Event.record(subscription.employer_id, now, WebhookTest(subscription.id, now))
            uow.outbox.add(event)
            uow.outbox.mark_relayed([event.id], now)
            delivery = Delivery.new(subscription.id, event.id, now)
            uow.deliveries.add_all([delivery])
            uow.commit()
        self.tasks.deliver([delivery.id])
        return delivery

    def deliveries(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest,
        employer_id: int | None = None,
    ) -> Page[Delivery]:
        with self.uow(read_only=True) as uow:
            _subscription(uow, subscription_id, employer_id)
            return uow.deliveries.list_for_subscription(subscription_id, status, page)

    def delivery_log(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest,
        employer_id: int | None = None,
    ) -> Page[LoggedDelivery]:
        """The deliveries with the type of event each carries: attempts, last status code
        or error, next retry, and dead letters (status ``dead``)."""
        with self.uow(read_only=True) as uow:
            _subscription(uow, subscription_id, employer_id)
            found = uow.deliveries.list_for_subscription(subscription_id, status, page)
            events = uow.outbox.get_many(list({d.event_id for d in found.items}))
        return Page(
            [LoggedDelivery(d, events[d.event_id].type, events[d.event_id].request_id)
             for d in found.items],
            found.total, found.request,
        )

    def redeliver(self, delivery_id: str, employer_id: int | None = None) -> Delivery:
        with self.uow() as uow:
            delivery = uow.deliveries.get(delivery_id)
            owner = None if delivery is None else uow.subscriptions.get(delivery.subscription_id)
            if delivery is None or owner is None or employer_id not in (None, owner.employer_id):
                raise NotFound(f"delivery {delivery_id} not found")
            replay = delivery.redeliver(self.clock.now())
            uow.deliveries.save_all([replay])
            uow.commit()
        self.tasks.deliver([replay.id])
        return replay

    def _check_target(self, url: str) -> None:
        target = self.targets.target(url)
        if target.address is None and not self.targets.allow_private:
            self.targets.check_resolved(self.resolver.addresses(target.host, target.port))

    def _change(
        self, subscription_id: int, employer_id: int | None,
        change: Callable[[Subscription], Subscription],
    ) -> Subscription:
        with self.uow() as uow:
            changed = change(_subscription(uow, subscription_id, employer_id, for_update=True))
            uow.subscriptions.save(changed)
            uow.commit()
        return changed


def _subscription(
    uow: UnitOfWork, subscription_id: int, employer_id: int | None, *, for_update: bool = False
) -> Subscription:
    subscription = uow.subscriptions.get(subscription_id, for_update=for_update)
    if subscription is None or employer_id not in (None, subscription.employer_id):
        raise NotFound(f"subscription {subscription_id} not found")
    return subscription

"""Employers manage webhook subscriptions and inspect and replay their deliveries."""

from collections.abc import Sequence

import attrs

from itmj_domain.clock import Clock
from itmj_domain.errors import NotFound
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import TaskQueue, UnitOfWork, UnitOfWorkFactory
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
class Webhooks:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue
    targets: TargetPolicy

    def subscribe(
        self, employer_id: int, url: str, events: frozenset[EventType]
    ) -> CreatedSubscription:
        self.targets.check_url(url)
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

    def enable(self, subscription_id: int) -> Subscription:
        """Re-enabling resumes the deliveries that waited while it was off."""
        enabled = self._change(subscription_id, Subscription.enable)
        self.tasks.dispatch()
        return enabled

    def disable(self, subscription_id: int) -> Subscription:
        now = self.clock.now()
        return self._change(subscription_id, lambda s: s.disable(now))

    def rotate_secret(self, subscription_id: int) -> CreatedSubscription:
        secret = signing.new_secret()
        rotated = self._change(subscription_id, lambda s: s.rotate_secret(secret))
        return CreatedSubscription(rotated, secret)

    def delete(self, subscription_id: int) -> None:
        with self.uow() as uow:
            _subscription(uow, subscription_id)
            uow.subscriptions.delete(subscription_id)
            uow.commit()

    def deliveries(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest
    ) -> Page[Delivery]:
        with self.uow(read_only=True) as uow:
            _subscription(uow, subscription_id)
            return uow.deliveries.list_for_subscription(subscription_id, status, page)

    def redeliver(self, delivery_id: str) -> Delivery:
        with self.uow() as uow:
            delivery = uow.deliveries.get(delivery_id)
            if delivery is None:
                raise NotFound(f"delivery {delivery_id} not found")
            replay = delivery.redeliver(self.clock.now())
            uow.deliveries.save_all([replay])
            uow.commit()
        self.tasks.deliver([replay.id])
        return replay

    def _change(self, subscription_id: int, change) -> Subscription:
        with self.uow() as uow:
            changed = change(_subscription(uow, subscription_id, for_update=True))
            uow.subscriptions.save(changed)
            uow.commit()
        return changed


def _subscription(uow: UnitOfWork, subscription_id: int, *, for_update: bool = False):
    subscription = uow.subscriptions.get(subscription_id, for_update=for_update)
    if subscription is None:
        raise NotFound(f"subscription {subscription_id} not found")
    return subscription

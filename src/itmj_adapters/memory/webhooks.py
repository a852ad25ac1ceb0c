"""In-memory webhook subscriptions, deliveries (with their leases) and the event outbox."""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import attrs

from itmj_adapters import subscription_secrets
from itmj_adapters.memory.store import Transaction
from itmj_adapters.request_context import current_request_id
from itmj_adapters.secret_box import KeyRing
from itmj_domain.events import Event
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription


class MemorySubscriptions:
    """Keeps each subscription with its secret sealed, as PostgreSQL does, under the unit of
    work's key ring (in memory, a key of the process's own unless one is configured)."""

    def __init__(self, tx: Transaction, secrets: KeyRing) -> None:
        self._tx = tx
        self._secrets = secrets

    def next_id(self) -> int:
        return self._tx.store.next_id("subscriptions")

    def add(self, subscription: Subscription) -> None:
        self.save(subscription)

    def get(self, subscription_id: int, *, for_update: bool = False) -> Subscription | None:
        stored = self._tx.table("subscriptions").get(subscription_id)
        return None if stored is None else self._revealed(stored)

    def save(self, subscription: Subscription) -> None:
        sealed = subscription_secrets.sealed(self._secrets, subscription.id, subscription.secret)
        previous = subscription_secrets.sealed_previous(self._secrets, subscription)
        self._tx.put("subscriptions", subscription.id, attrs.evolve(
            subscription, secret=sealed, previous_secret=previous
        ))

    def delete(self, subscription_id: int) -> None:
        self._tx.delete("subscriptions", subscription_id)
        for delivery in list(self._tx.table("deliveries").values()):
            if delivery.subscription_id == subscription_id:
                self._tx.delete("deliveries", delivery.id)
                self._tx.delete("delivery_leases", delivery.id)

    def list_for_employer(self, employer_id: int) -> Sequence[Subscription]:
        subscriptions = self._tx.table("subscriptions").values()
        return sorted(
            (self._revealed(s) for s in subscriptions if s.employer_id == employer_id),
            key=lambda s: s.id,
        )

    def wanting(self, employer_id: int, event: EventType) -> Sequence[Subscription]:
        return [s for s in self.list_for_employer(employer_id) if s.wants(event)]

    def _revealed(self, stored: Subscription) -> Subscription:
        secret = subscription_secrets.revealed(self._secrets, stored.id, stored.secret)
        previous = subscription_secrets.revealed_previous(
            self._secrets, stored.id, stored.previous_secret
        )
        return attrs.evolve(stored, secret=secret, previous_secret=previous)


class MemoryDeliveries:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add_all(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self._tx.put("deliveries", delivery.id, delivery)

    def get(self, delivery_id: str) -> Delivery | None:
        return self._tx.table("deliveries").get(delivery_id)

    def save_all(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self._tx.put("deliveries", delivery.id, delivery)
            self._tx.delete("delivery_leases", delivery.id)

    def lease(
        self, delivery_ids: Sequence[str], now: datetime, until: datetime, max_in_flight: int
    ) -> Sequence[Delivery]:
        leases = self._tx.table("delivery_leases")
        deliveries = self._tx.table("deliveries")
        in_flight = Counter(
            deliveries[delivery_id].subscription_id
            for delivery_id, expiry in leases.items()
            if expiry > now
        )
        holds = self._holds(now)
        requested = [
            delivery for delivery_id in dict.fromkeys(delivery_ids)
            if (delivery := deliveries.get(delivery_id)) is not None
            and self._claimable(delivery, now, holds)
        ]
        # Of the requested deliveries about one subject, only the earliest event's.
        earliest: dict[tuple[int, str], tuple[int, Delivery]] = {}
        for delivery in requested:
            subject, sequence = self._order(delivery)
            key = (delivery.subscription_id, subject or delivery.id)
            if key not in earliest or sequence < earliest[key][0]:
                earliest[key] = (sequence, delivery)
        chosen = {delivery.id for _, delivery in earliest.values()}
        claimed = []
        for delivery in requested:
            if delivery.id not in chosen:
                continue
            if in_flight[delivery.subscription_id] >= max_in_flight:
                continue
            in_flight[delivery.subscription_id] += 1
            self._tx.put("delivery_leases", delivery.id, until)
            claimed.append(delivery)
        return claimed

    def due(self, now: datetime, limit: int) -> Sequence[str]:
        holds = self._holds(now)
        due = sorted(
            (
                d for d in self._tx.table("deliveries").values()
                if self._claimable(d, now, holds)
            ),
            key=lambda d: (d.next_attempt_at, self._order(d)[1], d.id),
        )
        return [d.id for d in due[:limit]]

    def resume(self, subscription_id: int, now: datetime) -> None:
        for delivery in list(self._tx.table("deliveries").values()):
            if (
                delivery.subscription_id == subscription_id
                and delivery.status is DeliveryStatus.PENDING
            ):
                self._tx.put("deliveries", delivery.id, attrs.evolve(delivery, next_attempt_at=now))

    def list_for_subscription(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest
    ) -> Page[Delivery]:
        matching = sorted(
            (
                d
                for d in self._tx.table("deliveries").values()
                if d.subscription_id == subscription_id and (status is None or d.status is status)
            ),
            key=lambda d: (d.created_at, d.id),
        )
        return Page(matching[page.offset : page.offset + page.page_size], len(matching), page)

    def _claimable(self, delivery: Delivery, now: datetime, holds: "_Holds") -> bool:
        lease = self._tx.table("delivery_leases").get(delivery.id)
        subscription = self._tx.table("subscriptions").get(delivery.subscription_id)
        return (
            delivery.is_due(now)
            and (lease is None or lease <= now)
            and subscription is not None
            and subscription.enabled
            and not self._held_back(delivery, holds)
        )

    def _holds(self, now: datetime) -> "_Holds":
        """For each subscription and subject of pending deliveries: whether one is being
        sent, and the lowest event number among those waiting for their first attempt."""
        leases = self._tx.table("delivery_leases")
        holds: _Holds = {}
        for delivery in self._tx.table("deliveries").values():
            subject, sequence = self._order(delivery)
            if subject is None or delivery.status is not DeliveryStatus.PENDING:
                continue
            key = (delivery.subscription_id, subject)
            sending, first = holds.get(key, (False, None))
            if leases.get(delivery.id, now) > now:
                sending = True
            if delivery.attempts == 0 and (first is None or sequence < first):
                first = sequence
            holds[key] = (sending, first)
        return holds

    def _held_back(self, delivery: Delivery, holds: "_Holds") -> bool:
        """An earlier event about the same subject being sent holds back every attempt; one
        still waiting for its first attempt holds back a first attempt (SPEC §12). A leased
        delivery is no candidate itself, so any lease of its subject is another's."""
        subject, sequence = self._order(delivery)
        if subject is None:
            return False
        sending, first = holds.get((delivery.subscription_id, subject), (False, None))
        return sending or (delivery.attempts == 0 and first is not None and first < sequence)

    def _order(self, delivery: Delivery) -> tuple[str | None, int]:
        """The subject of the delivery's event and its number."""
        event: Event = self._tx.table("events")[delivery.event_id]
        return event.subject, _sequence(event)


# (subscription id, subject) → (one is being sent, lowest number awaiting a first attempt)
_Holds = dict[tuple[int, str], tuple[bool, int | None]]


class MemoryOutbox:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(self, event: Event) -> Event:
        sequence = self._tx.table("event_sequences").get(event.employer_id, 0) + 1
        self._tx.put("event_sequences", event.employer_id, sequence)
        event = attrs.evolve(
            event, request_id=event.request_id or current_request_id(), sequence=sequence
        )
        self._tx.put("events", event.id, event)
        self._tx.put("unrelayed_events", event.id, self._tx.store.next_id("event_order"))
        return event

    def get_many(self, event_ids: Sequence[str]) -> dict[str, Event]:
        events = self._tx.table("events")
        return {event_id: events[event_id] for event_id in event_ids if event_id in events}

    def claim_unrelayed(self, limit: int) -> Sequence[Event]:
        pending = sorted(self._tx.table("unrelayed_events").items(), key=lambda item: item[1])
        events = self._tx.table("events")
        return [events[event_id] for event_id, _ in pending[:limit]]

    def oldest_unrelayed(self) -> datetime | None:
        events = self._tx.table("events")
        return min(
            (events[event_id].occurred_at for event_id in self._tx.table("unrelayed_events")),
            default=None,
        )

    def mark_relayed(self, event_ids: Sequence[str], at: datetime) -> None:
        for event_id in event_ids:
            self._tx.delete("unrelayed_events", event_id)

    def list_for_employer(
        self, employer_id: int, after: int, types: frozenset[EventType], since: datetime,
        limit: int,
    ) -> Sequence[Event]:
        found = sorted(
            (
                event for event in self._tx.table("events").values()
                if event.employer_id == employer_id and _sequence(event) > after
                and event.occurred_at >= since and event.type in types
            ),
            key=_sequence,
        )
        return found[:limit]


def _sequence(event: Event) -> int:
    """Every stored event is numbered (``MemoryOutbox.add``)."""
    assert event.sequence is not None
    return event.sequence

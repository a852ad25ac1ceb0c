"""Webhook subscriptions, deliveries (with their leases) and the event outbox in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

from psycopg.types.json import Jsonb

from itmj_adapters import subscription_secrets
from itmj_adapters.postgres import event_payloads, rows
from itmj_adapters.postgres.session import Session
from itmj_adapters.request_context import current_request_id
from itmj_adapters.secret_box import KeyRing
from itmj_domain.events import Event
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription

_INSERT_SUBSCRIPTION = (
    f"INSERT INTO webhook_subscriptions ({rows.SUBSCRIPTION_COLUMNS})"
    f" VALUES ({rows.SUBSCRIPTION_PLACEHOLDERS})"
)
_MUTABLE_SUBSCRIPTION = [
    c for c in rows.SUBSCRIPTION_COLUMNS.split(", ") if c not in ("id", "employer_id")
]
_SAVE_SUBSCRIPTION = f"""
INSERT INTO webhook_subscriptions ({rows.SUBSCRIPTION_COLUMNS})
VALUES ({rows.SUBSCRIPTION_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE_SUBSCRIPTION)}
"""
_SELECT_SUBSCRIPTION = (
    f"SELECT {rows.SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = %s"
)
_SELECT_SUBSCRIPTION_FOR_UPDATE = f"{_SELECT_SUBSCRIPTION} FOR UPDATE"
_DELETE_SUBSCRIPTION = "DELETE FROM webhook_subscriptions WHERE id = %s"
_SELECT_EMPLOYER_SUBSCRIPTIONS = f"""
SELECT {rows.SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE employer_id = %s ORDER BY id
"""
_SELECT_WANTING = f"""
SELECT {rows.SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
WHERE employer_id = %s AND enabled AND %s = ANY(events)
ORDER BY id
"""


class PostgresSubscriptions:
    """Secrets are sealed as they are written and opened as they are read: the column never
    holds one in the clear (see ``subscription_secrets``)."""

    def __init__(self, session: Session, secrets: KeyRing | None) -> None:
        self._session = session
        self._secrets = secrets

    def next_id(self) -> int:
        return self._session.next_id("webhook_subscriptions_id_seq")

    def add(self, subscription: Subscription) -> None:
        self._session.write(_INSERT_SUBSCRIPTION, self._row(subscription))

    def get(self, subscription_id: int, *, for_update: bool = False) -> Subscription | None:
        query = _SELECT_SUBSCRIPTION_FOR_UPDATE if for_update else _SELECT_SUBSCRIPTION
        row = self._session.one(query, (subscription_id,))
        return None if row is None else self._subscription(row)

    def save(self, subscription: Subscription) -> None:
        self._session.write(_SAVE_SUBSCRIPTION, self._row(subscription))

    def delete(self, subscription_id: int) -> None:
        """Its deliveries go with it: the foreign key cascades."""
        self._session.write(_DELETE_SUBSCRIPTION, (subscription_id,))

    def list_for_employer(self, employer_id: int) -> Sequence[Subscription]:
        found = self._session.all(_SELECT_EMPLOYER_SUBSCRIPTIONS, (employer_id,))
        return [self._subscription(row) for row in found]

    def wanting(self, employer_id: int, event: EventType) -> Sequence[Subscription]:
        found = self._session.all(_SELECT_WANTING, (employer_id, event.value))
        return [self._subscription(row) for row in found]

    def _row(self, subscription: Subscription) -> rows.Row:
        stored = subscription_secrets.sealed(self._secrets, subscription.id, subscription.secret)
        previous = subscription_secrets.sealed_previous(self._secrets, subscription)
        return rows.subscription_row(subscription, stored, previous)

    def _subscription(self, row: rows.Row) -> Subscription:
        return rows.subscription(row, self._reveal, self._reveal_previous)

    def _reveal(self, subscription_id: int, stored: str) -> str:
        return subscription_secrets.revealed(self._secrets, subscription_id, stored)

    def _reveal_previous(self, subscription_id: int, stored: str | None) -> str | None:
        return subscription_secrets.revealed_previous(self._secrets, subscription_id, stored)


_DELIVERY_COLUMNS_OF_D = ", ".join(f"d.{c}" for c in rows.DELIVERY_COLUMNS.split(", "))
_INSERT_DELIVERY = (
    f"INSERT INTO webhook_deliveries ({rows.DELIVERY_COLUMNS})"
    f" VALUES ({rows.DELIVERY_PLACEHOLDERS})"
)
_MUTABLE_DELIVERY = [
    c for c in rows.DELIVERY_COLUMNS.split(", ") if c not in ("id", "subscription_id", "event_id")
]
_SAVE_DELIVERY = f"""
INSERT INTO webhook_deliveries ({rows.DELIVERY_COLUMNS}) VALUES ({rows.DELIVERY_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE_DELIVERY)}, leased_until = NULL
"""
_SELECT_DELIVERY = f"SELECT {rows.DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = %s"
# Leasing is serialised per subscription by a transaction-scoped advisory lock, taken in key
# order so that two leases never wait on each other in a cycle. Not a row lock on the
# subscription: recording outcomes holds subscription rows, in its batch's order, while it
# writes deliveries, and a lease waiting on those rows could close a deadlock with it.
# The two-key form keeps these keys apart from locks taken with one bigint key; ids past 2^31
# share a key with a smaller one, which only serialises a little more.
_LEASE_LOCK_CLASS = 0x6C65  # "le"
_LOCK_SUBSCRIPTIONS_OF = """
SELECT pg_advisory_xact_lock(%s, key) FROM (
    SELECT DISTINCT (subscription_id %% 2147483648)::integer AS key
    FROM webhook_deliveries WHERE id = ANY(%s)
    ORDER BY key
) AS keys
"""
# Runs after the locks are held, so its snapshot counts every lease committed before it and
# no other lease of these subscriptions can commit until this transaction ends. The claim
# conditions are repeated on the updated row so that a row changed meanwhile (an outcome
# recorded) is re-checked in its latest version. The chosen ids are gathered into an array
# first so the update finds its rows by primary key, whatever the planner thinks of the
# statistics of a table that has just been filled.
_CLAIM = f"""
WITH requested AS (
    SELECT id, ord FROM unnest(%s::text[]) WITH ORDINALITY AS r (id, ord)
),
claimable AS (
    SELECT d.id, d.subscription_id, r.ord
    FROM requested r
    JOIN webhook_deliveries d ON d.id = r.id
    JOIN webhook_subscriptions s ON s.id = d.subscription_id
    WHERE s.enabled AND d.status = 'pending' AND d.next_attempt_at <= %s
      AND (d.leased_until IS NULL OR d.leased_until <= %s)
),
in_flight AS (
    SELECT subscription_id, count(*) AS leases FROM webhook_deliveries
    WHERE subscription_id IN (SELECT subscription_id FROM claimable) AND leased_until > %s
    GROUP BY subscription_id
),
ranked AS (
    SELECT c.id, coalesce(f.leases, 0)
        + row_number() OVER (PARTITION BY c.subscription_id ORDER BY c.ord) AS slot
    FROM claimable c LEFT JOIN in_flight f USING (subscription_id)
)
UPDATE webhook_deliveries d SET leased_until = %s
WHERE d.id = ANY(ARRAY(SELECT id FROM ranked WHERE slot <= %s))
  AND d.status = 'pending' AND d.next_attempt_at <= %s
  AND (d.leased_until IS NULL OR d.leased_until <= %s)
RETURNING {_DELIVERY_COLUMNS_OF_D}
"""
_DUE = """
SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
WHERE d.status = 'pending' AND d.next_attempt_at <= %s
  AND (d.leased_until IS NULL OR d.leased_until <= %s) AND s.enabled
ORDER BY d.next_attempt_at, d.id LIMIT %s
"""
_LIST_DELIVERIES = f"""
SELECT count(*) OVER (), {rows.DELIVERY_COLUMNS} FROM webhook_deliveries
WHERE subscription_id = %s
ORDER BY created_at, id LIMIT %s OFFSET %s
"""
_LIST_DELIVERIES_WITH_STATUS = f"""
SELECT count(*) OVER (), {rows.DELIVERY_COLUMNS} FROM webhook_deliveries
WHERE subscription_id = %s AND status = %s
ORDER BY created_at, id LIMIT %s OFFSET %s
"""
_COUNT_DELIVERIES = "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = %s"
_COUNT_DELIVERIES_WITH_STATUS = (
    "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = %s AND status = %s"
)


class PostgresDeliveries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_all(self, deliveries: Sequence[Delivery]) -> None:
        self._session.write_many(_INSERT_DELIVERY, [rows.delivery_row(d) for d in deliveries])

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._session.one(_SELECT_DELIVERY, (delivery_id,))
        return None if row is None else rows.delivery(row)

    def save_all(self, deliveries: Sequence[Delivery]) -> None:
        self._session.write_many(_SAVE_DELIVERY, [rows.delivery_row(d) for d in deliveries])

    def lease(
        self, delivery_ids: Sequence[str], now: datetime, until: datetime, max_in_flight: int
    ) -> Sequence[Delivery]:
        requested = list(dict.fromkeys(delivery_ids))
        if not requested:
            return []
        self._session.write_all(_LOCK_SUBSCRIPTIONS_OF, (_LEASE_LOCK_CLASS, requested))
        claimed = self._session.write_all(
            _CLAIM, (requested, now, now, now, until, max_in_flight, now, now)
        )
        order = {delivery_id: n for n, delivery_id in enumerate(requested)}
        return sorted(map(rows.delivery, claimed), key=lambda d: order[d.id])

    def due(self, now: datetime, limit: int) -> Sequence[str]:
        return [row[0] for row in self._session.all(_DUE, (now, now, limit))]

    def list_for_subscription(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest
    ) -> Page[Delivery]:
        listing, counting = _LIST_DELIVERIES, _COUNT_DELIVERIES
        where: tuple[object, ...] = (subscription_id,)
        if status is not None:
            listing, counting = _LIST_DELIVERIES_WITH_STATUS, _COUNT_DELIVERIES_WITH_STATUS
            where = (subscription_id, status.value)
        found, total = self._session.page(
            listing, counting, where, page.page_size, page.offset
        )
        return Page([rows.delivery(row) for row in found], total, page)


_INSERT_EVENT = """
INSERT INTO outbox_events (id, employer_id, type, occurred_at, payload, request_id)
VALUES (%s, %s, %s, %s, %s, %s)
"""
_SELECT_EVENTS = (
    "SELECT id, employer_id, type, occurred_at, payload, request_id FROM outbox_events "
    "WHERE id = ANY(%s)"
)
# SKIP LOCKED: a concurrent relay takes the next events instead of waiting for these, and
# finds them relayed once this one commits, so no event is relayed twice.
_CLAIM_UNRELAYED = """
SELECT id, employer_id, type, occurred_at, payload, request_id FROM outbox_events
WHERE relayed_at IS NULL
ORDER BY sequence_number LIMIT %s
FOR UPDATE SKIP LOCKED
"""
_OLDEST_UNRELAYED = """
SELECT min(occurred_at) FROM outbox_events WHERE relayed_at IS NULL
"""
_MARK_RELAYED = """
UPDATE outbox_events SET relayed_at = %s WHERE id = ANY(%s) AND relayed_at IS NULL
"""


def _event(row: rows.Row) -> Event:
    id_, employer_id, type_, occurred_at, document, request_id = row
    return Event(
        id_, employer_id, occurred_at, event_payloads.payload(EventType(type_), document),
        request_id,
    )


class PostgresOutbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event: Event) -> None:
        self._session.write(_INSERT_EVENT, (
            event.id, event.employer_id, event.type.value, event.occurred_at,
            Jsonb(event_payloads.document(event.payload)),
            event.request_id or current_request_id(),
        ))

    def get_many(self, event_ids: Sequence[str]) -> dict[str, Event]:
        if not event_ids:
            return {}
        found = self._session.all(_SELECT_EVENTS, (list(event_ids),))
        return {event.id: event for event in map(_event, found)}

    def claim_unrelayed(self, limit: int) -> Sequence[Event]:
        return [_event(row) for row in self._session.all(_CLAIM_UNRELAYED, (limit,))]

    def oldest_unrelayed(self) -> datetime | None:
        row = self._session.one(_OLDEST_UNRELAYED)
        return None if row is None else row[0]

    def mark_relayed(self, event_ids: Sequence[str], at: datetime) -> None:
        if event_ids:
            self._session.write(_MARK_RELAYED, (at, list(event_ids)))

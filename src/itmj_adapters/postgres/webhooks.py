"""Webhook subscriptions, deliveries (with their leases) and the event outbox in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

import attrs
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
WHERE employer_id = %s AND %s = ANY(events)
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
# The SQL type of each delivery column, which a VALUES list cannot take from its target.
_DELIVERY_TYPES = {
    "id": "text", "subscription_id": "bigint", "event_id": "text", "created_at": "timestamptz",
    "next_attempt_at": "timestamptz", "status": "text", "attempts": "integer",
    "last_attempt_at": "timestamptz", "last_error": "text", "delivered_at": "timestamptz",
    "last_status_code": "integer",
}
# The deliveries are passed as one array per column and written by one statement, whatever
# their number: a statement per delivery cost PostgreSQL (and the driver) more than the rows.
# Arrays go in binary (%b): the driver spells arrays of timestamps out in text three times
# slower.
_UNNEST_DELIVERIES = f"""unnest({", ".join(
    f"%b::{_DELIVERY_TYPES[c]}[]" for c in rows.DELIVERY_COLUMNS.split(", ")
)}) AS v ({rows.DELIVERY_COLUMNS})"""
# A new delivery takes what orders its first attempt from its event as it is written (the
# LEFT JOIN leaves a delivery of an unknown event to the foreign key to refuse).
_INSERT_DELIVERIES = f"""
INSERT INTO webhook_deliveries ({rows.DELIVERY_COLUMNS}, subject, event_sequence)
SELECT v.*, e.subject, e.employer_sequence
FROM {_UNNEST_DELIVERIES}
LEFT JOIN outbox_events e ON e.id = v.event_id
"""
_MUTABLE_DELIVERY = [
    c for c in rows.DELIVERY_COLUMNS.split(", ") if c not in ("id", "subscription_id", "event_id")
]
_SAVE_DELIVERIES = f"""
INSERT INTO webhook_deliveries ({rows.DELIVERY_COLUMNS}) SELECT * FROM {_UNNEST_DELIVERIES}
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
    FROM webhook_deliveries WHERE id = ANY(%b::text[])
    ORDER BY key
) AS keys
"""
# Whether an earlier event about the same subject holds ``d`` back for its subscription: one
# being sent now holds back every attempt, one still waiting for its first attempt holds back
# a first attempt (SPEC §12). A failed attempt releases the next event: retries may interleave.
_HELD_BACK = """
EXISTS (
    SELECT 1 FROM webhook_deliveries o
    WHERE o.subscription_id = d.subscription_id AND o.subject = d.subject
      AND o.status = 'pending' AND o.id <> d.id
      AND (o.leased_until > %(now)s
           OR (d.attempts = 0 AND o.attempts = 0 AND o.event_sequence < d.event_sequence))
)
"""
# Runs after the locks are held, so its snapshot counts every lease committed before it and
# no other lease of these subscriptions can commit until this transaction ends. The claim
# conditions are repeated on the updated row so that a row changed meanwhile (an outcome
# recorded) is re-checked in its latest version. The chosen ids are gathered into an array
# first so the update finds its rows by primary key, whatever the planner thinks of the
# statistics of a table that has just been filled. Of the requested deliveries about one
# subject, only the earliest event's is claimed.
_CLAIM = f"""
WITH requested AS (
    SELECT id, ord FROM unnest(%(ids)b::text[]) WITH ORDINALITY AS r (id, ord)
),
claimable AS (
    SELECT d.id, d.subscription_id, r.ord,
        row_number() OVER (
            PARTITION BY d.subscription_id, coalesce(d.subject, d.id)
            ORDER BY d.event_sequence, r.ord
        ) AS in_subject
    FROM requested r
    JOIN webhook_deliveries d ON d.id = r.id
    JOIN webhook_subscriptions s ON s.id = d.subscription_id
    WHERE s.enabled AND d.status = 'pending' AND d.next_attempt_at <= %(now)s
      AND (d.leased_until IS NULL OR d.leased_until <= %(now)s)
      AND NOT {_HELD_BACK}
),
in_flight AS (
    SELECT subscription_id, count(*) AS leases FROM webhook_deliveries
    WHERE subscription_id IN (SELECT subscription_id FROM claimable) AND leased_until > %(now)s
    GROUP BY subscription_id
),
ranked AS (
    SELECT c.id, coalesce(f.leases, 0)
        + row_number() OVER (PARTITION BY c.subscription_id ORDER BY c.ord) AS slot
    FROM claimable c LEFT JOIN in_flight f USING (subscription_id)
    WHERE c.in_subject = 1
)
UPDATE webhook_deliveries d SET leased_until = %(until)s
WHERE d.id = ANY(ARRAY(SELECT id FROM ranked WHERE slot <= %(cap)s))
  AND d.status = 'pending' AND d.next_attempt_at <= %(now)s
  AND (d.leased_until IS NULL OR d.leased_until <= %(now)s)
RETURNING {_DELIVERY_COLUMNS_OF_D}
"""
_DUE = f"""
SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
WHERE d.status = 'pending' AND d.next_attempt_at <= %(now)s
  AND (d.leased_until IS NULL OR d.leased_until <= %(now)s) AND s.enabled
  AND NOT {_HELD_BACK}
ORDER BY d.next_attempt_at, d.event_sequence, d.id LIMIT %(limit)s
"""
_RESUME = """
UPDATE webhook_deliveries SET next_attempt_at = %s
WHERE subscription_id = %s AND status = 'pending'
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


def _columns(deliveries: Sequence[Delivery]) -> tuple[list[object], ...]:
    """The deliveries' rows as one list per column, in ``DELIVERY_COLUMNS`` order."""
    return tuple(list(column) for column in zip(*map(rows.delivery_row, deliveries), strict=True))


class PostgresDeliveries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_all(self, deliveries: Sequence[Delivery]) -> None:
        if deliveries:
            self._session.write(_INSERT_DELIVERIES, _columns(deliveries))

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._session.one(_SELECT_DELIVERY, (delivery_id,))
        return None if row is None else rows.delivery(row)

    def save_all(self, deliveries: Sequence[Delivery]) -> None:
        # One statement cannot upsert a row twice: of a delivery given twice, the last
        # state stands, as it would saved one after another.
        latest = list({d.id: d for d in deliveries}.values())
        if latest:
            self._session.write(_SAVE_DELIVERIES, _columns(latest))

    def lease(
        self, delivery_ids: Sequence[str], now: datetime, until: datetime, max_in_flight: int
    ) -> Sequence[Delivery]:
        requested = list(dict.fromkeys(delivery_ids))
        if not requested:
            return []
        self._session.write_all(_LOCK_SUBSCRIPTIONS_OF, (_LEASE_LOCK_CLASS, requested))
        claimed = self._session.write_all(
            _CLAIM, {"ids": requested, "now": now, "until": until, "cap": max_in_flight}
        )
        order = {delivery_id: n for n, delivery_id in enumerate(requested)}
        return sorted(map(rows.delivery, claimed), key=lambda d: order[d.id])

    def due(self, now: datetime, limit: int) -> Sequence[str]:
        return [row[0] for row in self._session.all(_DUE, {"now": now, "limit": limit})]

    def resume(self, subscription_id: int, now: datetime) -> None:
        self._session.write(_RESUME, (now, subscription_id))

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


_EVENT_COLUMNS = "id, employer_id, type, occurred_at, payload, request_id, employer_sequence"
# The trigger of migration 0011 numbers the event among its employer's.
_INSERT_EVENT = """
INSERT INTO outbox_events (id, employer_id, type, occurred_at, payload, request_id, subject)
VALUES (%s, %s, %s, %s, %s, %s, %s)
RETURNING employer_sequence
"""
_SELECT_EVENTS = f"SELECT {_EVENT_COLUMNS} FROM outbox_events WHERE id = ANY(%b::text[])"
# One relay claims at a time: a second waits for the first to end, then finds its events
# relayed. Relays side by side would let a later event about an application become a
# delivery, and be sent, before an earlier one committed by a relay still running.
# SKIP LOCKED keeps the claim from waiting on a writer that locked an event row some other way.
_RELAY_LOCK = 0x72_65_6C_61_79  # "relay"
_CLAIM_UNRELAYED = f"""
SELECT {_EVENT_COLUMNS} FROM outbox_events
WHERE relayed_at IS NULL
ORDER BY sequence_number LIMIT %s
FOR UPDATE SKIP LOCKED
"""
_OLDEST_UNRELAYED = """
SELECT min(occurred_at) FROM outbox_events WHERE relayed_at IS NULL
"""
_MARK_RELAYED = """
UPDATE outbox_events SET relayed_at = %s WHERE id = ANY(%b::text[]) AND relayed_at IS NULL
"""
_LIST_FOR_EMPLOYER = f"""
SELECT {_EVENT_COLUMNS} FROM outbox_events
WHERE employer_id = %s AND employer_sequence > %s AND occurred_at >= %s AND type = ANY(%s)
ORDER BY employer_sequence LIMIT %s
"""


def _event(row: rows.Row) -> Event:
    id_, employer_id, type_, occurred_at, document, request_id, sequence = row
    return Event(
        id_, employer_id, occurred_at, event_payloads.payload(EventType(type_), document),
        request_id, sequence,
    )


class PostgresOutbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event: Event) -> Event:
        request_id = event.request_id or current_request_id()
        row = self._session.write_all(_INSERT_EVENT, (
            event.id, event.employer_id, event.type.value, event.occurred_at,
            Jsonb(event_payloads.document(event.payload)), request_id, event.subject,
        ))
        return attrs.evolve(event, request_id=request_id, sequence=row[0][0])

    def get_many(self, event_ids: Sequence[str]) -> dict[str, Event]:
        if not event_ids:
            return {}
        found = self._session.all(_SELECT_EVENTS, (list(event_ids),))
        return {event.id: event for event in map(_event, found)}

    def claim_unrelayed(self, limit: int) -> Sequence[Event]:
        self._session.write("SELECT pg_advisory_xact_lock(%s)", (_RELAY_LOCK,))
        return [_event(row) for row in self._session.all(_CLAIM_UNRELAYED, (limit,))]

    def oldest_unrelayed(self) -> datetime | None:
        row = self._session.one(_OLDEST_UNRELAYED)
        return None if row is None else row[0]

    def mark_relayed(self, event_ids: Sequence[str], at: datetime) -> None:
        if event_ids:
            self._session.write(_MARK_RELAYED, (at, list(event_ids)))

    def list_for_employer(
        self, employer_id: int, after: int, types: frozenset[EventType], since: datetime,
        limit: int,
    ) -> Sequence[Event]:
        found = self._session.all(_LIST_FOR_EMPLOYER, (
            employer_id, after, since, sorted(t.value for t in types), limit,
        ))
        return [_event(row) for row in found]

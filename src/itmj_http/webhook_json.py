"""The JSON shapes of the Webhooks API (scope Webhooks, SPEC §12), in both directions.

A subscription never shows its secret, except in the answer that issues one (creation and
rotation). Request bodies are strict like every other: unknown fields are refused, and a
change names at least one field, none of them null.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
import cattrs

from itmj_adapters.json_style import format_timestamp
from itmj_domain.pagination import Page
from itmj_domain.services.webhooks import CreatedSubscription, LoggedDelivery
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType, Subscription
from itmj_http.json_converter import InvalidJson, echo_name, structure

SUBSCRIPTION_FIELDS = (
    "id", "url", "events", "enabled", "consecutiveFailures", "createdAt", "disabledAt",
    "standardWebhooks",
)
CREATED_FIELDS = (*SUBSCRIPTION_FIELDS, "secret")
DELIVERY_FIELDS = (
    "id", "subscriptionId", "eventId", "status", "attempts", "createdAt", "nextAttemptAt",
    "lastAttemptAt", "lastStatusCode", "lastError", "deliveredAt",
)
LOGGED_DELIVERY_FIELDS = (*DELIVERY_FIELDS, "eventType", "requestId")
EVENT_TYPE_FIELDS = ("type", "subscribable", "description")
# SPEC §7, in the words the partner guide uses.
EVENT_DESCRIPTIONS = {
    EventType.APPLICATION_SUBMITTED: "A candidate applied to one of the employer's jobs, by "
                                     "any apply method.",
    EventType.APPLICATION_STATUS_CHANGED: "A recruiter moved an application along the "
                                          "pipeline, or rejected it.",
    EventType.JOB_EXPIRED: "An Active job passed its expiryDate and is now Expired.",
    EventType.WEBHOOK_TEST: "Sent on request to one subscription, to check its receiver; "
                            "cannot be subscribed to.",
}


@attrs.frozen
class SubscriptionBody:
    url: str
    events: frozenset[EventType]


@attrs.frozen
class SubscriptionChangesBody:
    url: str | None = None
    events: frozenset[EventType] | None = None


@attrs.frozen
class WebhookJson:
    converter: cattrs.Converter

    def subscription_request(self, data: object) -> SubscriptionBody:
        return structure(self.converter, data, SubscriptionBody)

    def changes(self, data: dict[str, Any]) -> SubscriptionChangesBody:
        if not data:
            raise InvalidJson("body: name at least one field to change")
        nulls = [echo_name(key) for key, value in data.items() if value is None]
        if nulls:
            raise InvalidJson("; ".join(f"{key}: cannot be null" for key in nulls))
        return structure(self.converter, data, SubscriptionChangesBody)

    def subscription(self, subscription: Subscription) -> dict[str, object]:
        return {
            "id": subscription.id,
            "url": subscription.url,
            "events": sorted(event.value for event in subscription.events),
            "enabled": subscription.enabled,
            "consecutiveFailures": subscription.consecutive_failures,
            "createdAt": format_timestamp(subscription.created_at),
            "disabledAt": _optional_timestamp(subscription.disabled_at),
            "standardWebhooks": subscription.signs_standard,
        }

    def created(self, created: CreatedSubscription) -> dict[str, object]:
        return {**self.subscription(created.subscription), "secret": created.secret}

    def subscriptions(self, subscriptions: Sequence[Subscription]) -> dict[str, object]:
        return {"items": [self.subscription(s) for s in subscriptions]}

    def delivery(self, delivery: Delivery) -> dict[str, object]:
        pending = delivery.status is DeliveryStatus.PENDING
        return {
            "id": delivery.id,
            "subscriptionId": delivery.subscription_id,
            "eventId": delivery.event_id,
            "status": delivery.status.value,
            "attempts": delivery.attempts,
            "createdAt": format_timestamp(delivery.created_at),
            # Only a pending delivery has a next attempt.
            "nextAttemptAt": format_timestamp(delivery.next_attempt_at) if pending else None,
            "lastAttemptAt": _optional_timestamp(delivery.last_attempt_at),
            "lastStatusCode": delivery.last_status_code,
            "lastError": delivery.last_error,
            "deliveredAt": _optional_timestamp(delivery.delivered_at),
        }

    def delivery_log(self, page: Page[LoggedDelivery]) -> dict[str, object]:
        return {
            "total": page.total,
            "page": page.request.page,
            "pageSize": page.request.page_size,
            "items": [
                {**self.delivery(line.delivery), "eventType": line.event_type.value,
                 "requestId": line.request_id}
                for line in page.items
            ],
        }

    @staticmethod
    def event_types() -> dict[str, object]:
        return {"items": [
            {"type": event.value, "subscribable": event in SUBSCRIBABLE,
             "description": EVENT_DESCRIPTIONS[event]}
            for event in EventType
        ]}


def _optional_timestamp(instant: datetime | None) -> str | None:
    return None if instant is None else format_timestamp(instant)

"""How domain objects look in the command's JSON output (camelCase, UTC times with ``Z``, as
``itmj_adapters.json_style`` writes them for the API)."""

from datetime import datetime
from typing import Any

from itmj_adapters.json_style import format_timestamp
from itmj_domain.accounts import User
from itmj_domain.api_keys import ApiKey
from itmj_domain.applications import Application
from itmj_domain.credits import Balance, Contract, CreditKind, LedgerEntry
from itmj_domain.webhooks.deliveries import Delivery
from itmj_domain.webhooks.subscriptions import Subscription

# What ``webhook list`` says of a secret the Standard Webhooks libraries cannot read.
LEGACY_SECRET_NOTE = (
    "secret issued before Standard Webhooks support: deliveries carry X-Webhook-Signature "
    "only; rotate the secret (itmj webhook rotate-secret) to get the webhook-* headers"
)

def timestamp(value: datetime | None) -> str | None:
    return None if value is None else format_timestamp(value)


def user(value: User) -> dict[str, Any]:
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "email": value.email,
        "role": value.role.value,
        "createdAt": timestamp(value.created_at),
    }


def api_key(value: ApiKey) -> dict[str, Any]:
    """The public view of a key: never the key itself, nor its hash."""
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "name": value.name,
        "prefix": value.display_prefix,
        "scopes": sorted(scope.value for scope in value.scopes),
        "status": value.status.value,
        "createdAt": timestamp(value.created_at),
        "expiresAt": timestamp(value.expires_at),
        "approvedAt": timestamp(value.approved_at),
        "lastUsedAt": timestamp(value.last_used_at),
    }


def ledger_entry(value: LedgerEntry) -> dict[str, Any]:
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "kind": value.kind.value,
        "amount": value.amount,
        "reason": value.reason.value,
        "reference": value.reference,
        "createdAt": timestamp(value.created_at),
    }


def contract(value: Contract) -> dict[str, Any]:
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "kinds": sorted(kind.value for kind in value.kinds),
        "validFrom": timestamp(value.valid_from),
        "validUntil": timestamp(value.valid_until),
    }


def balance(value: Balance) -> dict[str, Any]:
    """Credits left per kind, plus the kinds an active contract makes unlimited."""
    view: dict[str, Any] = {kind.value: value.available(kind) for kind in CreditKind}
    view["unlimited"] = sorted(kind.value for kind in value.unlimited)
    return view


def application(value: Application) -> dict[str, Any]:
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "jobId": value.job_id,
        "candidateId": value.candidate_id,
        "status": value.status.value,
        "applicationType": value.application_type.value,
        "appliedAt": timestamp(value.applied_at),
        "updatedAt": timestamp(value.updated_at or value.applied_at),
    }


def subscription(value: Subscription) -> dict[str, Any]:
    """The public view of a subscription: never its secret."""
    return {
        "id": value.id,
        "employerId": value.employer_id,
        "url": value.url,
        "events": sorted(event.value for event in value.events),
        "enabled": value.enabled,
        "consecutiveFailures": value.consecutive_failures,
        "createdAt": timestamp(value.created_at),
        "disabledAt": timestamp(value.disabled_at),
        "standardWebhooks": value.signs_standard,
        **({} if value.signs_standard else {"note": LEGACY_SECRET_NOTE}),
        "previousSecretSignsUntil": timestamp(value.previous_secret_until),
    }


def delivery(value: Delivery) -> dict[str, Any]:
    return {
        "id": value.id,
        "subscriptionId": value.subscription_id,
        "eventId": value.event_id,
        "status": value.status.value,
        "attempts": value.attempts,
        "nextAttemptAt": timestamp(value.next_attempt_at),
        "lastAttemptAt": timestamp(value.last_attempt_at),
        "lastError": value.last_error,
        "lastStatusCode": value.last_status_code,
        "deliveredAt": timestamp(value.delivered_at),
        "createdAt": timestamp(value.created_at),
    }

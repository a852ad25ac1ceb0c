"""Domain events: what happened, recorded in the outbox in the same transaction as the change.

The wire form partners receive (SPEC §7) is produced from these at the edge.
"""

import uuid
from datetime import datetime

import attrs

from itmj_domain.applications import ApplicationStatus
from itmj_domain.jobs import ApplyMethod
from itmj_domain.webhooks.subscriptions import EventType


@attrs.frozen
class ApplicationSubmitted:
    application_id: int
    job_post_id: int
    job_title: str
    candidate_id: int
    applied_at: datetime
    application_type: ApplyMethod


@attrs.frozen
class ApplicationStatusChanged:
    application_id: int
    previous_status: ApplicationStatus
    new_status: ApplicationStatus
    changed_at: datetime


@attrs.frozen
class JobExpired:
    job_post_id: int
    expired_at: datetime


@attrs.frozen
class WebhookTest:
    """A test an admin sends to one subscription to check the receiver and its signature
    check; it names no real application or job."""

    subscription_id: int
    sent_at: datetime


Payload = ApplicationSubmitted | ApplicationStatusChanged | JobExpired | WebhookTest

EVENT_TYPES: dict[type, EventType] = {
    ApplicationSubmitted: EventType.APPLICATION_SUBMITTED,
    ApplicationStatusChanged: EventType.APPLICATION_STATUS_CHANGED,
    JobExpired: EventType.JOB_EXPIRED,
    WebhookTest: EventType.WEBHOOK_TEST,
}


@attrs.frozen
class Event:
    """``request_id`` names the request that caused the event, when one did: the outbox
    records it as the event is written (SPEC §11), and it never reaches the wire form."""

    id: str
    employer_id: int
    occurred_at: datetime
    payload: Payload
    request_id: str | None = None

    @property
    def type(self) -> EventType:
        return EVENT_TYPES[type(self.payload)]

    @classmethod
    def record(cls, employer_id: int, occurred_at: datetime, payload: Payload) -> "Event":
        return cls(f"evt_{uuid.uuid4().hex}", employer_id, occurred_at, payload)

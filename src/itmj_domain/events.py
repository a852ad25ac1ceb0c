"""Domain events: what happened, recorded in the outbox in the same transaction as the change.

The wire form partners receive (SPEC §7, §12) is produced from these at the edge. Events about
an application or a job name the job's ``reference`` (the partner's own id; None when the job
has none), so that a receiver can file the event without asking the API first.
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
    reference: str | None = None


@attrs.frozen
class ApplicationStatusChanged:
    application_id: int
    previous_status: ApplicationStatus
    new_status: ApplicationStatus
    changed_at: datetime
    job_post_id: int
    reference: str | None = None


@attrs.frozen
class JobExpired:
    job_post_id: int
    expired_at: datetime
    reference: str | None = None


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
    records it as the event is written (SPEC §11), and it never reaches the wire form.

    ``sequence`` is the event's place among its employer's events (SPEC §12): the outbox
    numbers an event as it stores it, each number above every one the employer's events
    committed before, so it is None only on an event not yet stored. Numbers may skip (an
    event rolled back, a test event sent to one subscription)."""

    id: str
    employer_id: int
    occurred_at: datetime
    payload: Payload
    request_id: str | None = None
    sequence: int | None = None

    @property
    def type(self) -> EventType:
        return EVENT_TYPES[type(self.payload)]

    @property
    def subject(self) -> str | None:
        """The application or job the event is about, as ``application:12`` or ``job:7``:
        first attempts of events with one subject go to a subscription one after another,
        in ``sequence`` order. None for a test event, which is about nothing."""
        payload = self.payload
        if isinstance(payload, ApplicationSubmitted | ApplicationStatusChanged):
            return f"application:{payload.application_id}"
        if isinstance(payload, JobExpired):
            return f"job:{payload.job_post_id}"
        return None

    @classmethod
    def record(cls, employer_id: int, occurred_at: datetime, payload: Payload) -> "Event":
        return cls(f"evt_{uuid.uuid4().hex}", employer_id, occurred_at, payload)

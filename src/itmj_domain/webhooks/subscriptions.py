"""Webhook subscriptions, the auto-disable rule and secret rotation.

After ``AUTO_DISABLE_AFTER`` consecutive failed attempts across any of its deliveries, a
subscription disables itself; a success resets the count. Re-enabling resets it too. Disabled,
it keeps receiving deliveries, held unattempted until it is enabled again.

A rotated secret keeps signing the Standard Webhooks header beside the new one for
``ROTATION_OVERLAP`` (SPEC §11), so a partner can roll its receiver over without dropping
events.
"""

import enum
from datetime import datetime, timedelta

import attrs

from itmj_domain.errors import InvalidInput
from itmj_domain.webhooks import signing

AUTO_DISABLE_AFTER = 10
ROTATION_OVERLAP = timedelta(hours=24)


class EventType(enum.Enum):
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_STATUS_CHANGED = "application.status_changed"
    JOB_EXPIRED = "job.expired"
    # Sent only on request, to one subscription, so an admin can check a receiver.
    WEBHOOK_TEST = "webhook.test"


SUBSCRIBABLE = frozenset(EventType) - {EventType.WEBHOOK_TEST}


def _events(
    _instance: object, _attribute: "attrs.Attribute[frozenset[EventType]]",
    value: frozenset[EventType],
) -> None:
    if not value:
        raise InvalidInput("a subscription needs at least one event", field="events")
    if not value <= SUBSCRIBABLE:
        raise InvalidInput(
            f"{EventType.WEBHOOK_TEST.value} cannot be subscribed to: send it from the portal",
            field="events",
        )


def _overlap(instance: "Subscription", _attribute: object, value: datetime | None) -> None:
    if (value is None) != (instance.previous_secret is None):
        raise ValueError("a previous secret and the end of its overlap go together")


@attrs.frozen
class Subscription:
    """``previous_secret`` is the secret a rotation replaced, and ``previous_secret_until``
    when it stops signing: both or neither (a validator, not the type, says so)."""

    id: int
    employer_id: int
    url: str
    events: frozenset[EventType] = attrs.field(validator=_events)
    secret: str = attrs.field(repr=False)
    created_at: datetime
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = None
    previous_secret: str | None = attrs.field(default=None, repr=False)
    previous_secret_until: datetime | None = attrs.field(default=None, validator=_overlap)

    @property
    def signs_standard(self) -> bool:
        """Whether deliveries carry the Standard Webhooks headers: its secret was issued in
        the form those libraries read; an older one gets them with a rotation."""
        return signing.is_standard(self.secret)

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets that sign at ``now``: the current one, then the one it replaced while
        the rotation's overlap lasts."""
        if self.previous_secret is None or self.previous_secret_until is None:
            return (self.secret,)
        if now >= self.previous_secret_until:
            return (self.secret,)
        return (self.secret, self.previous_secret)

    def wants(self, event: EventType) -> bool:
        """Whether events of that type get a delivery to it. A disabled subscription still
        gets them, held until it is enabled again (SPEC §12): only deleting it drops them."""
        return event in self.events

    def enable(self) -> "Subscription":
        return attrs.evolve(self, enabled=True, consecutive_failures=0, disabled_at=None)

    def disable(self, now: datetime) -> "Subscription":
        if not self.enabled:
            return self
        return attrs.evolve(self, enabled=False, disabled_at=now)

    def change(
        self, url: str | None = None, events: frozenset[EventType] | None = None
    ) -> "Subscription":
        """The same subscription pointed at ``url`` or wanting ``events``, each left as it
        is when not given; the events are checked as at creation."""
        return attrs.evolve(
            self,
            url=self.url if url is None else url,
            events=self.events if events is None else events,
        )

    def rotate_secret(self, secret: str, now: datetime) -> "Subscription":
        return attrs.evolve(
            self, secret=secret, previous_secret=self.secret,
            previous_secret_until=now + ROTATION_OVERLAP,
        )

    def record_success(self) -> "Subscription":
        return attrs.evolve(self, consecutive_failures=0)

    def record_failure(self, now: datetime) -> "Subscription":
        failures = self.consecutive_failures + 1
        changed = attrs.evolve(self, consecutive_failures=failures)
        if self.enabled and failures >= AUTO_DISABLE_AFTER:
            return changed.disable(now)
        return changed

    def auto_disabled_by(self, previous: "Subscription") -> bool:
        """Whether this state is the moment the failure rule switched it off."""
        return previous.enabled and not self.enabled

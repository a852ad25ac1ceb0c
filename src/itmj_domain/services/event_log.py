"""Partners re-read their employer's events (SPEC §12): the Events API.

A connector that was down, or whose subscription was switched off, reconciles by paging
through the events it missed, oldest first, from the last ``sequence`` it handled. Events are
listed for ``RETENTION`` after they occurred; test events, sent to one subscription on
request, are not listed.
"""

from collections.abc import Sequence
from datetime import timedelta

import attrs

from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput
from itmj_domain.events import Event
from itmj_domain.ports import UnitOfWorkFactory
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType

RETENTION = timedelta(days=30)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@attrs.frozen
class EventPage:
    """``resume_after`` is the number to pass as ``after`` next: the last listed event's,
    or, when none was listed, the ``after`` asked with (None when that was the start)."""

    items: Sequence[Event]
    resume_after: int | None
    has_more: bool


@attrs.frozen
class EventLog:
    uow: UnitOfWorkFactory
    clock: Clock

    def list(
        self, employer_id: int, after: int | None = None, event_type: EventType | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> EventPage:
        """The employer's events numbered above ``after`` (from the first, when None) that
        occurred within ``RETENTION``, of ``event_type`` if given, oldest first (by number).

        Nothing is skipped by paging: an employer's events become visible in the order of
        their numbers (``Outbox.add``), so one committed after this page was read has a
        higher number than any listed here."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        if after is not None and after < 0:
            raise InvalidInput("after must not be negative", field="after")
        if event_type is not None and event_type not in SUBSCRIBABLE:
            raise InvalidInput(f"{event_type.value} events are not listed", field="type")
        types = SUBSCRIBABLE if event_type is None else frozenset({event_type})
        since = self.clock.now() - RETENTION
        with self.uow(read_only=True) as uow:
            found = uow.outbox.list_for_employer(employer_id, after or 0, types, since, limit + 1)
        items = list(found[:limit])
        resume_after = items[-1].sequence if items else after
        return EventPage(items, resume_after, len(found) > limit)

"""Messaging: what leaves the process — email to people, webhooks to partners' systems, and
tasks for the background workers.
"""

from collections.abc import Sequence
from typing import Protocol

import attrs

from itmj_domain.events import Event
from itmj_domain.webhooks.deliveries import AttemptOutcome, Delivery


class Notifier(Protocol):
    """Outbound email to people (admins), not to partners' systems."""

    def send(self, to: str, subject: str, body: str) -> None: ...


class DeliveryLog(Protocol):
    """What the delivery worker reports as it goes, for the operator: each attempt (the
    delivery as recorded after it, and the event it carries, with the id of the request that
    caused it) and each relay pass."""

    def attempted(self, delivery: Delivery, event: Event) -> None: ...
    def relayed(self, events: int, attempted: int) -> None: ...


class TaskQueue(Protocol):
    """Background work. Tasks are only hints to act soon: the database stays the record of
    what is owed, and periodic sweeps pick up whatever a lost task left behind."""

    def dispatch(self) -> None:
        """Soon: relay the outbox into deliveries and send every delivery that is due."""
        ...

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        """Soon: attempt these deliveries. Retries that fall due later are not queued ahead:
        the periodic sweep finds them when they are due."""
        ...

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        """Soon: bring the search index in line with these candidates as stored now. A lost
        task leaves the index behind until the next full reindex."""
        ...

    def send_password_reset(self, email: str, page_url: str) -> None:
        """Soon: if a user has this email, issue them a reset link to ``page_url`` and email
        it. The task carries no token (it is made where the mail is sent, so it never sits
        in the queue); a lost task is a lost email, which the person asks for again."""
        ...


@attrs.frozen
class OutboundRequest:
    url: str
    headers: dict[str, str]
    body: bytes


class HostResolver(Protocol):
    """Looks host names up as the machine's resolver does at this moment."""

    def addresses(self, host: str, port: int) -> Sequence[str]:
        """Every address ``host`` has now, in the resolver's order; empty when it has none.
        A literal address, in any spelling the resolver reads, resolves to that address."""
        ...


class WebhookSender(Protocol):
    def send_many(self, requests: Sequence[OutboundRequest]) -> Sequence[AttemptOutcome]:
        """POST each request (concurrently where possible); outcomes in the same order."""
        ...


class EventEncoder(Protocol):
    def encode(self, event: Event) -> bytes:
        """The JSON body partners receive for the event (SPEC §7)."""
        ...

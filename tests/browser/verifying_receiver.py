"""A partner's webhook endpoint on loopback: it checks each delivery's signature as SPEC §10
tells partners to, answers 204 when it holds and 401 when it does not, and keeps what came."""

import json
import time
from typing import Any

import attrs

from tests.adapters.receiver import Received, Receiver
from tests.use_cases.test_webhooks import partner_verifies


@attrs.frozen
class Checked:
    event: str
    delivery_id: str
    verified: bool
    body: dict[str, Any]


class VerifyingReceiver(Receiver):
    """``secret`` is set once the portal has shown it; until then nothing verifies."""

    def __init__(self) -> None:
        super().__init__()
        self.secret: str | None = None

    @property
    def url(self) -> str:
        return f"{super().url}/itmj-webhooks"

    def answer(self, received: Received) -> int:
        return 204 if self._verifies(received) else 401

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Checked]:
        """The first ``count`` deliveries, once they have come. Delivery runs in the request
        that caused it, so they have normally come before the page answered; the wait only
        covers a scheduler thread that got there first."""
        return [
            Checked(
                received.headers.get("X-Webhook-Event", ""),
                received.headers.get("X-Webhook-Delivery-Id", ""),
                self._verifies(received),
                json.loads(received.body),
            )
            for received in super().wait_for(count, timeout)
        ]

    def _verifies(self, received: Received) -> bool:
        return self.secret is not None and partner_verifies(
            self.secret, received.headers.get("X-Webhook-Signature", ""), received.body,
            int(time.time()),
        )

"""A webhook sender for tests: nothing leaves the process."""

import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from itmj_domain.clock import Clock
from itmj_domain.ports import OutboundRequest
from itmj_domain.webhooks import deliveries, signing
from itmj_domain.webhooks.deliveries import AttemptOutcome

#: What the real sender records of a request that got no answer in time, or no connection.
TIMED_OUT = AttemptOutcome(None, deliveries.TIMED_OUT)
CONNECTION_REFUSED = AttemptOutcome(None, "connection failed: Connection refused")

SIGNATURE_HEADER = "X-Webhook-Signature"
DELIVERY_ID_HEADER = "X-Webhook-Delivery-Id"
EVENT_HEADER = "X-Webhook-Event"


class RecordingSender:
    """Keeps every request it is given, in the order sent, and answers each with the next
    scripted outcome (``answer_with``), or ``default`` (200) once the script has run out.

    Given a clock, it also notes when each request came (``sent_at``), so a test can hold
    retries to their schedule. Safe to share between threads, as the real sender is.
    """

    def __init__(
        self, clock: Clock | None = None, default: int | AttemptOutcome = 200
    ) -> None:
        self._clock = clock
        self._default = _outcome(default)
        self._script: list[AttemptOutcome] = []
        self._requests: list[OutboundRequest] = []
        self._sent_at: list[datetime] = []
        self._in_flight: Callable[[], None] | None = None
        self._lock = threading.Lock()

    def answer_with(self, *answers: int | AttemptOutcome) -> "RecordingSender":
        """Script the next answers, one per request, after any still scripted: a status
        code, or an ``AttemptOutcome`` such as ``TIMED_OUT`` or ``AttemptOutcome(None,
        "connection reset")``. ``answer_with(503, 503, 200)`` fails twice, then succeeds."""
        with self._lock:
            self._script.extend(_outcome(answer) for answer in answers)
        return self

    def while_in_flight(self, action: Callable[[], None]) -> None:
        """Run ``action`` once, when the next requests are sent and before they are answered:
        what happens meanwhile elsewhere (a subscription deleted, another worker's pass)."""
        self._in_flight = action

    def send_many(self, requests: Sequence[OutboundRequest]) -> list[AttemptOutcome]:
        action, self._in_flight = self._in_flight, None
        if action is not None:
            action()
        with self._lock:
            answers = []
            for request in requests:
                self._requests.append(request)
                if self._clock is not None:
                    self._sent_at.append(self._clock.now())
                answers.append(self._script.pop(0) if self._script else self._default)
            return answers

    @property
    def requests(self) -> list[OutboundRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def sent_at(self) -> list[datetime]:
        """When each request came, by the clock given (empty without one)."""
        with self._lock:
            return list(self._sent_at)

    @property
    def delivery_ids(self) -> list[str]:
        return [r.headers[DELIVERY_ID_HEADER] for r in self.requests]

    @property
    def events(self) -> list[str]:
        return [r.headers[EVENT_HEADER] for r in self.requests]

    def clear(self) -> None:
        """Forget the requests so far (the script stays)."""
        with self._lock:
            self._requests.clear()
            self._sent_at.clear()

    @staticmethod
    def signed_by(secret: str, request: OutboundRequest, now: datetime | None = None) -> bool:
        """Whether ``request`` carries a valid signature under ``secret``, checked as SPEC §10
        tells partners to (``now`` defaults to the signature's own time, so only the HMAC
        is checked; pass the clock's time to check the five-minute tolerance too)."""
        header = request.headers.get(SIGNATURE_HEADER, "")
        if now is None:
            stamp = dict(p.split("=", 1) for p in header.split(",") if "=" in p).get("t", "")
            if not stamp.isdigit():
                return False
            return signing.verify(secret, header, request.body, int(stamp))
        return signing.verify(secret, header, request.body, int(now.timestamp()))


def _outcome(answer: int | AttemptOutcome) -> AttemptOutcome:
    return answer if isinstance(answer, AttemptOutcome) else AttemptOutcome(answer)

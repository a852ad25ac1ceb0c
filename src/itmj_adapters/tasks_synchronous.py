"""A task queue that runs each task at once, in the caller's thread.

The embedded default and the tests use it: no broker, no worker, and a test sees the effect of
a task as soon as the use case returns. Retries fall due later and are found by the next
``dispatch``, which a test triggers after moving its clock.
"""

from collections.abc import Sequence

from itmj_domain.services.webhook_delivery import WebhookDelivery


class SynchronousTaskQueue:
    def __init__(self) -> None:
        self._delivery: WebhookDelivery | None = None

    def bind(self, delivery: WebhookDelivery) -> None:
        """The use cases and the queue need each other; the composition root ties the knot."""
        self._delivery = delivery

    def dispatch(self) -> None:
        self._run(lambda delivery: delivery.dispatch())

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        self._run(lambda delivery: delivery.deliver(delivery_ids))

    def _run(self, task) -> None:
        if self._delivery is None:
            raise RuntimeError("the task queue is not bound to the delivery use case")
        task(self._delivery)

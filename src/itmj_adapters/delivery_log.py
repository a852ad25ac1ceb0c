"""The delivery worker's log lines: one per attempt, naming the delivery, its event, the
request that caused the event and the outcome; one per relay pass that did anything (an idle
pass, every second from the scheduler, is logged at DEBUG)."""

import logging

from itmj_domain.events import Event
from itmj_domain.webhooks.deliveries import Delivery

log = logging.getLogger("itmj.webhooks")


class LoggingDeliveryLog:
    def attempted(self, delivery: Delivery, event: Event) -> None:
        log.info("delivery attempt", extra={
            "request_id": event.request_id,
            "delivery_id": delivery.id,
            "event_id": event.id,
            "event_type": event.type.value,
            "subscription_id": delivery.subscription_id,
            "attempt": delivery.attempts,
            "outcome": delivery.status.value,
            "status_code": delivery.last_status_code,
            "error": delivery.last_error,
        })

    def relayed(self, events: int, attempted: int) -> None:
        level = logging.INFO if events or attempted else logging.DEBUG
        log.log(level, "relay pass", extra={"relayed_events": events,
                                            "attempted_deliveries": attempted})

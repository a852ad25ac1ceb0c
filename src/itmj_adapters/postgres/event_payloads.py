"""Event payloads as the outbox stores them: a JSON document per payload, its class named by
the event type beside it.

Keys are the attribute names, instants ISO 8601 with their microseconds and offset, enums
their values, so a payload reads back equal to the one written.
"""

from typing import Any

from cattrs.preconf.json import make_converter

from itmj_domain.events import EVENT_TYPES, Payload
from itmj_domain.webhooks.subscriptions import EventType

_CONVERTER = make_converter()
_PAYLOAD_CLASSES: dict[EventType, type] = {event: cls for cls, event in EVENT_TYPES.items()}


def document(payload: Payload) -> dict[str, Any]:
    return _CONVERTER.unstructure(payload)


def payload(event_type: EventType, stored: dict[str, Any]) -> Payload:
    return _CONVERTER.structure(stored, _PAYLOAD_CLASSES[event_type])

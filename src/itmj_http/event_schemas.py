"""The schemas of events as partners receive them (SPEC §7, §12): a webhook's body and an item
of ``GET /api/v1/events`` are the same object.

Each payload's fields come from its domain class, in the class's order, as the encoder writes
them (``itmj_adapters.event_encoder``).
"""

import attrs

from itmj_adapters.json_style import camel
from itmj_domain.events import ApplicationStatusChanged, ApplicationSubmitted, JobExpired
from itmj_domain.services.event_log import MAX_LIMIT
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from itmj_http.json_schema import Schema, attribute_schema

_OCCURRED_AT: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$",
    "description": "UTC ISO 8601 to the millisecond",
    "examples": ["2026-12-07T10:00:00.123Z"],
}
_ID: Schema = {"type": "integer", "format": "int64", "minimum": 1}
_IDS = ("application_id", "job_post_id", "candidate_id")
_REFERENCE: Schema = {"description": "The job's reference (the partner's own id); null when "
                                     "the job has none"}
_PAYLOADS = {
    EventType.APPLICATION_SUBMITTED: ("ApplicationSubmittedData", ApplicationSubmitted),
    EventType.APPLICATION_STATUS_CHANGED: (
        "ApplicationStatusChangedData", ApplicationStatusChanged
    ),
    EventType.JOB_EXPIRED: ("JobExpiredData", JobExpired),
}


def _payload(cl: type) -> Schema:
    properties: dict[str, Schema] = {}
    for field in attrs.fields(cl):
        schema = attribute_schema(cl, field.name)
        schema.pop("default", None)
        if field.name in _IDS:
            schema = dict(_ID)
        if field.name == "reference":
            schema = {**schema, **_REFERENCE}
        properties[camel(field.name)] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _event(event: EventType, data: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "^evt_", "description": "The event's id"},
            "event": {"type": "string", "const": event.value},
            "occurredAt": _OCCURRED_AT,
            "sequence": {**_ID, "description": (
                "Strictly increasing among the employer's events (numbers may skip): order "
                "events by it, not by arrival")},
            "data": {"$ref": f"#/components/schemas/{data}"},
        },
        "required": ["id", "event", "occurredAt", "sequence", "data"],
        "additionalProperties": False,
    }


def event_schemas() -> dict[str, Schema]:
    """``Event`` (any of the subscribable events), one schema per payload, and ``EventPage``."""
    found: dict[str, Schema] = {}
    variants = []
    for event in sorted(SUBSCRIBABLE, key=lambda e: e.value):
        data, cl = _PAYLOADS[event]
        found[data] = _payload(cl)
        variants.append(_event(event, data))
    found["Event"] = {
        "oneOf": variants,
        "description": "The body of a webhook delivery, and an item of GET /api/v1/events",
    }
    found["EventPage"] = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Event"},
                      "maxItems": MAX_LIMIT, "description": "Oldest first, by sequence"},
            "nextCursor": {"type": ["string", "null"], "description": (
                "Where to continue: pass it as `after`. Present even on an empty page (the "
                "place stays); null only when there is no event yet and no `after` was given")},
            "hasMore": {"type": "boolean",
                        "description": "More events follow right now: ask again at once"},
        },
        "required": ["items", "nextCursor", "hasMore"],
        "additionalProperties": False,
    }
    return found

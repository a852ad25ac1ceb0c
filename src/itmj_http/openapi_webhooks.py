"""The ``webhooks`` of the OpenAPI document (SPEC §7, §11): the body and headers of each event
a subscription receives, so that partners can generate the types of what they are sent.

Each event's ``data`` is derived from the domain's payload class (``itmj_domain.events``), as
the event encoder writes it: a payload attribute added there is documented with it. The
envelope around it is ``_envelope``, one line per field the encoder writes; the tests encode
a real event of each type and hold the body to the schema, field for field. Like every
response, bodies are open to fields added later, and their enums to new values.
"""

from typing import Any

import attrs

from itmj_domain.events import EVENT_TYPES, Payload
from itmj_http.json_schema import Schema, object_properties, ref
from itmj_http.openapi_examples import webhook_example

_EVENT_ID: Schema = {
    "type": "string", "pattern": "^evt_[0-9a-f]{32}$",
    "description": "The event's id: one event sent to two subscriptions has one id and two "
                   "delivery ids",
}
_DELIVERY_ID: Schema = {"type": "string", "pattern": "^dlv_[0-9a-f]{32}$"}
_OCCURRED_AT: Schema = {
    "type": "string", "format": "date-time",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$",
    "description": "When it happened: UTC ISO 8601 to the millisecond",
    "examples": ["2026-12-07T10:00:00.123Z"],
}
_SEQUENCE: Schema = {
    "type": "integer", "format": "int64", "minimum": 1,
    "description": "Strictly increasing among the employer's events (numbers may skip): "
                   "order an application's or a job's events by it, not by arrival",
}


# The Standard Webhooks headers come with every secret issued since they are supported; a
# secret issued before signs the legacy header alone until it is rotated.
_STANDARD = ("Standard Webhooks, sent when the subscription's secret was issued or rotated since "
             "they are supported (an older secret signs X-Webhook-Signature alone): ")


def _headers(event: str) -> dict[str, Schema]:
    """The headers of a delivery: SPEC §7's own, always, then the Standard Webhooks ones
    (SPEC §11) over the same secret."""
    return {
        "X-Webhook-Signature": {
            "required": True,
            "description": "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"{t}.{raw body}\" keyed "
                           "with the whole whsec_ secret>; refuse a t more than 300 seconds "
                           "from now",
            "schema": {"type": "string", "pattern": "^t=[0-9]+,v1=[0-9a-f]{64}$"},
        },
        "X-Webhook-Event": {"required": True, "description": "The event, as in the body",
                            "schema": {"type": "string", "const": event}},
        "X-Webhook-Delivery-Id": {
            "required": True,
            "description": "One delivery of one event to one subscription, the same on every "
                           "retry and redelivery: de-duplicate on it",
            "schema": _DELIVERY_ID,
        },
        "webhook-id": {
            "required": False,
            "description": f"{_STANDARD}the delivery id, as X-Webhook-Delivery-Id",
            "schema": _DELIVERY_ID,
        },
        "webhook-timestamp": {
            "required": False,
            "description": f"{_STANDARD}when the attempt was signed, in unix seconds",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        },
        "webhook-signature": {
            "required": False,
            "description": f"{_STANDARD}v1,<base64 HMAC-SHA256 of \"{{webhook-id}}."
                           "{webhook-timestamp}.{raw body}\">, keyed with the secret as the "
                           "Standard Webhooks libraries read it; for 24 hours after a "
                           "rotation, a second signature by the previous secret follows, "
                           "space-separated",
            "schema": {"type": "string",
                       "pattern": "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$"},
        },
    }


_WHEN = {
    "application.submitted": "A candidate applied to one of the employer's jobs, by any "
                             "apply method.",
    "application.status_changed": "A recruiter moved an application along the pipeline, or "
                                  "rejected it.",
    "job.expired": "An Active job passed its expiryDate and is now Expired.",
    "webhook.test": "An admin sent a test to this one subscription (nobody subscribes to it); "
                    "it names no real application or job.",
}


def _data(payload: type[Payload]) -> Schema:
    # Ids are positive; the payload's types say the rest.
    constraints = {field.name: {"minimum": 1} for field in attrs.fields(payload)
                   if field.name.endswith("_id")}
    properties = object_properties(payload, constraints, extensible=True)
    return {"type": "object", "properties": properties, "required": list(properties)}


def _envelope(event: str, payload: type[Payload]) -> Schema:
    # The fields the encoder writes, in its order: a field it adds is one line here.
    properties = {
        "id": _EVENT_ID,
        "event": {"type": "string", "const": event},
        "occurredAt": _OCCURRED_AT,
        "sequence": _SEQUENCE,
        "data": ref(f"{payload.__name__}Data"),
    }
    return {"type": "object", "description": _WHEN[event], "properties": properties,
            "required": list(properties)}


def schemas() -> dict[str, Schema]:
    """Each event's body (``<Payload>Event``) and its data (``<Payload>Data``)."""
    found: dict[str, Schema] = {}
    for payload, event in EVENT_TYPES.items():
        found[f"{payload.__name__}Event"] = _envelope(event.value, payload)
        found[f"{payload.__name__}Data"] = _data(payload)
    return found


def webhooks() -> dict[str, Any]:
    return {event.value: {"post": _delivery(event.value, payload)}
            for payload, event in EVENT_TYPES.items()}


def _delivery(event: str, payload: type[Payload]) -> dict[str, Any]:
    headers = [{"name": name, "in": "header", **header}
               for name, header in _headers(event).items()]
    return {
        "operationId": f"{payload.__name__[0].lower()}{payload.__name__[1:]}Webhook",
        "summary": _WHEN[event],
        "description": "A signed POST with User-Agent ITManagerJobs-Webhooks/1. Delivered at "
                       "least once. The first attempts of the events about one application "
                       "or job go out one after another, in sequence order; a retry may "
                       "arrive after a later event, so order by sequence.",
        "parameters": headers,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref(f"{payload.__name__}Event"),
            "example": webhook_example(payload),
        }}},
        "responses": {
            "2XX": {"description": "Received. Any 2xx within 10 seconds is a success; answer "
                                   "quickly and do slow work afterwards."},
            "default": {"description": "Anything else, a redirect or a timeout included, is "
                                       "a failure: the delivery is tried again after 1m, 5m, "
                                       "15m, 1h, 6h, 24h, 24h and 24h, then dead-lettered."},
        },
        "security": [],
    }

"""The Events API's page (SPEC §12): its items are the very bodies webhooks carry, whose
schemas ``openapi_webhooks`` derives (``<Payload>Event``); test events are not listed."""

from itmj_domain.events import EVENT_TYPES
from itmj_domain.services.event_log import MAX_LIMIT
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE
from itmj_http.json_schema import Schema, enum_schema, ref


def event_schemas() -> dict[str, Schema]:
    """``Event`` (the body of any listed event), ``EventPage``, and ``EventType``, the types
    listed (the ``type`` filter)."""
    listed = sorted(
        (event.value, payload.__name__) for payload, event in EVENT_TYPES.items()
        if event in SUBSCRIBABLE
    )
    return {
        "EventType": enum_schema([value for value, _ in listed]),
        "Event": {
            "oneOf": [ref(f"{name}Event") for _, name in listed],
            "description": "The body of a webhook delivery, and an item of GET /api/v1/events",
        },
        "EventPage": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": ref("Event"), "maxItems": MAX_LIMIT,
                          "description": "Oldest first, by sequence"},
                "nextCursor": {"type": ["string", "null"], "description": (
                    "Where to continue: pass it as `after`. Present even on an empty page "
                    "(the place stays); null only when there is no event yet and no `after` "
                    "was given")},
                "hasMore": {"type": "boolean",
                            "description": "More events follow right now: ask again at once"},
            },
            "required": ["items", "nextCursor", "hasMore"],
        },
    }

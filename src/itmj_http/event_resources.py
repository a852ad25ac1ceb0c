"""``GET /api/v1/events``: the employer's events of the last 30 days, oldest first, in the
webhook's body shape (SPEC §12). Free, for any valid key of the employer; limited with the
jobs family.

``after`` is a cursor the API returned as ``nextCursor``: opaque to partners, it holds the
``sequence`` to continue after. ``nextCursor`` is always the place to continue from, even on
an empty page, so a connector polls with the last one it got and never misses an event. When
more events are there already (``hasMore``), ``Link: <…>; rel="next"`` names the next page,
as the other lists do (SPEC §11).
"""

import base64
import binascii
import re
from urllib.parse import urlencode

import falcon

from itmj_adapters.event_encoder import JsonEventEncoder
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.event_log import DEFAULT_LIMIT, MAX_LIMIT, EventLog
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from itmj_http.auth import ANY_KEY, employer_id
from itmj_http.params import int_param, only_params, single_param
from itmj_http.responses import send_json

EVENTS_PATH = "/api/v1/events"
_PARAMS = frozenset({"after", "type", "limit"})
_CURSOR_PREFIX = "seq:"
_CURSOR_BODY = re.compile(r"seq:(0|[1-9][0-9]{0,17})")
# Listed ones only: a test event goes to one subscription and is not re-read here.
LISTED_TYPES = sorted(event.value for event in SUBSCRIBABLE)


def cursor(sequence: int) -> str:
    raw = (_CURSOR_PREFIX + str(sequence)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _sequence(text: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    match = _CURSOR_BODY.fullmatch(raw)
    if match is None or cursor(int(match.group(1))) != text:
        raise falcon.HTTPBadRequest(
            description="after: not a cursor this API returned (pass nextCursor as it came)"
        )
    return int(match.group(1))


class EventsResource:
    scope = ANY_KEY
    rate_limited = LimitedFamily.JOBS

    def __init__(self, events: EventLog, encoder: JsonEventEncoder) -> None:
        self._events = events
        self._encoder = encoder

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        only_params(req, _PARAMS)
        raw_after = single_param(req, "after")
        after = None if raw_after is None else _sequence(raw_after)
        raw_type = single_param(req, "type")
        if raw_type is not None and raw_type not in LISTED_TYPES:
            raise falcon.HTTPBadRequest(
                description=f"type: expected one of {', '.join(LISTED_TYPES)}"
            )
        event_type = None if raw_type is None else EventType(raw_type)
        limit = int_param(req, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        page = self._events.list(employer_id(req), after, event_type, limit)
        next_cursor = None if page.resume_after is None else cursor(page.resume_after)
        if page.has_more and next_cursor is not None:
            query = {"after": next_cursor, "type": raw_type, "limit": req.params.get("limit")}
            given = urlencode({name: value for name, value in query.items() if value})
            resp.set_header("Link", f'<{EVENTS_PATH}?{given}>; rel="next"')
        send_json(resp, {
            "items": [self._encoder.envelope(event) for event in page.items],
            "nextCursor": next_cursor,
            "hasMore": page.has_more,
        })

"""Reading a request's JSON body within the limits of the API.

At most 1 MiB is accepted: a larger declared length is refused before reading, and no more
than one byte past the limit is ever read, so a body without a length cannot exhaust memory.
"""

import json
from typing import Any

import falcon
from falcon.typing import ReadableIO

from itmj_http.api_error import ApiError
from itmj_http.json_converter import echo_name

MAX_BODY_BYTES = 1024 * 1024
_TOO_LARGE = f"request body must be at most {MAX_BODY_BYTES} bytes"


def raw_body(req: falcon.Request) -> bytes:
    """The body's bytes, read once and kept for the rest of the request."""
    raw = req.context.get("raw_body")
    if raw is None:
        raw = req.context.raw_body = _read_limited(req)
    return raw


def json_object(req: falcon.Request) -> dict[str, Any] | None:
    """The body's JSON object, or None when the request has no body."""
    raw = raw_body(req)
    if not raw:
        return None
    media_type = (req.content_type or "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise falcon.HTTPUnsupportedMediaType(
            description="request body must be sent as Content-Type: application/json"
        )
    try:
        data = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_refuse_duplicate_keys,
            parse_constant=_refuse_constant,
        )
    except _DuplicateKey as duplicate:
        raise ApiError(
            400, "invalid_request", f"{duplicate.key}: repeated key", field=duplicate.key
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise falcon.HTTPBadRequest(description="body: malformed JSON") from None
    if not isinstance(data, dict):
        raise falcon.HTTPBadRequest(description="body: expected a JSON object")
    return data


def required_object(req: falcon.Request) -> dict[str, Any]:
    """The body's JSON object, which the request must have."""
    body = json_object(req)
    if body is None:
        raise falcon.HTTPBadRequest(description="body: a JSON object is required")
    return body


def _read_limited(req: falcon.Request) -> bytes:
    length = req.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise falcon.HTTPContentTooLarge(description=_TOO_LARGE)
    stream: ReadableIO
    if length is not None:
        stream = req.bounded_stream
    elif req.env.get("wsgi.input_terminated"):
        # A chunked body has no length; the server marks when its input ends by itself.
        stream = req.stream
    else:
        return b""
    raw = stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise falcon.HTTPContentTooLarge(description=_TOO_LARGE)
    return raw


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(echo_name(key))
        data[key] = value
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")

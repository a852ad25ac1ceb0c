"""The ``Idempotency-Key`` header at the edge: what makes a write request idempotent, and how a
retry gets the first answer again (see ``itmj_domain.idempotency``)."""

from collections.abc import Callable
from typing import TypeVar

import falcon

from itmj_domain.idempotency import (
    AlreadyAnswered,
    IdempotentRequest,
    StoredResponse,
    fingerprint,
    raw_fingerprint,
)
from itmj_domain.services.idempotency import Idempotent
from itmj_http.request_body import raw_body
from itmj_http.responses import JSON_TYPE, encode_json

HEADER = "Idempotency-Key"
# On a retry's answer only (SPEC §11): the write did not happen again.
REPLAYED = "Idempotent-Replayed"
T = TypeVar("T")


def idempotent(req: falcon.Request, render: Callable[[T], StoredResponse]) -> Idempotent[T] | None:
    """The request as an idempotent one when it carries the header, else None. Call it once
    the body has been read and checked: a request refused for its body leaves no record."""
    key = req.get_header(HEADER)
    if key is None:
        return None
    target = f"{req.path}?{req.query_string}" if req.query_string else req.path
    body = raw_body(req)
    return Idempotent(
        IdempotentRequest(
            req.context.api_key.id, key, fingerprint(req.method, target, body),
            raw_fingerprint(req.method, target, body),
        ),
        render,
    )


def json_answer(
    body: object, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
) -> StoredResponse:
    return StoredResponse(status, encode_json(body), (("Content-Type", JSON_TYPE), *headers))


def send(resp: falcon.Response, answer: StoredResponse) -> None:
    resp.status = answer.status
    resp.data = answer.body
    for name, value in answer.headers:
        resp.set_header(name, value)


def send_again(
    _req: falcon.Request, resp: falcon.Response, answered: AlreadyAnswered, _params: dict
) -> None:
    """The error handler for a retry: the first answer, as it was, saying it is a replay."""
    send(resp, answered.response)
    resp.set_header(REPLAYED, "true")

"""Every error the API answers with, mapped in this one place.

Domain errors and Falcon's own HTTP errors all end in the serializer below, which writes the
``{"code", "message"}`` envelope of SPEC §4, with the request's ``requestId`` (SPEC §11). A
401 has no body at all, and a 5xx never says more than that something went wrong (the
exception goes to the log, not to the partner), unless it is one of the codes a partner can
act on, ``search_unavailable``.
"""

import logging

import falcon

from itmj_adapters.json_style import camel, camel_text
from itmj_adapters.secret_box import SecretKeyError
from itmj_domain.errors import DomainError, InvalidInput, InvalidState, NoCredits, NotFound
from itmj_domain.idempotency import AlreadyAnswered
from itmj_domain.search import InvalidQuery, SearchUnavailable
from itmj_http.idempotency import send_again
from itmj_http.json_converter import InvalidJson
from itmj_http.responses import send_json

log = logging.getLogger(__name__)

# Looked up along the error's MRO: a narrower error is answered as the one it refines.
_DOMAIN_ERRORS: dict[type[DomainError], tuple[int, str]] = {
    InvalidInput: (400, "invalid_request"),
    InvalidState: (400, "invalid_state"),
    NoCredits: (402, "no_credits"),
    NotFound: (404, "not_found"),
}
_DEFAULT_MESSAGES = {
    404: ("not_found", "no such resource"),
    405: ("invalid_request", "method not allowed on this resource"),
    413: ("invalid_request", "request body too large"),
    415: ("invalid_request", "request body must be application/json"),
}
# Every code of SPEC §4 that an answer can carry; a partner's client may switch on them.
ERROR_CODES = (
    "invalid_request", "invalid_query", "invalid_state", "no_credits", "not_found",
    "forbidden", "rate_limited", "internal_error", "search_unavailable",
)
SERVER_ERROR = {"code": "internal_error", "message": "internal error; please retry later"}


class ApiError(falcon.HTTPError):
    """An answer in the envelope, with the code a partner's client switches on (one of
    ``ERROR_CODES``). Falcon declares its own ``code`` an int, a number to quote to support;
    the SPEC's codes are words, so they travel as ``error_code``."""

    def __init__(
        self, status: int, error_code: str, description: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, description=description, headers=headers)
        self.error_code = error_code


def register(app: falcon.App) -> None:
    app.set_error_serializer(_serialize)
    app.add_error_handler(Exception, _unexpected)
    app.add_error_handler(InvalidJson, _invalid_json)
    app.add_error_handler(InvalidQuery, _invalid_query)
    app.add_error_handler(SearchUnavailable, _search_unavailable)
    app.add_error_handler(AlreadyAnswered, send_again)
    app.add_error_handler(SecretKeyError, _secret_keys_wanting)
    for error_type in _DOMAIN_ERRORS:
        app.add_error_handler(error_type, _domain_error)


# What a request no route served goes by, in the logs and in the metrics' labels alike.
UNMATCHED = "unmatched"


def route(req: falcon.Request) -> str:
    """What a log line or a metric names a request by: the route template it matched, never
    the raw path, which may hold a token (``/account/invitations/{token}``) or anything a
    caller sent (and would grow the metrics' label set without end)."""
    return req.uri_template or UNMATCHED


def _invalid_json(
    _req: falcon.Request, _resp: falcon.Response, error: InvalidJson, _params: dict
) -> None:
    raise ApiError(400, "invalid_request", error.message)


def _invalid_query(
    _req: falcon.Request, _resp: falcon.Response, error: InvalidQuery, _params: dict
) -> None:
    # Verbatim: the message quotes the partner's own query, position included.
    raise ApiError(400, "invalid_query", error.message)


def _search_unavailable(
    req: falcon.Request, _resp: falcon.Response, error: SearchUnavailable, _params: dict
) -> None:
    # The cause (refused, timed out) is the operator's to read, not the partner's.
    log.warning("%s %s: %s (%s)", req.method, route(req), error, error.__cause__)
    raise ApiError(503, "search_unavailable", error.message, headers={"Retry-After": "30"})


def _domain_error(
    _req: falcon.Request, _resp: falcon.Response, error: DomainError, _params: dict
) -> None:
    # Falcon picks this handler along the MRO too, so one of the classes is mapped.
    status, code = next(
        _DOMAIN_ERRORS[cls] for cls in type(error).__mro__ if cls in _DOMAIN_ERRORS
    )
    # Domain messages name attributes in snake_case; partners know the camelCase JSON names.
    message = camel_text(str(error))
    field = getattr(error, "field", None)
    if field is not None and camel(field) not in message:
        message = f"{camel(field)}: {message}"
    raise ApiError(status, code, message)


def _secret_keys_wanting(
    req: falcon.Request, _resp: falcon.Response, error: SecretKeyError, _params: dict
) -> None:
    # The deployment lacks a key (ITMJ_SECRET_KEYS): nothing the caller did, and nothing a
    # retry fixes until an operator acts, whom the log tells what to set.
    log.error("%s %s refused: %s", req.method, route(req), error)
    raise falcon.HTTPServiceUnavailable()


def _unexpected(
    req: falcon.Request, _resp: falcon.Response, error: Exception, _params: dict
) -> None:
    log.error("unhandled error on %s %s", req.method, route(req), exc_info=error)
    raise falcon.HTTPInternalServerError()


def _serialize(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    # Pages for people (the portal) answer with a page of their own, not the API envelope.
    render_page = req.context.get("render_error")
    if render_page is not None:
        render_page(req, resp, error)
        return
    status = error.status_code
    if status == 401:
        return
    # SPEC §11: the id a partner quotes to support, the one X-Request-Id carries.
    request_id = req.context.get("request_id")
    quoted = {} if request_id is None else {"requestId": request_id}
    if status >= 500 and not isinstance(error, ApiError):
        send_json(resp, {**SERVER_ERROR, **quoted}, status)
        return
    default_code, default_message = _DEFAULT_MESSAGES.get(status, ("invalid_request", None))
    send_json(
        resp,
        {
            "code": error.error_code if isinstance(error, ApiError) else default_code,
            "message": error.description or default_message or error.title,
            **quoted,
        },
        status,
    )

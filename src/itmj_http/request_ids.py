"""Request ids and the access log: the first middleware, so that it sees every answer (an
empty 401, a 429, a 5xx, a portal page, the health endpoints and the OpenAPI document) and
ends after all the others.

Each request gets the caller's own ``X-Request-Id`` when it is 1 to 128 visible ASCII
characters, else a new one; it is echoed in the answer, written into the error envelope,
bound for the adapters (the outbox stamps it on events) and on every log line of the request.
One access line per request records the route template, never the raw path or query, and
names the caller only by employer id and the key's display prefix.
"""

import logging
import time

import falcon

from itmj_adapters import request_context
from itmj_domain.api_keys import ApiKey
from itmj_http.errors import route

HEADER = "X-Request-Id"
log = logging.getLogger("itmj.access")


class RequestIds:
    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        offered = req.get_header(HEADER)
        request_id = (
            offered if request_context.is_sane(offered) else request_context.new_request_id()
        )
        req.context.request_id = request_id
        req.context.request_started = time.perf_counter()
        req.context.request_id_token = request_context.bind(request_id)

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, _resource: object, _succeeded: bool
    ) -> None:
        request_id = req.context.get("request_id")
        if request_id is None:
            return
        resp.set_header(HEADER, request_id)
        try:
            # The fields cost as much as the line: none are gathered when it is not written.
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra=_access_fields(req, resp))
        finally:
            request_context.unbind(req.context.request_id_token)


def _access_fields(req: falcon.Request, resp: falcon.Response) -> dict[str, object]:
    started: float = req.context.request_started
    fields: dict[str, object] = {
        "request_id": req.context.request_id,
        "method": req.method,
        "route": route(req),
        "status": resp.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    key: ApiKey | None = req.context.get("api_key")
    if key is not None:
        fields["employer_id"] = key.employer_id
        fields["key_prefix"] = key.display_prefix
    return fields

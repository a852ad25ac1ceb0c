"""Request ids, the access log and the request metrics: the first middleware, so that it
sees every answer (an empty 401, a 429, a 5xx, a portal page, the health endpoints and the
OpenAPI document) and ends after all the others.

Each request gets the caller's own ``X-Request-Id`` when it is 1 to 128 visible ASCII
characters, else a new one; it is echoed in the answer, written into the error envelope,
bound for the adapters (the outbox stamps it on events) and on every log line of the request.
One access line per request records the route template, never the raw path or query, and
names the caller only by employer id and the key's display prefix. With metrics on, the same
middleware reports the answer to them, timed from the same start: every request pays for
this one, so it is one middleware, not two.
"""

import logging
import time

import falcon

from itmj_adapters import logs, request_context
from itmj_adapters.metrics import ServedMetrics
from itmj_domain.api_keys import ApiKey
from itmj_http.errors import route
from itmj_http.metrics import report

HEADER = "X-Request-Id"
log = logging.getLogger("itmj.access")


class RequestIds:
    def __init__(self, metrics: ServedMetrics | None = None) -> None:
        self._metrics = metrics

    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        offered = req.get_header(HEADER)
        context = req.context
        context.request_id = (
            offered if request_context.is_sane(offered) else request_context.new_request_id()
        )
        context.request_started = time.perf_counter()
        context.request_id_token = request_context.bind(context.request_id)

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, _succeeded: bool
    ) -> None:
        context = req.context
        request_id = context.get("request_id")
        if request_id is None:
            return
        resp.set_header(HEADER, request_id)
        try:
            seconds = time.perf_counter() - context.request_started
            template = route(req)
            if self._metrics is not None:
                report(self._metrics, req.method, template, resp.status_code, resource, seconds)
            key: ApiKey | None = context.get("api_key")
            logs.access(
                log, request_id, req.method, template, resp.status_code,
                # To the hundredth of a millisecond, without ``round``'s digit arithmetic.
                int(seconds * 100_000 + 0.5) / 100,
                None if key is None else (key.employer_id, key.display_prefix),
            )
        finally:
            request_context.unbind(context.request_id_token)


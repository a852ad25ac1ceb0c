"""Request metrics and ``GET /metrics`` (ITMJ_METRICS=1), in Prometheus text format.

Requests are counted by route template (``/api/v1/jobs/{job_id}``; ``unmatched`` for a path
no route serves, so that scanners cannot grow the label set), method and status; a 429 is
counted too by the rate-limit policy that refused it. ``/metrics`` needs no key: serve it
where only the scraper reaches it, or leave ITMJ_METRICS unset.
"""

import time

import falcon

from itmj_adapters.metrics import ServedMetrics
from itmj_http.errors import route
from itmj_http.rate_limits import limited_family

METRICS_PATH = "/metrics"


class RequestMetrics:
    """Middleware: first in the list, so that it times the others too. Only where request
    ids are off (``bench/http``): ``RequestIds`` reports to the metrics itself."""

    def __init__(self, metrics: ServedMetrics) -> None:
        self._metrics = metrics

    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        req.context.metrics_started = time.perf_counter()

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, _ok: bool
    ) -> None:
        started = req.context.get("metrics_started")
        if started is not None:
            report(self._metrics, req.method, route(req), resp.status_code, resource,
                   time.perf_counter() - started)


def report(
    metrics: ServedMetrics, method: str, template: str, status: int, resource: object,
    seconds: float,
) -> None:
    """One answer, with a 429 counted by the policy that refused it."""
    metrics.request_answered(template, method, status, seconds)
    if status == 429:
        family = limited_family(resource)
        if family is not None:
            metrics.request_limited(family.value)


class MetricsResource:
    scope = None

    def __init__(self, metrics: ServedMetrics) -> None:
        self._metrics = metrics

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.data, resp.content_type = self._metrics.page()


def middleware(served: ServedMetrics | None) -> list[RequestMetrics]:
    return [] if served is None else [RequestMetrics(served)]


def mount(app: falcon.App, served: ServedMetrics | None) -> None:
    if served is not None:
        app.add_route(METRICS_PATH, MetricsResource(served))

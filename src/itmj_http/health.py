"""Liveness and readiness (SPEC §9), open to anyone: they reveal only which dependency fails.

Readiness is 503 when a dependency the platform cannot serve without (database, queue, search
backend) fails. An advisory dependency — the rate limiter's Redis, which requests are served
without (it fails open) — is named ``degraded`` when it fails, with ``"status": "degraded"``
and 200, so that a load balancer keeps sending traffic. (The queue's check still fails the
readiness when the one Redis behind both is down.)
"""

import logging
from collections.abc import Sequence

import falcon

from itmj_domain.ports import HealthProbe
from itmj_http.responses import send_json

log = logging.getLogger(__name__)


class LiveResource:
    scope = None

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        send_json(resp, {"status": "ok"})


class ReadyResource:
    scope = None

    def __init__(
        self, probes: Sequence[HealthProbe], advisory: Sequence[HealthProbe] = ()
    ) -> None:
        self._probes = probes
        self._advisory = advisory

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        checks = {probe.name: _check(probe, "failing") for probe in self._probes}
        healthy = all(result == "ok" for result in checks.values())
        advice = {probe.name: _check(probe, "degraded") for probe in self._advisory}
        degraded = any(result != "ok" for result in advice.values())
        status = "unavailable" if not healthy else "degraded" if degraded else "ok"
        send_json(resp, {"status": status, "checks": checks | advice}, 200 if healthy else 503)


def _check(probe: HealthProbe, when_failing: str) -> str:
    try:
        probe.check()
    except Exception:
        log.exception("readiness probe %s failed", probe.name)
        return when_failing
    return "ok"

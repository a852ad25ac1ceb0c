"""Liveness and readiness (SPEC §9), open to anyone: they reveal only which dependency fails."""

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

    def __init__(self, probes: Sequence[HealthProbe]) -> None:
        self._probes = probes

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        checks = {}
        for probe in self._probes:
            try:
                probe.check()
            except Exception:
                log.exception("readiness probe %s failed", probe.name)
                checks[probe.name] = "failing"
            else:
                checks[probe.name] = "ok"
        healthy = all(result == "ok" for result in checks.values())
        send_json(
            resp,
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            200 if healthy else 503,
        )

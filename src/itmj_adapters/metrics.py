"""What the edges count, beside the use cases' ``Metrics`` port: the shape of the metrics
the HTTP edge reports to, and the candidate index timed per backend. Nothing here needs
prometheus-client; ``prometheus_metrics`` (the ``[metrics]`` extra) implements it."""

import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

from itmj_domain.ports import CandidateIndex, IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.ports.search import SearchHits


class ServedMetrics(Protocol):
    """The metrics of a serving process: the edge reports to them and serves their page."""

    def request_answered(self, route: str, method: str, status: int, seconds: float) -> None:
        ...

    def request_limited(self, policy: str) -> None: ...

    def page(self) -> tuple[bytes, str]:
        """The text exposition format, and its content type."""
        ...


class SearchTimer(Protocol):
    def searched(self, backend: str, seconds: float) -> None: ...


class MeasuredIndex:
    """A candidate index whose searches are counted and timed under ``backend``."""

    def __init__(self, inner: CandidateIndex, backend: str, timer: SearchTimer) -> None:
        self.inner = inner
        self._backend = backend
        self._timer = timer

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        self.inner.upsert(candidates)

    def remove(self, candidate_ids: Sequence[int]) -> None:
        self.inner.remove(candidate_ids)

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        started = time.perf_counter()
        hits = self.inner.search(query, filters, offset, limit)
        self._timer.searched(self._backend, time.perf_counter() - started)
        return hits


def serve_page(served: ServedMetrics, host: str, port: int) -> ThreadingHTTPServer:
    """Serve ``served``'s page at ``GET /metrics`` on ``host:port`` from a daemon thread:
    the metrics of a process that answers no HTTP otherwise (``itmj worker``, ``itmj
    scheduler``). The caller shuts it down."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] != "/metrics":
                self.send_error(404)
                return
            body, content_type = served.page()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a scrape every few seconds is not worth a log line

    server = ThreadingHTTPServer((host, port), Page)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="itmj-metrics", daemon=True).start()
    return server

"""The HTTP requests' series, counted in the process and written to prometheus-client a
moment later.

Every request adds to two series (requests by route, method and status; their latency).
Written one by one, in multiprocess mode that is three locked writes to the process's mmap'd
file, each behind a system call that checks for a fork: more than the request's access line
and request id together (``bench/http --compare observability``). So a request adds to a tally
here, under one lock, and a daemon thread writes the tallies to the series every second, as
does rendering the page and closing. A scrape thus sees another worker's requests at most
about a second late, well inside any scrape interval.
"""

import bisect
import os
import threading
import weakref

import attrs
from prometheus_client import Counter, Histogram

FLUSH_SECONDS = 1.0
# Prometheus's own default bounds (seconds), given explicitly: the tallies count per bucket.
BOUNDS = Histogram.DEFAULT_BUCKETS


@attrs.define
class _Tally:
    count: int = 0
    seconds: float = 0.0
    # Observations per bucket, by the first bound at or above each (the last is +Inf).
    buckets: list[int] = attrs.field(factory=lambda: [0] * len(BOUNDS))


class RequestSeries:
    def __init__(self, requests: Counter, seconds: Histogram) -> None:
        self._requests = requests
        self._seconds = seconds
        self._lock = threading.Lock()
        self._tallies: dict[tuple[str, str, int], _Tally] = {}
        self._writer: threading.Thread | None = None
        self._closed = threading.Event()
        _all.add(self)

    def answered(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            tally = self._tallies.get((route, method, status))
            if tally is None:
                tally = self._tallies[(route, method, status)] = _Tally()
            tally.count += 1
            tally.seconds += seconds
            tally.buckets[bisect.bisect_left(BOUNDS, seconds)] += 1
            if self._writer is None and not self._closed.is_set():
                self._writer = threading.Thread(
                    target=self._write_every_second, name="itmj-request-metrics", daemon=True
                )
                self._writer.start()

    def write(self) -> None:
        """Add what was counted since the last write to the series."""
        with self._lock:
            tallies, self._tallies = self._tallies, {}
        for (route, method, status), tally in tallies.items():
            self._requests.labels(route, method, str(status)).inc(tally.count)
            # The child's sum and buckets, added to by a whole tally at once: ``observe``
            # takes one observation at a time (prometheus-client < 1 keeps these names).
            latency = self._seconds.labels(route, method)
            latency._sum.inc(tally.seconds)
            for bucket, observed in zip(latency._buckets, tally.buckets, strict=True):
                if observed:
                    bucket.inc(observed)

    def close(self) -> None:
        self._closed.set()
        self.write()

    def _write_every_second(self) -> None:
        while not self._closed.wait(FLUSH_SECONDS):
            self.write()

    def _forked(self) -> None:
        # The parent's tallies and thread stay the parent's: the child starts afresh.
        self._lock = threading.Lock()
        self._tallies = {}
        self._writer = None


_all: weakref.WeakSet[RequestSeries] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for series in list(_all):
        series._forked()


os.register_at_fork(after_in_child=_after_fork_in_child)

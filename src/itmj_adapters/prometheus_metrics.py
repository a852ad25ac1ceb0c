"""Prometheus metrics: the ``Metrics`` port, the HTTP edge's counters, and the page.

Imported only when ITMJ_METRICS=1 (the ``[metrics]`` extra). Under gunicorn every worker
writes its samples to ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode,
set by ``itmj serve`` before anything imports the client) and the worker answering a scrape
reads them all. The gauges (outbox lag, queue depth, database pool) are read at scrape time
by the process that serves the scrape, from what it sees: the database and the queue are
shared, the pool is that process's own.
"""

import os
from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from itmj_adapters.prometheus_requests import BOUNDS, RequestSeries
from itmj_domain.credits import CreditKind
from itmj_domain.webhooks.deliveries import DeliveryOutcome

PREFIX = "itmj"
# A gauge read at scrape time: its name, its help, and how to read it (None: absent).
Reading = tuple[str, str, Callable[[], float | None]]


class PrometheusMetrics:
    """One per process (per ``build_services``). Its own registry, so that several in one
    process (tests) do not clash; in multiprocess mode the samples go to files instead."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._readings: list[Reading] = []
        r = self.registry
        self.requests = Counter(
            f"{PREFIX}_http_requests", "HTTP requests answered, by route template, method "
            "and status", ["route", "method", "status"], registry=r)
        self.request_seconds = Histogram(
            f"{PREFIX}_http_request_duration_seconds", "Time to answer an HTTP request",
            ["route", "method"], registry=r, buckets=BOUNDS)
        self._answered = RequestSeries(self.requests, self.request_seconds)
        self.rate_limited = Counter(
            f"{PREFIX}_rate_limited", "Requests refused with 429, by rate-limit policy",
            ["policy"], registry=r)
        self.debited = Counter(
            f"{PREFIX}_credits_debited", "Credits debited (committed), by kind", ["kind"],
            registry=r)
        self.refused = Counter(
            f"{PREFIX}_payments_refused", "Paid actions refused for want of credits (402), "
            "by kind", ["kind"], registry=r)
        self.searches = Counter(
            f"{PREFIX}_searches", "Candidate index searches, by backend", ["backend"],
            registry=r)
        self.search_seconds = Histogram(
            f"{PREFIX}_search_duration_seconds", "Time the candidate index took to search, "
            "by backend", ["backend"], registry=r)
        self.unlocks = Counter(
            f"{PREFIX}_candidate_unlocks", "Candidate unlock windows opened (paid views)",
            registry=r)
        self.attempts = Counter(
            f"{PREFIX}_webhook_delivery_attempts", "Webhook delivery attempts, by outcome",
            ["outcome"], registry=r)
        self.dead = Counter(
            f"{PREFIX}_webhook_dead_letters", "Webhook deliveries that gave up (dead letters)",
            registry=r)
        self.disabled = Counter(
            f"{PREFIX}_webhook_subscriptions_disabled",
            "Webhook subscriptions disabled after repeated failures", registry=r)

    # The Metrics port
    def credits_debited(self, kind: CreditKind, amount: int) -> None:
        self.debited.labels(kind.value).inc(amount)

    def payment_refused(self, kind: CreditKind) -> None:
        self.refused.labels(kind.value).inc()

    def candidate_unlocked(self) -> None:
        self.unlocks.inc()

    def delivery_attempted(self, outcome: DeliveryOutcome) -> None:
        self.attempts.labels(outcome).inc()

    def dead_lettered(self) -> None:
        self.dead.inc()

    def subscription_disabled(self) -> None:
        self.disabled.inc()

    # The edges
    def request_answered(self, route: str, method: str, status: int, seconds: float) -> None:
        self._answered.answered(route, method, status, seconds)

    def request_limited(self, policy: str) -> None:
        self.rate_limited.labels(policy).inc()

    def searched(self, backend: str, seconds: float) -> None:
        self.searches.labels(backend).inc()
        self.search_seconds.labels(backend).observe(seconds)

    def close(self) -> None:
        """Write what this process counted and stop its writer."""
        self._answered.close()

    def add_reading(self, name: str, help_text: str, read: Callable[[], float | None]) -> None:
        """A gauge read when the page is rendered."""
        self._readings.append((f"{PREFIX}_{name}", help_text, read))

    def page(self) -> tuple[bytes, str]:
        """The text exposition format, and its content type."""
        self._answered.write()
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=directory)
        else:
            registry = CollectorRegistry()
            registry.register(_Union(self.registry))
        registry.register(_Readings(self._readings))
        return generate_latest(registry), CONTENT_TYPE_LATEST


class _Union(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator:
        return iter(self._registry.collect())


class _Readings(Collector):
    def __init__(self, readings: list[Reading]) -> None:
        self._readings = readings

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, help_text, read in self._readings:
            value = read()
            if value is not None:
                yield GaugeMetricFamily(name, help_text, value=value)


def mark_process_dead(pid: int) -> None:
    """Gunicorn's ``child_exit``: forget a dead worker's live gauges (its counters stay)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid)

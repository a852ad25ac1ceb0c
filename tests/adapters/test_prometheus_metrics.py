"""The Prometheus adapter in one process, on its own registry (not multiprocess mode): what
each call adds to which series, the gauges read when the page is rendered, and the page
itself, parsed back as a scraper reads it."""

import os
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from itmj_adapters.prometheus_metrics import PrometheusMetrics
from itmj_adapters.prometheus_requests import FLUSH_SECONDS
from itmj_domain.credits import CreditKind
from itmj_domain.errors import NoCredits
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from tests.refusals import refused


@pytest.fixture
def metrics(monkeypatch) -> PrometheusMetrics:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    return PrometheusMetrics()


def page_samples(metrics: PrometheusMetrics) -> dict[tuple[str, frozenset], float]:
    text, content_type = metrics.page()
    assert content_type.startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def test_each_call_counts_in_its_series(metrics):
    metrics.credits_debited(CreditKind.JOB_POSTING, 1)
    metrics.credits_debited(CreditKind.JOB_POSTING, 2)
    metrics.credits_debited(CreditKind.CV_SEARCH, 1)
    metrics.payment_refused(CreditKind.CV_DOWNLOAD)
    metrics.candidate_unlocked()
    for outcome in ("success", "success", "timeout", "refused_target"):
        metrics.delivery_attempted(outcome)  # type: ignore[arg-type]
    metrics.dead_lettered()
    metrics.subscription_disabled()
    metrics.request_answered("/api/v1/jobs", "GET", 200, 0.01)
    metrics.request_answered("/api/v1/jobs", "GET", 429, 0.002)
    metrics.request_limited("jobs_read")
    metrics.searched("memory", 0.003)
    metrics.searched("memory", 0.004)

    samples = page_samples(metrics)

    def value(name: str, **labels: str) -> float:
        return samples[(name, frozenset(labels.items()))]

    assert value("itmj_credits_debited_total", kind="JobPosting") == 3
    assert value("itmj_credits_debited_total", kind="CvSearch") == 1
    assert value("itmj_payments_refused_total", kind="CvDownload") == 1
    assert value("itmj_candidate_unlocks_total") == 1
    assert value("itmj_webhook_delivery_attempts_total", outcome="success") == 2
    assert value("itmj_webhook_delivery_attempts_total", outcome="timeout") == 1
    assert value("itmj_webhook_delivery_attempts_total", outcome="refused_target") == 1
    assert value("itmj_webhook_dead_letters_total") == 1
    assert value("itmj_webhook_subscriptions_disabled_total") == 1
    assert value("itmj_http_requests_total", route="/api/v1/jobs", method="GET",
                 status="200") == 1
    assert value("itmj_http_requests_total", route="/api/v1/jobs", method="GET",
                 status="429") == 1
    assert value("itmj_http_request_duration_seconds_count", route="/api/v1/jobs",
                 method="GET") == 2
    assert value("itmj_rate_limited_total", policy="jobs_read") == 1
    assert value("itmj_searches_total", backend="memory") == 2
    assert value("itmj_search_duration_seconds_count", backend="memory") == 2
    assert value("itmj_search_duration_seconds_sum", backend="memory") == pytest.approx(0.007)


def test_two_in_one_process_count_apart(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    first, second = PrometheusMetrics(), PrometheusMetrics()
    first.candidate_unlocked()
    assert page_samples(first)[("itmj_candidate_unlocks_total", frozenset())] == 1
    assert page_samples(second)[("itmj_candidate_unlocks_total", frozenset())] == 0


def test_readings_are_taken_when_the_page_is_rendered_and_absent_ones_left_out(metrics):
    depth = [3.0]
    metrics.add_reading("queue_depth", "Tasks waiting", lambda: depth[0])
    metrics.add_reading("outbox_lag_seconds", "Age of the oldest event", lambda: None)
    assert page_samples(metrics)[("itmj_queue_depth", frozenset())] == 3
    depth[0] = 5.0
    samples = page_samples(metrics)
    assert samples[("itmj_queue_depth", frozenset())] == 5
    assert ("itmj_outbox_lag_seconds", frozenset()) not in samples


def test_the_use_cases_count_through_it(make_services, metrics):
    services = make_services(metrics=metrics)
    employer = services.accounts.create_employer("Acme")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 2)
    content = JobContent(
        title="IT Manager", description="Run it.", employment_type=EmploymentType.FULL_TIME,
        remote_type=RemoteType.ON_SITE, apply_method=ApplyMethod.PORTAL_APPLY,
    )
    jobs = [services.jobs.create(employer.id, content) for _ in range(3)]
    for job in jobs[:2]:
        services.jobs.publish(employer.id, job.id)
    with refused(NoCredits):
        services.jobs.publish(employer.id, jobs[2].id)
    registry = metrics.registry
    assert registry.get_sample_value(
        "itmj_credits_debited_total", {"kind": "JobPosting"}) == 2
    assert registry.get_sample_value(
        "itmj_payments_refused_total", {"kind": "JobPosting"}) == 1


def test_requests_reach_the_series_within_a_second_without_a_page(metrics):
    metrics.request_answered("/api/v1/jobs", "GET", 200, 0.004)
    metrics.request_answered("/api/v1/jobs", "GET", 200, 0.3)
    metrics.request_answered("/api/v1/jobs", "GET", 200, 99.0)
    counted = metrics.requests.labels("/api/v1/jobs", "GET", "200")
    deadline = time.monotonic() + 10 * FLUSH_SECONDS
    while counted._value.get() < 3 and time.monotonic() < deadline:
        time.sleep(FLUSH_SECONDS / 10)
    samples = page_samples(metrics)

    def value(name: str, **labels: str) -> float:
        return samples[(name, frozenset(labels.items()))]

    assert counted._value.get() == 3
    latency = {"route": "/api/v1/jobs", "method": "GET"}
    assert value("itmj_http_request_duration_seconds_count", **latency) == 3
    assert value("itmj_http_request_duration_seconds_sum", **latency) == pytest.approx(99.304)
    assert value("itmj_http_request_duration_seconds_bucket", le="0.005", **latency) == 1
    assert value("itmj_http_request_duration_seconds_bucket", le="0.25", **latency) == 1
    assert value("itmj_http_request_duration_seconds_bucket", le="0.5", **latency) == 2
    assert value("itmj_http_request_duration_seconds_bucket", le="10.0", **latency) == 2
    assert value("itmj_http_request_duration_seconds_bucket", le="+Inf", **latency) == 3


def test_a_bound_itself_falls_in_its_own_bucket(metrics):
    metrics.request_answered("/r", "GET", 200, 0.005)
    samples = page_samples(metrics)
    bucket = ("itmj_http_request_duration_seconds_bucket",
              frozenset({("route", "/r"), ("method", "GET"), ("le", "0.005")}))
    assert samples[bucket] == 1


def test_closing_writes_what_was_counted(metrics):
    metrics.request_answered("/r", "POST", 201, 0.01)
    metrics.close()
    assert metrics.requests.labels("/r", "POST", "201")._value.get() == 1


def test_a_forked_child_writes_only_what_it_counted_itself(metrics):
    metrics.request_answered("/r", "GET", 200, 0.01)  # the parent's, not yet written
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        metrics.request_answered("/r", "GET", 200, 0.01)
        metrics.close()
        os.write(writing, str(metrics.requests.labels("/r", "GET", "200")._value.get()).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        written_in_child = pipe.read()
    os.waitpid(child, 0)
    metrics.close()
    assert written_in_child == "1.0"
    assert metrics.requests.labels("/r", "GET", "200")._value.get() == 1

"""``itmj worker`` serves its own metrics on ITMJ_METRICS_PORT (ITMJ_METRICS=1): after it
delivered a webhook, its page counts the attempt."""

import socket
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.events import Event, JobExpired
from itmj_domain.webhooks.subscriptions import EventType
from tests.adapters.receiver import Receiver
from tests.secret_keys import TEST_KEYS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _attempts(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        page = response.read().decode()
    return {
        sample.labels["outcome"]: sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
        if sample.name == "itmj_webhook_delivery_attempts_total"
    }


def _until(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except (urllib.error.URLError, ConnectionError):
            result = None
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


@pytest.mark.postgres
def test_the_worker_serves_its_delivery_counters(
    start_itmj, tmp_path, clean_database, redis_url
) -> None:
    port = _free_port()
    settings = Settings(database_url=clean_database, redis_url=redis_url,
                        webhook_allow_private=True, secret_keys=TEST_KEYS)
    services = build_services(settings)
    log = tmp_path / "worker.log"
    with Receiver() as receiver, log.open("w") as stderr:
        employer = services.accounts.create_employer("Acme")
        services.webhooks.subscribe(employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED}))
        worker = start_itmj(["worker"], clean_database, env={
            "ITMJ_REDIS_URL": redis_url, "ITMJ_METRICS": "1",
            "ITMJ_METRICS_PORT": str(port), "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1",
        }, stderr=stderr)
        try:
            assert _until(lambda: _attempts(port) == {}), log.read_text()
            now = services.clock.now()
            with services.uow() as uow:
                uow.outbox.add(Event.record(employer.id, now, JobExpired(1, now)))
                uow.commit()
            services.tasks.dispatch()
            counted = _until(lambda: _attempts(port).get("success"))
            delivered = receiver.wait_for(1)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            services.close()
    assert counted == 1, log.read_text()
    assert len(delivered) == 1

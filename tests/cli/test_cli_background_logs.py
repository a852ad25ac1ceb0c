"""``itmj worker`` and ``itmj scheduler`` log in the process's format, as real processes: the
worker's line for a delivery attempt carries the id of the request that wrote its event, and
the scheduler logs its leadership and each expiry sweep, each line one JSON object."""

import json
import time
from pathlib import Path

import pytest

from itmj_adapters import request_context
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.events import Event, JobExpired
from itmj_domain.webhooks.subscriptions import EventType
from tests.adapters.receiver import Receiver
from tests.secret_keys import TEST_KEYS

JSON_LOGS = {"ITMJ_LOG_FORMAT": "json", "ITMJ_LOG_LEVEL": "INFO"}


def _lines(log: Path) -> list[dict]:
    """Every line the process wrote, each of which must be a JSON object."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _until(found, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while not (result := found()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


@pytest.mark.postgres
def test_the_worker_logs_each_attempt_with_the_request_id_of_its_event(
    start_itmj, tmp_path, clean_database, redis_url
) -> None:
    settings = Settings(database_url=clean_database, redis_url=redis_url,
                        webhook_allow_private=True, secret_keys=TEST_KEYS)
    services = build_services(settings)
    log = tmp_path / "worker.log"
    with Receiver() as receiver, log.open("w") as stderr:
        employer = services.accounts.create_employer("Acme")
        services.webhooks.subscribe(employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED}))
        worker = start_itmj(["worker"], clean_database, env={
            "ITMJ_REDIS_URL": redis_url, "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1", **JSON_LOGS,
        }, stderr=stderr)
        try:
            now = services.clock.now()
            with request_context.bound("partner-call-42"), services.uow() as uow:
                uow.outbox.add(Event.record(employer.id, now, JobExpired(1, now)))
                uow.commit()
            services.tasks.dispatch()
            assert receiver.wait_for(1)
            attempts = _until(lambda: [
                line for line in _lines(log) if line["message"] == "delivery attempt"
            ])
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            services.close()
    assert attempts, log.read_text()
    (attempt,) = attempts
    assert attempt["request_id"] == "partner-call-42"
    assert (attempt["logger"], attempt["level"], attempt["outcome"]) == (
        "itmj.webhooks", "INFO", "delivered",
    )
    assert attempt["time"].endswith("Z")


@pytest.mark.postgres
def test_the_scheduler_logs_its_leadership_and_each_expiry_sweep(
    start_itmj, tmp_path, clean_database, redis_url
) -> None:
    log = tmp_path / "scheduler.log"
    with log.open("w") as stderr:
        scheduler = start_itmj(["scheduler"], clean_database, env={
            "ITMJ_REDIS_URL": redis_url, "ITMJ_SECRET_KEYS": "", **JSON_LOGS,
        }, stderr=stderr)
        try:
            messages = _until(lambda: {
                line["message"] for line in _lines(log)
            } >= {"leadership taken", "expiry sweep"})
        finally:
            scheduler.terminate()
            scheduler.wait(timeout=30)
    assert messages, log.read_text()
    lines = _lines(log)
    sweep = next(line for line in lines if line["message"] == "expiry sweep")
    assert (sweep["logger"], sweep["expired_jobs"]) == ("itmj_jobs.scheduler", 0)
    assert next(line for line in lines if line["message"] == "leadership taken")["leader"]

"""At-least-once delivery on the real parts: Postgres, Redis, ``itmj worker`` and
``itmj scheduler`` processes. A worker is killed with SIGKILL in the middle of 1,000 events;
another takes over and every event still arrives, each delivery under one stable id."""

import json
import os
import signal
import subprocess
import time
from collections import defaultdict

import pytest

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.webhooks.subscriptions import EventType
from tests.adapters.receiver import Receiver
from tests.secret_keys import TEST_KEYS, TEST_SECRET_KEYS
from tests.use_cases.test_webhooks import active_job, candidate

EVENTS = 1000
pytestmark = pytest.mark.postgres


def spawn(command: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [".venv/bin/itmj", command], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_killing_a_worker_mid_stream_loses_nothing(clean_database, redis_url):
    settings = Settings(
        database_url=clean_database, redis_url=redis_url, webhook_allow_private=True,
        secret_keys=TEST_KEYS,
    )
    env = {
        **os.environ,
        "ITMJ_DATABASE_URL": clean_database,
        "ITMJ_SECRET_KEYS": TEST_SECRET_KEYS,
        "ITMJ_REDIS_URL": redis_url,
        "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1",
        "ITMJ_WEBHOOK_LEASE_SECONDS": "3",
        "ITMJ_WEBHOOK_RETRY_DELAYS": "1,1,1,1,1,1,1,1",
    }
    services = build_services(settings, clock=SystemClock())
    processes: list[subprocess.Popen] = []
    try:
        employer = services.accounts.create_employer("Acme")
        job = active_job(services, employer.id)
        with Receiver() as receiver:
            services.webhooks.subscribe(
                employer.id, receiver.url, frozenset({EventType.APPLICATION_SUBMITTED})
            )
            first = spawn("worker", env)
            processes += [first, spawn("scheduler", env)]
            for _ in range(EVENTS):
                services.applications.submit(job.id, candidate(services, SystemClock()))
            assert wait_until(lambda: len(receiver.received) >= 100, 60)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            at_kill = len(receiver.received)
            processes.append(spawn("worker", env))

            def every_event_arrived() -> bool:
                seen = {json.loads(r.body)["id"] for r in receiver.received}
                return len(seen) == EVENTS

            assert wait_until(every_event_arrived, 120), (at_kill, len(receiver.received))
            received = list(receiver.received)
    finally:
        for process in processes:
            process.kill()
            process.wait(10)
        services.close()

    assert at_kill < EVENTS
    events_of_delivery: dict[str, set[str]] = defaultdict(set)
    for request in received:
        events_of_delivery[request.headers["X-Webhook-Delivery-Id"]].add(
            json.loads(request.body)["id"]
        )
    assert len(events_of_delivery) == EVENTS
    assert all(len(events) == 1 for events in events_of_delivery.values())

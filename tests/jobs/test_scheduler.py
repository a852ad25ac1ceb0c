"""The periodic process: leadership on the real Redis, expiry and sweeps under a manual clock."""

import threading
import time
from datetime import timedelta

from redis import Redis

from itmj_adapters.leader_lock import ProcessLeaderLock, RedisLeaderLock
from itmj_domain.jobs import JobStatus
from itmj_domain.webhooks.subscriptions import EventType
from itmj_jobs.scheduler import Scheduler
from tests.adapters.receiver import Receiver
from tests.use_cases.test_webhooks import active_job, candidate


def test_only_one_process_leads_at_a_time(redis_url):
    first = RedisLeaderLock(Redis.from_url(redis_url))
    second = RedisLeaderLock(Redis.from_url(redis_url))
    assert first.hold()
    assert first.hold()
    assert not second.hold()
    first.release()
    assert second.hold()
    assert not first.hold()


def test_a_silent_leader_is_replaced_after_its_time_to_live(redis_url):
    first = RedisLeaderLock(Redis.from_url(redis_url), ttl_ms=100)
    second = RedisLeaderLock(Redis.from_url(redis_url), ttl_ms=100)
    assert first.hold()
    assert not second.hold()
    deadline = time.monotonic() + 5
    while not second.hold():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert not first.hold()


def test_a_follower_does_no_work(services, redis_url):
    RedisLeaderLock(Redis.from_url(redis_url)).hold()
    follower = Scheduler(services, RedisLeaderLock(Redis.from_url(redis_url)))
    assert not follower.tick(0.0)


def test_expiry_runs_every_minute_and_fires_job_expired(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    scheduler = Scheduler(services, ProcessLeaderLock(), expire_every=60.0)
    with Receiver() as receiver:
        services.webhooks.subscribe(employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED}))
        clock.advance(timedelta(days=30))
        assert scheduler.tick(1000.0)
        assert services.jobs.get(employer.id, job.id).status is JobStatus.EXPIRED
        assert len(receiver.received) == 1
        assert receiver.received[0].headers["X-Webhook-Event"] == "job.expired"

        later = active_job(services, employer.id)
        clock.advance(timedelta(days=30))
        scheduler.tick(1030.0)
        assert services.jobs.get(employer.id, later.id).status is JobStatus.ACTIVE
        scheduler.tick(1060.0)
        assert services.jobs.get(employer.id, later.id).status is JobStatus.EXPIRED


def test_the_sweep_delivers_retries_that_fall_due(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    scheduler = Scheduler(services, ProcessLeaderLock())
    with Receiver(status=500) as receiver:
        services.webhooks.subscribe(
            employer.id, receiver.url, frozenset({EventType.APPLICATION_SUBMITTED})
        )
        services.applications.submit(job.id, candidate(services, clock))
        receiver.status = 200
        scheduler.tick(0.0)
        assert len(receiver.received) == 1
        clock.advance(timedelta(minutes=1))
        scheduler.tick(1.0)
    assert len(receiver.received) == 2


def test_run_stops_when_asked_and_gives_up_leadership(services, redis_url):
    lock = RedisLeaderLock(Redis.from_url(redis_url))
    stop = threading.Event()
    scheduler = Scheduler(services, lock, sweep_every=0.01)
    thread = threading.Thread(target=scheduler.run, args=(stop,))
    thread.start()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert RedisLeaderLock(Redis.from_url(redis_url)).hold()

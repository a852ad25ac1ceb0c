"""The RQ task queue and worker on the real Redis, running the real tasks in-process."""

import signal
import threading
import time

import attrs
import pytest
from redis import Redis
from rq import Queue
from rq.utils import import_attribute

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services, rq_tasks
from itmj_adapters.rq_worker import PromptWorker, run_worker
from itmj_adapters.settings import Settings
from itmj_adapters.tasks_rq import (
    DISPATCH_DEBOUNCE_KEY,
    DISPATCH_DEBOUNCE_MS,
    QUEUE_NAME,
    RqTaskQueue,
    RqTasks,
)
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType
from itmj_jobs import runtime
from tests.adapters.receiver import Receiver
from tests.portal.support import HERE, PASSWORD, token_in
from tests.use_cases.test_webhooks import active_job, candidate

PAGE = "https://portal.example/account/password/reset"
SEND_PASSWORD_RESET_TASK = "itmj_jobs.tasks.send_password_reset"


@pytest.fixture
def queue(redis_url):
    redis = Redis.from_url(redis_url)
    yield Queue(QUEUE_NAME, connection=redis)
    redis.close()


@pytest.mark.parametrize("task", [field.name for field in attrs.fields(RqTasks)])
def test_every_task_is_queued_by_a_path_a_worker_imports(task):
    """RQ queues a function by its module and name; the worker imports that path. They are
    the wire format too: a job queued before a deploy names the function it will run."""
    function = getattr(rq_tasks(), task)
    path = f"{function.__module__}.{function.__qualname__}"
    assert path == f"itmj_jobs.tasks.{task}"
    assert import_attribute(path) is function


def test_dispatch_requests_are_debounced(redis_url, queue):
    tasks = RqTaskQueue(Redis.from_url(redis_url), rq_tasks())
    for _ in range(20):
        tasks.dispatch()
    assert [job.func_name for job in queue.jobs] == ["itmj_jobs.tasks.dispatch"]


class CountingRedis(Redis):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sets = 0

    def set(self, *args, **kwargs):
        self.sets += 1
        return super().set(*args, **kwargs)


def test_a_process_that_just_queued_a_dispatch_asks_redis_again_only_once_the_key_lapses(
    redis_url, queue
):
    redis = CountingRedis.from_url(redis_url)
    now = [100.0]
    tasks = RqTaskQueue(redis, rq_tasks(), monotonic=lambda: now[0])
    tasks.dispatch()
    now[0] += DISPATCH_DEBOUNCE_MS / 1000 / 2
    tasks.dispatch()
    assert redis.sets == 1
    redis.delete(DISPATCH_DEBOUNCE_KEY)  # lapsed, as the clock will say next
    now[0] += DISPATCH_DEBOUNCE_MS / 1000
    tasks.dispatch()
    assert redis.sets == 2
    assert [job.func_name for job in queue.jobs] == ["itmj_jobs.tasks.dispatch"] * 2


# What ``stop_itself`` and the worker's stop callback saw, in order.
_seen_by_stop_test: list[str] = []


def stop_itself() -> None:
    """A task (queued by this import path) that asks its own worker to stop, as SIGTERM does."""
    signal.raise_signal(signal.SIGTERM)
    _seen_by_stop_test.append("the task went on")


def test_a_worker_told_to_stop_tells_the_task_in_hand_then_stops_after_it(redis_url, queue):
    queue.enqueue(f"{__name__}.stop_itself")
    queue.enqueue(f"{__name__}.stop_itself")
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    _seen_by_stop_test.clear()
    try:
        run_worker(redis_url, burst=True,
                   on_stop=lambda: _seen_by_stop_test.append("the task was told"))
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    assert _seen_by_stop_test == ["the task was told", "the task went on"]
    assert queue.count == 1


def test_a_worker_stops_at_once_when_the_unsubscribe_reply_reaches_its_listener_first(
    redis_url, queue
):
    """At a stop RQ unsubscribes, then stops its listener thread and waits for it. Here the
    reply to the unsubscribe reaches the listener before the stop does, as it often does on a
    busy machine: the listener then waits for a new subscription, and the stop waits for that
    wait to end (a minute with RQ's own listener)."""
    worker = PromptWorker([queue], connection=queue.connection)
    worker.subscribe()
    worker.pubsub.unsubscribe()
    deadline = time.monotonic() + 10
    while worker.pubsub.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not worker.pubsub.subscribed, "the listener never read the reply"
    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(timeout=15)
    assert not stopping.is_alive()


def test_deliveries_are_queued_for_the_worker(redis_url, queue):
    RqTaskQueue(Redis.from_url(redis_url), rq_tasks()).deliver(["dlv_1", "dlv_2"])
    [job] = queue.jobs
    assert (job.func_name, job.args) == ("itmj_jobs.tasks.deliver", (["dlv_1", "dlv_2"],))


def test_a_worker_runs_dispatch_and_delivery_end_to_end(redis_url, clock):
    services = build_services(
        Settings(redis_url=redis_url, webhook_allow_private=True), clock=clock
    )
    runtime.install(services)
    try:
        employer = services.accounts.create_employer("Acme")
        job = active_job(services, employer.id)
        with Receiver() as receiver:
            created = services.webhooks.subscribe(
                employer.id, receiver.url, frozenset({EventType.APPLICATION_SUBMITTED})
            )
            services.applications.submit(job.id, candidate(services, clock))
            assert receiver.received == []
            run_worker(redis_url, burst=True)
        assert len(receiver.received) == 1
        delivered = services.webhooks.deliveries(
            created.subscription.id, DeliveryStatus.DELIVERED, PageRequest()
        )
        assert delivered.total == 1
        assert receiver.received[0].headers["X-Webhook-Delivery-Id"] == delivered.items[0].id
        assert [p.name for p in services.probes] == ["queue"]
        services.probes[0].check()
    finally:
        services.close()


def test_a_nudge_redis_cannot_take_is_dropped_and_logged_once_a_minute(caplog):
    tasks = RqTaskQueue(
        Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5), rq_tasks()
    )
    with caplog.at_level("WARNING", logger="itmj_adapters.tasks_rq"):
        tasks.dispatch()
        tasks.deliver(["dlv_1"])
        tasks.index_candidates([1])
    [warning] = caplog.records
    assert warning.getMessage().startswith("task dispatch not queued: Redis unreachable")


def test_a_reset_request_queues_the_email_alone_and_the_worker_sends_the_link(
        redis_url, queue, clock, notifier):
    """The request queues the same task whether or not the account exists, and no token:
    the worker looks the account up, issues the link and mails it."""
    services = build_services(Settings(redis_url=redis_url), clock=clock, notifier=notifier,
                              password_hasher=Argon2PasswordHasher.cheap())
    runtime.install(services)
    try:
        accounts = services.portal_accounts
        accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)
        accounts.request_password_reset("ada@acme.example", HERE, PAGE)
        accounts.request_password_reset("nobody@acme.example", HERE, PAGE)
        assert [(job.func_name, job.args, job.kwargs) for job in queue.jobs] == [
            (SEND_PASSWORD_RESET_TASK, ("ada@acme.example", PAGE), {}),
            (SEND_PASSWORD_RESET_TASK, ("nobody@acme.example", PAGE), {}),
        ]
        assert notifier.sent == []
        run_worker(redis_url, burst=True)
        [mail] = notifier.sent
        token = token_in(mail.body)
        assert mail.to == "ada@acme.example"
        assert f"{PAGE}?token={token}\n" in mail.body
        accounts.reset_password(token, "a brand new phrase", HERE)
        assert accounts.sign_in("ada@acme.example", "a brand new phrase", HERE) is not None
    finally:
        services.close()

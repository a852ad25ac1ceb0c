"""Runs the RQ worker that executes ``itmj_jobs`` tasks."""

from collections.abc import Callable
from types import FrameType

from redis import Redis
from rq import Queue, SimpleWorker

from itmj_adapters.tasks_rq import QUEUE_NAME

# How long the thread listening for RQ's commands waits before it looks whether it should end.
PUBSUB_WAKE_SECONDS = 1.0


class PromptWorker(SimpleWorker):
    """RQ's warm stop (SIGTERM, SIGINT) lets the task in hand finish; this one also tells
    the task, through ``on_stop``, so that a long one can end early and the stop is prompt."""

    on_stop: Callable[[], None] = staticmethod(lambda: None)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.on_stop()
        super().request_stop(signum, frame)

    def subscribe(self) -> None:
        """RQ's subscription, with a listener that wakes every ``PUBSUB_WAKE_SECONDS``
        instead of every 60 s. At a stop RQ unsubscribes, then stops the listener and waits
        for it (redis-py 8 waits without a bound). When the unsubscribe's reply reaches the
        listener before the stop does, which a busy machine makes likely, the listener waits
        for a new subscription for its whole period before it sees the stop: the worker took
        up to a minute to exit, past a container's grace period."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        # RQ's __init__ sets it to None, and mypy takes that for its type.
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
            sleep_time=PUBSUB_WAKE_SECONDS, daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )


def run_worker(
    redis_url: str,
    *,
    burst: bool = False,
    name: str | None = None,
    on_stop: Callable[[], None] | None = None,
) -> bool:
    """Work the queue until stopped (or, with ``burst``, until it is empty); ``on_stop`` is
    called as soon as a stop is asked for, while the task in hand still runs.

    ``SimpleWorker`` on purpose: RQ's default worker forks a work horse for every job, which
    costs milliseconds per delivery and throws away the database pool and the kept-alive
    webhook connections (neither survives a fork). A simple worker runs each job in this
    process, reusing the one set of services built at start.

    Nor does it run RQ's scheduler: that is a forked child, which inherits the pool's open
    database sockets; if the worker is killed mid-transaction, the child keeps the socket,
    and so the transaction and its row locks, alive, and every other worker waits on them.
    Nothing is scheduled ahead in RQ anyway: ``itmj scheduler`` sweeps retries when they
    fall due.
    """
    redis = Redis.from_url(redis_url)
    worker = PromptWorker([Queue(QUEUE_NAME, connection=redis)], connection=redis, name=name)
    if on_stop is not None:
        worker.on_stop = on_stop
    return worker.work(burst=burst, with_scheduler=False)

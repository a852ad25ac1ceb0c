"""Runs the RQ worker that executes ``itmj_jobs`` tasks."""

from redis import Redis
from rq import Queue, SimpleWorker

from itmj_adapters.tasks_rq import QUEUE_NAME


def run_worker(redis_url: str, *, burst: bool = False, name: str | None = None) -> bool:
    """Work the queue until stopped (or, with ``burst``, until it is empty).

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
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=redis)], connection=redis, name=name)
    return worker.work(burst=burst, with_scheduler=False)

"""Publishing from other processes, for the concurrency tests.

Each publish runs in a thread of a spawned process, through its own one-connection pool, and
waits on a barrier shared by all of them, so that every publish is in flight at once.
"""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.errors import DomainError
from itmj_domain.services.job_posting import JobPosting

# Only guards against a hang when a worker dies before the barrier; never reached otherwise.
SAFETY_TIMEOUT_SECONDS = 120


def _publish(url: str, employer_id: int, job_id: int, now: datetime, start) -> str:
    pool = open_pool(url, max_size=1)
    try:
        jobs = JobPosting(PostgresUnitOfWorkFactory(pool), ManualClock(now))
        start.wait(SAFETY_TIMEOUT_SECONDS)
        try:
            jobs.publish(employer_id, job_id)
        except DomainError as refused:
            return type(refused).__name__
        return "published"
    finally:
        pool.close()


def _publish_all(url: str, employer_id: int, job_ids: list[int], now: datetime, start,
                 results) -> None:
    try:
        with ThreadPoolExecutor(len(job_ids)) as threads:
            outcomes = list(threads.map(
                lambda job_id: _publish(url, employer_id, job_id, now, start), job_ids
            ))
    except Exception as crash:  # reported to the test rather than lost with the process
        outcomes = [f"crashed: {crash!r}"] * len(job_ids)
    results.put(list(zip(job_ids, outcomes, strict=True)))


def publish_concurrently(url: str, employer_id: int, job_ids: list[int], now: datetime,
                         processes: int) -> list[tuple[int, str]]:
    """Publish each of ``job_ids`` (repeats allowed) at once; returns (job id, outcome) pairs,
    the outcome being ``"published"`` or the name of the domain error that refused it."""
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(job_ids))
    results = spawn.Queue()
    shares = [job_ids[n::processes] for n in range(processes)]
    workers = [
        spawn.Process(target=_publish_all, args=(url, employer_id, share, now, start, results))
        for share in shares
    ]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=SAFETY_TIMEOUT_SECONDS) for _ in workers]
    for worker in workers:
        worker.join()
    return [pair for pairs in collected for pair in pairs]

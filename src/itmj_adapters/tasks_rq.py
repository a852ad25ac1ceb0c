"""The task queue on RQ (Redis).

Tasks are named by their import path, so this adapter never imports the ``itmj_jobs``
package that runs them. Requests to dispatch are debounced: at most one dispatch task is
queued per ``DISPATCH_DEBOUNCE_MS``, however many events are committed meanwhile, since one
dispatch relays every event that is waiting. An event committed just after a dispatch began
is picked up by the next one, or at the latest by the scheduler's sweep.
"""

from collections.abc import Sequence

from redis import Redis
from rq import Queue

QUEUE_NAME = "itmj"
DISPATCH_TASK = "itmj_jobs.tasks.dispatch"
DELIVER_TASK = "itmj_jobs.tasks.deliver"
INDEX_CANDIDATES_TASK = "itmj_jobs.tasks.index_candidates"
SEND_PASSWORD_RESET_TASK = "itmj_jobs.tasks.send_password_reset"
DISPATCH_DEBOUNCE_KEY = "itmj:dispatch:debounce"
DISPATCH_DEBOUNCE_MS = 100
TASK_TIMEOUT_SECONDS = 120


class RqTaskQueue:
    def __init__(self, redis: Redis, queue_name: str = QUEUE_NAME) -> None:
        self._redis = redis
        self._queue = Queue(queue_name, connection=redis)

    def dispatch(self) -> None:
        if self._redis.set(DISPATCH_DEBOUNCE_KEY, b"1", nx=True, px=DISPATCH_DEBOUNCE_MS):
            self._queue.enqueue(DISPATCH_TASK, **_OPTIONS)

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        self._queue.enqueue(DELIVER_TASK, list(delivery_ids), **_OPTIONS)

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        self._queue.enqueue(INDEX_CANDIDATES_TASK, list(candidate_ids), **_OPTIONS)

    def send_password_reset(self, email: str, page_url: str) -> None:
        self._queue.enqueue(SEND_PASSWORD_RESET_TASK, email, page_url, **_OPTIONS)


# Results are not kept (the database records outcomes); failures are kept a day to inspect.
_OPTIONS = {"job_timeout": TASK_TIMEOUT_SECONDS, "result_ttl": 0, "failure_ttl": 86400}

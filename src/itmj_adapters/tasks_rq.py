"""The task queue on RQ (Redis).

Tasks are named by their import path, so this adapter never imports the ``itmj_jobs``
package that runs them. Requests to dispatch are debounced: at most one dispatch task is
queued per ``DISPATCH_DEBOUNCE_MS``, however many events are committed meanwhile, since one
dispatch relays every event that is waiting. An event committed just after a dispatch began
is picked up by the next one, or at the latest by the scheduler's sweep.

Every task is a nudge sent after the change it concerns has committed, so a Redis that
cannot take it must not turn that committed change into a failure (whose retry would make
it twice). The nudge is dropped and logged, at most once a minute; the scheduler's sweep
relays the outbox and sends due deliveries without it.
"""

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)

QUEUE_NAME = "itmj"
DISPATCH_TASK = "itmj_jobs.tasks.dispatch"
DELIVER_TASK = "itmj_jobs.tasks.deliver"
INDEX_CANDIDATES_TASK = "itmj_jobs.tasks.index_candidates"
SEND_PASSWORD_RESET_TASK = "itmj_jobs.tasks.send_password_reset"
DISPATCH_DEBOUNCE_KEY = "itmj:dispatch:debounce"
DISPATCH_DEBOUNCE_MS = 100
TASK_TIMEOUT_SECONDS = 120
WARN_EVERY_SECONDS = 60.0


class RqTaskQueue:
    def __init__(self, redis: Redis, queue_name: str = QUEUE_NAME) -> None:
        self._redis = redis
        self._queue = Queue(queue_name, connection=redis)
        self._warning_lock = threading.Lock()
        self._next_warning = 0.0

    def dispatch(self) -> None:
        with self._best_effort("dispatch", _SWEPT):
            if self._redis.set(DISPATCH_DEBOUNCE_KEY, b"1", nx=True, px=DISPATCH_DEBOUNCE_MS):
                self._queue.enqueue(DISPATCH_TASK, **_OPTIONS)

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        with self._best_effort("deliver", _SWEPT):
            self._queue.enqueue(DELIVER_TASK, list(delivery_ids), **_OPTIONS)

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        with self._best_effort(
            "index_candidates", "the search index misses the change until a reindex"
        ):
            self._queue.enqueue(INDEX_CANDIDATES_TASK, list(candidate_ids), **_OPTIONS)

    @contextmanager
    def _best_effort(self, task: str, meanwhile: str) -> Iterator[None]:
        try:
            yield
        except RedisError as error:
            now = time.monotonic()
            with self._warning_lock:
                if now < self._next_warning:
                    return
                self._next_warning = now + WARN_EVERY_SECONDS
            log.warning(
                "task %s not queued: Redis unreachable (%s); what was committed stands, and "
                "%s", task, error, meanwhile,
            )

    def send_password_reset(self, email: str, page_url: str) -> None:
        self._queue.enqueue(SEND_PASSWORD_RESET_TASK, email, page_url, **_OPTIONS)


_SWEPT = "the scheduler's sweep relays and delivers it"
# Results are not kept (the database records outcomes); failures are kept a day to inspect.
_OPTIONS = {"job_timeout": TASK_TIMEOUT_SECONDS, "result_ttl": 0, "failure_ttl": 86400}

"""The task queue on RQ (Redis).

The queue is given the functions a worker runs (``RqTasks``), which the composition root takes
from ``itmj_jobs.tasks``; RQ queues each by its import path, which the worker imports, so this
adapter names nothing above it. Requests to dispatch are debounced: at most one dispatch task
is queued per ``DISPATCH_DEBOUNCE_MS``, however many events are committed meanwhile, since one
dispatch relays every event that is waiting. An event committed just after a dispatch began
is picked up by the next one, or at the latest by the scheduler's sweep. A process that has
just queued a dispatch knows the debounce key stands until it expires, so its commits
meanwhile skip the round trip to Redis that would only find it standing.

Every task is a nudge sent after the change it concerns has committed, so a Redis that
cannot take it must not turn that committed change into a failure (whose retry would make
it twice). The nudge is dropped and logged, at most once a minute; the scheduler's sweep
relays the outbox and sends due deliveries without it.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import attrs
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)

QUEUE_NAME = "itmj"
DISPATCH_DEBOUNCE_KEY = "itmj:dispatch:debounce"
DISPATCH_DEBOUNCE_MS = 100
TASK_TIMEOUT_SECONDS = 120
WARN_EVERY_SECONDS = 60.0


@attrs.frozen
class RqTasks:
    """The function a worker runs for each task, module-level so that RQ can queue it by its
    import path. The names are the wire format: a job already queued names its function."""

    dispatch: Callable[[], None]
    deliver: Callable[[list[str]], None]
    index_candidates: Callable[[list[int]], None]
    send_password_reset: Callable[[str, str], None]


class RqTaskQueue:
    def __init__(
        self, redis: Redis, tasks: RqTasks, queue_name: str = QUEUE_NAME,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._monotonic = monotonic
        self._tasks = tasks
        self._queue = Queue(queue_name, connection=redis)
        self._warning_lock = threading.Lock()
        self._next_warning = 0.0
        # Until then (monotonic) the debounce key set by this process certainly stands.
        self._debounced_until = 0.0

    def depth(self) -> int:
        """How many tasks wait in the queue."""
        return int(self._queue.count)

    def dispatch(self) -> None:
        asked = self._monotonic()
        if asked < self._debounced_until:
            return
        with self._best_effort("dispatch", _SWEPT):
            if self._redis.set(DISPATCH_DEBOUNCE_KEY, b"1", nx=True, px=DISPATCH_DEBOUNCE_MS):
                # Set no earlier than asked, so it expires no earlier than this.
                self._debounced_until = asked + DISPATCH_DEBOUNCE_MS / 1000
                self._queue.enqueue(self._tasks.dispatch, **_OPTIONS)

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        with self._best_effort("deliver", _SWEPT):
            self._queue.enqueue(self._tasks.deliver, list(delivery_ids), **_OPTIONS)

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        with self._best_effort(
            "index_candidates", "the search index misses the change until a reindex"
        ):
            self._queue.enqueue(self._tasks.index_candidates, list(candidate_ids), **_OPTIONS)

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
        self._queue.enqueue(self._tasks.send_password_reset, email, page_url, **_OPTIONS)


_SWEPT = "the scheduler's sweep relays and delivers it"
# Results are not kept (the database records outcomes); failures are kept a day to inspect.
_OPTIONS = {"job_timeout": TASK_TIMEOUT_SECONDS, "result_ttl": 0, "failure_ttl": 86400}

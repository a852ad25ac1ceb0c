"""A task queue that runs each task at once, in the caller's thread.

The embedded default and the tests use it: no broker, no worker, and a test sees the effect of
a task as soon as the use case returns. That includes the work a request hands off to be
done out of its sight: a password reset request here takes as long as looking the account
up and sending the mail. Retries fall due later and are found by the next
``dispatch``, which a test triggers after moving its clock.
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import attrs

from itmj_domain.services.portal_accounts import PortalAccounts
from itmj_domain.services.webhook_delivery import WebhookDelivery

log = logging.getLogger(__name__)


class IndexRefresh(Protocol):
    def refresh(self, candidate_ids: Sequence[int]) -> None: ...


@attrs.frozen
class TaskRunners:
    """The use cases that do the tasks' work. ``indexing`` is ``CandidateIndexing``, or an
    index that follows the change log and refreshes itself from it (``FollowingIndex``)."""

    delivery: WebhookDelivery
    indexing: IndexRefresh
    accounts: PortalAccounts


class SynchronousTaskQueue:
    """``runners`` is asked for the use cases when a task runs, not when the queue is made:
    the use cases and the queue need each other, and the composition root builds the queue
    first and the use cases around it."""

    def __init__(self, runners: Callable[[], TaskRunners]) -> None:
        self._runners = runners

    def dispatch(self) -> None:
        delivery = self._runners().delivery
        with _as_a_worker("dispatch"):
            delivery.dispatch()

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        delivery = self._runners().delivery
        with _as_a_worker("deliver"):
            delivery.deliver(delivery_ids)

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        indexing = self._runners().indexing
        with _as_a_worker("index_candidates"):
            indexing.refresh(candidate_ids)

    def send_password_reset(self, email: str, page_url: str) -> None:
        accounts = self._runners().accounts
        with _as_a_worker("send_password_reset"):
            accounts.send_password_reset(email, page_url)


@contextmanager
def _as_a_worker(task: str) -> Iterator[None]:
    """A task runs after the change that asked for it has committed, as a worker would: its
    failure is logged, as a worker's is, and not reported to the caller, whose retry would
    make the committed change twice. The periodic sweep retries the deliveries it left."""
    try:
        yield
    except Exception:
        log.exception("task %s failed; what was committed stands", task)

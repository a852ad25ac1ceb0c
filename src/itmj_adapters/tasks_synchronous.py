"""A task queue that runs each task at once, in the caller's thread.

The embedded default and the tests use it: no broker, no worker, and a test sees the effect of
a task as soon as the use case returns. That includes the work a request hands off to be
done out of its sight: a password reset request here takes as long as looking the account
up and sending the mail. Retries fall due later and are found by the next
``dispatch``, which a test triggers after moving its clock.
"""

from collections.abc import Sequence
from typing import TypeVar

from itmj_domain.services.candidates import CandidateIndexing
from itmj_domain.services.portal_accounts import PortalAccounts
from itmj_domain.services.webhook_delivery import WebhookDelivery

T = TypeVar("T")


class SynchronousTaskQueue:
    def __init__(self) -> None:
        self._delivery: WebhookDelivery | None = None
        self._indexing: CandidateIndexing | None = None
        self._accounts: PortalAccounts | None = None

    def bind(self, delivery: WebhookDelivery, indexing: CandidateIndexing,
             accounts: PortalAccounts) -> None:
        """The use cases and the queue need each other; the composition root ties the knot."""
        self._delivery = delivery
        self._indexing = indexing
        self._accounts = accounts

    def dispatch(self) -> None:
        self._bound(self._delivery).dispatch()

    def deliver(self, delivery_ids: Sequence[str]) -> None:
        self._bound(self._delivery).deliver(delivery_ids)

    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        self._bound(self._indexing).refresh(candidate_ids)

    def send_password_reset(self, email: str, page_url: str) -> None:
        self._bound(self._accounts).send_password_reset(email, page_url)

    @staticmethod
    def _bound(use_case: T | None) -> T:
        if use_case is None:
            raise RuntimeError("the task queue is not bound to its use cases")
        return use_case

"""Making a use case idempotent: it claims the request's key first thing in its unit of work,
and stores its answer in that same unit of work before committing (see
``itmj_domain.idempotency``)."""

from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

import attrs

from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput
from itmj_domain.idempotency import RETENTION, AlreadyAnswered, IdempotentRequest, StoredResponse
from itmj_domain.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

SWEEP_BATCH = 1000


@attrs.frozen
class Idempotent(Generic[T]):
    """A request made with an idempotency key, and how the edge answers a result of the use
    case (the answer a retry gets again)."""

    request: IdempotentRequest
    render: Callable[[T], StoredResponse]


def claim(uow: UnitOfWork, once: Idempotent[T] | None, now: datetime) -> None:
    """Go on when the key is new; raise ``AlreadyAnswered`` with the first answer when the same
    request was made before, and ``InvalidInput`` when the key was used for another."""
    if once is None:
        return
    record = uow.idempotency.claim(once.request, now, now - RETENTION)
    if record is None:
        return
    if not once.request.asks_as(record.request):
        raise InvalidInput(
            "this Idempotency-Key was already used with a different request (method, path "
            "or body, compared as parsed JSON); use a new key for a new request"
        )
    raise AlreadyAnswered(record.response)


def complete(uow: UnitOfWork, once: Idempotent[T] | None, result: T) -> None:
    if once is not None:
        uow.idempotency.complete(once.request, once.render(result))


@attrs.frozen
class IdempotencyExpiry:
    uow: UnitOfWorkFactory
    clock: Clock

    def expire(self) -> int:
        """Forget the keys older than 24 hours, a batch at a time; returns how many. A key
        past its time is also replaced when reused, so this only reclaims space."""
        cutoff = self.clock.now() - RETENTION
        total = 0
        while True:
            with self.uow() as uow:
                deleted = uow.idempotency.delete_expired(cutoff, SWEEP_BATCH)
                uow.commit()
            total += deleted
            if deleted < SWEEP_BATCH:
                return total

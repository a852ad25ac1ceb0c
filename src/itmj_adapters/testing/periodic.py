"""Periodic work on demand: "move the clock by an hour and run what is due"."""

from datetime import timedelta

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services
from itmj_domain.services.periodic_work import Expired


class NotAManualClock(TypeError):
    """``run_due`` moves the services' clock, which only a ``ManualClock`` allows."""


def run_due(services: Services, advance: timedelta = timedelta(0)) -> Expired:
    """Advance the services' ``ManualClock`` by ``advance``, then run the periodic work once,
    in this process, as one scheduler tick that is due for expiry does (the same
    ``PeriodicWork``): expire jobs and idempotency keys, then relay the outbox and attempt
    every delivery that is due. Returns what expired.

    The sweep goes through the services' task queue, as the scheduler's does: with the
    in-memory (synchronous) queue, or any queue that runs tasks at once, the deliveries are
    attempted before this returns."""
    clock = services.clock
    if not isinstance(clock, ManualClock):
        raise NotAManualClock(
            f"run_due moves the clock, and the services' is a {type(clock).__name__}: "
            "build them with build_services(..., clock=ManualClock())"
        )
    if advance:
        clock.advance(advance)
    return services.periodic_work.run_once()

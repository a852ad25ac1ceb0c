"""The testing kit: what this project's own suite uses to drive the services, shipped so that
an embedder's suite can do the same.

- ``ManualClock``: stands still until told to move.
- ``RecordingSender``: a webhook sender that keeps every request, answers as scripted (200
  unless told otherwise) and checks signatures as a partner would.
- ``RecordingNotifier``: keeps every email (also the notifier when no SMTP server is set).
- ``run_due``: moves the services' ``ManualClock`` and runs the periodic work once, as the
  scheduler's tick does: job expiry, the idempotency sweep, then the outbox and every
  delivery or retry that is due.

A typical test::

    clock, sender = ManualClock(), RecordingSender()
    services = build_services(Settings(), clock=clock, webhook_sender=sender)
    sender.answer_with(503)           # the first attempt fails ...
    ...                               # ... something that fires an event
    run_due(services, advance=timedelta(minutes=1))   # ... and the retry succeeds
"""

from itmj_adapters.clock import ManualClock
from itmj_adapters.recording_notifier import RecordingNotifier, SentEmail
from itmj_adapters.testing.periodic import NotAManualClock, run_due
from itmj_adapters.testing.sender import CONNECTION_REFUSED, TIMED_OUT, RecordingSender

__all__ = [
    "CONNECTION_REFUSED",
    "TIMED_OUT",
    "ManualClock",
    "NotAManualClock",
    "RecordingNotifier",
    "RecordingSender",
    "SentEmail",
    "run_due",
]

"""The retry schedule through the delivery use case: whatever a partner answers, a delivery is
attempted at once and then after exactly the SPEC §7 delays (never earlier), nine attempts in
all, and is dead-lettered after the last; a success stops it where it happens."""

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_adapters.testing import ManualClock, RecordingSender, run_due
from itmj_domain.events import Event, JobExpired
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import AttemptOutcome, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)
# SPEC §7, written out here rather than read from the code under test.
SPEC_DELAYS = [timedelta(seconds=s) for s in (60, 300, 900, 3600, 21600, 86400, 86400, 86400)]
SPEC_ATTEMPTS = 9

failures = st.one_of(
    st.builds(AttemptOutcome, st.integers(100, 199) | st.integers(300, 599)),
    st.builds(
        AttemptOutcome, st.none(), st.sampled_from(["timed out after 10 s", "connection refused"])
    ),
)
successes = st.builds(AttemptOutcome, st.integers(200, 299))


@settings(max_examples=30)
@given(
    st.lists(failures, min_size=SPEC_ATTEMPTS, max_size=SPEC_ATTEMPTS),
    st.none() | st.tuples(st.integers(0, SPEC_ATTEMPTS - 1), successes),
)
def test_retries_follow_the_spec_schedule_and_the_last_failure_dead_letters(outcomes, success):
    if success is not None:
        outcomes[success[0]] = success[1]
    answered = SPEC_ATTEMPTS if success is None else success[0] + 1
    clock = ManualClock(NOW)
    partner = RecordingSender(clock).answer_with(*outcomes)
    services = build_services(Settings(), clock=clock, webhook_sender=partner)
    uow = services.uow
    employer = services.accounts.create_employer("Acme")
    with uow() as tx:
        subscription = Subscription(
            tx.subscriptions.next_id(), employer.id, "https://partner.example/hook",
            frozenset({EventType.JOB_EXPIRED}), "secret", NOW,
        )
        tx.subscriptions.add(subscription)
        tx.outbox.add(Event.record(employer.id, NOW, JobExpired(7, NOW)))
        tx.commit()

    run_due(services)
    for delay in SPEC_DELAYS:
        run_due(services, advance=delay - SECOND)  # a second early: nothing is due yet
        run_due(services, advance=SECOND)
    run_due(services, advance=timedelta(days=365))  # nothing is left, however long one waits

    times = partner.sent_at
    scheduled = list(itertools.accumulate(SPEC_DELAYS, initial=NOW))
    assert times == scheduled[:answered]
    assert all(a < b for a, b in itertools.pairwise(times))
    assert len(set(partner.delivery_ids)) == 1
    assert all(RecordingSender.signed_by("secret", request) for request in partner.requests)
    with uow(read_only=True) as tx:
        [stored] = tx.deliveries.list_for_subscription(
            subscription.id, None, PageRequest(1, 10)
        ).items
    assert stored.attempts == answered
    services.close()
    if success is None:
        assert stored.status is DeliveryStatus.DEAD
        assert stored.last_error == outcomes[-1].describe()
    else:
        assert stored.status is DeliveryStatus.DELIVERED
        assert stored.delivered_at == scheduled[success[0]]

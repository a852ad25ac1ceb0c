"""The Outbox contract, on every adapter."""

from datetime import timedelta

import pytest

from itmj_domain.applications import ApplicationStatus
from itmj_domain.events import (
    ApplicationStatusChanged,
    ApplicationSubmitted,
    Event,
    JobExpired,
    WebhookTest,
)
from itmj_domain.jobs import ApplyMethod
from tests.contract.seed import T0

PAYLOADS = [
    ApplicationSubmitted(7, 3, "Head of IT — Zürich", 11, T0, ApplyMethod.URL_APPLY),
    ApplicationStatusChanged(
        7, ApplicationStatus.OFFERED, ApplicationStatus.HIRED, T0 + timedelta(microseconds=1)
    ),
    JobExpired(3, T0 + timedelta(days=30)),
    WebhookTest(5, T0 + timedelta(microseconds=3)),
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: type(p).__name__)
def test_an_event_reads_back_equal_with_its_typed_payload(uow_factory, seed, payload):
    employer = seed.employer()
    event = Event.record(employer.id, T0, payload)
    with uow_factory() as uow:
        uow.outbox.add(event)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        stored = uow.outbox.get_many([event.id]).get(event.id)
        assert uow.outbox.get_many(["evt_unknown"]) == {}
    assert stored == event
    assert type(stored.payload) is type(payload)
    assert stored.type is event.type


def test_claim_unrelayed_is_oldest_first_however_the_ids_sort(uow_factory, seed):
    employer = seed.employer()
    added = [
        Event(f"evt_{name}", employer.id, T0 - timedelta(minutes=n), JobExpired(n, T0))
        for n, name in enumerate(["m", "z", "a", "q", "b"])
    ]
    for event in added:
        with uow_factory() as uow:
            uow.outbox.add(event)
            uow.commit()
    with uow_factory() as uow:
        assert list(uow.outbox.claim_unrelayed(10)) == added
        assert list(uow.outbox.claim_unrelayed(2)) == added[:2]


def test_relayed_events_are_not_claimed_again(uow_factory, seed):
    employer = seed.employer()
    events = [seed.event(employer.id, JobExpired(n, T0)) for n in range(4)]
    with uow_factory() as uow:
        claimed = list(uow.outbox.claim_unrelayed(2))
        uow.outbox.mark_relayed([event.id for event in claimed], T0)
        uow.commit()
    assert claimed == events[:2]
    with uow_factory() as uow:
        assert list(uow.outbox.claim_unrelayed(10)) == events[2:]
        uow.outbox.mark_relayed([events[3].id], T0)
        uow.outbox.mark_relayed([], T0)
        uow.commit()
    with uow_factory() as uow:
        assert list(uow.outbox.claim_unrelayed(10)) == [events[2]]
        assert uow.outbox.get_many([events[0].id]) == {events[0].id: events[0]}


def test_a_relay_left_uncommitted_leaves_its_events_unrelayed(uow_factory, seed):
    employer = seed.employer()
    events = [seed.event(employer.id) for _ in range(2)]
    with uow_factory() as uow:
        uow.outbox.mark_relayed([event.id for event in uow.outbox.claim_unrelayed(10)], T0)
    with uow_factory() as uow:
        assert list(uow.outbox.claim_unrelayed(10)) == events


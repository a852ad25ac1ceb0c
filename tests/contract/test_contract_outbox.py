"""The Outbox contract, on every adapter."""

from datetime import timedelta

import attrs
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
from itmj_domain.webhooks.subscriptions import EventType
from tests.contract.seed import T0

PAYLOADS = [
    ApplicationSubmitted(7, 3, "Head of IT — Zürich", 11, T0, ApplyMethod.URL_APPLY, "REQ-7"),
    ApplicationStatusChanged(
        7, ApplicationStatus.OFFERED, ApplicationStatus.HIRED, T0 + timedelta(microseconds=1),
        3, None,
    ),
    JobExpired(3, T0 + timedelta(days=30), "ÜBER-3"),
    WebhookTest(5, T0 + timedelta(microseconds=3)),
]
EVERY_TYPE = frozenset(EventType)
LONG_AGO = T0 - timedelta(days=365)


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: type(p).__name__)
def test_an_event_reads_back_equal_with_its_typed_payload(uow_factory, seed, payload):
    employer = seed.employer()
    event = Event.record(employer.id, T0, payload)
    with uow_factory() as uow:
        added = uow.outbox.add(event)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        stored = uow.outbox.get_many([event.id]).get(event.id)
        assert uow.outbox.get_many(["evt_unknown"]) == {}
    assert stored == added == attrs.evolve(event, sequence=1)
    assert type(stored.payload) is type(payload)
    assert stored.type is event.type


def test_claim_unrelayed_is_oldest_first_however_the_ids_sort(uow_factory, seed):
    employer = seed.employer()
    added = [
        Event(f"evt_{name}", employer.id, T0 - timedelta(minutes=n), JobExpired(n, T0))
        for n, name in enumerate(["m", "z", "a", "q", "b"])
    ]
    for n, event in enumerate(added):
        with uow_factory() as uow:
            added[n] = uow.outbox.add(event)
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



def test_each_employers_events_are_numbered_from_one_in_the_order_stored(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.event(acme.id)
    theirs = seed.event(other.id)
    with uow_factory() as uow:
        together = [uow.outbox.add(Event.record(acme.id, T0, JobExpired(n, T0)))
                    for n in (2, 3)]
        uow.commit()
    assert [first.sequence, *(e.sequence for e in together)] == [1, 2, 3]
    assert theirs.sequence == 1
    with uow_factory(read_only=True) as uow:
        stored = uow.outbox.get_many([e.id for e in together])
    assert [stored[e.id].sequence for e in together] == [2, 3]


def test_an_add_left_uncommitted_stores_nothing_and_the_next_number_is_still_higher(
    uow_factory, seed
):
    employer = seed.employer()
    first = seed.event(employer.id)
    with uow_factory() as uow:
        dropped = uow.outbox.add(Event.record(employer.id, T0, JobExpired(9, T0)))
    later = seed.event(employer.id)
    with uow_factory(read_only=True) as uow:
        assert uow.outbox.get_many([dropped.id]) == {}
    assert first.sequence < later.sequence


def test_list_for_employer_pages_by_number_within_types_and_time(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    old = seed.event(acme.id, JobExpired(1, T0), occurred_at=LONG_AGO)
    events = [
        seed.event(acme.id, payload, occurred_at=T0 + timedelta(seconds=n))
        for n, payload in enumerate(PAYLOADS)
    ]
    seed.event(other.id)

    def listed(after=0, types=EVERY_TYPE, since=T0, limit=10):
        with uow_factory(read_only=True) as uow:
            return list(uow.outbox.list_for_employer(acme.id, after, types, since, limit))

    assert listed() == events
    assert listed(since=LONG_AGO) == [old, *events]
    assert listed(limit=2) == events[:2]
    assert listed(after=events[1].sequence) == events[2:]
    assert listed(after=events[-1].sequence) == []
    assert listed(types=frozenset({EventType.JOB_EXPIRED, EventType.APPLICATION_SUBMITTED})) == [
        events[0], events[2]
    ]
    assert listed(since=events[2].occurred_at) == events[2:]
    with uow_factory(read_only=True) as uow:
        assert list(uow.outbox.list_for_employer(other.id + 1, 0, EVERY_TYPE, LONG_AGO, 10)) == []

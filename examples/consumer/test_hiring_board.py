"""The hiring board's tests, driven by the library's testing kit: a manual clock, a recording
webhook sender and ``run_due`` for the periodic work."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from hiring_board import (
    FixedResolver,
    hear_expiries,
    open_client,
    post_job,
    query_problem,
    retry_schedule,
)

from itmj_adapters import (
    TIMED_OUT,
    ManualClock,
    RecordingNotifier,
    RecordingSender,
    Services,
    Settings,
    build_services,
    run_due,
)
from itmj_domain import JobStatus, NoCredits, verify_webhook_signature


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sender(clock: ManualClock) -> RecordingSender:
    return RecordingSender(clock)


@pytest.fixture
def services(clock: ManualClock, sender: RecordingSender) -> Iterator[Services]:
    with build_services(
        Settings(),
        clock=clock,
        webhook_sender=sender,
        notifier=RecordingNotifier(),
        resolver=FixedResolver(["93.184.215.14"]),
    ) as built:
        yield built


def test_a_posted_job_is_active_and_costs_a_credit(services: Services) -> None:
    client = open_client(services, "Northwind", job_credits=1)
    job = post_job(services, client, "IT Manager", "jobs@northwind.example")
    assert job.status is JobStatus.ACTIVE
    with pytest.raises(NoCredits):
        post_job(services, client, "Service Desk Lead", "jobs@northwind.example")


def test_an_expired_job_is_heard_signed_and_retried(
    services: Services, clock: ManualClock, sender: RecordingSender
) -> None:
    client = open_client(services, "Northwind", job_credits=1)
    created = hear_expiries(services, client)
    post_job(services, client, "IT Manager", "jobs@northwind.example")

    sender.answer_with(503, TIMED_OUT)
    assert run_due(services, advance=timedelta(days=29)).jobs == []
    expired = run_due(services, advance=timedelta(days=2))
    assert [job.content.title for job in expired.jobs] == ["IT Manager"]
    run_due(services, advance=timedelta(minutes=1))
    run_due(services, advance=timedelta(minutes=5))

    assert sender.events == ["job.expired"] * 3
    assert [b - a for a, b in zip(sender.sent_at, sender.sent_at[1:], strict=False)] == [
        timedelta(minutes=1), timedelta(minutes=5),
    ]
    last = sender.requests[-1]
    now = int(clock.now().timestamp())
    assert verify_webhook_signature(
        created.secret, last.headers["X-Webhook-Signature"], last.body, now
    )


def test_queries_are_checked_before_they_are_sent() -> None:
    assert query_problem("skills:(itil AND azure)") is None
    problem = query_problem("skills:(itil")
    assert problem is not None and "position" in problem


def test_the_retry_schedule_is_the_specs() -> None:
    assert retry_schedule()[:3] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
    ]

"""Webhooks end to end: use cases, outbox, real signed POSTs to a loopback receiver, a manual
clock for the retry schedule."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from itmj_domain.accounts import Role
from itmj_domain.applications import ApplicationStatus
from itmj_domain.candidates import Candidate
from itmj_domain.credits import CreditKind
from itmj_domain.errors import NotFound
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from tests.adapters.receiver import Receiver
from tests.refusals import refused

SUBMITTED = frozenset({EventType.APPLICATION_SUBMITTED})
ALL_EVENTS = SUBSCRIBABLE
SPEC_DELAYS = [60, 300, 900, 3600, 21600, 86400, 86400, 86400]


def partner_verifies(secret: str, header: str, raw_body: bytes, now: int) -> bool:
    """SPEC §10, as a partner writes it."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    t, v1 = fields["t"], fields["v1"]
    expected = hmac.new(secret.encode(), f"{t}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, v1) and abs(now - int(t)) <= 300


def active_job(services, employer_id: int):
    services.credits.grant(employer_id, CreditKind.JOB_POSTING, 5)
    job = services.jobs.create(employer_id, JobContent(
        title="Service Desk Lead", description="Lead it.", reference="SDL-1",
        employment_type=EmploymentType.FULL_TIME, remote_type=RemoteType.ON_SITE,
        apply_method=ApplyMethod.PORTAL_APPLY,
    ))
    return services.jobs.publish(employer_id, job.id)


def candidate(services, clock, hidden=False) -> int:
    with services.uow() as uow:
        cid = uow.candidates.next_id()
        uow.candidates.add(Candidate(
            cid, f"ext-{cid}", "Pat Example", "pat@example.com", None, "Engineer", "", (),
            "Leeds", 826, frozenset(), clock.now(), hidden,
        ))
        uow.commit()
    return cid


@pytest.fixture
def employer(services):
    employer = services.accounts.create_employer("Acme")
    services.accounts.add_user(employer.id, "admin@acme.example", Role.EMPLOYER_ADMIN)
    return employer


def test_a_submission_reaches_the_partner_signed_as_spec_section_10_says(
    services, clock, employer
):
    job = active_job(services, employer.id)
    with Receiver(status=200) as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url + "/hook", SUBMITTED)
        cid = candidate(services, clock)
        application = services.applications.submit(job.id, cid)
    [received] = receiver.received
    assert received.path == "/hook"
    now = int(clock.now().timestamp())
    assert partner_verifies(
        created.secret, received.headers["X-Webhook-Signature"], received.body, now
    )
    assert received.headers["X-Webhook-Signature"].startswith(f"t={now},v1=")
    assert received.headers["X-Webhook-Event"] == "application.submitted"
    body = json.loads(received.body)
    assert body["event"] == "application.submitted"
    assert body["id"].startswith("evt_")
    assert body["occurredAt"] == clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert body["sequence"] == 1
    assert body["data"] == {
        "applicationId": application.id,
        "jobPostId": job.id,
        "jobTitle": "Service Desk Lead",
        "candidateId": cid,
        "appliedAt": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "applicationType": "PortalApply",
        "reference": "SDL-1",
    }
    [delivery] = services.webhooks.deliveries(
        created.subscription.id, DeliveryStatus.DELIVERED, PageRequest()
    ).items
    assert received.headers["X-Webhook-Delivery-Id"] == delivery.id


def test_status_changes_carry_both_statuses_the_job_and_its_reference(
    services, clock, employer
):
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    clock.advance(timedelta(milliseconds=1234))
    with Receiver() as receiver:
        services.webhooks.subscribe(
            employer.id, receiver.url, frozenset({EventType.APPLICATION_STATUS_CHANGED})
        )
        services.applications.move(application.id, ApplicationStatus.SCREENED)
    [received] = receiver.received
    body = json.loads(received.body)
    assert (body["sequence"], body["occurredAt"]) == (2, "2026-01-01T00:00:01.234Z")
    assert body["data"] == {
        "applicationId": application.id,
        "previousStatus": "New",
        "newStatus": "Screened",
        "changedAt": "2026-01-01T00:00:01Z",
        "jobPostId": job.id,
        "reference": "SDL-1",
    }


def test_only_the_employers_matching_enabled_subscriptions_receive(services, clock, employer):
    rival = services.accounts.create_employer("Rival")
    job = active_job(services, employer.id)
    with Receiver() as mine, Receiver() as theirs, Receiver() as other_event, Receiver() as off:
        services.webhooks.subscribe(employer.id, mine.url, SUBMITTED)
        services.webhooks.subscribe(rival.id, theirs.url, ALL_EVENTS)
        services.webhooks.subscribe(
            employer.id, other_event.url, frozenset({EventType.JOB_EXPIRED})
        )
        disabled = services.webhooks.subscribe(employer.id, off.url, SUBMITTED)
        services.webhooks.disable(disabled.subscription.id)
        services.applications.submit(job.id, candidate(services, clock))
    assert len(mine.received) == 1
    assert theirs.received == other_event.received == off.received == []


def test_failures_follow_the_retry_schedule_then_dead_letter_and_replay(
    services, clock, employer
):
    job = active_job(services, employer.id)
    with Receiver(status=500) as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        services.applications.submit(job.id, candidate(services, clock))
        assert len(receiver.received) == 1
        for delay in SPEC_DELAYS:
            clock.advance(timedelta(seconds=delay - 1))
            services.webhook_delivery.dispatch()
            attempts = len(receiver.received)
            clock.advance(timedelta(seconds=1))
            services.webhook_delivery.dispatch()
            assert len(receiver.received) == attempts + 1
        clock.advance(timedelta(days=30))
        services.webhook_delivery.dispatch()
        assert len(receiver.received) == 9
        ids = {r.headers["X-Webhook-Delivery-Id"] for r in receiver.received}
        assert len(ids) == 1
        [dead] = services.webhooks.deliveries(
            created.subscription.id, DeliveryStatus.DEAD, PageRequest()
        ).items
        assert (dead.attempts, dead.last_error) == (9, "HTTP 500")

        receiver.status = 204
        services.webhooks.redeliver(dead.id)
    assert receiver.received[-1].headers["X-Webhook-Delivery-Id"] == dead.id
    replayed = services.webhooks.deliveries(created.subscription.id, None, PageRequest()).items
    assert [d.status for d in replayed] == [DeliveryStatus.DELIVERED]


def test_ten_consecutive_failures_disable_and_email_and_reenabling_delivers_what_was_held(
    services, clock, employer, notifier
):
    job = active_job(services, employer.id)
    with Receiver(status=503) as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        for _ in range(10):
            services.applications.submit(job.id, candidate(services, clock))
        assert len(receiver.received) == 10
        [subscription] = services.webhooks.list(employer.id)
        assert (subscription.enabled, subscription.disabled_at) == (False, clock.now())
        assert [mail.to for mail in notifier.sent] == ["admin@acme.example"]
        assert "disabled" in notifier.sent[0].subject
        assert receiver.url in notifier.sent[0].body

        held = services.applications.submit(job.id, candidate(services, clock))
        clock.advance(timedelta(hours=2))
        services.webhook_delivery.dispatch()
        assert len(receiver.received) == 10
        pending = services.webhooks.deliveries(
            created.subscription.id, DeliveryStatus.PENDING, PageRequest()
        )
        assert pending.total == 11
        assert sorted(d.attempts for d in pending.items) == [0] + [1] * 10

        receiver.status = 200
        services.webhooks.enable(created.subscription.id)
    assert len(receiver.received) == 10 + 11
    assert held.id in {json.loads(r.body)["data"]["applicationId"] for r in receiver.received[10:]}
    delivered = services.webhooks.deliveries(
        created.subscription.id, DeliveryStatus.DELIVERED, PageRequest()
    )
    assert delivered.total == 11
    assert len(notifier.sent) == 1


def test_a_success_resets_the_failure_count(services, clock, employer):
    job = active_job(services, employer.id)
    with Receiver(status=500) as receiver:
        services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        for _ in range(9):
            services.applications.submit(job.id, candidate(services, clock))
        receiver.status = 200
        services.applications.submit(job.id, candidate(services, clock))
        receiver.status = 500
        for _ in range(9):
            services.applications.submit(job.id, candidate(services, clock))
    [subscription] = services.webhooks.list(employer.id)
    assert subscription.enabled
    assert subscription.consecutive_failures == 9


def test_rotating_the_secret_signs_with_the_new_one(services, clock, employer):
    job = active_job(services, employer.id)
    with Receiver() as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        rotated = services.webhooks.rotate_secret(created.subscription.id)
        services.applications.submit(job.id, candidate(services, clock))
    [received] = receiver.received
    header, now = received.headers["X-Webhook-Signature"], int(clock.now().timestamp())
    assert rotated.secret != created.secret
    assert rotated.subscription.id == created.subscription.id
    assert partner_verifies(rotated.secret, header, received.body, now)
    assert not partner_verifies(created.secret, header, received.body, now)


def test_deleting_a_subscription_stops_its_deliveries(services, clock, employer):
    job = active_job(services, employer.id)
    with Receiver() as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        services.webhooks.delete(created.subscription.id)
        services.applications.submit(job.id, candidate(services, clock))
    assert receiver.received == []
    assert services.webhooks.list(employer.id) == []


def test_an_expired_job_reaches_its_employers_partner_as_job_expired(services, clock, employer):
    job = active_job(services, employer.id)
    clock.set(job.expiry_date)
    with Receiver() as receiver:
        services.webhooks.subscribe(employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED}))
        [expired] = services.job_expiry.expire_due()
    assert expired.id == job.id
    [received] = receiver.received
    body = json.loads(received.body)
    assert (body["event"], body["occurredAt"]) == ("job.expired", "2026-01-31T00:00:00.000Z")
    assert body["data"] == {
        "jobPostId": job.id, "expiredAt": "2026-01-31T00:00:00Z", "reference": "SDL-1",
    }


def test_subscriptions_are_dated_when_made_and_when_disabled(services, clock, employer):
    created = services.webhooks.subscribe(employer.id, "https://ats.example.com/hook", SUBMITTED)
    assert created.subscription.created_at == clock.now()
    clock.advance(timedelta(hours=1))
    disabled = services.webhooks.disable(created.subscription.id)
    assert (disabled.enabled, disabled.disabled_at) == (False, clock.now())
    [stored] = services.webhooks.list(employer.id)
    assert stored == disabled


def test_deliveries_are_listed_by_status(services, clock, employer):
    job = active_job(services, employer.id)
    with Receiver(status=200) as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, SUBMITTED)
        services.applications.submit(job.id, candidate(services, clock))
        receiver.status = 500
        services.applications.submit(job.id, candidate(services, clock))
    subscription_id = created.subscription.id
    delivered = services.webhooks.deliveries(
        subscription_id, DeliveryStatus.DELIVERED, PageRequest()
    )
    pending = services.webhooks.deliveries(subscription_id, DeliveryStatus.PENDING, PageRequest())
    assert ([d.status for d in delivered.items], pending.total) == ([DeliveryStatus.DELIVERED], 1)
    assert services.webhooks.deliveries(subscription_id, None, PageRequest()).total == 2


def test_an_unknown_delivery_cannot_be_replayed(services):
    with refused(NotFound):
        services.webhooks.redeliver("dlv_unknown")

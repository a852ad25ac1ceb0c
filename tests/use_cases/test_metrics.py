"""What the use cases count for the operators, through the real composition root on every
backend, with a ``Metrics`` that records what it is told: debits once committed (never a
rolled-back one), 402s by kind, candidate unlocks, and every webhook attempt by outcome with
the dead letters and auto-disabled subscriptions they lead to."""

from collections import Counter
from datetime import timedelta

import pytest

from itmj_adapters.testing import CONNECTION_REFUSED, TIMED_OUT, RecordingSender, run_due
from itmj_domain.api_keys import Scope
from itmj_domain.candidates import Candidate
from itmj_domain.credits import CreditKind
from itmj_domain.errors import NoCredits
from itmj_domain.events import Event, JobExpired
from itmj_domain.idempotency import IdempotentRequest, StoredResponse, fingerprint
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from itmj_domain.services.cv_search import SearchRequest
from itmj_domain.services.idempotency import Idempotent
from itmj_domain.webhooks.deliveries import AttemptOutcome, DeliveryOutcome
from itmj_domain.webhooks.subscriptions import AUTO_DISABLE_AFTER, EventType
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED
from tests.refusals import refused

CONTENT = JobContent(
    title="IT Manager", description="Run the service desk.",
    employment_type=EmploymentType.FULL_TIME, remote_type=RemoteType.ON_SITE,
    apply_method=ApplyMethod.PORTAL_APPLY,
)
REFUSED_TARGET = AttemptOutcome(None, TARGET_NOT_ALLOWED)


class RecordingMetrics:
    """The ``Metrics`` port, keeping a tally of what it was told."""

    def __init__(self) -> None:
        self.debited: Counter[CreditKind] = Counter()
        self.refused: Counter[CreditKind] = Counter()
        self.attempts: Counter[DeliveryOutcome] = Counter()
        self.unlocks = self.dead_letters = self.disabled = 0

    def credits_debited(self, kind: CreditKind, amount: int) -> None:
        self.debited[kind] += amount

    def payment_refused(self, kind: CreditKind) -> None:
        self.refused[kind] += 1

    def candidate_unlocked(self) -> None:
        self.unlocks += 1

    def delivery_attempted(self, outcome: DeliveryOutcome) -> None:
        self.attempts[outcome] += 1

    def dead_lettered(self) -> None:
        self.dead_letters += 1

    def subscription_disabled(self) -> None:
        self.disabled += 1


@pytest.fixture
def metrics() -> RecordingMetrics:
    return RecordingMetrics()


@pytest.fixture
def partner() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def services(make_services, metrics, partner):
    return make_services(metrics=metrics, webhook_sender=partner)


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def add_candidate(services, clock) -> int:
    with services.uow() as uow:
        cid = uow.candidates.next_id()
        uow.candidates.add(Candidate(
            cid, f"ext-{cid}", "Pat Example", "pat@example.com", None, "Engineer", "", (),
            "Leeds", 826, frozenset(), clock.now(),
        ))
        uow.commit()
    return cid


def test_a_publish_counts_one_job_posting_debit(services, employer, metrics):
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 5)
    for _ in range(3):
        services.jobs.publish(employer.id, services.jobs.create(employer.id, CONTENT).id)
    assert metrics.debited == Counter({CreditKind.JOB_POSTING: 3})
    assert metrics.refused == Counter()


def test_a_debit_rolled_back_after_it_was_written_counts_nothing(services, employer, metrics):
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    job = services.jobs.create(employer.id, CONTENT)

    def render(_job) -> StoredResponse:
        raise RuntimeError("the answer could not be stored")

    key_id = services.accounts.mint_key(employer.id, "a", frozenset({Scope.JOB_POSTING})).key.id
    publish = fingerprint("POST", f"/api/v1/jobs/{job.id}/publish", b"")
    request = IdempotentRequest(key_id, "key-1", publish)
    with pytest.raises(RuntimeError):
        services.jobs.publish_paid(employer.id, job.id, once=Idempotent(request, render))
    assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 1
    assert metrics.debited == Counter()


def test_refusals_for_want_of_credits_count_by_kind(services, employer, metrics, clock):
    job = services.jobs.create(employer.id, CONTENT)
    candidate_id = add_candidate(services, clock)
    with refused(NoCredits):
        services.jobs.publish(employer.id, job.id)
    for _ in range(2):
        with refused(NoCredits):
            services.cv_search.search(employer.id, SearchRequest("engineer"))
    with refused(NoCredits):
        services.cv_search.view(employer.id, candidate_id)
    assert metrics.refused == Counter({
        CreditKind.JOB_POSTING: 1, CreditKind.CV_SEARCH: 2, CreditKind.CV_DOWNLOAD: 1})
    assert metrics.debited == Counter() and metrics.unlocks == 0


def test_an_unlock_counts_once_per_window(services, employer, metrics, clock):
    services.credits.grant(employer.id, CreditKind.CV_DOWNLOAD, 5)
    services.credits.grant(employer.id, CreditKind.CV_SEARCH, 5)
    first, second = add_candidate(services, clock), add_candidate(services, clock)
    services.cv_search.search(employer.id, SearchRequest("engineer"))
    services.cv_search.view(employer.id, first)
    services.cv_search.view(employer.id, first)  # within its window: free
    services.cv_search.view(employer.id, second)
    assert metrics.unlocks == 2
    assert metrics.debited == Counter({CreditKind.CV_DOWNLOAD: 2, CreditKind.CV_SEARCH: 1})


def record_event(services, clock, employer, job_id: int) -> None:
    with services.uow() as uow:
        uow.outbox.add(Event.record(employer.id, clock.now(), JobExpired(job_id, clock.now())))
        uow.commit()


def test_webhook_attempts_count_by_outcome_with_dead_letters_and_disabled_subscriptions(
    services, employer, metrics, partner, clock
):
    services.webhooks.subscribe(
        employer.id, "https://one.example.com/hook", frozenset({EventType.JOB_EXPIRED}))
    record_event(services, clock, employer, 1)
    partner.answer_with(200)
    services.webhook_delivery.dispatch()
    assert metrics.attempts == Counter({"success": 1})

    # A second event fails every attempt it gets (nine), then is a dead letter.
    failures = [503, TIMED_OUT, CONNECTION_REFUSED, REFUSED_TARGET, 500, 503, 404, 503, 410]
    partner.answer_with(*failures)
    record_event(services, clock, employer, 2)
    services.webhook_delivery.dispatch()
    for _ in failures[1:]:
        run_due(services, advance=timedelta(days=1))
    assert len(partner.requests) == 1 + len(failures)
    assert metrics.attempts == Counter({
        "success": 1, "http_error": 6, "timeout": 1, "network_error": 1, "refused_target": 1})
    assert (metrics.dead_letters, metrics.disabled) == (1, 0)

    # The next failure in a row is the one that disables the subscription.
    assert len(failures) == AUTO_DISABLE_AFTER - 1
    partner.answer_with(503)
    record_event(services, clock, employer, 3)
    services.webhook_delivery.dispatch()
    assert metrics.attempts["http_error"] == 7
    assert (metrics.dead_letters, metrics.disabled) == (1, 1)
    run_due(services, advance=timedelta(days=1))  # a disabled subscription is not attempted
    assert sum(metrics.attempts.values()) == 1 + len(failures) + 1

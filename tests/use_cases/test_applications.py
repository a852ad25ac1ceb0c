"""Applications through the real composition root, on every backend."""

from datetime import timedelta

from itmj_domain.applications import ApplicationStatus
from itmj_domain.errors import InvalidState, NotFound
from itmj_domain.jobs import ApplyMethod
from itmj_domain.pagination import PageRequest
from tests.refusals import refused
from tests.use_cases.test_webhooks import active_job, candidate


def test_an_application_starts_new_with_the_jobs_apply_method(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    clock.advance(timedelta(minutes=5))
    candidate_id = candidate(services, clock)
    application = services.applications.submit(job.id, candidate_id)
    assert (application.candidate_id, application.applied_at) == (candidate_id, clock.now())
    assert application.status is ApplicationStatus.NEW
    assert application.application_type is ApplyMethod.PORTAL_APPLY
    assert application.employer_id == employer.id
    explicit = services.applications.submit(
        job.id, candidate(services, clock), ApplyMethod.EMAIL_APPLY
    )
    assert explicit.application_type is ApplyMethod.EMAIL_APPLY


def test_only_active_jobs_and_visible_candidates_take_applications(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    services.jobs.deactivate(employer.id, job.id)
    with refused(InvalidState):
        services.applications.submit(job.id, candidate(services, clock))
    live = active_job(services, employer.id)
    with refused(NotFound):
        services.applications.submit(live.id, candidate(services, clock, hidden=True))
    with refused(NotFound):
        services.applications.submit(live.id, 999_999)
    with refused(NotFound):
        services.applications.submit(999_999, candidate(services, clock))


def test_moves_follow_the_pipeline(services, clock):
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    with refused(InvalidState):
        services.applications.move(application.id, ApplicationStatus.OFFERED)
    clock.advance(timedelta(hours=1))
    moved = services.applications.move(application.id, ApplicationStatus.SCREENED)
    assert (moved.status, moved.updated_at) == (ApplicationStatus.SCREENED, clock.now())
    with refused(NotFound):
        services.applications.move(999_999, ApplicationStatus.SCREENED)
    services.applications.move(application.id, ApplicationStatus.REJECTED)
    with refused(InvalidState):
        services.applications.move(application.id, ApplicationStatus.INTERVIEWED)
    stored = services.applications.get(employer.id, job.id, application.id)
    assert stored.status is ApplicationStatus.REJECTED


def test_partners_see_only_their_own_jobs_applications(services, clock):
    acme = services.accounts.create_employer("Acme")
    rival = services.accounts.create_employer("Rival")
    job = active_job(services, acme.id)
    other_job = active_job(services, acme.id)
    first = services.applications.submit(job.id, candidate(services, clock))
    second = services.applications.submit(job.id, candidate(services, clock))
    services.applications.move(second.id, ApplicationStatus.SCREENED)

    page = services.applications.list_for_job(acme.id, job.id, None, PageRequest())
    assert [a.id for a in page.items] == [second.id, first.id]
    screened = services.applications.list_for_job(
        acme.id, job.id, ApplicationStatus.SCREENED, PageRequest()
    )
    assert [a.id for a in screened.items] == [second.id]
    with refused(NotFound):
        services.applications.list_for_job(rival.id, job.id, None, PageRequest())
    for employer_id, job_id in ((rival.id, job.id), (acme.id, other_job.id)):
        with refused(NotFound):
            services.applications.get(employer_id, job_id, first.id)


def test_a_recruiter_moves_only_their_own_employers_applications(services, clock):
    acme = services.accounts.create_employer("Acme")
    rival = services.accounts.create_employer("Rival")
    job = active_job(services, acme.id)
    application = services.applications.submit(job.id, candidate(services, clock))
    with refused(NotFound):
        services.applications.move(application.id, ApplicationStatus.SCREENED, rival.id)
    assert services.applications.get(acme.id, job.id, application.id).status is (
        ApplicationStatus.NEW
    )
    moved = services.applications.move(application.id, ApplicationStatus.SCREENED, acme.id)
    assert moved.status is ApplicationStatus.SCREENED

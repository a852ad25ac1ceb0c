"""The ApplicationRepository contract, on every adapter."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from itmj_domain.applications import Applicant, Application, ApplicationStatus
from itmj_domain.errors import InvalidState
from itmj_domain.jobs import ApplyMethod
from itmj_domain.pagination import PageRequest
from tests.contract.seed import T0


def _ids(page) -> list[int]:
    return [application.id for application in page.items]


def test_an_added_application_reads_back_equal(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    with uow_factory() as uow:
        application = Application(
            uow.applications.next_id(), employer.id, job.id, candidate.id, ApplyMethod.EMAIL_APPLY,
            T0, applicant=Applicant("Pat Example", "pat@example.com", "+44 20 7946 0000",
                                    "I would like to lead your team.", "Ten years of Linux."),
        )
        uow.applications.add(application)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.applications.get(application.id) == application
        assert uow.applications.get(application.id + 1) is None
    with uow_factory() as uow:
        assert uow.applications.get(application.id, for_update=True) == application


def test_save_stores_a_move_along_the_pipeline(uow_factory, seed):
    employer = seed.employer()
    application = seed.application(seed.job(employer.id), seed.candidate().id)
    moved = application.move(ApplicationStatus.SCREENED, T0 + timedelta(days=1)).move(
        ApplicationStatus.REJECTED, T0 + timedelta(days=2)
    )
    with uow_factory() as uow:
        uow.applications.save(moved)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        stored = uow.applications.get(application.id)
    assert stored == moved
    assert (stored.status, stored.updated_at) == (ApplicationStatus.REJECTED,
                                                  T0 + timedelta(days=2))


def test_list_for_job_is_newest_first_and_ties_go_to_the_higher_id(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    oldest = seed.application(job, candidate.id, T0 - timedelta(days=1))
    first_at_t0 = seed.application(job, candidate.id, T0)
    newest = seed.application(job, candidate.id, T0 + timedelta(microseconds=1))
    second_at_t0 = seed.application(job, candidate.id, T0)
    with uow_factory(read_only=True) as uow:
        page = uow.applications.list_for_job(employer.id, job.id, None, PageRequest())
    assert _ids(page) == [newest.id, second_at_t0.id, first_at_t0.id, oldest.id]
    assert page.items[0] == newest
    assert page.total == 4


def test_list_for_job_pages_through_every_application_once(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    made = [seed.application(job, candidate.id, T0 + timedelta(minutes=n)) for n in range(5)]
    newest_first = [application.id for application in reversed(made)]
    with uow_factory(read_only=True) as uow:
        pages = [uow.applications.list_for_job(employer.id, job.id, None, PageRequest(n, 2))
                 for n in (1, 2, 3, 4)]
    assert [_ids(page) for page in pages] == [newest_first[:2], newest_first[2:4],
                                              newest_first[4:], []]
    assert [page.total for page in pages] == [5, 5, 5, 5]
    assert [page.request for page in pages] == [PageRequest(n, 2) for n in (1, 2, 3, 4)]


def test_list_for_job_filters_by_status_and_counts_only_the_matches(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    made = [seed.application(job, candidate.id, T0 + timedelta(minutes=n)) for n in range(4)]
    with uow_factory() as uow:
        for application in made[1:]:
            uow.applications.save(application.move(ApplicationStatus.SCREENED, T0))
        uow.commit()
    with uow_factory(read_only=True) as uow:
        screened = uow.applications.list_for_job(
            employer.id, job.id, ApplicationStatus.SCREENED, PageRequest(1, 2)
        )
        new = uow.applications.list_for_job(
            employer.id, job.id, ApplicationStatus.NEW, PageRequest()
        )
        hired = uow.applications.list_for_job(
            employer.id, job.id, ApplicationStatus.HIRED, PageRequest(2, 10)
        )
    assert (_ids(screened), screened.total) == ([made[3].id, made[2].id], 3)
    assert all(a.status is ApplicationStatus.SCREENED for a in screened.items)
    assert (_ids(new), new.total) == ([made[0].id], 1)
    assert (list(hired.items), hired.total) == ([], 0)


def test_pages_after_a_position_walk_every_application_once_as_more_arrive(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    made = [seed.application(job, candidate.id, T0 + timedelta(minutes=n // 2))
            for n in range(5)]
    newest_first = [a.id for a in sorted(made, key=lambda a: (a.applied_at, a.id),
                                         reverse=True)]
    with uow_factory(read_only=True) as uow:
        first = uow.applications.list_for_job(employer.id, job.id, None, PageRequest(1, 2))
    seed.application(job, candidate.id, T0 + timedelta(hours=1))
    with uow_factory(read_only=True) as uow:
        rest = uow.applications.list_for_job(
            employer.id, job.id, None, PageRequest(page_size=2, after=first.items[-1].position)
        )
        last = uow.applications.list_for_job(
            employer.id, job.id, None, PageRequest(page_size=2, after=rest.items[-1].position)
        )
    assert _ids(first) + _ids(rest) + _ids(last) == newest_first
    assert [(p.skipped, p.more, p.total) for p in (first, rest, last)] == [
        (0, True, 5), (3, True, 6), (5, False, 6)
    ]


def test_list_for_job_filters_by_last_change_inclusively(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    candidate = seed.candidate()
    old = seed.application(job, candidate.id, T0 - timedelta(days=2))
    moved = seed.application(job, candidate.id, T0 - timedelta(days=1))
    fresh = seed.application(job, candidate.id, T0)
    with uow_factory() as uow:
        uow.applications.save(moved.move(ApplicationStatus.SCREENED, T0 + timedelta(hours=1)))
        uow.commit()
    with uow_factory(read_only=True) as uow:
        since_t0 = uow.applications.list_for_job(employer.id, job.id, None, PageRequest(),
                                                 updated_since=T0)
        since_move = uow.applications.list_for_job(
            employer.id, job.id, ApplicationStatus.SCREENED, PageRequest(),
            updated_since=T0 + timedelta(hours=1),
        )
        everything = uow.applications.list_for_job(
            employer.id, job.id, None, PageRequest(), updated_since=T0 - timedelta(days=2)
        )
    assert _ids(since_t0) == [fresh.id, moved.id]
    assert _ids(since_move) == [moved.id]
    assert _ids(everything) == [fresh.id, moved.id, old.id]


def test_list_for_job_holds_only_that_jobs_applications_for_its_employer(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    job, sibling, theirs = seed.job(acme.id), seed.job(acme.id), seed.job(other.id)
    candidate = seed.candidate()
    mine = seed.application(job, candidate.id)
    seed.application(sibling, candidate.id, T0 + timedelta(days=1))
    seed.application(theirs, candidate.id, T0 + timedelta(days=1))
    with uow_factory(read_only=True) as uow:
        assert _ids(uow.applications.list_for_job(acme.id, job.id, None, PageRequest())) == [
            mine.id
        ]
        crossed = uow.applications.list_for_job(other.id, job.id, None, PageRequest())
    assert (list(crossed.items), crossed.total) == ([], 0)


def test_for_update_lets_exactly_one_of_concurrent_moves_through(uow_factory, seed):
    employer = seed.employer()
    application = seed.application(seed.job(employer.id), seed.candidate().id)

    def screen() -> str:
        with uow_factory() as uow:
            current = uow.applications.get(application.id, for_update=True)
            try:
                moved = current.move(ApplicationStatus.SCREENED, T0)
            except InvalidState:
                return "refused"
            uow.applications.save(moved)
            uow.commit()
        return "moved"

    with ThreadPoolExecutor(6) as pool:
        outcomes = [running.result() for running in [pool.submit(screen) for _ in range(6)]]
    assert sorted(outcomes) == ["moved"] + ["refused"] * 5


def test_find_for_candidate_gives_the_candidates_oldest_application_to_the_job(
    uow_factory, seed
):
    employer = seed.employer()
    job, other_job = seed.job(employer.id), seed.job(employer.id)
    pat, sam = seed.candidate(), seed.candidate()
    later = seed.application(job, pat.id, T0 + timedelta(hours=1))
    oldest = seed.application(job, pat.id, T0)
    seed.application(other_job, sam.id)
    with uow_factory(read_only=True) as uow:
        assert uow.applications.find_for_candidate(job.id, pat.id) == oldest
        assert uow.applications.find_for_candidate(job.id, sam.id) is None
        assert uow.applications.find_for_candidate(other_job.id, pat.id) is None
    assert later.applied_at > oldest.applied_at

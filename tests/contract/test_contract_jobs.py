"""The JobRepository contract, on every adapter."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import attrs

from itmj_domain.jobs import (
    ApplyMethod,
    EmploymentType,
    JobContent,
    JobPost,
    JobStatus,
    OpenJobSearch,
    RemoteType,
    SalaryPeriod,
)
from itmj_domain.pagination import PageRequest, Position
from tests.contract.seed import CONTENT, T0

EVERY_FIELD = JobContent(
    title="Head of IT",
    description="Own the roadmap.\nLead a team of twelve.",
    employment_type=EmploymentType.CONTRACT,
    remote_type=RemoteType.HYBRID_REMOTE,
    apply_method=ApplyMethod.URL_APPLY,
    reference="REQ-0042",
    city="Leeds",
    country="United Kingdom",
    apply_url="https://ats.example.com/apply/42?src=itmj",
    salary_min=60_000,
    salary_max=80_000,
    salary_currency="GBP",
    salary_period=SalaryPeriod.YEAR,
)


def _published(job: JobPost, at, days: int) -> JobPost:
    return job.publish(at, at + timedelta(days=days))


def _ids(page) -> list[int]:
    return [job.id for job in page.items]


def test_an_added_job_reads_back_equal_with_every_field(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        job = JobPost.draft(uow.jobs.next_id(), employer.id, EVERY_FIELD, T0)
        uow.jobs.add(job)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.get(employer.id, job.id) == job
        assert uow.jobs.get(employer.id, job.id, for_update=True) == job


def test_a_job_is_invisible_to_other_employers_and_unknown_ids_are_none(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    job = seed.job(acme.id)
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.get(other.id, job.id) is None
        assert uow.jobs.get(acme.id, job.id + 1) is None


def test_find_looks_a_job_up_by_id_alone(uow_factory, seed):
    job = seed.job(seed.employer("Acme").id)
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.find(job.id) == job
        assert uow.jobs.find(job.id + 1) is None


def test_save_stores_the_changed_job(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id)
    published = _published(job, T0 + timedelta(hours=1), days=30)
    edited = published.edit({"title": "Head of IT (interim)"}, T0 + timedelta(days=2))
    seed.save_job(edited)
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.get(employer.id, job.id) == edited


def test_list_is_newest_first_and_ties_go_to_the_higher_id(uow_factory, seed):
    employer = seed.employer()
    oldest = seed.job(employer.id, created_at=T0 - timedelta(days=1))
    first_at_t0 = seed.job(employer.id, created_at=T0)
    newest = seed.job(employer.id, created_at=T0 + timedelta(microseconds=1))
    second_at_t0 = seed.job(employer.id, created_at=T0)
    with uow_factory(read_only=True) as uow:
        page = uow.jobs.list(employer.id, None, PageRequest())
    assert _ids(page) == [newest.id, second_at_t0.id, first_at_t0.id, oldest.id]
    assert page.items[0] == newest
    assert page.total == 4


def test_list_pages_through_every_job_once(uow_factory, seed):
    employer = seed.employer()
    jobs = [seed.job(employer.id, created_at=T0 + timedelta(minutes=n)) for n in range(5)]
    newest_first = [job.id for job in reversed(jobs)]
    with uow_factory(read_only=True) as uow:
        pages = [uow.jobs.list(employer.id, None, PageRequest(n, 2)) for n in (1, 2, 3, 4)]
    assert [_ids(page) for page in pages] == [newest_first[:2], newest_first[2:4],
                                              newest_first[4:], []]
    assert [page.total for page in pages] == [5, 5, 5, 5]
    assert [page.request for page in pages] == [PageRequest(n, 2) for n in (1, 2, 3, 4)]


def test_list_filters_by_status_and_counts_only_the_matches(uow_factory, seed):
    employer = seed.employer()
    drafts = [seed.job(employer.id, created_at=T0 + timedelta(minutes=n)) for n in range(3)]
    active = [
        seed.save_job(_published(seed.job(employer.id, created_at=T0 + timedelta(hours=n)),
                                 T0 + timedelta(days=1), days=30))
        for n in range(1, 4)
    ]
    inactive = seed.save_job(drafts[0].deactivate(T0 + timedelta(days=1)))
    with uow_factory(read_only=True) as uow:
        active_page = uow.jobs.list(employer.id, JobStatus.ACTIVE, PageRequest(1, 2))
        draft_page = uow.jobs.list(employer.id, JobStatus.DRAFT, PageRequest())
        inactive_page = uow.jobs.list(employer.id, JobStatus.INACTIVE, PageRequest())
        expired_page = uow.jobs.list(employer.id, JobStatus.EXPIRED, PageRequest(2, 10))
    assert (_ids(active_page), active_page.total) == ([active[2].id, active[1].id], 3)
    assert (_ids(draft_page), draft_page.total) == ([drafts[2].id, drafts[1].id], 2)
    assert inactive_page.items == [inactive]
    assert (_ids(expired_page), expired_page.total) == ([], 0)


def test_list_holds_only_the_employers_own_jobs(uow_factory, seed):
    acme, other, empty = seed.employer("Acme"), seed.employer("Other"), seed.employer("Empty")
    mine = seed.job(acme.id)
    seed.job(other.id, created_at=T0 + timedelta(days=1))
    with uow_factory(read_only=True) as uow:
        assert _ids(uow.jobs.list(acme.id, None, PageRequest())) == [mine.id]
        nothing = uow.jobs.list(empty.id, None, PageRequest(3, 10))
    assert (list(nothing.items), nothing.total) == ([], 0)


def test_a_numbered_page_says_how_many_come_before_and_whether_more_follow(uow_factory, seed):
    employer = seed.employer()
    for n in range(5):
        seed.job(employer.id, created_at=T0 + timedelta(minutes=n))
    with uow_factory(read_only=True) as uow:
        pages = [uow.jobs.list(employer.id, None, PageRequest(n, 2)) for n in (1, 3, 4)]
    assert [(page.skipped, page.more, page.number) for page in pages] == [
        (0, True, 1), (4, False, 3), (6, False, 4)
    ]


def test_pages_after_a_position_walk_every_job_once_with_ties_by_id(uow_factory, seed):
    employer = seed.employer()
    made = [seed.job(employer.id, created_at=T0 + timedelta(minutes=n // 2)) for n in range(5)]
    newest_first = [job.id for job in sorted(made, key=lambda j: (j.created_at, j.id),
                                             reverse=True)]
    walked, seen = [], []
    with uow_factory(read_only=True) as uow:
        page = uow.jobs.list(employer.id, None, PageRequest(1, 2))
        walked.append((page.skipped, page.more, page.number, page.total))
        seen += _ids(page)
        while page.more:
            after = page.items[-1].position
            page = uow.jobs.list(employer.id, None, PageRequest(page_size=2, after=after))
            walked.append((page.skipped, page.more, page.number, page.total))
            seen += _ids(page)
    assert seen == newest_first
    assert walked == [(0, True, 1, 5), (2, True, 2, 5), (4, False, 3, 5)]


def test_jobs_created_or_closed_between_pages_neither_repeat_nor_skip_a_row(uow_factory, seed):
    employer = seed.employer()
    made = [seed.job(employer.id, created_at=T0 + timedelta(minutes=n)) for n in range(6)]
    with uow_factory(read_only=True) as uow:
        first = uow.jobs.list(employer.id, None, PageRequest(1, 2))
    seed.job(employer.id, created_at=T0 + timedelta(hours=1))
    seed.save_job(made[0].deactivate(T0 + timedelta(hours=1)))
    seed.save_job(made[4].deactivate(T0 + timedelta(hours=1)))
    with uow_factory(read_only=True) as uow:
        rest = uow.jobs.list(employer.id, None,
                             PageRequest(page_size=10, after=first.items[-1].position))
        drafts_after = uow.jobs.list(employer.id, JobStatus.DRAFT,
                                     PageRequest(page_size=10, after=first.items[-1].position))
    assert _ids(first) + _ids(rest) == [job.id for job in reversed(made)]
    assert (rest.skipped, rest.total, rest.more) == (3, 7, False)
    assert _ids(drafts_after) == [made[3].id, made[2].id, made[1].id]


def test_a_page_after_the_last_position_is_empty_and_counts_everything_before(
    uow_factory, seed
):
    employer = seed.employer()
    only = seed.job(employer.id)
    with uow_factory(read_only=True) as uow:
        past = uow.jobs.list(employer.id, None, PageRequest(page_size=5, after=only.position))
        before_all = uow.jobs.list(
            employer.id, None, PageRequest(after=Position(T0 + timedelta(days=1), 1))
        )
        nothing = uow.jobs.list(employer.id, JobStatus.ACTIVE,
                                PageRequest(after=only.position))
    assert (list(past.items), past.total, past.skipped, past.more) == ([], 1, 1, False)
    assert (_ids(before_all), before_all.skipped, before_all.number) == ([only.id], 0, 1)
    assert (list(nothing.items), nothing.total, nothing.skipped) == ([], 0, 0)


def test_a_position_never_reaches_another_employers_jobs(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    mine = seed.job(acme.id)
    theirs = seed.job(other.id, created_at=T0 - timedelta(days=1))
    with uow_factory(read_only=True) as uow:
        page = uow.jobs.list(acme.id, None, PageRequest(after=theirs.position))
        after_mine = uow.jobs.list(acme.id, None, PageRequest(after=mine.position))
    assert (list(page.items), page.total) == ([], 1)
    assert list(after_mine.items) == []


def test_list_filters_by_exact_reference(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.job(acme.id, content=attrs.evolve(CONTENT, reference="REQ-1"))
    again = seed.job(acme.id, created_at=T0 + timedelta(minutes=1),
                     content=attrs.evolve(CONTENT, reference="REQ-1"))
    seed.job(acme.id, content=attrs.evolve(CONTENT, reference="req-1"))
    seed.job(acme.id)
    seed.job(other.id, content=attrs.evolve(CONTENT, reference="REQ-1"))
    with uow_factory(read_only=True) as uow:
        found = uow.jobs.list(acme.id, None, PageRequest(), reference="REQ-1")
        drafts = uow.jobs.list(acme.id, JobStatus.DRAFT, PageRequest(1, 1), reference="REQ-1")
        missing = uow.jobs.list(acme.id, None, PageRequest(), reference="REQ-2")
    assert (_ids(found), found.total) == ([again.id, first.id], 2)
    assert (_ids(drafts), drafts.total, drafts.more) == ([again.id], 2, True)
    assert (list(missing.items), missing.total) == ([], 0)


def test_list_filters_by_update_time_inclusively(uow_factory, seed):
    employer = seed.employer()
    untouched = seed.job(employer.id, created_at=T0)
    edited = seed.save_job(
        seed.job(employer.id, created_at=T0).edit({"title": "CTO"}, T0 + timedelta(hours=1))
    )
    closed = seed.save_job(
        seed.job(employer.id, created_at=T0 - timedelta(days=1)).deactivate(
            T0 + timedelta(hours=2)
        )
    )
    with uow_factory(read_only=True) as uow:
        since_hour = uow.jobs.list(employer.id, None, PageRequest(),
                                   updated_since=T0 + timedelta(hours=1))
        since_start = uow.jobs.list(employer.id, None, PageRequest(), updated_since=T0)
        inactive = uow.jobs.list(employer.id, JobStatus.INACTIVE, PageRequest(),
                                 updated_since=T0 + timedelta(hours=1))
        paged = uow.jobs.list(employer.id, None,
                              PageRequest(page_size=1, after=edited.position),
                              updated_since=T0 + timedelta(hours=1))
        later = uow.jobs.list(employer.id, None, PageRequest(),
                              updated_since=T0 + timedelta(hours=2, microseconds=1))
    assert _ids(since_hour) == [edited.id, closed.id]
    assert _ids(since_start) == [edited.id, untouched.id, closed.id]
    assert _ids(inactive) == [closed.id]
    assert (_ids(paged), paged.skipped, paged.more) == ([closed.id], 1, False)
    assert list(later.items) == []


def test_due_to_expire_returns_active_jobs_past_expiry_soonest_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    posted = T0 + timedelta(days=1)

    def active(employer_id: int, days: int) -> JobPost:
        return seed.save_job(_published(seed.job(employer_id), posted, days))

    later = active(acme.id, days=3)
    sooner = active(other.id, days=2)
    same_as_later = active(acme.id, days=3)
    active(acme.id, days=30)
    seed.job(acme.id)
    seed.save_job(active(acme.id, days=1).deactivate(posted))
    expired_already = active(acme.id, days=1)
    seed.save_job(expired_already.expire(posted + timedelta(days=1)))
    now = posted + timedelta(days=3)
    with uow_factory() as uow:
        assert list(uow.jobs.due_to_expire(now, 10)) == [sooner, later, same_as_later]
        assert list(uow.jobs.due_to_expire(now, 2)) == [sooner, later]
        assert list(uow.jobs.due_to_expire(now - timedelta(microseconds=1), 10)) == [sooner]


def test_for_update_serialises_read_modify_write_so_no_change_is_lost(uow_factory, seed):
    employer = seed.employer()
    job = seed.job(employer.id, content=attrs.evolve(CONTENT, salary_min=0))
    threads, rounds = 6, 5

    def add_one_each_round():
        for _ in range(rounds):
            with uow_factory() as uow:
                current = uow.jobs.get(employer.id, job.id, for_update=True)
                uow.jobs.save(current.edit({"salary_min": current.content.salary_min + 1}, T0))
                uow.commit()

    with ThreadPoolExecutor(threads) as pool:
        for running in [pool.submit(add_one_each_round) for _ in range(threads)]:
            running.result()
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.get(employer.id, job.id).content.salary_min == threads * rounds


def _open_ids(uow_factory, now, search=None, page=None):
    with uow_factory(read_only=True) as uow:
        found = uow.jobs.list_open(now, search or OpenJobSearch(), page or PageRequest())
    return [job.id for job in found.items], found.total


def test_the_open_list_holds_every_employers_active_unexpired_jobs_newest_posted_first(
    uow_factory, seed
):
    acme, globex = seed.employer(), seed.employer()
    older = seed.save_job(_published(seed.job(acme.id), T0, 30))
    newer = seed.save_job(_published(seed.job(globex.id), T0 + timedelta(hours=1), 30))
    tied = seed.save_job(_published(seed.job(acme.id), T0 + timedelta(hours=1), 30))
    seed.job(acme.id)
    closing = seed.save_job(_published(seed.job(globex.id), T0, 1))
    seed.save_job(_published(seed.job(acme.id), T0, 30).deactivate(T0))
    now = T0 + timedelta(days=1)
    assert _open_ids(uow_factory, now) == ([tied.id, newer.id, older.id], 3)
    assert closing.expiry_date == now
    assert _open_ids(uow_factory, now, page=PageRequest(2, 2)) == ([older.id], 3)
    assert _open_ids(uow_factory, now, page=PageRequest(3, 2)) == ([], 3)


def test_the_open_list_matches_every_word_in_title_or_description_and_the_country(
    uow_factory, seed
):
    employer = seed.employer()

    def posted(title: str, description: str, country: str | None) -> JobPost:
        content = attrs.evolve(CONTENT, title=title, description=description, country=country)
        return seed.save_job(_published(seed.job(employer.id, content=content), T0, 30))

    cloud = posted("Head of Cloud", "AWS and 100%_remote", "United Kingdom")
    desk = posted("Service Desk Lead", "Run the desk; some cloud work", "united kingdom")
    posted("Network Manager", "Cisco", "Germany")
    now = T0 + timedelta(hours=1)

    def found(words: str = "", country: str = "") -> list[int]:
        return sorted(_open_ids(uow_factory, now, OpenJobSearch.of(words, country))[0])

    assert found("CLOUD") == sorted([cloud.id, desk.id])
    assert found("cloud aws") == [cloud.id]
    assert found("100%_remote") == [cloud.id]
    assert found("100%") == [cloud.id]
    assert found("1_0") == []
    assert found("%") == [cloud.id]
    assert found(country="UNITED KINGDOM") == sorted([cloud.id, desk.id])
    assert found("desk", "United Kingdom") == [desk.id]
    assert found("desk", "Germany") == []
    assert found("of cloud") == [cloud.id]


def test_open_countries_are_distinct_in_lower_case_order(uow_factory, seed):
    employer = seed.employer()
    for country in ("Zambia", "germany", "Germany", "Åland Islands", None, "Zambia"):
        content = attrs.evolve(CONTENT, country=country)
        seed.save_job(_published(seed.job(employer.id, content=content), T0, 30))
    seed.job(employer.id, content=attrs.evolve(CONTENT, country="Draftland"))
    with uow_factory(read_only=True) as uow:
        assert uow.jobs.open_countries(T0 + timedelta(hours=1)) == [
            "Germany", "germany", "Zambia", "Åland Islands",
        ]
        assert uow.jobs.open_countries(T0 + timedelta(days=31)) == []

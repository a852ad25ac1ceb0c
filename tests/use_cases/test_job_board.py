"""The public job board through the real composition root, on every backend: which jobs are
open, applying with a CV file or pasted text, the candidate profile an application makes
or updates (searchable at once), the event, and the limits a stranger meets."""

import json
from datetime import timedelta

import attrs
import pytest

from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, NoCredits, NotFound
from itmj_domain.jobs import ApplyMethod, JobContent, OpenJobSearch
from itmj_domain.pagination import PageRequest
from itmj_domain.search import SearchUnavailable
from itmj_domain.services.cv_search import SearchRequest
from itmj_domain.services.job_board import (
    APPLICANT_SOURCE,
    APPLICATIONS_PER_ADDRESS,
    MAX_CV_BYTES,
    AlreadyApplied,
    ApplicationForm,
)
from itmj_domain.services.portal_accounts import TooManyAttempts
from itmj_domain.webhooks.subscriptions import EventType
from tests.adapters.receiver import Receiver
from tests.documents import docx_with, pdf_with
from tests.refusals import refused
from tests.use_cases.test_webhooks import active_job, candidate

HERE = "203.0.113.7"


def form(**changes) -> ApplicationForm:
    return attrs.evolve(ApplicationForm(
        name="Grace Hopper", email="grace@navy.example", phone="+1 202 555 0100",
        cover_note="I wrote the first compiler.", cv_file=pdf_with(
            "Grace Hopper", "COBOL, compilers and quasarflux migrations",
        ), cv_text="",
    ), **changes)


def job_of(services, employer_id: int, **content):
    job = active_job(services, employer_id)
    if content:
        job = services.jobs.edit(employer_id, job.id, content)
    return job


def search_ids(services, employer_id: int, query: str) -> list[int]:
    result = services.cv_search.search(employer_id, SearchRequest(query))
    return [item.id for item in result.items]


def stored(services):
    with services.uow(read_only=True) as uow:
        return uow.candidates.batch_after(0, 1000)


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme")


def test_the_board_lists_every_employers_open_jobs_newest_first(services, clock, employer):
    rival = services.accounts.create_employer("Rival")
    older = job_of(services, employer.id, title="Head of IT", country="Germany")
    clock.advance(timedelta(minutes=1))
    newer = job_of(services, rival.id, title="CTO", description="Cloud first.",
                   country="United Kingdom")
    services.jobs.create(employer.id, JobContent(
        title="Draft", description="Not yet.", employment_type=newer.content.employment_type,
        remote_type=newer.content.remote_type, apply_method=ApplyMethod.PORTAL_APPLY,
    ))
    closed = job_of(services, rival.id)
    services.jobs.deactivate(rival.id, closed.id)
    found = services.job_board.search(OpenJobSearch(), PageRequest(1, 20))
    assert [(o.job.id, o.employer_name) for o in found.items] == [
        (newer.id, "Rival"), (older.id, "Acme"),
    ]
    assert found.total == 2
    cloud = services.job_board.search(OpenJobSearch.of("CLOUD", ""), PageRequest())
    assert [o.job.id for o in cloud.items] == [newer.id]
    german = services.job_board.search(OpenJobSearch.of("", "germany"), PageRequest())
    assert [o.job.id for o in german.items] == [older.id]
    assert services.job_board.countries() == ["Germany", "United Kingdom"]


def test_a_job_past_its_expiry_leaves_the_board_before_the_sweep_marks_it(
    services, clock, employer
):
    job = job_of(services, employer.id)
    assert services.job_board.job(job.id).job == job
    clock.advance(timedelta(days=30))
    with refused(NotFound):
        services.job_board.job(job.id)
    assert services.job_board.search(OpenJobSearch(), PageRequest()).total == 0
    with refused(NotFound):
        services.job_board.apply(job.id, form(), HERE)


def test_drafts_closed_and_missing_jobs_are_not_found_alike(services, employer):
    job = job_of(services, employer.id)
    draft = services.jobs.create(employer.id, job.content)
    services.jobs.deactivate(employer.id, job.id)
    messages = set()
    for job_id in (job.id, draft.id, 999_999):
        with refused(NotFound) as raised:
            services.job_board.job(job_id)
        messages.add(raised.value.message.replace(str(job_id), "N"))
    assert messages == {"job N not found"}


def test_a_search_takes_at_most_ten_words_of_two_hundred_characters():
    assert OpenJobSearch.of("  Cloud  cloud AWS ", " Germany ") == OpenJobSearch(
        ("cloud", "aws"), "Germany"
    )
    with refused(InvalidInput, field="keywords"):
        OpenJobSearch.of(" ".join(f"w{i}" for i in range(11)), "")
    with refused(InvalidInput, field="keywords"):
        OpenJobSearch.of("x" * 201, "")


def test_applying_makes_the_profile_the_application_and_the_event_at_once(
    services, clock, employer
):
    job = job_of(services, employer.id)
    with Receiver() as receiver:
        services.webhooks.subscribe(employer.id, receiver.url,
                                    frozenset({EventType.APPLICATION_SUBMITTED}))
        application = services.job_board.apply(job.id, form(), HERE)
    [received] = receiver.received
    body = json.loads(received.body)
    assert body["event"] == "application.submitted"
    assert body["data"] == {
        "applicationId": application.id, "jobPostId": job.id, "jobTitle": job.content.title,
        "candidateId": application.candidate_id,
        "appliedAt": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "applicationType": "PortalApply", "reference": job.content.reference,
    }
    [profile] = stored(services)
    assert profile.id == application.candidate_id
    assert profile.external_id == f"{APPLICANT_SOURCE}{profile.id}"
    assert (profile.full_name, profile.email, profile.phone) == (
        "Grace Hopper", "grace@navy.example", "+1 202 555 0100",
    )
    assert profile.summary == "Grace Hopper\nCOBOL, compilers and quasarflux migrations"
    assert profile.last_active_at == clock.now()
    applicant = services.applications.get(employer.id, job.id, application.id).applicant
    assert applicant.cover_note == "I wrote the first compiler."
    assert applicant.cv_text == profile.summary
    searcher = services.accounts.create_employer("Searcher")
    services.credits.grant(searcher.id, CreditKind.CV_SEARCH, 1)
    assert search_ids(services, searcher.id, "quasarflux") == [profile.id]


def test_a_docx_or_pasted_cv_does_as_well(services, employer):
    job = job_of(services, employer.id)
    from_docx = services.job_board.apply(
        job.id, form(email="ada@example.com", cv_file=docx_with("Ada", "Analytical engines")),
        HERE,
    )
    pasted = services.job_board.apply(job.id, form(
        email="alan@example.com", cv_file=None, cv_text="  Alan\n\n\n\nComputable   numbers ",
    ), HERE)
    texts = {a.id: services.applications.get(employer.id, job.id, a.id).applicant.cv_text
             for a in (from_docx, pasted)}
    assert texts == {from_docx.id: "Ada\nAnalytical engines",
                     pasted.id: "Alan\n\nComputable numbers"}


def test_a_known_email_updates_that_profile_which_keeps_its_source_and_visibility(
    services, clock, employer
):
    known = candidate(services, clock, hidden=True)
    job = job_of(services, employer.id)
    clock.advance(timedelta(days=1))
    application = services.job_board.apply(
        job.id, form(email="PAT@example.com", phone="", cv_file=None, cv_text="New CV"), HERE,
    )
    assert application.candidate_id == known
    [profile] = stored(services)
    assert (profile.external_id, profile.hidden) == (f"ext-{known}", True)
    assert (profile.full_name, profile.phone, profile.summary) == ("Grace Hopper", None,
                                                                   "New CV")
    assert profile.last_active_at == clock.now()


def test_a_second_application_to_the_job_changes_nothing(services, clock, employer):
    job = job_of(services, employer.id)
    first = services.job_board.apply(job.id, form(), HERE)
    before = stored(services)
    clock.advance(timedelta(hours=1))
    with Receiver() as receiver:
        services.webhooks.subscribe(employer.id, receiver.url,
                                    frozenset({EventType.APPLICATION_SUBMITTED}))
        with refused(AlreadyApplied) as raised:
            services.job_board.apply(job.id, form(name="Someone Else", cv_file=None,
                                                  cv_text="Another CV"), HERE)
    assert raised.value.application == first
    assert receiver.received == []
    assert stored(services) == before
    listed = services.applications.list_for_job(employer.id, job.id, None, PageRequest())
    assert [a.id for a in listed.items] == [first.id]
    other_job = job_of(services, employer.id)
    assert services.job_board.apply(other_job.id, form(), HERE).candidate_id == (
        first.candidate_id
    )


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"email": "grace"}, "email"),
    ({"phone": "1" * 51}, "phone"),
    ({"cover_note": "x" * 2_001}, "cover_note"),
    ({"cv_file": None}, "cv"),
    ({"cv_text": "Both"}, "cv"),
    ({"cv_file": None, "cv_text": "x" * 20_001}, "cv"),
    ({"cv_file": b"%PDF-" + b"x" * MAX_CV_BYTES}, "cv"),
    ({"cv_file": b"Just text, named cv.pdf by its sender"}, "cv"),
    ({"cv_file": pdf_with()}, "cv"),
])
def test_a_form_that_breaks_a_rule_changes_nothing(services, employer, changes, field):
    job = job_of(services, employer.id)
    with refused(InvalidInput, field=field):
        services.job_board.apply(job.id, form(**changes), HERE)
    assert stored(services) == []
    assert services.applications.list_for_job(employer.id, job.id, None,
                                              PageRequest()).total == 0


def test_a_long_file_keeps_its_beginning_and_a_paste_at_the_limit_is_taken(services, employer):
    job = job_of(services, employer.id)
    lines = [f"Line {n} of a very long career in information technology" for n in range(900)]
    long_file = services.job_board.apply(job.id, form(cv_file=docx_with(*lines)), HERE)
    text = services.applications.get(employer.id, job.id, long_file.id).applicant.cv_text
    assert text is not None and len(text) <= 20_000
    assert text.startswith("Line 0 of") and "Line 899" not in text
    at_limit = services.job_board.apply(
        job.id, form(email="x@example.com", cv_file=None, cv_text="x" * 20_000), HERE
    )
    assert at_limit.applicant.cv_text == "x" * 20_000


def test_only_portal_apply_jobs_take_applications_here(services, employer):
    job = job_of(services, employer.id, apply_method=ApplyMethod.URL_APPLY,
                 apply_url="https://ats.example.com/apply")
    assert services.job_board.job(job.id).job.id == job.id
    with refused(NotFound):
        services.job_board.apply(job.id, form(), HERE)


def test_an_address_applies_a_limited_number_of_times(services, employer):
    jobs = [job_of(services, employer.id).id for _ in range(2)]
    for n in range(APPLICATIONS_PER_ADDRESS.limit):
        services.job_board.apply(jobs[n % 2], form(email=f"p{n}@example.com"), HERE)
    with refused(TooManyAttempts) as raised:
        services.job_board.apply(jobs[0], form(email="late@example.com"), HERE)
    assert raised.value.retry_after_seconds > 0
    assert services.job_board.apply(jobs[0], form(email="late@example.com"),
                                    "198.51.100.1").id > 0
    with refused(InvalidInput, field="email"):
        services.job_board.apply(jobs[0], form(email="bad"), HERE)


def test_applicants_reach_the_employer_applied_to_and_search_keeps_its_unlock_and_credit(
    services, employer
):
    job = job_of(services, employer.id)
    application = services.job_board.apply(job.id, form(), HERE)
    listed = services.applications.list_for_job(employer.id, job.id, None, PageRequest())
    assert [a.applicant.email for a in listed.items] == ["grace@navy.example"]
    rival = services.accounts.create_employer("Rival")
    with refused(NotFound):
        services.applications.get(rival.id, job.id, application.id)
    with refused(NotFound):
        services.applications.list_for_job(rival.id, job.id, None, PageRequest())
    for searcher in (employer, rival):
        services.credits.grant(searcher.id, CreditKind.CV_SEARCH, 1)
        [row] = services.cv_search.search(searcher.id, SearchRequest("quasarflux")).items
        assert (row.id, row.masked_name, row.is_unlocked) == (
            application.candidate_id, "G*** H***", False,
        )
        assert services.credits.balance(searcher.id).available(CreditKind.CV_SEARCH) == 0
        with refused(NoCredits):
            services.cv_search.view(searcher.id, application.candidate_id)
        services.credits.grant(searcher.id, CreditKind.CV_DOWNLOAD, 1)
        view = services.cv_search.view(searcher.id, application.candidate_id)
        assert view.candidate.email == "grace@navy.example"
        assert services.credits.balance(searcher.id).available(CreditKind.CV_DOWNLOAD) == 0



class _DownIndex:
    """A search backend that cannot be reached, as the Elasticsearch adapter reports one."""

    def upsert(self, *_args: object) -> None:
        raise SearchUnavailable("down")

    def remove(self, *_args: object) -> None:
        raise SearchUnavailable("down")

    def search(self, *_args: object) -> None:
        raise SearchUnavailable("down")


class _RecordingTasks:
    """Takes the indexing task that the application leaves for later."""

    def __init__(self) -> None:
        self.indexed: list[list[int]] = []

    def dispatch(self) -> None:
        pass

    def index_candidates(self, candidate_ids) -> None:
        self.indexed.append(list(candidate_ids))


def test_a_search_backend_that_is_down_takes_the_profile_later_and_the_application_stands(
    make_services,
):
    tasks = _RecordingTasks()
    services = make_services(candidate_index=_DownIndex(), task_queue=tasks)
    employer = services.accounts.create_employer("Acme")
    job = job_of(services, employer.id)
    application = services.job_board.apply(job.id, form(), HERE)
    assert tasks.indexed == [[application.candidate_id]]
    assert services.applications.get(employer.id, job.id, application.id) == application

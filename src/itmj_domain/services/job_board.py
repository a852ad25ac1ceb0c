"""The public job board (SPEC §11 "Public job pages"): every employer's open jobs, and
applying to a PortalApply job without an account.

An application matches the candidate profile by email, creating it or updating it with the
name, phone and CV sent, and records the application and its ``application.submitted`` event,
all in one unit of work. The CV's text then goes into the search index at once, in this
process, through the same refresh as every other change of a candidate; a reindex, like
anything else that reads candidates, finds it in the database.

What a stranger can make the platform do is bounded: a form is checked before anything is
counted, an address may apply ``APPLICATIONS_PER_ADDRESS`` times, and only then is a file
read; a second application of one candidate to one job changes nothing.
"""

import re
from collections.abc import Sequence
from datetime import datetime

import attrs

from itmj_domain.accounts import check_email, check_name
from itmj_domain.applications import (
    MAX_APPLICANT_PHONE,
    MAX_COVER_NOTE,
    MAX_CV_TEXT,
    Applicant,
    Application,
)
from itmj_domain.candidates import Candidate
from itmj_domain.clock import Clock
from itmj_domain.errors import DomainError, InvalidInput, NotFound
from itmj_domain.jobs import ApplyMethod, JobPost, OpenJobSearch
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import CvReader, TaskQueue, UnitOfWork, UnitOfWorkFactory
from itmj_domain.rate_limits import RateLimiter, RateLimitPolicy
from itmj_domain.search import SearchUnavailable
from itmj_domain.services.applications import file_application
from itmj_domain.services.candidates import CandidateIndexing
from itmj_domain.services.portal_accounts import TooManyAttempts

MAX_CV_BYTES = 5 * 1024 * 1024
# The external id of a profile an application made: the platform is its source system.
APPLICANT_SOURCE = "itmj-applicant-"
# A person applies to a handful of jobs in a sitting; an office or a campus shares an address.
APPLICATIONS_PER_ADDRESS = RateLimitPolicy("apply-address", limit=20, period_seconds=60 * 60)
# Runs of spaces and tabs, and of blank lines, as text extraction leaves them: collapsed, so
# that the limit counts words rather than layout.
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


class AlreadyApplied(DomainError):
    """The candidate has applied to this job before; ``application`` is that application."""

    def __init__(self, application: Application) -> None:
        super().__init__(
            f"candidate {application.candidate_id} has already applied to job "
            f"{application.job_id}"
        )
        self.application = application


@attrs.frozen
class ApplicationForm:
    """What the apply form sends. The CV comes as a file (``cv_file``, PDF or DOCX) or
    pasted (``cv_text``), exactly one of the two."""

    name: str
    email: str
    phone: str
    cover_note: str
    cv_file: bytes | None
    cv_text: str


@attrs.frozen
class OpenJob:
    """A job as the public pages show it: with the name of the employer offering it."""

    job: JobPost
    employer_name: str


@attrs.frozen
class JobBoard:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue
    indexing: CandidateIndexing
    cv_reader: CvReader
    # None only where limits are switched off (the benchmark, the browser tests).
    limiter: RateLimiter | None = None

    def search(self, search: OpenJobSearch, page: PageRequest) -> Page[OpenJob]:
        with self.uow(read_only=True) as uow:
            found = uow.jobs.list_open(self.clock.now(), search, page)
            return Page([_offered(uow, job) for job in found.items], found.total, page)

    def countries(self) -> Sequence[str]:
        """The countries the open jobs are in, for the list's filter."""
        with self.uow(read_only=True) as uow:
            return uow.jobs.open_countries(self.clock.now())

    def job(self, job_id: int) -> OpenJob:
        """An open job; a draft, an expired, an inactive and a missing one are all
        ``NotFound``, alike."""
        with self.uow(read_only=True) as uow:
            return _offered(uow, _open_job(uow, job_id, self.clock))

    def apply(self, job_id: int, form: ApplicationForm, address: str) -> Application:
        """Apply to the open PortalApply job ``job_id`` from ``address``. Raises
        ``InvalidInput`` for a form that breaks a rule, ``TooManyAttempts`` once the address
        has applied too often, ``NotFound`` for a job that is not open or takes no
        applications here, and ``AlreadyApplied`` when the email's candidate has applied
        to the job before; each leaves everything as it was."""
        applicant = _checked(form)
        with self.uow(read_only=True) as uow:
            _portal_job(uow, job_id, self.clock)
        self._limit(address)
        if form.cv_file is not None:
            # A long file keeps its beginning: its owner cannot shorten it as they can a paste.
            text = _collapsed(self.cv_reader.text_of(form.cv_file))[:MAX_CV_TEXT].strip()
            applicant = attrs.evolve(applicant, cv_text=_non_blank(text))
        now = self.clock.now()
        with self.uow() as uow:
            # Held until the commit: of two applications of one candidate at once, the second
            # finds the first.
            job = _portal_job(uow, job_id, self.clock, for_update=True)
            existing = uow.candidates.find_by_email(applicant.email)
            if existing is not None:
                earlier = uow.applications.find_for_candidate(job.id, existing.id)
                if earlier is not None:
                    raise AlreadyApplied(earlier)
            candidate = _upsert_candidate(uow, existing, applicant, now)
            application = file_application(
                uow, job, candidate.id, applicant, ApplyMethod.PORTAL_APPLY, now
            )
            uow.commit()
        self.tasks.dispatch()
        self._index(candidate.id)
        return application

    def _limit(self, address: str) -> None:
        if self.limiter is None:
            return
        decision = self.limiter.hit(APPLICATIONS_PER_ADDRESS, address)
        if not decision.allowed:
            raise TooManyAttempts(decision.retry_after_seconds, "applications")

    def _index(self, candidate_id: int) -> None:
        """Searchable before the answer goes back. A search backend that is down takes the
        change later, through the task queue, rather than failing an application that
        is already made."""
        try:
            self.indexing.refresh([candidate_id])
        except SearchUnavailable:
            self.tasks.index_candidates([candidate_id])


def _offered(uow: UnitOfWork, job: JobPost) -> OpenJob:
    employer = uow.employers.get(job.employer_id)
    assert employer is not None, "a job's employer is never deleted"
    return OpenJob(job, employer.name)


def _open_job(uow: UnitOfWork, job_id: int, clock: Clock, *, for_update: bool = False
              ) -> JobPost:
    job = uow.jobs.find(job_id)
    if job is not None and for_update:
        job = uow.jobs.get(job.employer_id, job_id, for_update=True)
    if job is None or not job.is_open(clock.now()):
        raise NotFound(f"job {job_id} not found")
    return job


def _portal_job(uow: UnitOfWork, job_id: int, clock: Clock, *, for_update: bool = False
                ) -> JobPost:
    job = _open_job(uow, job_id, clock, for_update=for_update)
    if job.content.apply_method is not ApplyMethod.PORTAL_APPLY:
        raise NotFound(f"job {job_id} takes no applications here")
    return job


def _checked(form: ApplicationForm) -> Applicant:
    """The applicant the form describes, its pasted CV included; raises ``InvalidInput``
    naming the field at fault. A file is only measured here: it is read once the form
    and the limit have passed."""
    name, email, phone = form.name.strip(), form.email.strip(), form.phone.strip()
    check_name(name)
    check_email(email)
    if len(phone) > MAX_APPLICANT_PHONE:
        raise InvalidInput(f"phone must be at most {MAX_APPLICANT_PHONE} characters",
                           field="phone")
    cover_note = form.cover_note.strip()
    if len(cover_note) > MAX_COVER_NOTE:
        raise InvalidInput(f"the cover note must be at most {MAX_COVER_NOTE} characters",
                           field="cover_note")
    pasted = _non_blank(_collapsed(form.cv_text)) if form.cv_text.strip() else None
    if form.cv_file is not None and pasted is not None:
        raise InvalidInput("upload your CV or paste it, not both", field="cv")
    if form.cv_file is None and pasted is None:
        raise InvalidInput("upload your CV as a PDF or DOCX file, or paste it", field="cv")
    if form.cv_file is not None and len(form.cv_file) > MAX_CV_BYTES:
        raise InvalidInput(f"a CV file must be at most {MAX_CV_BYTES // (1024 * 1024)} MB",
                           field="cv")
    if pasted is not None and len(pasted) > MAX_CV_TEXT:
        raise InvalidInput(f"a pasted CV must be at most {MAX_CV_TEXT:,} characters",
                           field="cv")
    return Applicant(name, email, phone or None, cover_note or None, pasted)


def _collapsed(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _non_blank(cv_text: str) -> str:
    """Raises ``InvalidInput`` when no text is left (a scanned PDF holds only pictures)."""
    if not cv_text:
        raise InvalidInput("no text could be read from this CV: paste it instead", field="cv")
    return cv_text


def _upsert_candidate(uow: UnitOfWork, existing: Candidate | None, applicant: Applicant,
                      now: datetime) -> Candidate:
    """Write the ``existing`` profile with the applicant's email brought up to date with
    what they sent, or a new one. A hidden profile stays hidden: staff hid it from search,
    and applying is not searching."""
    assert applicant.cv_text is not None, "the form was checked for a CV"
    if existing is not None:
        updated = attrs.evolve(
            existing, full_name=applicant.name, phone=applicant.phone or existing.phone,
            summary=applicant.cv_text, last_active_at=now,
        )
        uow.candidates.save(updated)
        return updated
    candidate_id = uow.candidates.next_id()
    created = Candidate(
        id=candidate_id, external_id=f"{APPLICANT_SOURCE}{candidate_id}",
        full_name=applicant.name, email=applicant.email, phone=applicant.phone, headline="",
        summary=applicant.cv_text, skills=(), city=None, country_id=None,
        preferred_country_ids=frozenset(), last_active_at=now,
    )
    uow.candidates.add(created)
    return created

"""Candidates apply to Active jobs; recruiters move applications along the pipeline.

Each change writes its event to the outbox in the same unit of work, then nudges the task
queue to relay it; if the nudge is lost, the periodic relay sweep still finds the event.
"""

from datetime import datetime

import attrs

from itmj_domain.applications import Applicant, Application, ApplicationStatus
from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidState, NotFound
from itmj_domain.events import ApplicationStatusChanged, ApplicationSubmitted, Event
from itmj_domain.jobs import ApplyMethod, JobPost, JobStatus
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import TaskQueue, UnitOfWork, UnitOfWorkFactory


def file_application(
    uow: UnitOfWork, job: JobPost, candidate_id: int, applicant: Applicant,
    application_type: ApplyMethod, now: datetime,
) -> Application:
    """Record the application and its ``application.submitted`` event in ``uow``."""
    application = Application(
        uow.applications.next_id(), job.employer_id, job.id, candidate_id, application_type,
        now, applicant=applicant,
    )
    uow.applications.add(application)
    uow.outbox.add(Event.record(job.employer_id, now, ApplicationSubmitted(
        application.id, job.id, job.content.title, candidate_id, now,
        application.application_type, job.content.reference,
    )))
    return application


@attrs.frozen
class Applications:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue

    def submit(
        self, job_id: int, candidate_id: int, application_type: ApplyMethod | None = None
    ) -> Application:
        """A known candidate applies (filed by platform staff, or a test); the application
        carries the candidate's name, email and phone as stored now. ``application_type``
        defaults to the job's apply method."""
        now = self.clock.now()
        with self.uow() as uow:
            job = uow.jobs.find(job_id)
            if job is None:
                raise NotFound(f"job {job_id} not found")
            if job.status is not JobStatus.ACTIVE:
                raise InvalidState(
                    f"only an Active job takes applications (job is {job.status.value})"
                )
            candidate = uow.candidates.get(candidate_id)
            if candidate is None or candidate.hidden:
                raise NotFound(f"candidate {candidate_id} not found")
            application = file_application(
                uow, job, candidate.id,
                Applicant(candidate.full_name, candidate.email, candidate.phone),
                application_type or job.content.apply_method, now,
            )
            uow.commit()
        self.tasks.dispatch()
        return application

    def move(
        self, application_id: int, to: ApplicationStatus, employer_id: int | None = None
    ) -> Application:
        """A recruiter of ``employer_id`` moves one of its applications (None: platform
        staff, who may move any)."""
        now = self.clock.now()
        with self.uow() as uow:
            current = uow.applications.get(application_id, for_update=True)
            if current is None or employer_id not in (None, current.employer_id):
                raise NotFound(f"application {application_id} not found")
            moved = current.move(to, now)
            uow.applications.save(moved)
            job = uow.jobs.get(moved.employer_id, moved.job_id)
            uow.outbox.add(Event.record(moved.employer_id, now, ApplicationStatusChanged(
                moved.id, current.status, moved.status, now, moved.job_id,
                None if job is None else job.content.reference,
            )))
            uow.commit()
        self.tasks.dispatch()
        return moved

    def get(self, employer_id: int, job_id: int, application_id: int) -> Application:
        with self.uow(read_only=True) as uow:
            application = uow.applications.get(application_id)
        if (
            application is None
            or application.employer_id != employer_id
            or application.job_id != job_id
        ):
            raise NotFound(f"application {application_id} not found")
        return application

    def list_for_job(
        self, employer_id: int, job_id: int, status: ApplicationStatus | None, page: PageRequest,
        *, updated_since: datetime | None = None,
    ) -> Page[Application]:
        with self.uow(read_only=True) as uow:
            if uow.jobs.get(employer_id, job_id) is None:
                raise NotFound(f"job {job_id} not found")
            return uow.applications.list_for_job(
                employer_id, job_id, status, page, updated_since=updated_since
            )

"""Jobs and their applications (``/employer/jobs``), for every member of the employer:
recruiters move applications along the pipeline, which notifies subscribed webhooks."""

import falcon

from itmj_domain.applications import ApplicationStatus, allowed_moves
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.jobs import JobStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.services.applications import Applications
from itmj_domain.services.job_posting import JobPosting
from itmj_http.portal.actions import act, page_number
from itmj_http.portal.context import PortalContext
from itmj_http.portal.guards import employer_user
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages, paging

JOBS_PATH = "/employer/jobs"
PAGE_SIZE = 25
# The order moves are offered in: forward along the pipeline first, rejection last.
_MOVE_ORDER = list(ApplicationStatus)


def _employer_id(req: falcon.Request) -> int:
    portal: PortalContext = req.context.portal
    assert portal.user is not None
    return portal.user.employer_id


@employer_user
class JobsPage(PortalResource):
    def __init__(self, jobs: JobPosting, pages: Pages) -> None:
        self._jobs = jobs
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        status_text = req.get_param("status") or ""
        status = next((s for s in JobStatus if s.value == status_text), None)
        found = self._jobs.list(
            _employer_id(req), status, PageRequest(page_number(req), PAGE_SIZE)
        )
        self._pages.render(
            req, resp, "employer/jobs.html", jobs=found.items, chosen=status,
            statuses=list(JobStatus), **paging(found),
        )


@employer_user
class JobPage(PortalResource):
    def __init__(self, jobs: JobPosting, applications: Applications, pages: Pages) -> None:
        self._jobs = jobs
        self._applications = applications
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: int) -> None:
        employer_id = _employer_id(req)
        try:
            job = self._jobs.get(employer_id, job_id)
            found = self._applications.list_for_job(
                employer_id, job_id, None, PageRequest(page_number(req), PAGE_SIZE)
            )
        except NotFound:
            raise falcon.HTTPNotFound() from None
        self._pages.render(
            req, resp, "employer/job.html", job=job,
            applications=[
                (a, sorted(allowed_moves(a.status), key=_MOVE_ORDER.index))
                for a in found.items
            ],
            **paging(found),
        )


@employer_user
class MoveApplication(PortalResource):
    def __init__(self, applications: Applications) -> None:
        self._applications = applications

    def on_post(self, req: falcon.Request, _resp: falcon.Response, job_id: int,
                application_id: int) -> None:
        portal: PortalContext = req.context.portal
        employer_id = _employer_id(req)

        def move():
            # The job in the address must be the application's: check it as the API does.
            self._applications.get(employer_id, job_id, application_id)
            return self._applications.move(
                application_id, _status(portal.form.get("to")), employer_id
            )

        act(req, f"{JOBS_PATH}/{job_id}", move,
            lambda moved: f"Application #{moved.id} is now {moved.status.value}.")


def _status(value: str) -> ApplicationStatus:
    try:
        return ApplicationStatus(value)
    except ValueError:
        raise InvalidInput("choose a status of the pipeline", field="to") from None

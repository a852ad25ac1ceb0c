"""Partners read the applications to their jobs: parse, call one use case, shape."""

from operator import attrgetter

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.applications import ApplicationStatus
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.applications import Applications
from itmj_http.application_json import ApplicationJson
from itmj_http.auth import employer_id
from itmj_http.list_query import list_query, next_page
from itmj_http.params import no_params, path_id
from itmj_http.responses import send_json


class ApplicationsResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, applications: Applications, shapes: ApplicationJson) -> None:
        self._applications = applications
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        job = path_id(job_id, "jobId")
        listing = f"jobs/{job}/applications"
        query = list_query(req, ApplicationStatus, listing)
        found = self._applications.list_for_job(
            employer_id(req), job, query.status, query.page, updated_since=query.updated_since
        )
        cursor = next_page(req, resp, query, found, attrgetter("position"), listing)
        send_json(resp, self._shapes.page(found, cursor))


class ApplicationResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, applications: Applications, shapes: ApplicationJson) -> None:
        self._applications = applications
        self._shapes = shapes

    def on_get(
        self, req: falcon.Request, resp: falcon.Response, job_id: str, application_id: str
    ) -> None:
        job = path_id(job_id, "jobId")
        wanted = path_id(application_id, "applicationId")
        no_params(req)
        application = self._applications.get(employer_id(req), job, wanted)
        send_json(resp, self._shapes.application(application))

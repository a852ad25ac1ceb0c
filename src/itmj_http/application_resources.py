"""Partners read the applications to their jobs: parse, call one use case, shape."""

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.applications import ApplicationStatus
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.applications import Applications
from itmj_http.application_json import ApplicationJson
from itmj_http.auth import employer_id
from itmj_http.params import list_params, no_params, path_id
from itmj_http.responses import send_json


class ApplicationsResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, applications: Applications, shapes: ApplicationJson) -> None:
        self._applications = applications
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        job = path_id(job_id, "jobId")
        page, status = list_params(req, ApplicationStatus)
        found = self._applications.list_for_job(employer_id(req), job, status, page)
        send_json(resp, self._shapes.page(found))


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

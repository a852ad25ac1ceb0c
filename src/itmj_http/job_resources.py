"""The Job Posting endpoints of SPEC §5: parse, call one use case, shape the answer."""

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.idempotency import StoredResponse
from itmj_domain.jobs import JobPost, JobStatus
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.job_posting import JobPosting, Paid
from itmj_http.auth import employer_id
from itmj_http.credit_resources import charge_headers
from itmj_http.idempotency import idempotent, json_answer, send
from itmj_http.job_json import JobJson, PublishRequest
from itmj_http.params import list_params, no_params, path_id
from itmj_http.request_body import json_object, required_object
from itmj_http.responses import send_json

JOBS_PATH = "/api/v1/jobs"


class JobsResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page, status = list_params(req, JobStatus)
        send_json(resp, self._shapes.page(self._jobs.list(employer_id(req), status, page)))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        content = self._shapes.content(required_object(req))
        job = self._jobs.create(employer_id(req), content, idempotent(req, self._created))
        send(resp, self._created(job))

    def _created(self, job: JobPost) -> StoredResponse:
        return json_answer(self._shapes.job(job), 201, (("Location", f"{JOBS_PATH}/{job.id}"),))


class JobResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        send_json(resp, self._shapes.job(self._jobs.get(employer_id(req), target)))

    def on_put(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        changes = self._shapes.changes(required_object(req))
        send_json(resp, self._shapes.job(self._jobs.edit(employer_id(req), target, changes)))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        job = self._jobs.deactivate(employer_id(req), target)
        send_json(resp, self._shapes.job(job))


class PublishResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        body = json_object(req)
        request = PublishRequest() if body is None else self._shapes.publish_request(body)
        published = self._jobs.publish_paid(
            employer_id(req), target, request.expiry_date, idempotent(req, self._published)
        )
        send(resp, self._published(published))

    def _published(self, published: Paid[JobPost]) -> StoredResponse:
        # Kept with the answer a retry gets again: the retry reports the one charge made.
        return json_answer(self._shapes.job(published.value), 200,
                           charge_headers(published.charge))


def _job_id(raw: str) -> int:
    return path_id(raw, "jobId")

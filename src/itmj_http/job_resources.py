"""The Job Posting endpoints of SPEC §5: parse, call one use case, shape the answer."""

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.idempotency import StoredResponse
from itmj_domain.jobs import JobPost, JobStatus
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.job_posting import JobPosting
from itmj_http import conditional
from itmj_http.auth import employer_id
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
        return json_answer(self._shapes.job(job), 201, (
            ("Location", f"{JOBS_PATH}/{job.id}"), (conditional.ETAG, conditional.etag(job)),
        ))


class JobResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        job = self._jobs.get(employer_id(req), target)
        if not conditional.not_modified(req, resp, job):
            _send_job(resp, self._shapes, job)

    def on_put(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        changes = self._shapes.changes(required_object(req))
        job = self._jobs.edit(employer_id(req), target, changes, conditional.if_match(req))
        _send_job(resp, self._shapes, job)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        job = self._jobs.deactivate(employer_id(req), target, conditional.if_match(req))
        _send_job(resp, self._shapes, job)


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
        job = self._jobs.publish(
            employer_id(req), target, request.expiry_date, idempotent(req, self._published),
            conditional.if_match(req),
        )
        send(resp, self._published(job))

    def _published(self, job: JobPost) -> StoredResponse:
        return json_answer(self._shapes.job(job), 200, (
            (conditional.ETAG, conditional.etag(job)),
        ))


def _send_job(resp: falcon.Response, shapes: JobJson, job: JobPost) -> None:
    send_json(resp, shapes.job(job))
    conditional.tag(resp, job)


def _job_id(raw: str) -> int:
    return path_id(raw, "jobId")

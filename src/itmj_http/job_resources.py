"""The Job Posting endpoints of SPEC §5: parse, call one use case, shape the answer."""

import functools
from operator import attrgetter

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.idempotency import StoredResponse
from itmj_domain.jobs import TEXT_LIMITS, JobPost, JobStatus
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.job_posting import JobPosting, Paid
from itmj_http import conditional
from itmj_http.auth import employer_id, read_job
from itmj_http.credit_resources import charge_headers
from itmj_http.idempotency import idempotent, json_answer, send
from itmj_http.job_json import JobJson, PublishRequest
from itmj_http.list_query import list_query, next_page
from itmj_http.params import no_params, path_id, single_param
from itmj_http.request_body import json_object, required_object
from itmj_http.responses import encode_json, send_encoded, send_json

JOBS_PATH = "/api/v1/jobs"
# What the job list's cursors are bound to.
JOBS_LISTING = "jobs"
_MAX_REFERENCE = TEXT_LIMITS["reference"]
# Jobs whose encoded body a process keeps for its next reads.
_KEPT_BODIES = 512


class JobsResource:
    scope = Scope.JOB_POSTING
    rate_limited = LimitedFamily.JOBS

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = list_query(req, JobStatus, JOBS_LISTING, frozenset({"reference"}))
        found = self._jobs.list(
            employer_id(req), query.status, query.page,
            reference=_reference(req), updated_since=query.updated_since,
        )
        cursor = next_page(req, resp, query, found, attrgetter("position"), JOBS_LISTING)
        send_json(resp, self._shapes.page(found, cursor))

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
    job_param = "job_id"

    def __init__(self, jobs: JobPosting, shapes: JobJson) -> None:
        self._jobs = jobs
        self._shapes = shapes
        # Every read of an unchanged job gets the same JobPost from either backend, so its
        # body is encoded once for it: shaping and encoding it was a twentieth of a read's CPU.
        self._body = functools.lru_cache(maxsize=_KEPT_BODIES)(self._encoded)

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        job = read_job(req, target) or self._jobs.get(employer_id(req), target)
        if not conditional.not_modified(req, resp, job):
            send_encoded(resp, self._body(job))
            conditional.tag(resp, job)

    def _encoded(self, job: JobPost) -> bytes:
        return encode_json(self._shapes.job(job))

    def on_put(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        target = _job_id(job_id)
        no_params(req)
        update = self._shapes.changes(required_object(req))
        job = self._jobs.edit(
            employer_id(req), target, update.content, update.expiry_date,
            conditional.if_match(req),
        )
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
        published = self._jobs.publish_paid(
            employer_id(req), target, request.expiry_date, idempotent(req, self._published),
            conditional.if_match(req),
        )
        send(resp, self._published(published))

    def _published(self, published: Paid[JobPost]) -> StoredResponse:
        # Kept with the answer a retry gets again: the retry reports the one charge made.
        return json_answer(self._shapes.job(published.value), 200, (
            (conditional.ETAG, conditional.etag(published.value)),
            *charge_headers(published.charge),
        ))


def _send_job(resp: falcon.Response, shapes: JobJson, job: JobPost) -> None:
    send_json(resp, shapes.job(job))
    conditional.tag(resp, job)


def _job_id(raw: str) -> int:
    return path_id(raw, "jobId")


def _reference(req: falcon.Request) -> str | None:
    """As a job's reference can be: 1 to 100 characters, none of them NUL (which PostgreSQL
    text cannot hold, so no reference has one)."""
    reference = single_param(req, "reference")
    if reference is not None and (
        not 1 <= len(reference) <= _MAX_REFERENCE or "\x00" in reference
    ):
        raise falcon.HTTPBadRequest(
            description=f"reference: expected 1 to {_MAX_REFERENCE} characters, without NUL"
        )
    return reference

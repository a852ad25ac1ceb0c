"""API key authentication (SPEC §4), keyed on the scope each resource declares.

Every resource states ``scope`` (``ScopedResource``, which mypy holds the API's routes to): the
``Scope`` a key needs, ``ANY_KEY`` when any valid key will do whatever its scopes (free
reference data), or None for the public health and OpenAPI endpoints. A resource that forgets
to declare one fails closed with a 500.

A resource that reads one job on GET names the path parameter that holds its id
(``job_param``): the key's lookup then reads that job too, in one statement, and
the resource takes it from ``job_read``.
"""

import logging
from typing import Protocol

import falcon

from itmj_domain.api_keys import ApiKey, Scope
from itmj_domain.jobs import JobPost
from itmj_domain.services.authentication import Admission, Authenticator, JobRead
from itmj_http.errors import ApiError
from itmj_http.params import optional_path_id

log = logging.getLogger(__name__)

_BEARER = "bearer"
_CHALLENGE = "Bearer"
# RFC 6750 §3.1: the holder of a real key that awaits approval is told why it is refused;
# every other refusal keeps the bare challenge, so it says nothing about the key.
PENDING_CHALLENGE = 'Bearer error="invalid_token", error_description="key pending approval"'


_NOBODY = Admission(None)


class AnyKey:
    """The scope of a resource that needs a valid key but no particular scope."""


ANY_KEY = AnyKey()


class ScopedResource(Protocol):
    """A resource as ``ApiKeyAuth`` reads it: every resource declares its ``scope``."""

    @property
    def scope(self) -> Scope | AnyKey | None: ...


class ApiKeyAuth:
    def __init__(self, authenticator: Authenticator) -> None:
        self._authenticator = authenticator

    def process_resource(
        self, req: falcon.Request, _resp: falcon.Response, resource: ScopedResource | None,
        params: dict,
    ) -> None:
        if resource is None:
            return
        scope = resource.scope
        if scope is None:
            return
        presented = _presented_key(req)
        job_id = _job_to_read(req, resource, params)
        admission = self._authenticator.admit(presented, job_id) if presented else _NOBODY
        key = admission.key
        if key is None:
            pending = admission.pending
            raise falcon.HTTPUnauthorized(
                challenges=[PENDING_CHALLENGE if pending else _CHALLENGE]
            )
        if isinstance(scope, Scope) and not key.allows(scope):
            raise ApiError(
                403, "forbidden", f"this API key does not have the {scope.value} scope"
            )
        req.context.api_key = key
        req.context.job_read = admission.job_read

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, _resource: object, _succeeded: bool
    ) -> None:
        # By status alone: an idempotent retry, answered again by an error handler, is a
        # successful call too.
        key: ApiKey | None = req.context.get("api_key")
        if key is None or resp.status_code >= 400:
            return
        try:
            self._authenticator.record_use(key)
        except Exception:
            # The partner's call already took effect; failing it now would invite a retry
            # of something that succeeded, for the sake of a bookkeeping timestamp.
            log.exception("could not record the use of API key %s", key.id)


def employer_id(req: falcon.Request) -> int:
    """The employer of the authenticated key: the only tenant a request can act for."""
    return req.context.api_key.employer_id


def read_job(req: falcon.Request, job_id: int) -> JobPost | None:
    """The job read with the key, if it was this one; None when it was not read."""
    read: JobRead | None = req.context.get("job_read")
    return read.found() if read is not None and read.job_id == job_id else None


def _job_to_read(req: falcon.Request, resource: object, params: dict) -> int | None:
    param = getattr(resource, "job_param", None)
    if param is None or req.method != "GET":
        return None
    return optional_path_id(params.get(param, ""))


def _presented_key(req: falcon.Request) -> str | None:
    authorization = req.get_header("Authorization")
    api_key = req.get_header("X-Api-Key")
    if authorization is not None and api_key is not None:
        return None
    if api_key is not None:
        return api_key.strip()
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == _BEARER else None

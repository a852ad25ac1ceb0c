"""Helpers shared by the HTTP suite: partners made through the services, as the portal
would make them, and snapshots of what a request could have changed."""

import functools
from datetime import datetime

import attrs
from falcon.testing import TestClient

from itmj_adapters.composition import Services, build_services
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.pagination import PageRequest
from itmj_http.app import create_app
from itmj_http.openapi import OPENAPI_PATH

JOBS = "/api/v1/jobs"
JOB_BODY = {
    "title": "IT Manager",
    "reference": "ATS-1234",
    "description": "Run the service desk and the infrastructure team.",
    "city": "Leeds",
    "country": "United Kingdom",
    "employmentType": "FullTime",
    "remoteType": "HybridRemote",
    "applyMethod": "EmailApply",
    "applyEmailAddress": "jobs@acme.example",
}


@attrs.frozen
class Partner:
    employer_id: int
    key_id: int
    key: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def new_partner(
    services: Services,
    credits: int = 0,
    scopes: frozenset[Scope] = frozenset({Scope.JOB_POSTING}),
    expires_at: datetime | None = None,
) -> Partner:
    """A trusted partner, so that its key is approved whatever its balance."""
    employer = services.accounts.create_employer("Acme Recruitment", trusted_partner=True)
    if credits:
        services.credits.grant(employer.id, CreditKind.JOB_POSTING, credits)
    minted = services.accounts.mint_key(employer.id, "ATS", scopes, expires_at=expires_at)
    return Partner(employer.id, minted.key.id, minted.plaintext)


def account_state(services: Services, employer_id: int) -> tuple:
    """Everything a request could change for an employer: its jobs and its ledger."""
    jobs = services.jobs.list(employer_id, None, PageRequest(1, 100)).items
    return tuple(jobs), tuple(services.credits.entries(employer_id))


def credits_left(services: Services, employer_id: int) -> int:
    return services.credits.balance(employer_id).available(CreditKind.JOB_POSTING)


def last_used_at(services: Services, partner: Partner) -> datetime | None:
    services.key_uses.flush()
    (key,) = [k for k in services.accounts.list_keys(partner.employer_id)
              if k.id == partner.key_id]
    return key.last_used_at


def create_job(api: TestClient, **overrides: object) -> dict:
    result = api.simulate_post(JOBS, json={**JOB_BODY, **overrides})
    assert result.status_code == 201, result.text
    return result.json


@functools.cache
def served_document() -> dict:
    """The OpenAPI document as the app built by the composition root serves it."""
    built = build_services(Settings())
    try:
        return TestClient(create_app(built)).simulate_get(OPENAPI_PATH).json
    finally:
        built.close()


def envelope(result) -> dict:
    """An error body without its ``requestId``, once that is checked to be the answer's
    X-Request-Id (SPEC §11)."""
    body = dict(result.json)
    assert body.pop("requestId") == result.headers["X-Request-Id"]
    return body

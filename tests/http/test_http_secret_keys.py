"""An API request that needs a webhook secret while ``ITMJ_SECRET_KEYS`` is missing: a 503
in the usual 5xx envelope, nothing charged, and the log (not the partner) names the
variable."""

import logging

import attrs
from falcon.testing import TestClient

from itmj_adapters.secret_box import SecretKeysMissing
from itmj_domain.services.job_posting import JobPosting
from itmj_http.app import create_app
from itmj_http.errors import SERVER_ERROR
from tests.http.support import JOB_BODY, JOBS


class KeylessStore:
    """A unit-of-work factory whose every unit of work meets a secret it cannot seal."""

    def __call__(self, *, read_only: bool = False):
        raise SecretKeysMissing()


def test_a_missing_secret_key_is_a_503_and_the_log_names_the_variable(
    services, partner, caplog
):
    keyless = attrs.evolve(services, jobs=JobPosting(KeylessStore(), services.clock))
    client = TestClient(create_app(keyless), headers=partner.bearer)
    with caplog.at_level(logging.ERROR, logger="itmj_http"):
        result = client.simulate_post(JOBS, json=JOB_BODY)
    assert (result.status_code, result.json) == (
        503, {**SERVER_ERROR, "requestId": result.headers["X-Request-Id"]}
    )
    assert "ITMJ_SECRET_KEYS" not in result.text
    assert any("ITMJ_SECRET_KEYS is not set" in r.getMessage() for r in caplog.records)

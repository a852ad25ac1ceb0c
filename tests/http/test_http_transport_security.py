"""Production answers carry Strict-Transport-Security, the API's and the portal's alike,
refusals and errors included; development and demo, served over plain HTTP, do not."""

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app
from tests.http.support import new_partner

HSTS = "max-age=63072000; includeSubDomains"
# Answers of every kind: API success, 401 without a key, 404, 405, health, the OpenAPI
# document, portal pages and redirects, a static file.
ANSWERS = [
    ("GET", "/api/v1/jobs", True, 200),
    ("GET", "/api/v1/jobs", False, 401),
    ("GET", "/api/v1/jobs/999", True, 404),
    ("PATCH", "/api/v1/jobs", True, 405),
    ("GET", "/api/v1/nowhere", False, 404),
    ("GET", "/healthz/live", False, 200),
    ("GET", "/swagger/v1/swagger.json", False, 200),
    ("GET", "/account/signin", False, 200),
    ("GET", "/employer/", False, 303),
    ("GET", "/employer/no-such-page", False, 404),
    ("GET", "/static/portal/portal.css", False, 200),
]


def _app(mode: Mode, clock, notifier):
    services = build_services(Settings(mode=mode), clock=clock, notifier=notifier,
                              password_hasher=Argon2PasswordHasher.cheap())
    return services, TestClient(create_app(services))


@pytest.mark.parametrize(("method", "path", "keyed", "status"), ANSWERS)
def test_every_production_answer_tells_browsers_to_use_https_only(clock, notifier, method,
                                                                  path, keyed, status):
    services, client = _app(Mode.PRODUCTION, clock, notifier)
    try:
        headers = new_partner(services, credits=0).bearer if keyed else {}
        answer = client.simulate_request(method, path, headers=headers)
    finally:
        services.close()
    assert answer.status_code == status
    assert answer.headers["strict-transport-security"] == HSTS


@pytest.mark.parametrize("mode", [Mode.DEVELOPMENT, Mode.DEMO])
def test_plain_http_modes_send_no_transport_security(clock, notifier, mode):
    services, client = _app(mode, clock, notifier)
    try:
        for path in ("/account/signin", "/api/v1/jobs", "/healthz/live"):
            assert "strict-transport-security" not in client.simulate_get(path).headers
    finally:
        services.close()

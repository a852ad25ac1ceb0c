"""The portal on PostgreSQL without ``ITMJ_SECRET_KEYS``: webhook pages that would read or
write a secret answer 503 and the log names the variable; the rest of the portal works."""

import logging

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_domain.webhooks.subscriptions import EventType
from itmj_http.app import create_app
from tests.portal.support import FormBrowser, signed_up
from tests.secret_keys import TEST_KEYS

pytestmark = pytest.mark.postgres


def _services(database_url: str, keys: tuple[bytes, ...]):
    return build_services(
        Settings(mode=Mode.DEVELOPMENT, database_url=database_url, db_pool_size=2,
                 secret_keys=keys),
        password_hasher=Argon2PasswordHasher.cheap(),
    )


def test_webhook_pages_answer_503_and_the_log_names_the_variable(clean_database, caplog):
    keyed = _services(clean_database, TEST_KEYS)
    try:
        employer_id = signed_up(keyed).employer.id
        keyed.webhooks.subscribe(employer_id, "https://hooks.example/in",
                                 frozenset({EventType.JOB_EXPIRED}))
    finally:
        keyed.close()
    keyless = _services(clean_database, ())
    try:
        admin = FormBrowser(TestClient(create_app(keyless)))
        assert admin.sign_in("ada@acme.example").status_code == 303
        assert admin.get("/employer/").status_code == 200
        with caplog.at_level(logging.ERROR, logger="itmj_http.errors"):
            listing = admin.get("/employer/webhooks")
            added = admin.post("/employer/webhooks", {
                "url": "https://hooks.example/2", "events": ["job.expired"],
            })
        assert (listing.status_code, added.status_code) == (503, 503)
        assert "Something went wrong" in listing.text
        assert "ITMJ_SECRET_KEYS" not in listing.text
        logged = [r.getMessage() for r in caplog.records if r.name == "itmj_http.errors"]
        assert len(logged) == 2
        assert all("ITMJ_SECRET_KEYS is not set" in line for line in logged)
    finally:
        keyless.close()

"""Fixtures of the portal suite: the real app over the real composition root, in
development mode (plain-HTTP cookies) unless a test asks for production."""

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import Services, build_services
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app
from tests.portal.support import FormBrowser


@pytest.fixture
def portal_services(clock, notifier):
    built: Services = build_services(
        Settings(mode=Mode.DEVELOPMENT), clock=clock, notifier=notifier,
        password_hasher=Argon2PasswordHasher.cheap(),
    )
    yield built
    built.close()


@pytest.fixture
def client(portal_services: Services) -> TestClient:
    return TestClient(create_app(portal_services))


@pytest.fixture
def visitor(client: TestClient) -> FormBrowser:
    return FormBrowser(client)

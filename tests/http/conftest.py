"""Fixtures of the HTTP suite: the real app over the real composition root, on every backend,
driven through ``falcon.testing.TestClient``."""

import pytest
from falcon.testing import TestClient

from itmj_adapters.composition import Services
from itmj_http.app import create_app
from tests.http.support import Partner, new_partner


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services))


@pytest.fixture
def partner(services: Services) -> Partner:
    return new_partner(services, credits=5)


@pytest.fixture
def api(client: TestClient, partner: Partner) -> TestClient:
    """A client that sends the partner's key on every request."""
    return TestClient(client.app, headers=partner.bearer)

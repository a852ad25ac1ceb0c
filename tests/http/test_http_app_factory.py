"""``get_app`` builds the app from the environment, as gunicorn will call it."""

from falcon.testing import TestClient

from itmj_http.app import get_app


def test_get_app_reads_the_environment(monkeypatch):
    monkeypatch.delenv("ITMJ_DATABASE_URL", raising=False)
    client = TestClient(get_app())
    assert client.simulate_get("/healthz/ready").json == {"status": "ok", "checks": {}}
    assert client.simulate_get("/api/v1/jobs").status_code == 401

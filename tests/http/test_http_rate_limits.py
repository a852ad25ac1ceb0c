"""Rate limits over HTTP (SPEC §8), on every backend, with the limiter in memory and in Redis:
the limit holds, a 429 carries Retry-After and the SPEC envelope and changes nothing, every
response of a limited family carries the IETF draft fields, and an unreachable Redis serves."""

import logging
import socket
from datetime import timedelta

import attrs
import pytest
from falcon.testing import TestClient
from redis import Redis

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.memory.rate_limiter import MemoryRateLimiter
from itmj_adapters.postgres.rate_limiter import PostgresRateLimiter
from itmj_adapters.redis_rate_limiter import RedisRateLimiter
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_http.app import create_app
from tests.http.support import (
    JOB_BODY,
    JOBS,
    Partner,
    account_state,
    create_job,
    envelope,
    last_used_at,
    new_partner,
    served_document,
)
from tests.http.test_http_openapi import validator

SEARCH = "/api/v1/candidates/search"
SEARCH_BODY = {"query": "engineer"}


@pytest.fixture(params=["memory-limiter", "redis-limiter"])
def limited(request: pytest.FixtureRequest, services: Services, clock: ManualClock) -> Services:
    """The services with the limiter under test: the composition's in-memory one, or one over
    the test Redis (as the composition builds with ITMJ_REDIS_URL)."""
    if request.param == "memory-limiter":
        return services
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    request.addfinalizer(redis.close)
    return attrs.evolve(services, rate_limiter=RedisRateLimiter(redis, clock))


def searcher(services: Services, searches: int) -> Partner:
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    if searches:
        services.credits.grant(partner.employer_id, CreditKind.CV_SEARCH, searches)
    return partner


def api_of(services: Services, partner: Partner) -> TestClient:
    return TestClient(create_app(services), headers=partner.bearer)


def test_31_searches_in_a_minute_are_30_answers_one_429_and_30_debits(
    limited: Services, clock: ManualClock
) -> None:
    partner = searcher(limited, searches=100)
    api = api_of(limited, partner)
    results = []
    for _ in range(31):
        results.append(api.simulate_post(SEARCH, json=SEARCH_BODY))
        clock.advance(timedelta(seconds=1))
    assert [r.status_code for r in results] == [200] * 30 + [429]
    refused = results[-1]
    assert envelope(refused) == {
        "code": "rate_limited",
        "message": "more than 30 requests in 60 seconds with this API key; "
        "retry after 30 seconds",
    }
    # The first search left the window 60 s after it was made, 30 s from the refusal.
    assert refused.headers["Retry-After"] == "30"
    assert refused.headers["RateLimit"] == '"candidate-search";r=0;t=30'
    debits = [e for e in limited.credits.entries(partner.employer_id) if e.amount < 0]
    assert len(debits) == 30
    assert limited.credits.balance(partner.employer_id).available(CreditKind.CV_SEARCH) == 70


def test_every_response_of_a_limited_family_carries_the_draft_fields(
    limited: Services, clock: ManualClock
) -> None:
    partner = new_partner(limited, credits=1)
    api = api_of(limited, partner)
    job = create_job(api)
    # A second apart, as a key seen now and then is: counted one request at a time, exactly
    # (requests closer together may be served from a lease, counted at its end).
    clock.advance(timedelta(seconds=1))
    first = api.simulate_get(f"{JOBS}/{job['id']}")
    assert first.headers["RateLimit-Policy"] == '"jobs";q=100;w=60'
    assert first.headers["RateLimit"] == '"jobs";r=98;t=60'
    clock.advance(timedelta(seconds=1))
    missing = api.simulate_get(f"{JOBS}/999999")
    assert missing.status_code == 404
    assert missing.headers["RateLimit"] == '"jobs";r=97;t=60'
    bad = api.simulate_post(JOBS, json={"title": ""})
    assert bad.status_code == 400
    assert bad.headers["RateLimit-Policy"] == '"jobs";q=100;w=60'
    countries = api.simulate_get("/api/v1/countries")
    assert countries.status_code == 200
    assert "RateLimit" not in countries.headers
    assert "RateLimit-Policy" not in countries.headers
    search = api_of(limited, searcher(limited, 1)).simulate_post(SEARCH, json=SEARCH_BODY)
    assert search.headers["RateLimit-Policy"] == '"candidate-search";q=30;w=60'
    view = api_of(limited, searcher(limited, 0)).simulate_get("/api/v1/candidates/1")
    assert view.status_code == 404
    assert view.headers["RateLimit"] == '"candidate-view";r=59;t=60'


def test_limits_are_per_key(limited: Services) -> None:
    one, other = searcher(limited, 40), searcher(limited, 40)
    api_one, api_other = api_of(limited, one), api_of(limited, other)
    for _ in range(30):
        assert api_one.simulate_post(SEARCH, json=SEARCH_BODY).status_code == 200
    assert api_one.simulate_post(SEARCH, json=SEARCH_BODY).status_code == 429
    assert api_other.simulate_post(SEARCH, json=SEARCH_BODY).status_code == 200


def test_a_429_changes_nothing(limited: Services, clock: ManualClock) -> None:
    partner = new_partner(limited, credits=5)
    api = api_of(limited, partner)
    draft = create_job(api)
    for _ in range(99):
        assert api.simulate_get(JOBS).status_code == 200
    before = account_state(limited, partner.employer_id)
    used = last_used_at(limited, partner)
    clock.advance(timedelta(seconds=5))
    refused = [
        api.simulate_post(JOBS, json=JOB_BODY),
        api.simulate_post(f"{JOBS}/{draft['id']}/publish"),
        api.simulate_put(f"{JOBS}/{draft['id']}", json=JOB_BODY),
        api.simulate_delete(f"{JOBS}/{draft['id']}"),
    ]
    assert [r.status_code for r in refused] == [429] * 4
    assert all(r.json["code"] == "rate_limited" for r in refused)
    assert account_state(limited, partner.employer_id) == before
    assert last_used_at(limited, partner) == used


def test_401_and_403_are_not_counted(limited: Services) -> None:
    partner = searcher(limited, 1)
    api = api_of(limited, partner)
    for _ in range(120):
        assert api.simulate_get(JOBS).status_code == 403
    assert TestClient(api.app).simulate_get(JOBS).status_code == 401
    result = api.simulate_post(SEARCH, json=SEARCH_BODY)
    assert result.headers["RateLimit"] == '"candidate-search";r=29;t=60'


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_down_requests_are_served_and_readiness_names_the_limiter(
    services: Services, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    down = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0", socket_connect_timeout=0.5)
    limiter = RedisRateLimiter(down, clock)
    degraded = attrs.evolve(services, rate_limiter=limiter, advisory_probes=(limiter,))
    partner = searcher(degraded, 40)
    api = api_of(degraded, partner)
    caplog.set_level(logging.WARNING)
    results = [api.simulate_post(SEARCH, json=SEARCH_BODY) for _ in range(31)]
    assert [r.status_code for r in results] == [200] * 31
    assert all("RateLimit" not in r.headers for r in results)
    assert all(r.headers["RateLimit-Policy"] == '"candidate-search";q=30;w=60' for r in results)
    warnings = [r for r in caplog.records if r.name == "itmj_adapters.redis_rate_limiter"]
    assert len(warnings) == 1
    ready = api.simulate_get("/healthz/ready")
    assert ready.status_code == 200
    assert ready.json["status"] == "degraded"
    assert ready.json["checks"]["rateLimiter"] == "degraded"
    document = served_document()
    ready_schema = document["components"]["schemas"]["Health"]
    validator(document, ready_schema).validate(ready.json)
    down.close()


def test_readiness_says_ok_when_the_limiter_answers(services: Services, redis_url: str) -> None:
    built = build_services(Settings(redis_url=redis_url))
    try:
        ready = TestClient(create_app(built)).simulate_get("/healthz/ready")
    finally:
        built.close()
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "checks": {"queue": "ok", "rateLimiter": "ok"}}


def test_the_composition_picks_redis_when_configured(redis_url: str) -> None:
    with_redis = build_services(Settings(redis_url=redis_url))
    without = build_services(Settings())
    switched_off = build_services(Settings(rate_limits=False))
    try:
        assert isinstance(with_redis.rate_limiter, RedisRateLimiter)
        assert isinstance(without.rate_limiter, MemoryRateLimiter)
        assert switched_off.rate_limiter is None
    finally:
        for built in (with_redis, without, switched_off):
            built.close()


@pytest.mark.postgres
def test_on_postgres_without_redis_the_window_lives_in_the_database(
    clean_database: str, redis_url: str
) -> None:
    without_redis = build_services(Settings(database_url=clean_database, db_pool_size=2))
    with_redis = build_services(
        Settings(database_url=clean_database, db_pool_size=2, redis_url=redis_url)
    )
    try:
        assert isinstance(without_redis.rate_limiter, PostgresRateLimiter)
        assert isinstance(with_redis.rate_limiter, RedisRateLimiter)
    finally:
        without_redis.close()
        with_redis.close()

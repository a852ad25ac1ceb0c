"""The SessionStore contract: in memory, on a real Redis and on PostgreSQL (never
skipped)."""

from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis

from itmj_adapters.memory.sessions import MemorySessionStore
from itmj_adapters.postgres.sessions import PostgresSessionStore
from itmj_adapters.redis_sessions import RedisSessionStore
from itmj_domain import handoffs
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.sessions import FlashLevel, new_session

NOW = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture(params=["memory", "redis", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest):
    if request.param == "memory":
        yield MemorySessionStore()
    elif request.param == "postgres":
        request.getfixturevalue("clean_database")
        yield PostgresSessionStore(request.getfixturevalue("pg_pool"))
    else:
        redis = Redis.from_url(request.getfixturevalue("redis_url"))
        yield RedisSessionStore(redis)
        redis.close()


def test_a_stored_session_reads_back_equal_with_principal_and_flashes(store):
    session = new_session(NOW, Principal(PrincipalKind.STAFF, 42), "9f86d081884c7d65").with_flash(
        FlashLevel.ERROR, "Ça n\u2019a pas marché \u2014 \u201cretry\u201d"
    ).with_flash(FlashLevel.SUCCESS, "Done")
    store.put(session, MINUTE)
    assert store.get(session.id) == session
    assert store.get(new_session(NOW).id) is None


def test_the_sessions_half_of_a_handoff_reads_back_equal_and_so_joins(store):
    split = handoffs.split("api-key:7", "pk_live_0123456789abcdef")
    session = new_session(NOW, Principal(PrincipalKind.USER, 7)).with_handoff(split.handoff)
    store.put(session, MINUTE)
    found = store.get(session.id)
    assert found == session
    assert found.handoff is not None
    assert handoffs.join(found.handoff, split.pad) == "pk_live_0123456789abcdef"
    store.put(found.with_handoff(None), MINUTE)
    assert store.get(session.id).handoff is None


def test_an_anonymous_session_reads_back_equal(store):
    session = new_session(NOW)
    store.put(session, MINUTE)
    assert store.get(session.id) == session


def test_put_replaces_and_delete_forgets(store):
    session = new_session(NOW)
    store.put(session, MINUTE)
    later = session.with_flash(FlashLevel.SUCCESS, "Saved")
    store.put(later, MINUTE)
    assert store.get(session.id) == later
    store.delete(session.id)
    assert store.get(session.id) is None
    store.delete(session.id)


def test_a_session_is_forgotten_once_its_ttl_has_passed(store):
    session = new_session(NOW)
    store.put(session, timedelta(microseconds=1))
    # A microsecond has passed by the time the store is asked again; no sleep needed.
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while store.get(session.id) is not None:
        assert datetime.now(UTC) < deadline


def test_redis_keys_do_not_show_session_ids(redis_url):
    redis = Redis.from_url(redis_url)
    session = new_session(NOW)
    RedisSessionStore(redis).put(session, MINUTE)
    keys = [key.decode() for key in redis.keys("*")]
    redis.close()
    assert len(keys) == 1
    assert session.id not in keys[0]


@pytest.mark.postgres
def test_postgres_rows_do_not_show_session_ids(clean_database, pg_pool):
    session = new_session(NOW)
    PostgresSessionStore(pg_pool).put(session, MINUTE)
    with pg_pool.connection() as conn:
        rows = conn.execute("SELECT id_hash, data FROM portal_sessions").fetchall()
    assert len(rows) == 1
    assert session.id not in rows[0][0] + rows[0][1]

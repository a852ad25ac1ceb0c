"""Redis for the task-queue tests: a real server, never skipped; each test gets an empty
database of its own number so parallel suites do not meet."""

import os

import pytest
from redis import Redis

TEST_REDIS_URL = os.environ.get("ITMJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    redis = Redis.from_url(TEST_REDIS_URL)
    redis.flushdb()
    redis.close()
    return TEST_REDIS_URL

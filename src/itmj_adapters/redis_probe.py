"""Health of the Redis server behind the task queue."""

from redis import Redis


class RedisProbe:
    name = "queue"

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    def check(self) -> None:
        self._redis.ping()

"""Configuration, read from the environment in one place."""

import enum
import os
from collections.abc import Mapping

import attrs

from itmj_adapters.secret_box import parse_keys


class Mode(enum.Enum):
    """How much the platform trusts where it runs. Production (the default) marks session
    cookies ``Secure``; development serves the portal over plain HTTP on a workstation;
    demo is development that also lets things staff would confirm happen at once."""

    PRODUCTION = "production"
    DEVELOPMENT = "development"
    DEMO = "demo"


@attrs.frozen
class Settings:
    database_url: str | None = None
    redis_url: str | None = None
    elasticsearch_url: str | None = None
    smtp_url: str | None = None
    db_pool_size: int = 10
    webhook_retry_delays: str | None = None
    webhook_allow_private: bool = False
    webhook_lease_seconds: float | None = None
    last_used_flush_seconds: float = 1.0
    # For bench/http (and the fuzzing tests) only: measure what rate limiting and lastUsedAt
    # cost by switching them off, or raise every limit so a load test is never refused.
    # ITMJ_METRICS=1: Prometheus metrics, served at GET /metrics.
    metrics: bool = False
    rate_limits: bool = True
    record_key_use: bool = True
    rate_limit_override: int | None = None
    mode: Mode = Mode.PRODUCTION
    public_url: str | None = None
    # ITMJ_SECRET_KEYS, newest first: the key ring webhook secrets are sealed under.
    secret_keys: tuple[bytes, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("ITMJ_DATABASE_URL") or None,
            redis_url=env.get("ITMJ_REDIS_URL") or None,
            elasticsearch_url=env.get("ITMJ_ELASTICSEARCH_URL") or None,
            smtp_url=env.get("ITMJ_SMTP_URL") or None,
            db_pool_size=int(env.get("ITMJ_DB_POOL_SIZE", "10")),
            webhook_retry_delays=env.get("ITMJ_WEBHOOK_RETRY_DELAYS") or None,
            webhook_allow_private=env.get("ITMJ_WEBHOOK_ALLOW_PRIVATE") == "1",
            webhook_lease_seconds=float(env["ITMJ_WEBHOOK_LEASE_SECONDS"])
            if env.get("ITMJ_WEBHOOK_LEASE_SECONDS")
            else None,
            last_used_flush_seconds=float(env.get("ITMJ_LAST_USED_FLUSH_SECONDS", "1")),
            metrics=env.get("ITMJ_METRICS") == "1",
            rate_limits=env.get("ITMJ_BENCH_NO_RATE_LIMITS") != "1",
            record_key_use=env.get("ITMJ_BENCH_NO_LAST_USED") != "1",
            rate_limit_override=int(env["ITMJ_BENCH_RATE_LIMIT"])
            if env.get("ITMJ_BENCH_RATE_LIMIT")
            else None,
            mode=_mode(env.get("ITMJ_MODE") or Mode.PRODUCTION.value),
            public_url=(env.get("ITMJ_PUBLIC_URL") or "").rstrip("/") or None,
            secret_keys=parse_keys(env["ITMJ_SECRET_KEYS"])
            if env.get("ITMJ_SECRET_KEYS")
            else (),
        )

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "memory"

    @property
    def secure_cookies(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def demo(self) -> bool:
        return self.mode is Mode.DEMO


def _mode(value: str) -> Mode:
    try:
        return Mode(value)
    except ValueError:
        names = ", ".join(mode.value for mode in Mode)
        raise ValueError(f"ITMJ_MODE must be one of {names}, not {value!r}") from None

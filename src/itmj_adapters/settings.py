"""Configuration, read from the environment in one place.

Every ``ITMJ_*`` variable is checked here, at start: a value the platform cannot use raises
``SettingError``, whose message names the variable and what it accepts, so that each command
(and a server's worker) can stop with that one line rather than fail later, somewhere else.
"""

import base64
import binascii
import difflib
import enum
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

import attrs

from itmj_adapters.secret_box import parse_keys

T = TypeVar("T")


class Mode(enum.Enum):
    """How much the platform trusts where it runs. Production (the default) marks session
    cookies ``Secure``; development serves the portal over plain HTTP on a workstation;
    demo is development that also lets things staff would confirm happen at once."""

    PRODUCTION = "production"
    DEVELOPMENT = "development"
    DEMO = "demo"


class LogFormat(enum.Enum):
    """ITMJ_LOG_FORMAT: one JSON object per line, or readable text."""

    JSON = "json"
    TEXT = "text"


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingError(ValueError):
    """An ``ITMJ_*`` variable holds a value the platform cannot use."""

    def __init__(self, name: str, accepts: str, value: str) -> None:
        self.name = name
        # A URL's password is not repeated, even in a URL too broken to use.
        shown = re.sub(r"(//[^/@:]*:)[^@]*@", r"\1***@", value)
        shown = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", shown)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        super().__init__(f"{name} must be {accepts}, not {shown!r}")


# What each variable the platform reads accepts, as the error line says it.
ACCEPTS = {
    "ITMJ_DATABASE_URL": "a postgresql://user:password@host:port/database URL (or libpq's "
    "key=value pairs)",
    "ITMJ_REDIS_URL": "a redis://, rediss:// or unix:// URL",
    "ITMJ_ELASTICSEARCH_URL": "an http:// or https:// URL",
    "ITMJ_ELASTICSEARCH_API_KEY": "an encoded API key (base64 of id:api_key), without a "
    "user and password in ITMJ_ELASTICSEARCH_URL",
    "ITMJ_ELASTICSEARCH_CA_CERTS": "the path of a readable PEM file of CA certificates",
    "ITMJ_ELASTICSEARCH_FINGERPRINT": "the SHA-256 fingerprint of the cluster's certificate: "
    "64 hex digits, colons allowed",
    "ITMJ_ELASTICSEARCH_TIMEOUT": "a number of seconds > 0",
    "ITMJ_SMTP_URL": "an smtp:// or smtps:// URL with a host",
    "ITMJ_PUBLIC_URL": "an http:// or https:// URL",
    "ITMJ_DB_POOL_SIZE": "a whole number ≥ 1",
    "ITMJ_WEBHOOK_RETRY_DELAYS": "comma-separated seconds ≥ 0, like 60,300,900",
    "ITMJ_WEBHOOK_ALLOW_PRIVATE": "0 or 1",
    "ITMJ_WEBHOOK_LEASE_SECONDS": "a number of seconds > 0",
    "ITMJ_LAST_USED_FLUSH_SECONDS": "a number of seconds ≥ 0",
    "ITMJ_BENCH_NO_RATE_LIMITS": "0 or 1",
    "ITMJ_BENCH_NO_LAST_USED": "0 or 1",
    "ITMJ_BENCH_NO_REQUEST_IDS": "0 or 1",
    "ITMJ_BENCH_RATE_LIMIT": "a whole number ≥ 1",
    "ITMJ_MODE": "one of " + ", ".join(mode.value for mode in Mode),
    "ITMJ_SECRET_KEYS": "comma-separated keys (see itmj secrets new-key)",
    "ITMJ_LOG_FORMAT": "json or text",
    "ITMJ_LOG_LEVEL": "one of " + ", ".join(_LOG_LEVELS),
    "ITMJ_METRICS": "0 or 1",
    "ITMJ_METRICS_PORT": "a port (1-65535), or host:port",
}
# Read elsewhere (logging, metrics) or by the project's own tooling (tests, benchmarks): known,
# so they draw no warning.
OTHER_VARIABLES = frozenset({
    "ITMJ_METRICS_DIR",
    "ITMJ_TEST_DATABASE_URL", "ITMJ_TEST_REDIS_URL", "ITMJ_TEST_ELASTICSEARCH_URL",
    "ITMJ_SCREENSHOTS", "ITMJ_UPDATE_SNAPSHOTS", "ITMJ_MUTATION_CHILDREN",
    "ITMJ_FUZZ_EXAMPLES", "ITMJ_SCRIPT",
})


@attrs.frozen
class Settings:
    database_url: str | None = None
    redis_url: str | None = None
    elasticsearch_url: str | None = None
    # How the client reaches and proves itself to the cluster; basic auth rides in the URL.
    elasticsearch_api_key: str | None = attrs.field(default=None, repr=False)
    elasticsearch_ca_certs: str | None = None
    elasticsearch_fingerprint: str | None = None
    elasticsearch_timeout: float = 10.0
    smtp_url: str | None = None
    db_pool_size: int = 10
    webhook_retry_delays: str | None = None
    webhook_allow_private: bool = False
    webhook_lease_seconds: float | None = None
    last_used_flush_seconds: float = 1.0
    # For bench/http (and the fuzzing tests) only: measure what rate limiting, lastUsedAt and
    # request ids with their access lines cost by switching them off, or raise every limit so
    # a load test is never refused.
    # ITMJ_METRICS=1: Prometheus metrics, served at GET /metrics.
    metrics: bool = False
    # ITMJ_METRICS_PORT: where ``itmj worker`` and ``itmj scheduler`` serve their metrics
    # page (host, port); the host is 127.0.0.1 unless given.
    metrics_port: tuple[str, int] | None = None
    rate_limits: bool = True
    record_key_use: bool = True
    request_ids: bool = True
    rate_limit_override: int | None = None
    mode: Mode = Mode.PRODUCTION
    public_url: str | None = None
    # ITMJ_SECRET_KEYS, newest first: the key ring webhook secrets are sealed under.
    secret_keys: tuple[bytes, ...] = attrs.field(default=(), repr=False)
    # None: JSON in production, text in development and demo.
    log_format: LogFormat | None = None
    log_level: str = "INFO"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """The settings the environment holds; raises ``SettingError`` on the first variable
        whose value is unusable (an empty value counts as unset)."""
        env = _Reader(os.environ if environ is None else environ)
        return cls(
            database_url=env.read("ITMJ_DATABASE_URL", _database_url),
            redis_url=env.read("ITMJ_REDIS_URL", _url("redis", "rediss", "unix", host=False)),
            elasticsearch_url=env.read("ITMJ_ELASTICSEARCH_URL", _url("http", "https")),
            elasticsearch_api_key=env.read(
                "ITMJ_ELASTICSEARCH_API_KEY", lambda key: _api_key(env, key), check=False
            ),
            elasticsearch_ca_certs=env.read("ITMJ_ELASTICSEARCH_CA_CERTS", _readable_file),
            elasticsearch_fingerprint=env.read("ITMJ_ELASTICSEARCH_FINGERPRINT", _fingerprint),
            elasticsearch_timeout=_or(
                env.read("ITMJ_ELASTICSEARCH_TIMEOUT", _seconds(above=0)), 10.0
            ),
            smtp_url=env.read("ITMJ_SMTP_URL", _url("smtp", "smtps")),
            db_pool_size=env.read("ITMJ_DB_POOL_SIZE", _whole(1)) or 10,
            webhook_retry_delays=env.read("ITMJ_WEBHOOK_RETRY_DELAYS", _delays),
            webhook_allow_private=env.read("ITMJ_WEBHOOK_ALLOW_PRIVATE", _flag) or False,
            webhook_lease_seconds=env.read("ITMJ_WEBHOOK_LEASE_SECONDS", _seconds(above=0)),
            last_used_flush_seconds=_or(
                env.read("ITMJ_LAST_USED_FLUSH_SECONDS", _seconds(at_least=0)), 1.0
            ),
            metrics=env.read("ITMJ_METRICS", _flag) or False,
            metrics_port=env.read("ITMJ_METRICS_PORT", _host_port),
            rate_limits=not env.read("ITMJ_BENCH_NO_RATE_LIMITS", _flag),
            record_key_use=not env.read("ITMJ_BENCH_NO_LAST_USED", _flag),
            request_ids=not env.read("ITMJ_BENCH_NO_REQUEST_IDS", _flag),
            rate_limit_override=env.read("ITMJ_BENCH_RATE_LIMIT", _whole(1)),
            mode=env.read("ITMJ_MODE", Mode) or Mode.PRODUCTION,
            public_url=_public_url(env.read("ITMJ_PUBLIC_URL", _url("http", "https"))),
            # parse_keys says itself what is wrong with a key (SecretKeyError).
            secret_keys=env.read("ITMJ_SECRET_KEYS", parse_keys, check=False) or (),
            log_format=env.read("ITMJ_LOG_FORMAT", _log_format),
            log_level=env.read("ITMJ_LOG_LEVEL", _log_level) or "INFO",
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

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.JSON if self.mode is Mode.PRODUCTION else LogFormat.TEXT


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each ``ITMJ_*`` variable set that nothing reads: most likely a typo,
    which would otherwise silently leave the setting it meant at its default."""
    env = os.environ if environ is None else environ
    known = set(ACCEPTS) | OTHER_VARIABLES
    warnings = []
    for name in sorted(env):
        if not name.startswith("ITMJ_") or name in known:
            continue
        close = difflib.get_close_matches(name, sorted(ACCEPTS), n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"itmj: warning: {name} is not a variable itmj reads; ignored{hint}")
    return warnings


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def read(self, name: str, parse: Callable[[str], T], *, check: bool = True) -> T | None:
        value = self._environ.get(name, "").strip()
        if not value:
            return None
        if not check:
            return parse(value)
        try:
            return parse(value)
        except ValueError:
            raise SettingError(name, ACCEPTS[name], value) from None


def _or(value: T | None, default: T) -> T:
    return default if value is None else value


def _url(*schemes: str, host: bool = True) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            raise ValueError(value) from None
        if parts.scheme.lower() not in schemes:
            raise ValueError(value)
        # postgresql:///itmj (a local socket) is a valid libpq URL.
        local_socket = parts.scheme.startswith("postgres") and bool(parts.path.strip("/"))
        if host and not parts.hostname and not local_socket:
            raise ValueError(value)
        return value

    return parse


# libpq's other spelling of a connection: "host=db port=5432 dbname=itmj user=itmj".
_KEYWORDS = re.compile(r"\s*(\w+\s*=\s*('([^'\\]|\\.)*'|\S+)\s*)+")


def _database_url(value: str) -> str:
    if "://" not in value and _KEYWORDS.fullmatch(value):
        return value
    return _url("postgresql", "postgres")(value)


def _api_key(env: "_Reader", key: str) -> str:
    """Base64, and not beside a user and password in the URL: the client would send one of
    the two and drop the other, unsaid. A refused key is not repeated whole: it is a secret."""
    url = env.read("ITMJ_ELASTICSEARCH_URL", str) or ""
    try:
        base64.b64decode(key, validate=True)
        usable = not urlsplit(url).username
    except (binascii.Error, ValueError):
        usable = False
    if not usable:
        name = "ITMJ_ELASTICSEARCH_API_KEY"
        raise SettingError(name, ACCEPTS[name], key[:4] + "...")
    return key


def _readable_file(value: str) -> str:
    if not os.path.isfile(value) or not os.access(value, os.R_OK):
        raise ValueError(value)
    return value


def _fingerprint(value: str) -> str:
    digits = value.replace(":", "")
    if not re.fullmatch(r"[0-9A-Fa-f]{64}", digits):
        raise ValueError(value)
    return digits.lower()


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if number < minimum:
            raise ValueError(value)
        return number

    return parse


def _seconds(*, above: float | None = None, at_least: float | None = None
             ) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        if above is not None and number <= above:
            raise ValueError(value)
        if at_least is not None and number < at_least:
            raise ValueError(value)
        return number

    return parse


def _delays(value: str) -> str:
    parts = [part.strip() for part in value.split(",")]
    if not parts or any(not part for part in parts):
        raise ValueError(value)
    _each(parts, _seconds(at_least=0))
    return value


def _each(parts: Iterable[str], parse: Callable[[str], object]) -> None:
    for part in parts:
        parse(part)


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    number = int(port)
    if not 1 <= number <= 65535:
        raise ValueError(value)
    return host.strip("[]") or "127.0.0.1", number


def _flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(value)
    return value == "1"


def _public_url(value: str | None) -> str | None:
    return value.rstrip("/") or None if value else None


def _log_format(value: str) -> LogFormat:
    return LogFormat(value.lower())


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in _LOG_LEVELS:
        raise ValueError(value)
    return level

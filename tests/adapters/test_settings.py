"""Every ITMJ_* variable is checked at start: a bad value names the variable and what it
accepts; an unknown variable draws a warning."""

import pytest

from itmj_adapters.settings import Mode, SettingError, Settings, unknown_variables

BAD_VALUES = [
    ("ITMJ_DATABASE_URL", "not-a-url", "postgresql://"),
    ("ITMJ_DATABASE_URL", "mysql://u@h/db", "postgresql://"),
    ("ITMJ_DATABASE_URL", "postgresql://u@h:port/db", "postgresql://"),
    ("ITMJ_REDIS_URL", "htp://127.0.0.1:6379/0", "redis://, rediss:// or unix://"),
    ("ITMJ_ELASTICSEARCH_URL", "127.0.0.1:9200", "http:// or https://"),
    ("ITMJ_SMTP_URL", "mail.example.com", "smtp:// or smtps://"),
    ("ITMJ_SMTP_URL", "smtp://", "smtp:// or smtps://"),
    ("ITMJ_PUBLIC_URL", "example.com", "http:// or https://"),
    ("ITMJ_DB_POOL_SIZE", "ten", "a whole number ≥ 1"),
    ("ITMJ_DB_POOL_SIZE", "0", "a whole number ≥ 1"),
    ("ITMJ_DB_POOL_SIZE", "2.5", "a whole number ≥ 1"),
    ("ITMJ_WEBHOOK_RETRY_DELAYS", "60,five", "comma-separated seconds"),
    ("ITMJ_WEBHOOK_RETRY_DELAYS", "60,,300", "comma-separated seconds"),
    ("ITMJ_WEBHOOK_RETRY_DELAYS", "-1", "comma-separated seconds"),
    ("ITMJ_WEBHOOK_ALLOW_PRIVATE", "true", "0 or 1"),
    ("ITMJ_WEBHOOK_ALLOW_PRIVATE", "yes", "0 or 1"),
    ("ITMJ_WEBHOOK_LEASE_SECONDS", "0", "a number of seconds > 0"),
    ("ITMJ_WEBHOOK_LEASE_SECONDS", "nan", "a number of seconds > 0"),
    ("ITMJ_LAST_USED_FLUSH_SECONDS", "-1", "a number of seconds ≥ 0"),
    ("ITMJ_BENCH_NO_RATE_LIMITS", "on", "0 or 1"),
    ("ITMJ_BENCH_NO_LAST_USED", "2", "0 or 1"),
    ("ITMJ_BENCH_NO_REQUEST_IDS", "off", "0 or 1"),
    ("ITMJ_BENCH_RATE_LIMIT", "lots", "a whole number ≥ 1"),
    ("ITMJ_MODE", "staging", "one of production, development, demo"),
    ("ITMJ_METRICS_PORT", "0", "a port (1-65535), or host:port"),
    ("ITMJ_METRICS_PORT", "65536", "a port (1-65535), or host:port"),
    ("ITMJ_METRICS_PORT", "0.0.0.0:http", "a port (1-65535), or host:port"),
    ("ITMJ_ELASTICSEARCH_API_KEY", "not base64!", "an encoded API key"),
    ("ITMJ_ELASTICSEARCH_CA_CERTS", "/nowhere/ca.pem", "a readable PEM file"),
    ("ITMJ_ELASTICSEARCH_FINGERPRINT", "AB:CD", "64 hex digits"),
    ("ITMJ_ELASTICSEARCH_TIMEOUT", "0", "a number of seconds > 0"),
]


@pytest.mark.parametrize(("name", "value", "accepts"), BAD_VALUES)
def test_a_bad_value_names_the_variable_and_what_it_accepts(name, value, accepts):
    with pytest.raises(SettingError) as raised:
        Settings.from_environ({name: value})
    message = str(raised.value)
    assert message.startswith(f"{name} must be ")
    assert accepts in message
    assert "\n" not in message
    assert raised.value.name == name


GOOD_VALUES = [
    ("ITMJ_DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/itmj", "database_url",
     "postgresql://u:p@127.0.0.1:5432/itmj"),
    ("ITMJ_DATABASE_URL", "postgres:///itmj", "database_url", "postgres:///itmj"),
    ("ITMJ_REDIS_URL", "rediss://h:6380/1", "redis_url", "rediss://h:6380/1"),
    ("ITMJ_REDIS_URL", "unix:///run/redis.sock", "redis_url", "unix:///run/redis.sock"),
    ("ITMJ_ELASTICSEARCH_URL", "https://es:9200", "elasticsearch_url", "https://es:9200"),
    ("ITMJ_SMTP_URL", "smtps://u:p@mail:465", "smtp_url", "smtps://u:p@mail:465"),
    ("ITMJ_PUBLIC_URL", "https://x.example/", "public_url", "https://x.example"),
    ("ITMJ_DB_POOL_SIZE", "3", "db_pool_size", 3),
    ("ITMJ_WEBHOOK_RETRY_DELAYS", "60, 300,900", "webhook_retry_delays", "60, 300,900"),
    ("ITMJ_WEBHOOK_ALLOW_PRIVATE", "1", "webhook_allow_private", True),
    ("ITMJ_WEBHOOK_ALLOW_PRIVATE", "0", "webhook_allow_private", False),
    ("ITMJ_WEBHOOK_LEASE_SECONDS", "0.5", "webhook_lease_seconds", 0.5),
    ("ITMJ_LAST_USED_FLUSH_SECONDS", "0", "last_used_flush_seconds", 0.0),
    ("ITMJ_BENCH_NO_RATE_LIMITS", "1", "rate_limits", False),
    ("ITMJ_BENCH_NO_LAST_USED", "0", "record_key_use", True),
    ("ITMJ_BENCH_NO_REQUEST_IDS", "1", "request_ids", False),
    ("ITMJ_BENCH_RATE_LIMIT", "100000", "rate_limit_override", 100000),
    ("ITMJ_MODE", "demo", "mode", Mode.DEMO),
    ("ITMJ_DB_POOL_SIZE", "", "db_pool_size", 10),
    ("ITMJ_METRICS_PORT", "9101", "metrics_port", ("127.0.0.1", 9101)),
    ("ITMJ_METRICS_PORT", "0.0.0.0:9101", "metrics_port", ("0.0.0.0", 9101)),
    ("ITMJ_METRICS_PORT", "[::1]:9101", "metrics_port", ("::1", 9101)),
    ("ITMJ_ELASTICSEARCH_API_KEY", "aWQ6c2VjcmV0", "elasticsearch_api_key", "aWQ6c2VjcmV0"),
    ("ITMJ_ELASTICSEARCH_FINGERPRINT", "AB:" * 31 + "AB", "elasticsearch_fingerprint",
     "ab" * 32),
    ("ITMJ_ELASTICSEARCH_TIMEOUT", "2.5", "elasticsearch_timeout", 2.5),
    ("ITMJ_ELASTICSEARCH_TIMEOUT", "", "elasticsearch_timeout", 10.0),
]


@pytest.mark.parametrize(("name", "value", "field", "expected"), GOOD_VALUES)
def test_a_good_value_is_read(name, value, field, expected):
    assert getattr(Settings.from_environ({name: value}), field) == expected


def test_the_defaults_without_any_variable():
    assert Settings.from_environ({}) == Settings()


def test_a_password_in_a_broken_url_is_not_repeated():
    with pytest.raises(SettingError) as raised:
        Settings.from_environ({"ITMJ_DATABASE_URL": "postgresql://itmj:s3cret@db:port/itmj"})
    assert "s3cret" not in str(raised.value)
    assert "ITMJ_DATABASE_URL" in str(raised.value)


def test_an_unknown_variable_draws_a_warning_with_the_likely_name():
    warnings = unknown_variables({
        "ITMJ_DATABSE_URL": "postgresql://h/db", "ITMJ_DATABASE_URL": "x", "HOME": "/root",
        "ITMJ_TEST_DATABASE_URL": "x", "ITMJ_LOG_LEVEL": "info", "ITMJ_WHATEVER": "1",
    })
    assert warnings == [
        "itmj: warning: ITMJ_DATABSE_URL is not a variable itmj reads; ignored "
        "(did you mean ITMJ_DATABASE_URL?)",
        "itmj: warning: ITMJ_WHATEVER is not a variable itmj reads; ignored",
    ]


def test_an_elasticsearch_api_key_beside_a_password_in_the_url_is_refused_and_not_repeated():
    key = "aWQ6c2VjcmV0LWtleS1tYXRlcmlhbA=="
    with pytest.raises(SettingError) as raised:
        Settings.from_environ({
            "ITMJ_ELASTICSEARCH_URL": "https://elastic:changeme@es:9200",
            "ITMJ_ELASTICSEARCH_API_KEY": key,
        })
    assert raised.value.name == "ITMJ_ELASTICSEARCH_API_KEY"
    assert key not in str(raised.value)
    assert "changeme" not in str(raised.value)


def test_the_elasticsearch_api_key_is_not_in_the_settings_repr():
    settings = Settings.from_environ({"ITMJ_ELASTICSEARCH_API_KEY": "aWQ6c2VjcmV0"})
    assert "aWQ6c2VjcmV0" not in repr(settings)


def test_elasticsearch_ca_certs_name_a_readable_file(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = Settings.from_environ({"ITMJ_ELASTICSEARCH_CA_CERTS": str(bundle)})
    assert settings.elasticsearch_ca_certs == str(bundle)

"""``itmj secrets new-key|reencrypt``, and how every command treats ``ITMJ_SECRET_KEYS``."""

import psycopg
import pytest

from itmj_adapters.secret_box import key_id, new_key, parse_keys

MISSING = (
    "itmj: ITMJ_SECRET_KEYS is not set: webhook secrets on PostgreSQL are encrypted at rest; "
    "make a key with 'itmj secrets new-key'"
)
KEY_A, KEY_B = new_key(), new_key()


def test_new_key_prints_a_key_the_variable_takes_and_its_id(run_cli):
    printed = run_cli(["secrets", "new-key"]).json()
    assert set(printed) == {"key", "keyId"}
    [key] = parse_keys(printed["key"])
    assert printed["keyId"] == key_id(key)
    assert run_cli(["secrets", "new-key"]).json()["key"] != printed["key"]


def test_a_malformed_key_is_refused_in_one_line_naming_the_variable(run_cli):
    result = run_cli(["employer", "create", "--name", "Acme"],
                     {"ITMJ_SECRET_KEYS": f"{KEY_A},{KEY_B[:20]}"})
    assert result.code == 1
    assert result.error_lines == [
        "itmj: ITMJ_SECRET_KEYS: key 2 is not 32 bytes in URL-safe base64; "
        "make one with 'itmj secrets new-key'"
    ]


def test_reencrypt_needs_a_database(run_cli):
    result = run_cli(["secrets", "reencrypt"], {"ITMJ_SECRET_KEYS": KEY_A})
    assert result.code == 1
    assert result.error_lines == [
        "itmj: ITMJ_DATABASE_URL is not set: secrets are kept encrypted in a PostgreSQL database"
    ]


@pytest.fixture
def subscribed(run_cli, clean_database):
    """An employer with one subscription, its secret sealed under KEY_A; its environment."""
    env = {"ITMJ_DATABASE_URL": clean_database, "ITMJ_SECRET_KEYS": KEY_A}
    employer = run_cli(["employer", "create", "--name", "Acme"], env).json()["id"]
    added = run_cli(["webhook", "add", "--employer", str(employer), "--url",
                     "https://hooks.example/in", "--event", "job.expired"], env).json()
    return {"url": clean_database, "employer": employer, "subscription": added}


@pytest.mark.postgres
def test_without_the_variable_on_postgres_secrets_are_refused_in_one_line(run_cli, subscribed):
    env = {"ITMJ_DATABASE_URL": subscribed["url"]}
    employer = str(subscribed["employer"])
    for argv in (
        ["webhook", "list", "--employer", employer],
        ["webhook", "add", "--employer", employer, "--url", "https://hooks.example/2",
         "--event", "job.expired"],
        ["webhook", "rotate-secret", str(subscribed["subscription"]["id"])],
        ["webhook", "test", str(subscribed["subscription"]["id"])],
        ["secrets", "reencrypt"],
    ):
        result = run_cli(argv, env)
        assert (result.code, result.stdout, result.error_lines) == (1, "", [MISSING]), argv
    # What touches no secret works as before.
    assert run_cli(["credits", "balance", "--employer", employer], env).json()["JobPosting"] == 0
    assert run_cli(["employer", "create", "--name", "Globex"], env).json() == {"id": 2}


@pytest.mark.postgres
def test_reencrypt_moves_every_secret_to_the_newest_key(run_cli, subscribed):
    secret = subscribed["subscription"]["secret"]
    rotation = {"ITMJ_DATABASE_URL": subscribed["url"], "ITMJ_SECRET_KEYS": f"{KEY_B},{KEY_A}"}
    [b] = parse_keys(KEY_B)
    assert run_cli(["secrets", "reencrypt"], rotation).json() == {
        "keyId": key_id(b), "reencrypted": 1, "encrypted": 0,
    }
    assert run_cli(["secrets", "reencrypt"], rotation).json() == {
        "keyId": key_id(b), "reencrypted": 0, "encrypted": 0,
    }
    with psycopg.connect(subscribed["url"]) as conn:
        [(stored,)] = conn.execute("SELECT secret FROM webhook_subscriptions").fetchall()
    assert stored.startswith(f"aesgcm1.{key_id(b)}.")
    assert secret not in stored

    only_b = {"ITMJ_DATABASE_URL": subscribed["url"], "ITMJ_SECRET_KEYS": KEY_B}
    listed = run_cli(["webhook", "list", "--employer", str(subscribed["employer"])], only_b)
    assert [s["id"] for s in listed.json()] == [subscribed["subscription"]["id"]]

    only_a = {"ITMJ_DATABASE_URL": subscribed["url"], "ITMJ_SECRET_KEYS": KEY_A}
    refused = run_cli(["webhook", "list", "--employer", str(subscribed["employer"])], only_a)
    assert refused.code == 1
    assert refused.error_lines == [
        f"itmj: webhook_subscriptions.secret:{subscribed['subscription']['id']} is encrypted "
        f"under key {key_id(b)}, which ITMJ_SECRET_KEYS does not hold: add that key back to "
        "the ring"
    ]

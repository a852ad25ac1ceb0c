"""The key ring webhook secrets are sealed under (``ITMJ_SECRET_KEYS``)."""

import base64
import logging

import pytest

from itmj_adapters import subscription_secrets
from itmj_adapters.composition import build_services
from itmj_adapters.secret_box import (
    KeyRing,
    SecretKeyError,
    SecretKeysMissing,
    UnreadableSecret,
    key_id,
    new_key,
    parse_keys,
)
from itmj_adapters.settings import Settings
from itmj_domain.webhooks.subscriptions import EventType

SECRET = "whsec_" + "s" * 43
ROW = "webhook_subscriptions.secret:7"
[A] = parse_keys(new_key())
[B] = parse_keys(new_key())


def test_a_sealed_secret_opens_to_itself_and_shows_nothing_of_it():
    ring = KeyRing([A])
    token = ring.seal(SECRET, ROW)
    assert SECRET not in token
    assert "sssss" not in token
    assert ring.open(token, ROW) == SECRET


def test_each_seal_draws_a_fresh_nonce():
    ring = KeyRing([A])
    assert ring.seal(SECRET, ROW) != ring.seal(SECRET, ROW)


def test_the_newest_key_seals_and_the_token_names_it():
    token = KeyRing([B, A]).seal(SECRET, ROW)
    assert token.startswith(f"aesgcm1.{key_id(B)}.")
    assert KeyRing([B]).open(token, ROW) == SECRET


def test_an_older_key_of_the_ring_still_opens_what_it_sealed():
    token = KeyRing([A]).seal(SECRET, ROW)
    assert KeyRing([B, A]).open(token, ROW) == SECRET


def test_a_token_whose_key_left_the_ring_is_refused_naming_the_variable():
    token = KeyRing([A]).seal(SECRET, ROW)
    with pytest.raises(SecretKeyError) as refused:
        KeyRing([B]).open(token, ROW)
    message = str(refused.value)
    assert "ITMJ_SECRET_KEYS" in message
    assert key_id(A) in message
    assert ROW in message


@pytest.mark.parametrize("position", [-1, -10, len("aesgcm1.") + 10])
def test_an_altered_token_does_not_open(position):
    ring = KeyRing([A])
    token = ring.seal(SECRET, ROW)
    changed = "A" if token[position] != "A" else "B"
    altered = token[:position] + changed + token[position + 1:]
    with pytest.raises(UnreadableSecret):
        ring.open(altered, ROW)


@pytest.mark.parametrize("cut", [1, 20, 40])
def test_a_truncated_token_does_not_open(cut):
    ring = KeyRing([A])
    token = ring.seal(SECRET, ROW)
    with pytest.raises(UnreadableSecret):
        ring.open(token[:-cut], ROW)


def test_a_token_does_not_open_for_another_row():
    ring = KeyRing([A])
    token = ring.seal(SECRET, ROW)
    with pytest.raises(UnreadableSecret, match="copied from another row"):
        ring.open(token, "webhook_subscriptions.secret:8")


def test_what_is_not_a_token_is_refused():
    with pytest.raises(UnreadableSecret, match="not a sealed secret"):
        KeyRing([A]).open("aesgcm2.abc.def", ROW)


def test_the_ring_never_shows_its_keys():
    ring = KeyRing([A, B])
    shown = repr(ring) + repr(Settings(secret_keys=(A, B)))
    for key in (A, B):
        assert base64.urlsafe_b64encode(key).decode().rstrip("=") not in shown
        assert repr(key) not in shown


def test_a_new_key_is_32_random_bytes_in_url_safe_base64():
    first, second = new_key(), new_key()
    assert first != second
    assert len(base64.urlsafe_b64decode(first)) == 32
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")


def test_the_variable_lists_keys_newest_first_padding_and_spaces_optional():
    a, b = new_key(), new_key()
    settings = Settings.from_environ({"ITMJ_SECRET_KEYS": f" {b.rstrip('=')} ,{a}"})
    assert settings.secret_keys == (*parse_keys(b), *parse_keys(a))


@pytest.mark.parametrize(("value", "position"), [
    ("not-a-key", 1),
    (base64.urlsafe_b64encode(bytes(16)).decode(), 1),  # too short
    (base64.urlsafe_b64encode(bytes(33)).decode(), 1),  # too long
    (base64.b64encode(b"\xfb" * 32).decode(), 1),  # standard base64: '+' and '/'
    ("{key},", 2),  # an empty key after a trailing comma
    ("{key},{key}x", 2),
])
def test_a_malformed_key_is_refused_naming_the_variable_and_its_position(value, position):
    key = new_key()
    text = value.format(key=key)
    with pytest.raises(SecretKeyError) as refused:
        Settings.from_environ({"ITMJ_SECRET_KEYS": text})
    message = str(refused.value)
    assert message.startswith(f"ITMJ_SECRET_KEYS: key {position} is not 32 bytes")
    assert "\n" not in message
    assert key not in message


def test_an_empty_variable_is_unset():
    assert Settings.from_environ({"ITMJ_SECRET_KEYS": ""}).secret_keys == ()


def test_without_a_ring_every_secret_read_or_written_is_refused_naming_the_variable():
    for touch in (
        lambda: subscription_secrets.sealed(None, 7, SECRET),
        lambda: subscription_secrets.revealed(None, 7, KeyRing([A]).seal(SECRET, ROW)),
        lambda: subscription_secrets.revealed(None, 7, SECRET),
    ):
        with pytest.raises(SecretKeysMissing, match=r"^ITMJ_SECRET_KEYS is not set: "):
            touch()


def test_a_secret_stored_before_secrets_were_sealed_still_reads():
    assert subscription_secrets.revealed(KeyRing([A]), 7, SECRET) == SECRET


def test_in_memory_without_keys_an_ephemeral_key_is_made_and_the_log_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="itmj_adapters.composition"):
        build_services(Settings()).close()
    [record] = [r for r in caplog.records if "ITMJ_SECRET_KEYS" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "made for this process" in record.getMessage()


def test_in_memory_with_keys_the_configured_ring_seals(caplog):
    with caplog.at_level(logging.WARNING, logger="itmj_adapters.composition"):
        services = build_services(Settings(secret_keys=(A,)))
    try:
        assert not [r for r in caplog.records if "ITMJ_SECRET_KEYS" in r.getMessage()]
        employer = services.accounts.create_employer("Acme")
        created = services.webhooks.subscribe(
            employer.id, "https://hooks.example/in", frozenset({EventType.JOB_EXPIRED})
        )
        stored = services.uow.store.tables["subscriptions"][created.subscription.id]
        assert stored.secret.startswith(f"aesgcm1.{key_id(A)}.")
        assert services.webhooks.get(created.subscription.id).secret == created.secret
    finally:
        services.close()

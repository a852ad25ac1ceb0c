"""Webhook secrets at rest on real PostgreSQL: sealed in their column and in a dump, readable
through every key of the ring, moved to the newest key by ``reencrypt_secrets``, and refused
naming ``ITMJ_SECRET_KEYS`` when the variable is unset."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.postgres.secret_rotation import Reencryption, reencrypt_secrets
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
from itmj_adapters.subscription_secrets import context
from itmj_domain.credits import CreditKind
from itmj_domain.webhooks.subscriptions import EventType

pytestmark = pytest.mark.postgres
[A] = parse_keys(new_key())
[B] = parse_keys(new_key())
EXPIRED = frozenset({EventType.JOB_EXPIRED})


def services_with(database_url: str, *keys: bytes) -> Services:
    return build_services(
        Settings(database_url=database_url, db_pool_size=2, secret_keys=keys),
        clock=SystemClock(),
    )


def subscribe(services: Services, count: int = 1) -> list[tuple[int, str]]:
    """(id, secret) of ``count`` new subscriptions of a new employer."""
    employer = services.accounts.create_employer("Acme")
    made = []
    for n in range(count):
        created = services.webhooks.subscribe(employer.id, f"https://hooks.example/{n}", EXPIRED)
        made.append((created.subscription.id, created.secret))
    return made


def stored_secrets(database_url: str) -> dict[int, str]:
    with psycopg.connect(database_url) as conn:
        return dict(conn.execute("SELECT id, secret FROM webhook_subscriptions").fetchall())


def test_the_column_holds_no_secret_in_the_clear(clean_database):
    services = services_with(clean_database, A)
    try:
        made = subscribe(services, 3)
        rotated = services.webhooks.rotate_secret(made[0][0])
        made[0] = (made[0][0], rotated.secret)
        stored = stored_secrets(clean_database)
        for subscription_id, secret in made:
            assert stored[subscription_id].startswith(f"aesgcm1.{key_id(A)}.")
            assert secret not in stored[subscription_id]
            assert secret.removeprefix("whsec_") not in stored[subscription_id]
            assert services.webhooks.get(subscription_id).secret == secret
        assert [s.secret for s in services.webhooks.list(1)] == [s for _, s in made]
    finally:
        services.close()


def test_a_dump_of_the_database_holds_no_secret_in_the_clear(clean_database):
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump (PostgreSQL's client) must be on the PATH"
    services = services_with(clean_database, A)
    try:
        made = subscribe(services, 2)
    finally:
        services.close()
    dump = subprocess.run(
        [pg_dump, "--dbname", clean_database, "--no-owner"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    assert "COPY public.webhook_subscriptions" in dump
    for _subscription_id, secret in made:
        assert secret not in dump
        assert secret.removeprefix("whsec_") not in dump
    assert dump.count(f"aesgcm1.{key_id(A)}.") == 2


def stored_previous_secrets(database_url: str) -> dict[int, str | None]:
    with psycopg.connect(database_url) as conn:
        return dict(
            conn.execute("SELECT id, previous_secret FROM webhook_subscriptions").fetchall()
        )


def test_the_secret_a_rotation_replaced_is_sealed_in_its_own_column(clean_database):
    services = services_with(clean_database, A)
    try:
        [(subscription_id, first)] = subscribe(services)
        assert stored_previous_secrets(clean_database) == {subscription_id: None}
        rotated = services.webhooks.rotate_secret(subscription_id)
        stored = stored_previous_secrets(clean_database)[subscription_id]
        assert stored is not None and stored.startswith(f"aesgcm1.{key_id(A)}.")
        assert first not in stored and first.removeprefix("whsec_") not in stored
        read = services.webhooks.get(subscription_id)
        assert (read.secret, read.previous_secret) == (rotated.secret, first)
        # A token opens only in the column it was sealed for.
        with psycopg.connect(clean_database) as conn:
            conn.execute(
                "UPDATE webhook_subscriptions SET previous_secret = secret WHERE id = %s",
                (subscription_id,),
            )
        with pytest.raises(UnreadableSecret, match=f"previous_secret:{subscription_id}"):
            services.webhooks.get(subscription_id)
    finally:
        services.close()


def test_reencrypting_moves_previous_secrets_to_the_newest_key_too(clean_database):
    under_a = services_with(clean_database, A)
    try:
        (rotated_id, first), (plain_id, plain) = subscribe(under_a, 2)
        second = under_a.webhooks.rotate_secret(rotated_id).secret
    finally:
        under_a.close()
    assert reencrypt_secrets(clean_database, KeyRing([B, A])) == Reencryption(
        key_id(B), reencrypted=3, encrypted=0
    )
    assert stored_previous_secrets(clean_database)[rotated_id].startswith(
        f"aesgcm1.{key_id(B)}."
    )
    under_b = services_with(clean_database, B)
    try:
        read = under_b.webhooks.get(rotated_id)
        assert (read.secret, read.previous_secret) == (second, first)
        assert under_b.webhooks.get(plain_id).secret == plain
    finally:
        under_b.close()


def test_a_sealed_secret_copied_to_another_row_does_not_open(clean_database):
    services = services_with(clean_database, A)
    try:
        (first, _), (second, _) = subscribe(services, 2)
        with psycopg.connect(clean_database) as conn:
            conn.execute(
                "UPDATE webhook_subscriptions SET secret ="
                " (SELECT secret FROM webhook_subscriptions WHERE id = %s) WHERE id = %s",
                (first, second),
            )
        with pytest.raises(UnreadableSecret, match=f"secret:{second} does not open"):
            services.webhooks.get(second)
    finally:
        services.close()


def test_a_rotation_adds_a_key_reencrypts_and_drops_the_old_one(clean_database):
    under_a = services_with(clean_database, A)
    try:
        [(subscription_id, secret)] = subscribe(under_a)
    finally:
        under_a.close()

    both = services_with(clean_database, B, A)
    try:
        assert both.webhooks.get(subscription_id).secret == secret
        assert reencrypt_secrets(clean_database, KeyRing([B, A])) == Reencryption(
            key_id(B), reencrypted=1, encrypted=0
        )
    finally:
        both.close()
    assert stored_secrets(clean_database)[subscription_id].startswith(f"aesgcm1.{key_id(B)}.")

    under_b = services_with(clean_database, B)
    try:
        assert under_b.webhooks.get(subscription_id).secret == secret
    finally:
        under_b.close()

    only_a = services_with(clean_database, A)
    try:
        with pytest.raises(SecretKeyError, match="ITMJ_SECRET_KEYS does not hold"):
            only_a.webhooks.get(subscription_id)
    finally:
        only_a.close()


def test_reencrypting_seals_secrets_stored_in_the_clear_and_twice_does_nothing(clean_database):
    services = services_with(clean_database, A)
    try:
        made = subscribe(services, 5)
        legacy_id, legacy_secret = made[1]
        with psycopg.connect(clean_database) as conn:
            conn.execute("UPDATE webhook_subscriptions SET secret = %s WHERE id = %s",
                         (legacy_secret, legacy_id))
        # Written before secrets were sealed: still read, until the command seals it.
        assert services.webhooks.get(legacy_id).secret == legacy_secret

        first = reencrypt_secrets(clean_database, KeyRing([B, A]), batch_size=2)
        assert first == Reencryption(key_id(B), reencrypted=4, encrypted=1)
        stored = stored_secrets(clean_database)
        assert all(token.startswith(f"aesgcm1.{key_id(B)}.") for token in stored.values())
        assert legacy_secret not in stored[legacy_id]
        assert reencrypt_secrets(clean_database, KeyRing([B, A])) == Reencryption(
            key_id(B), reencrypted=0, encrypted=0
        )
        assert stored_secrets(clean_database) == stored
    finally:
        services.close()
    under_b = services_with(clean_database, B)
    try:
        assert [under_b.webhooks.get(i).secret for i, _ in made] == [s for _, s in made]
    finally:
        under_b.close()


def test_a_secret_changed_while_reencrypting_is_reencrypted_in_its_latest_version(
    clean_database,
):
    under_a = services_with(clean_database, A)
    try:
        [(subscription_id, _)] = subscribe(under_a)
    finally:
        under_a.close()
    rotated = "whsec_" + "r" * 43
    # A process still sealing under A rotates the secret and holds its row meanwhile.
    with psycopg.connect(clean_database) as writer, ThreadPoolExecutor(1) as running:
        writer.execute(
            "UPDATE webhook_subscriptions SET secret = %s WHERE id = %s",
            (KeyRing([A]).seal(rotated, context(subscription_id)), subscription_id),
        )
        reencryption = running.submit(reencrypt_secrets, clean_database, KeyRing([B, A]))
        deadline = time.monotonic() + 30
        while not _someone_waits_on_a_lock(clean_database):
            assert time.monotonic() < deadline and not reencryption.done()
            time.sleep(0.02)
        writer.commit()
        assert reencryption.result(timeout=30) == Reencryption(key_id(B), 1, 0)
    under_b = services_with(clean_database, B)
    try:
        assert under_b.webhooks.get(subscription_id).secret == rotated
    finally:
        under_b.close()


def _someone_waits_on_a_lock(database_url: str) -> bool:
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row is not None and row[0] > 0


def test_without_the_variable_secrets_are_refused_and_nothing_else(clean_database):
    keyed = services_with(clean_database, A)
    try:
        [(subscription_id, _)] = subscribe(keyed)
    finally:
        keyed.close()
    services = services_with(clean_database)
    try:
        employer = services.accounts.create_employer("Globex")
        services.credits.grant(employer.id, CreditKind.JOB_POSTING, 5)
        assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 5
        for touch in (
            lambda: services.webhooks.get(subscription_id),
            lambda: services.webhooks.list(1),
            lambda: services.webhooks.rotate_secret(subscription_id),
            lambda: services.webhooks.subscribe(employer.id, "https://hooks.example/", EXPIRED),
        ):
            with pytest.raises(SecretKeysMissing, match=r"^ITMJ_SECRET_KEYS is not set: "):
                touch()
        assert services.webhooks.list(employer.id) == []
    finally:
        services.close()

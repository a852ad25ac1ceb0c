import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from itmj_domain.applications import ApplicationStatus
from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.events import (
    ApplicationStatusChanged,
    ApplicationSubmitted,
    Event,
    JobExpired,
    WebhookTest,
)
from itmj_domain.jobs import ApplyMethod
from itmj_domain.webhooks import signing
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.retry_policy import RetryPolicy
from itmj_domain.webhooks.subscriptions import (
    AUTO_DISABLE_AFTER,
    ROTATION_OVERLAP,
    EventType,
    Subscription,
)
from itmj_domain.webhooks.targets import TargetPolicy
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SPEC_DELAYS = [60, 300, 900, 3600, 21600, 86400, 86400, 86400]


def test_signature_header_is_t_then_v1_over_timestamp_dot_body():
    body = b'{"id":"e1"}'
    header = signing.signature_header("whsec_abc", 1_700_000_000, body)
    t, v1 = header.split(",")
    assert t == "t=1700000000"
    expected = hmac.new(b"whsec_abc", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert v1 == f"v1={expected}"


def test_a_receiver_accepts_fresh_signatures_and_rejects_the_rest():
    body = b'{"x":1}'
    header = signing.signature_header("whsec_k", 1000, body)
    assert signing.verify("whsec_k", header, body, now=1000 + 300)
    assert not signing.verify("whsec_k", header, body, now=1000 + 301)
    assert not signing.verify("whsec_k", header, body, now=1000 - 301)
    assert not signing.verify("whsec_other", header, body, now=1000)
    assert not signing.verify("whsec_k", header, body + b" ", now=1000)
    assert not signing.verify("whsec_k", "v1=abc", body, now=1000)
    assert not signing.verify("whsec_k", "t=x,v1=abc", body, now=1000)
    assert not signing.verify("whsec_k", "t=1000,v1=\u00e9\u00e9", body, now=1000)


def test_new_secrets_are_prefixed_and_unique():
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_")
    assert len(first) > 40
    assert first != second


def test_the_spec_schedule_is_eight_retries_after_an_immediate_attempt():
    policy = RetryPolicy()
    assert policy.max_attempts == 9
    assert [policy.delay_after(n).total_seconds() for n in range(1, 9)] == SPEC_DELAYS
    assert policy.delay_after(9) is None
    with refused(InvalidInput):
        policy.delay_after(0)


def test_operators_can_override_the_delays():
    policy = RetryPolicy.from_seconds("1, 2,0.5")
    assert [d.total_seconds() for d in policy.delays] == [1, 2, 0.5]
    with refused(InvalidInput):
        RetryPolicy.from_seconds("1,x")
    for bad in ("0", "-1", "60,0"):
        with refused(InvalidInput, field="delays"):
            RetryPolicy.from_seconds(bad)


def delivery() -> Delivery:
    return Delivery("d-1", 1, "e-1", NOW, NOW)


def test_a_failing_delivery_follows_the_schedule_then_dies():
    policy = RetryPolicy()
    current, now = delivery(), NOW
    assert current.is_due(now)
    for delay in SPEC_DELAYS:
        current = current.failed(now, "HTTP 500", policy)
        assert current.status is DeliveryStatus.PENDING
        assert current.next_attempt_at == now + timedelta(seconds=delay)
        assert not current.is_due(now)
        now = current.next_attempt_at
    current = current.failed(now, "timeout", policy)
    assert current.status is DeliveryStatus.DEAD
    assert current.attempts == 9
    assert current.last_error == "timeout"
    assert current.id == "d-1"
    with refused(InvalidState):
        current.failed(now, "again", policy)


def test_success_ends_the_delivery_and_a_dead_letter_can_be_replayed():
    done = delivery().succeeded(NOW, 204)
    assert (done.status, done.attempts, done.delivered_at, done.last_attempt_at) == (
        DeliveryStatus.DELIVERED, 1, NOW, NOW
    )
    assert (done.last_status_code, done.last_error) == (204, None)
    later = NOW + timedelta(minutes=1)
    retried = delivery().failed(NOW, "HTTP 503", RetryPolicy(), 503).succeeded(later)
    assert (retried.attempts, retried.last_attempt_at, retried.delivered_at) == (2, later, later)
    assert (retried.last_status_code, retried.last_error) == (None, None)
    dead = Delivery("d-2", 1, "e-1", NOW, NOW, status=DeliveryStatus.DEAD, attempts=9)
    replay = dead.redeliver(NOW + timedelta(days=3))
    assert (replay.status, replay.attempts, replay.id) == (DeliveryStatus.PENDING, 0, "d-2")
    assert replay.is_due(NOW + timedelta(days=3))
    with refused(InvalidState):
        replay.redeliver(NOW)
    delivered_again = done.redeliver(NOW + timedelta(days=1))
    assert (delivered_again.status, delivered_again.delivered_at) == (DeliveryStatus.PENDING, None)


def subscription() -> Subscription:
    return Subscription(
        1, 2, "https://ats.example.com/hook", frozenset({EventType.JOB_EXPIRED}), "whsec_x", NOW
    )


def test_ten_consecutive_failures_disable_a_subscription_once():
    sub = subscription()
    for _ in range(AUTO_DISABLE_AFTER - 1):
        sub = sub.record_failure(NOW)
    assert sub.enabled
    disabled = sub.record_failure(NOW)
    assert not disabled.enabled
    assert disabled.auto_disabled_by(sub)
    again = disabled.record_failure(NOW)
    assert not again.auto_disabled_by(disabled)


def test_a_success_resets_the_failure_count():
    sub = subscription()
    for _ in range(AUTO_DISABLE_AFTER - 1):
        sub = sub.record_failure(NOW)
    sub = sub.record_success()
    for _ in range(AUTO_DISABLE_AFTER - 1):
        sub = sub.record_failure(NOW)
    assert sub.enabled


def test_a_subscription_needs_an_event_it_can_subscribe_to():
    for events in (frozenset(), frozenset({EventType.WEBHOOK_TEST})):
        with refused(InvalidInput, field="events"):
            attrs.evolve(subscription(), events=events)


def test_a_subscription_wants_only_its_events_enabled_or_not():
    sub = subscription()
    assert sub.wants(EventType.JOB_EXPIRED)
    assert not sub.wants(EventType.APPLICATION_SUBMITTED)
    assert sub.disable(NOW).wants(EventType.JOB_EXPIRED)
    assert not sub.disable(NOW).wants(EventType.APPLICATION_SUBMITTED)
    assert "whsec_x" not in repr(sub)


@pytest.mark.parametrize(
    "url",
    ["http://ats.example.com/hook", "ftp://x", "https://", "https://u:p@host/x", "not a url"],
)
def test_targets_must_be_https_with_a_host(url):
    with refused(InvalidInput):
        TargetPolicy().check_url(url)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("::7f00:1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("2002:7f00:1::", False),
        ("100.64.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::5db8:d822", True),
        ("2002:5db8:d822::1", True),
    ],
)
def test_private_and_metadata_addresses_are_refused(address, allowed):
    assert TargetPolicy().address_allowed(address) is allowed
    assert TargetPolicy(allow_private=True).address_allowed(address)


def test_reenabling_a_disabled_subscription_starts_its_count_afresh():
    sub = subscription()
    for _ in range(AUTO_DISABLE_AFTER):
        sub = sub.record_failure(NOW)
    assert (sub.enabled, sub.disabled_at) == (False, NOW)
    enabled = sub.enable()
    assert (enabled.enabled, enabled.consecutive_failures, enabled.disabled_at) == (True, 0, None)
    for _ in range(AUTO_DISABLE_AFTER - 1):
        enabled = enabled.record_failure(NOW)
    assert enabled.enabled


def test_a_secret_carries_256_random_bits_in_standard_base64_after_its_prefix():
    secret = signing.new_secret()
    assert secret.startswith(signing.SECRET_PREFIX)
    encoded = secret.removeprefix(signing.SECRET_PREFIX)
    assert len(encoded) == 44  # 32 bytes, standard base64 with its padding
    assert base64.b64decode(encoded, validate=True) == signing.standard_key(secret)
    assert len(signing.standard_key(secret)) == 32
    assert signing.is_standard(secret)


@pytest.mark.parametrize("secret", [
    "whsec_" + "Ab-_" * 10 + "xyz",  # as issued before: URL-safe base64 without padding
    "whsec_",
    "whsec_!!!!",
    "c2VjcmV0c2VjcmV0c2VjcmV0",  # base64, but without the prefix
])
def test_a_secret_the_standard_libraries_cannot_read_alike_gets_no_standard_headers(secret):
    assert signing.standard_key(secret) is None
    assert not signing.is_standard(secret)
    assert signing.standard_headers([secret], "dlv_1", 1_000, b"{}") == {}


def test_the_standard_signature_is_base64_hmac_of_id_timestamp_body_under_the_decoded_key():
    key = bytes(range(32))
    secret = "whsec_" + base64.b64encode(key).decode()
    body = b'{"id":"evt_1"}'
    headers = signing.standard_headers([secret], "dlv_1", 1_700_000_000, body)
    mac = hmac.new(key, b"dlv_1.1700000000." + body, hashlib.sha256).digest()
    assert headers == {
        "webhook-id": "dlv_1",
        "webhook-timestamp": "1700000000",
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }


def test_several_secrets_sign_newest_first_separated_by_spaces_skipping_unreadable_ones():
    new, old = signing.new_secret(), signing.new_secret()
    legacy = "whsec_" + "x" * 43
    signature = signing.standard_headers([new, old, legacy], "dlv_1", 5, b"{}")[
        "webhook-signature"
    ]
    assert signature.split(" ") == [
        signing.standard_signature(signing.standard_key(s), "dlv_1", 5, b"{}")
        for s in (new, old)
    ]


def test_a_rotation_keeps_the_old_secret_signing_for_24_hours_then_only_the_new():
    sub = Subscription(1, 1, "https://a.example", frozenset({EventType.JOB_EXPIRED}), "whsec_a",
                       NOW)
    assert sub.signing_secrets(NOW) == ("whsec_a",)
    rotated = sub.rotate_secret("whsec_b", NOW)
    assert rotated.previous_secret_until == NOW + ROTATION_OVERLAP == NOW + timedelta(hours=24)
    assert rotated.signing_secrets(NOW) == ("whsec_b", "whsec_a")
    last = NOW + ROTATION_OVERLAP - timedelta(microseconds=1)
    assert rotated.signing_secrets(last) == ("whsec_b", "whsec_a")
    assert rotated.signing_secrets(NOW + ROTATION_OVERLAP) == ("whsec_b",)
    again = rotated.rotate_secret("whsec_c", NOW + timedelta(hours=1))
    assert again.signing_secrets(NOW + timedelta(hours=1)) == ("whsec_c", "whsec_b")
    assert "whsec_a" not in repr(rotated)


def test_a_previous_secret_goes_with_the_end_of_its_overlap():
    sub = Subscription(1, 1, "https://a.example", frozenset({EventType.JOB_EXPIRED}), "whsec_a",
                       NOW)
    with pytest.raises(ValueError):
        attrs.evolve(sub, previous_secret="whsec_old")
    with pytest.raises(ValueError):
        attrs.evolve(sub, previous_secret_until=NOW)


def test_only_a_secret_in_the_standard_form_signs_the_standard_headers():
    sub = Subscription(1, 1, "https://a.example", frozenset({EventType.JOB_EXPIRED}),
                       "whsec_" + "x" * 43, NOW)
    assert not sub.signs_standard
    assert sub.rotate_secret(signing.new_secret(), NOW).signs_standard


def test_a_receiver_ignores_fields_it_does_not_know_whatever_they_hold():
    body = b'{"id": "evt_1"}'
    header = signing.signature_header("whsec_x", 1_000, body)
    assert signing.verify("whsec_x", f"{header},v0=a=b,note", body, 1_000)
    assert signing.verify("whsec_x", f"v0=x==,{header}", body, 1_000)


def test_a_target_url_is_at_most_2048_characters():
    base = "https://ats.example.com/"
    longest = base + "x" * (2048 - len(base))
    assert TargetPolicy().check_url(longest) == longest
    with refused(InvalidInput, field="url"):
        TargetPolicy().check_url(longest + "x")


@pytest.mark.parametrize(
    "url", ["https://user@ats.example.com/hook", "https://:secret@ats.example.com/hook"]
)
def test_a_target_url_carries_no_credentials(url):
    with refused(InvalidInput, field="url"):
        TargetPolicy().check_url(url)


def test_a_target_url_needs_https_and_a_host_and_names_the_field():
    for url in ("http://ats.example.com/hook", "https:///hook"):
        with refused(InvalidInput, field="url"):
            TargetPolicy().check_url(url)


def test_a_finished_delivery_takes_no_more_attempts():
    done = delivery().succeeded(NOW)
    for attempt in (lambda: done.succeeded(NOW), lambda: done.failed(NOW, "x", RetryPolicy())):
        with refused(InvalidState):
            attempt()


def test_a_change_keeps_what_it_is_not_given_and_checks_the_events_as_at_creation():
    subscription = Subscription(1, 1, "https://a.example.com", frozenset(
        {EventType.JOB_EXPIRED}), "whsec_k", NOW)
    moved = subscription.change(url="https://b.example.com")
    assert (moved.url, moved.events, moved.secret) == (
        "https://b.example.com", subscription.events, "whsec_k")
    both = moved.change(events=frozenset({EventType.APPLICATION_SUBMITTED}))
    assert (both.url, both.events) == ("https://b.example.com",
                                       frozenset({EventType.APPLICATION_SUBMITTED}))
    for events in (frozenset(), frozenset({EventType.WEBHOOK_TEST})):
        with refused(InvalidInput) as refusal:
            subscription.change(events=events)
        assert refusal.value.field == "events"


def test_an_event_is_about_its_application_or_job_and_a_test_event_about_nothing():
    def subject(payload):
        return Event.record(1, NOW, payload).subject

    assert subject(ApplicationSubmitted(7, 3, "IT Manager", 11, NOW, ApplyMethod.URL_APPLY)) == (
        "application:7"
    )
    assert subject(ApplicationStatusChanged(
        7, ApplicationStatus.NEW, ApplicationStatus.SCREENED, NOW, 3, "REQ-1"
    )) == "application:7"
    assert subject(JobExpired(3, NOW)) == "job:3"
    assert subject(WebhookTest(5, NOW)) is None
    assert Event.record(1, NOW, JobExpired(3, NOW)).sequence is None

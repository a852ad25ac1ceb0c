"""Standard Webhooks (SPEC §11): real deliveries to a loopback receiver, verified by the
official ``standardwebhooks`` package, beside the legacy header of SPEC §10 (checked as partners
do, in Python and in Node.js); the overlap of a secret rotation; secrets issued before the
standard was supported."""

import base64
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from itmj_adapters.webhook_sender import USER_AGENT
from itmj_domain.accounts import Role
from itmj_domain.webhooks.subscriptions import ROTATION_OVERLAP, EventType, Subscription
from tests.adapters.receiver import Received, Receiver
from tests.use_cases.test_webhooks import partner_verifies

EXPIRED = frozenset({EventType.JOB_EXPIRED})
# A secret as they were issued before Standard Webhooks support: URL-safe base64, no padding.
LEGACY_SECRET = "whsec_" + "kX9-_q" * 7 + "Z"


@pytest.fixture
def employer(services, clock):
    # The official library checks the timestamp against the real time.
    clock.set(datetime.now(UTC).replace(microsecond=0))
    employer = services.accounts.create_employer("Acme")
    services.accounts.add_user(employer.id, "admin@acme.example", Role.EMPLOYER_ADMIN)
    return employer


def delivered(services, subscription_id: int, receiver: Receiver) -> Received:
    before = len(receiver.received)
    services.webhooks.send_test(subscription_id)
    return receiver.wait_for(before + 1)[before]


def signed_by(secret: str, received: Received) -> bool:
    """Whether the official library finds a signature by ``secret`` among those sent,
    whatever the time (it computes the signature; ``verify`` would also check the clock)."""
    headers = received.headers
    expected = Webhook(secret).sign(
        headers["webhook-id"],
        datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC),
        received.body,
    )
    return expected in headers["webhook-signature"].split(" ")


def test_the_official_library_verifies_a_real_delivery(services, clock, employer):
    with Receiver() as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, EXPIRED)
        received = delivered(services, created.subscription.id, receiver)
    headers = received.headers
    message = Webhook(created.secret).verify(received.body, headers)
    assert message["event"] == "webhook.test"
    assert headers["webhook-id"] == headers["X-Webhook-Delivery-Id"]
    assert headers["webhook-timestamp"] == str(int(clock.now().timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    assert " " not in headers["webhook-signature"]
    assert headers["User-Agent"] == USER_AGENT == "ITManagerJobs-Webhooks/1"
    assert partner_verifies(
        created.secret, headers["X-Webhook-Signature"], received.body,
        int(clock.now().timestamp()),
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(created.secret).verify(received.body + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(services.webhooks.subscribe(employer.id, receiver.url, EXPIRED).secret).verify(
            received.body, headers
        )


def test_both_secrets_sign_for_24_hours_after_a_rotation_then_only_the_new(
    services, clock, employer
):
    with Receiver() as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, EXPIRED)
        rotated = services.webhooks.rotate_secret(created.subscription.id)
        during = delivered(services, created.subscription.id, receiver)
        clock.advance(ROTATION_OVERLAP - timedelta(seconds=1))
        last = delivered(services, created.subscription.id, receiver)
        clock.advance(timedelta(seconds=1))
        after = delivered(services, created.subscription.id, receiver)
    assert rotated.subscription.previous_secret_until == clock.now()
    # Verified for real while the clock is the real time; later ones by the library's
    # signature, which is all its verify adds to the time check.
    assert Webhook(rotated.secret).verify(during.body, during.headers)
    assert Webhook(created.secret).verify(during.body, during.headers)
    for received in (during, last):
        assert len(received.headers["webhook-signature"].split(" ")) == 2
        assert signed_by(rotated.secret, received) and signed_by(created.secret, received)
    assert signed_by(rotated.secret, after)
    assert not signed_by(created.secret, after)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    # The legacy header carries one signature, by the current secret, all along.
    for received in (during, last, after):
        header = received.headers["X-Webhook-Signature"]
        stamp = int(received.headers["webhook-timestamp"])
        assert header.count("v1=") == 1
        assert partner_verifies(rotated.secret, header, received.body, stamp)
        assert not partner_verifies(created.secret, header, received.body, stamp)


def legacy_subscription(services, employer_id: int, url: str) -> Subscription:
    with services.uow() as uow:
        subscription = Subscription(
            uow.subscriptions.next_id(), employer_id, url, EXPIRED, LEGACY_SECRET,
            services.clock.now(),
        )
        uow.subscriptions.add(subscription)
        uow.commit()
    return subscription


def test_a_secret_issued_before_keeps_the_legacy_header_and_a_rotation_brings_the_standard(
    services, clock, employer
):
    with Receiver() as receiver:
        legacy = legacy_subscription(services, employer.id, receiver.url)
        before = delivered(services, legacy.id, receiver)
        rotated = services.webhooks.rotate_secret(legacy.id)
        after = delivered(services, legacy.id, receiver)
    now = int(clock.now().timestamp())
    assert not legacy.signs_standard
    assert partner_verifies(LEGACY_SECRET, before.headers["X-Webhook-Signature"], before.body, now)
    assert not {"webhook-id", "webhook-timestamp", "webhook-signature"} & set(before.headers)
    assert rotated.subscription.signs_standard
    # The old secret cannot sign the standard header, so the new one signs it alone.
    assert Webhook(rotated.secret).verify(after.body, after.headers)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert partner_verifies(rotated.secret, after.headers["X-Webhook-Signature"], after.body, now)


# SPEC §10's check as a partner's Node.js receiver runs it, with Node's own crypto.
NODE_CHECK = r"""
const crypto = require("crypto");
const { SECRET, HEADER, BODY_BASE64, NOW } = process.env;
const fields = Object.fromEntries(HEADER.split(",").map((part) => {
  const at = part.indexOf("=");
  return [part.slice(0, at), part.slice(at + 1)];
}));
const expected = crypto.createHmac("sha256", SECRET)
  .update(fields.t + ".").update(Buffer.from(BODY_BASE64, "base64")).digest("hex");
const fresh = Math.abs(Number(NOW) - Number(fields.t)) <= 300;
const same = expected.length === fields.v1.length
  && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(fields.v1));
process.exit(fresh && same ? 0 : 1);
"""


def node_verifies(secret: str, received: Received, now: int) -> bool:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is missing on CI")
        pytest.skip("Node.js is not installed")
    checked = subprocess.run(
        [node, "-e", NODE_CHECK],
        env={"SECRET": secret, "HEADER": received.headers["X-Webhook-Signature"],
             "BODY_BASE64": base64.b64encode(received.body).decode(), "NOW": str(now)},
        timeout=30, check=False,
    )
    assert checked.returncode in (0, 1)
    return checked.returncode == 0


def test_a_partners_nodejs_check_of_spec_section_10_still_verifies_the_legacy_header(
    services, clock, employer
):
    with Receiver() as receiver:
        created = services.webhooks.subscribe(employer.id, receiver.url, EXPIRED)
        before = delivered(services, created.subscription.id, receiver)
        rotated = services.webhooks.rotate_secret(created.subscription.id)
        after = delivered(services, created.subscription.id, receiver)
    now = int(clock.now().timestamp())
    assert node_verifies(created.secret, before, now)
    assert not node_verifies(rotated.secret, before, now)
    assert node_verifies(rotated.secret, after, now)
    assert not node_verifies(created.secret, after, now)
    assert not node_verifies(created.secret, before, now + 301)

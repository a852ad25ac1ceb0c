"""The webhook sender against a real receiver on loopback."""

import pytest

from itmj_adapters.host_resolver import SystemResolver
from itmj_adapters.webhook_sender import WebhookSender
from itmj_domain.webhooks.targets import TargetPolicy
from tests.adapters.receiver import Receiver

OPEN = TargetPolicy(allow_private=True)


def sender(policy: TargetPolicy = OPEN, **options) -> WebhookSender:
    return WebhookSender(policy, SystemResolver(), **options)


def test_it_posts_the_body_and_headers_and_reads_the_status():
    with Receiver(status=204) as receiver:
        outcome = sender().send(
            receiver.url + "/hooks", {"X-Webhook-Event": "job.expired"}, b'{"a":1}'
        )
    assert outcome.succeeded
    [received] = receiver.received
    assert (received.path, received.body) == ("/hooks", b'{"a":1}')
    assert received.headers["X-Webhook-Event"] == "job.expired"
    assert received.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("status", [199, 302, 400, 500, 503])
def test_anything_but_2xx_is_a_failure(status):
    with Receiver(status=status, location="https://elsewhere.example/") as receiver:
        outcome = sender().send(receiver.url, {}, b"{}")
    assert not outcome.succeeded
    assert outcome.status_code == status
    assert len(receiver.received) == 1


def test_redirects_are_not_followed():
    with Receiver(status=200) as target, Receiver(status=307, location=target.url) as hop:
        outcome = sender().send(hop.url, {}, b"{}")
    assert outcome.status_code == 307
    assert target.received == []


def test_a_slow_target_times_out():
    with Receiver(delay=1.0) as receiver:
        outcome = sender(timeout_seconds=0.2).send(receiver.url, {}, b"{}")
    assert not outcome.succeeded
    assert outcome.status_code is None
    assert outcome.error == "timed out"


def test_a_refused_connection_is_a_failure():
    with Receiver() as receiver:
        url = receiver.url
    outcome = sender().send(url, {}, b"{}")
    assert outcome.status_code is None
    assert outcome.error == "connection failed: Connection refused"


def test_an_unresolvable_host_is_a_failure_with_a_plain_reason():
    outcome = sender().send("https://no-such-host.invalid/hook", {}, b"{}")
    assert outcome.error == "host name could not be resolved"

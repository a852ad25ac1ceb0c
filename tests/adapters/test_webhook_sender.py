"""The webhook sender against a real receiver on loopback."""

import pytest

from itmj_adapters.webhook_sender import WebhookSender
from itmj_domain.webhooks.targets import TargetPolicy
from tests.adapters.receiver import Receiver

OPEN = TargetPolicy(allow_private=True)


def test_it_posts_the_body_and_headers_and_reads_the_status():
    with Receiver(status=204) as receiver:
        outcome = WebhookSender(OPEN).send(
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
        outcome = WebhookSender(OPEN).send(receiver.url, {}, b"{}")
    assert not outcome.succeeded
    assert outcome.status_code == status
    assert len(receiver.received) == 1


def test_redirects_are_not_followed():
    with Receiver(status=200) as target, Receiver(status=307, location=target.url) as hop:
        outcome = WebhookSender(OPEN).send(hop.url, {}, b"{}")
    assert outcome.status_code == 307
    assert target.received == []


def test_a_slow_target_times_out():
    with Receiver(delay=1.0) as receiver:
        outcome = WebhookSender(OPEN, timeout_seconds=0.2).send(receiver.url, {}, b"{}")
    assert not outcome.succeeded
    assert outcome.status_code is None
    assert "timed out" in outcome.describe().lower()


def test_a_refused_connection_is_a_failure():
    with Receiver() as receiver:
        url = receiver.url
    outcome = WebhookSender(OPEN).send(url, {}, b"{}")
    assert outcome.status_code is None
    assert outcome.error


def test_loopback_is_refused_at_connect_time_in_production():
    with Receiver() as receiver:
        https_url = receiver.url.replace("http://", "https://")
        outcome = WebhookSender(TargetPolicy()).send(https_url, {}, b"{}")
        plain = WebhookSender(TargetPolicy()).send(receiver.url, {}, b"{}")
    assert "not allowed" in outcome.describe()
    assert "https" in plain.describe()
    assert receiver.received == []


def test_hostnames_that_resolve_to_loopback_are_refused_too():
    with Receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        outcome = WebhookSender(TargetPolicy()).send(f"https://localhost:{port}/", {}, b"{}")
    assert "not allowed" in outcome.describe()
    assert receiver.received == []

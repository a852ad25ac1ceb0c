"""The webhooks of the OpenAPI document: every event a subscription can receive, its body
exactly as the event encoder writes it, and the headers a real delivery carries."""

import json

import pytest

from itmj_adapters.testing import RecordingSender
from itmj_domain.webhooks.subscriptions import EventType
from tests.http.support import served_document
from tests.http.test_http_openapi import validator

HEADERS = ["X-Webhook-Signature", "X-Webhook-Event", "X-Webhook-Delivery-Id", "webhook-id",
           "webhook-timestamp", "webhook-signature"]


def _body(root: dict, event: str) -> dict:
    return root["webhooks"][event]["post"]["requestBody"]["content"]["application/json"]


def test_every_event_is_described_with_its_headers_and_an_example():
    root = served_document()
    assert set(root["webhooks"]) == {event.value for event in EventType}
    for event, item in root["webhooks"].items():
        headers = {p["name"]: p for p in item["post"]["parameters"] if p["in"] == "header"}
        assert list(headers) == HEADERS
        # The legacy headers come with every delivery; the standard ones with a standard
        # secret only.
        assert [name for name, header in headers.items() if header["required"]] == HEADERS[:3]
        assert headers["X-Webhook-Event"]["schema"]["const"] == event
        assert _body(root, event)["example"]["event"] == event


def test_each_example_is_the_encoders_body_field_for_field():
    """The examples are encoded from domain events by the real encoder; validated against the
    closed schema, a field the encoder writes and the document lacks fails here, as does a
    documented field it does not write."""
    root = served_document()
    for event in root["webhooks"]:
        media = _body(root, event)
        example = media["example"]
        errors = list(validator(root, media["schema"]).iter_errors(example))
        assert not errors, (event, errors)
        envelope = root["components"]["schemas"][media["schema"]["$ref"].rsplit("/")[-1]]
        assert list(envelope["properties"]) == list(example)
        data = root["components"]["schemas"][envelope["properties"]["data"]["$ref"].rsplit(
            "/")[-1]]
        assert list(data["properties"]) == list(example["data"])


@pytest.fixture
def partner() -> RecordingSender:
    return RecordingSender()


def test_a_real_delivery_carries_documented_headers_and_body(make_services, partner):
    services = make_services(webhook_sender=partner)
    employer = services.accounts.create_employer("Acme")
    subscription = services.webhooks.subscribe(
        employer.id, "https://hooks.acme.example/in", frozenset({EventType.JOB_EXPIRED}),
    ).subscription
    services.webhooks.send_test(subscription.id)
    [request] = partner.requests
    root = served_document()
    documented = {p["name"].lower(): p["schema"]
                  for p in root["webhooks"]["webhook.test"]["post"]["parameters"]}
    sent = {name.lower(): value for name, value in request.headers.items()
            if name.lower().startswith(("x-webhook-", "webhook-"))}
    assert sent
    for name, value in sent.items():
        assert validator(root, documented[name]).is_valid(value), (name, value)
    schema = _body(root, "webhook.test")["schema"]
    assert not list(validator(root, schema).iter_errors(json.loads(request.body)))

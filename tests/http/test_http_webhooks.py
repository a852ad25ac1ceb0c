"""The Webhooks API (scope Webhooks, SPEC §12) over HTTP, on every backend: the portal's webhook
page by API, under the same target rules and tenant isolation."""

from datetime import timedelta

import pytest
from falcon.testing import TestClient

from itmj_adapters.composition import build_services
from itmj_adapters.memory.host_resolver import StaticResolver
from itmj_adapters.settings import Settings
from itmj_adapters.testing import RecordingSender, run_due
from itmj_domain.api_keys import Scope
from itmj_domain.webhooks.subscriptions import EventType, Subscription
from itmj_http.app import create_app
from itmj_http.webhook_json import (
    CREATED_FIELDS,
    DELIVERY_FIELDS,
    LOGGED_DELIVERY_FIELDS,
    SUBSCRIPTION_FIELDS,
)
from tests.http.support import Partner, new_partner

WEBHOOKS = "/api/v1/webhooks"
SUBSCRIPTIONS = f"{WEBHOOKS}/subscriptions"
HOOK = "https://hooks.example.com/itmj"
BODY = {"url": HOOK, "events": ["application.submitted", "job.expired"]}
WEBHOOKS_SCOPE = frozenset({Scope.WEBHOOKS})
# A secret as they were issued before Standard Webhooks support: URL-safe base64, no padding.
LEGACY_SECRET = "whsec_" + "kX9-_q" * 7 + "Z"


@pytest.fixture
def sender(clock) -> RecordingSender:
    return RecordingSender(clock)


@pytest.fixture
def services(make_services, sender):
    return make_services(webhook_sender=sender)


@pytest.fixture
def partner(services) -> Partner:
    return new_partner(services, scopes=WEBHOOKS_SCOPE)


@pytest.fixture
def api(client, partner) -> TestClient:
    return TestClient(client.app, headers=partner.bearer)


def _created(api: TestClient, body: dict = BODY) -> dict:
    result = api.simulate_post(SUBSCRIPTIONS, json=body)
    assert result.status_code == 201, result.text
    return result.json


def _refusal(result, status: int, code: str) -> str:
    assert (result.status_code, result.json["code"]) == (status, code), result.text
    return result.json["message"]


def test_a_subscription_is_created_with_its_secret_shown_once(api, services, partner):
    result = api.simulate_post(SUBSCRIPTIONS, json=BODY)
    assert result.status_code == 201, result.text
    created = result.json
    assert tuple(created) == CREATED_FIELDS
    assert result.headers["location"] == f"{SUBSCRIPTIONS}/{created['id']}"
    assert created["secret"].startswith("whsec_")
    assert (created["url"], created["events"], created["enabled"]) == (
        HOOK, ["application.submitted", "job.expired"], True
    )
    [stored] = services.webhooks.list(partner.employer_id)
    assert stored.secret == created["secret"]
    listed = api.simulate_get(SUBSCRIPTIONS).json
    assert listed == {"items": [{k: v for k, v in created.items() if k != "secret"}]}
    one = api.simulate_get(f"{SUBSCRIPTIONS}/{created['id']}").json
    assert tuple(one) == SUBSCRIPTION_FIELDS
    assert result.headers["ratelimit-policy"] == '"self-service";q=60;w=60'


def test_the_url_and_the_events_change_and_only_what_is_sent(api):
    created = _created(api)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    moved = api.simulate_put(path, json={"url": "https://ats.example.org/v2"})
    assert moved.status_code == 200, moved.text
    assert (moved.json["url"], moved.json["events"]) == ("https://ats.example.org/v2",
                                                        created["events"])
    narrowed = api.simulate_put(path, json={"events": ["application.status_changed"]}).json
    assert (narrowed["url"], narrowed["events"]) == ("https://ats.example.org/v2",
                                                     ["application.status_changed"])
    assert api.simulate_get(path).json == narrowed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"url": None}, "url"),
        ({"events": []}, "events"),
        ({"events": ["webhook.test"]}, "events"),
        ({"events": ["job.created"]}, "events"),
        ({"url": "ftp://hooks.example.com/"}, "url"),
        ({"url": HOOK, "secret": "mine"}, "secret"),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(api, body, field):
    created = _created(api)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    message = _refusal(api.simulate_put(path, json=body), 400, "invalid_request")
    assert field in message
    assert api.simulate_get(path).json == {k: v for k, v in created.items() if k != "secret"}


@pytest.mark.parametrize(
    "body",
    [
        {"url": HOOK},
        {"events": ["job.expired"]},
        {**BODY, "enabled": False},
        {"url": "ftp://hooks.example.com", "events": ["job.expired"]},
        {"url": HOOK, "events": "job.expired"},
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_is_created(api, services, partner, body):
    _refusal(api.simulate_post(SUBSCRIPTIONS, json=body), 400, "invalid_request")
    assert services.webhooks.list(partner.employer_id) == []


def test_disable_enable_and_rotate(api, services, partner):
    created = _created(api)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    disabled = api.simulate_post(f"{path}/disable")
    assert disabled.status_code == 200, disabled.text
    assert (disabled.json["enabled"], disabled.json["disabledAt"] is not None) == (False, True)
    enabled = api.simulate_post(f"{path}/enable").json
    assert (enabled["enabled"], enabled["disabledAt"]) == (True, None)
    rotated = api.simulate_post(f"{path}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    assert tuple(rotated.json) == CREATED_FIELDS
    assert rotated.json["secret"] != created["secret"]
    assert services.webhooks.get(created["id"]).secret == rotated.json["secret"]
    assert "secret" not in api.simulate_get(path).json


def _legacy_subscription(services, employer_id: int) -> int:
    with services.uow() as uow:
        subscription = Subscription(
            uow.subscriptions.next_id(), employer_id, HOOK, frozenset({EventType.JOB_EXPIRED}),
            LEGACY_SECRET, services.clock.now(),
        )
        uow.subscriptions.add(subscription)
        uow.commit()
    return subscription.id


def test_every_answer_holding_a_subscription_says_whether_it_signs_standard_webhooks(
    api, services, partner
):
    new = _created(api)
    legacy_id = _legacy_subscription(services, partner.employer_id)
    legacy = f"{SUBSCRIPTIONS}/{legacy_id}"
    assert new["standardWebhooks"] is True
    listed = {item["id"]: item["standardWebhooks"]
              for item in api.simulate_get(SUBSCRIPTIONS).json["items"]}
    assert listed == {new["id"]: True, legacy_id: False}
    for answer in (api.simulate_get(legacy), api.simulate_put(legacy, json={"url": HOOK}),
                   api.simulate_post(f"{legacy}/disable"),
                   api.simulate_post(f"{legacy}/enable")):
        assert answer.status_code == 200, answer.text
        assert answer.json["standardWebhooks"] is False
    rotated = api.simulate_post(f"{legacy}/rotate-secret")
    assert (rotated.status_code, rotated.json["standardWebhooks"]) == (200, True)
    assert rotated.json["secret"] != LEGACY_SECRET
    assert api.simulate_get(legacy).json["standardWebhooks"] is True


def test_an_action_takes_no_body_and_no_query(api):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    _refusal(api.simulate_post(f"{path}/disable", json={"now": True}), 400, "invalid_request")
    _refusal(api.simulate_post(f"{path}/disable", params={"x": "1"}), 400, "invalid_request")
    assert api.simulate_get(path).json["enabled"] is True


def test_a_test_event_is_sent_signed_and_logged_then_redelivered_with_the_same_id(
    api, sender
):
    created = _created(api)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    sent = api.simulate_post(f"{path}/test")
    assert sent.status_code == 202, sent.text
    assert tuple(sent.json) == DELIVERY_FIELDS
    delivery_id = sent.json["id"]
    [request] = sender.requests
    assert request.headers["X-Webhook-Delivery-Id"] == delivery_id
    assert request.headers["X-Webhook-Event"] == "webhook.test"
    log = api.simulate_get(f"{path}/deliveries").json
    assert (log["total"], log["page"], log["pageSize"]) == (1, 1, 50)
    [line] = log["items"]
    assert tuple(line) == LOGGED_DELIVERY_FIELDS
    assert (line["id"], line["status"], line["eventType"], line["lastStatusCode"],
            line["nextAttemptAt"]) == (delivery_id, "delivered", "webhook.test", 200, None)
    again = api.simulate_post(f"{WEBHOOKS}/deliveries/{delivery_id}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json["id"] == delivery_id
    assert [r.headers["X-Webhook-Delivery-Id"] for r in sender.requests] == [delivery_id] * 2


def test_the_delivery_log_is_filtered_by_status_and_paged(api, sender, clock):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    sender.answer_with(200, 500)
    delivered = api.simulate_post(f"{path}/test").json["id"]
    clock.advance(timedelta(seconds=1))
    failing = api.simulate_post(f"{path}/test").json["id"]

    def ids(**params) -> list[str]:
        return [d["id"] for d in api.simulate_get(f"{path}/deliveries", params=params)
                .json["items"]]

    assert ids() == [delivered, failing]
    assert ids(status="delivered") == [delivered]
    assert ids(status="pending") == [failing]
    assert ids(status="dead") == []
    assert ids(pageSize="1", page="2") == [failing]
    _refusal(api.simulate_get(f"{path}/deliveries", params={"status": "lost"}), 400,
             "invalid_request")
    pending = api.simulate_post(f"{WEBHOOKS}/deliveries/{failing}/redeliver")
    _refusal(pending, 400, "invalid_state")


def test_a_disabled_subscription_gets_no_test_event(api, sender):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    api.simulate_post(f"{path}/disable")
    _refusal(api.simulate_post(f"{path}/test"), 400, "invalid_state")
    assert sender.requests == []


def test_delete_removes_the_subscription_and_its_deliveries(api, services, partner):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    delivery_id = api.simulate_post(f"{path}/test").json["id"]
    deleted = api.simulate_delete(path)
    assert (deleted.status_code, deleted.content) == (204, b"")
    _refusal(api.simulate_get(path), 404, "not_found")
    _refusal(api.simulate_delete(path), 404, "not_found")
    _refusal(api.simulate_post(f"{WEBHOOKS}/deliveries/{delivery_id}/redeliver"), 404,
             "not_found")
    assert services.webhooks.list(partner.employer_id) == []


def test_another_employers_subscription_and_delivery_are_not_found_like_missing_ones(
    client, services, api
):
    theirs = new_partner(services, scopes=WEBHOOKS_SCOPE)
    their_api = TestClient(client.app, headers=theirs.bearer)
    subscription = _created(their_api)
    delivery_id = their_api.simulate_post(
        f"{SUBSCRIPTIONS}/{subscription['id']}/test").json["id"]
    missing_id = subscription["id"] + 100
    for suffix, method, body in [
        ("", "GET", None), ("", "PUT", {"url": HOOK}), ("", "DELETE", None),
        ("/enable", "POST", None), ("/disable", "POST", None),
        ("/rotate-secret", "POST", None), ("/test", "POST", None),
        ("/deliveries", "GET", None),
    ]:
        answers = [
            api.simulate_request(method, f"{SUBSCRIPTIONS}/{target}{suffix}", json=body,
                                 headers={"X-Request-Id": "same"})
            for target in (subscription["id"], missing_id)
        ]
        assert answers[0].status_code == 404, (suffix, method)
        assert [a.json["code"] for a in answers] == ["not_found"] * 2
        assert answers[0].json["message"].replace(str(subscription["id"]), "N") == (
            answers[1].json["message"].replace(str(missing_id), "N")
        )
    refused = api.simulate_post(f"{WEBHOOKS}/deliveries/{delivery_id}/redeliver")
    _refusal(refused, 404, "not_found")
    after = their_api.simulate_get(f"{SUBSCRIPTIONS}/{subscription['id']}").json
    assert (after["url"], after["enabled"]) == (HOOK, True)
    assert api.simulate_get(SUBSCRIPTIONS).json == {"items": []}


def test_malformed_ids_are_refused_not_looked_up(api):
    _refusal(api.simulate_get(f"{SUBSCRIPTIONS}/abc"), 400, "invalid_request")
    _refusal(api.simulate_post(f"{WEBHOOKS}/deliveries/dlv%20x/redeliver"), 400,
             "invalid_request")


def test_the_event_types_say_what_can_be_subscribed_to(api):
    result = api.simulate_get(f"{WEBHOOKS}/event-types")
    assert result.status_code == 200
    subscribable = {t["type"]: t["subscribable"] for t in result.json["items"]}
    assert subscribable == {"application.submitted": True, "application.status_changed": True,
                            "job.expired": True, "webhook.test": False}
    assert all(t["description"] for t in result.json["items"])


def test_every_webhooks_route_needs_a_key_with_the_webhooks_scope(client, services, api):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    every_other = new_partner(services, scopes=frozenset({Scope.JOB_POSTING, Scope.CV_SEARCH}))
    routes = [
        ("GET", SUBSCRIPTIONS), ("POST", SUBSCRIPTIONS), ("GET", path), ("PUT", path),
        ("DELETE", path), ("POST", f"{path}/enable"), ("POST", f"{path}/disable"),
        ("POST", f"{path}/rotate-secret"), ("POST", f"{path}/test"),
        ("GET", f"{path}/deliveries"), ("POST", f"{WEBHOOKS}/deliveries/dlv_1/redeliver"),
        ("GET", f"{WEBHOOKS}/event-types"),
    ]
    for method, route in routes:
        assert client.simulate_request(method, route).status_code == 401
        forbidden = client.simulate_request(method, route, headers=every_other.bearer,
                                            json=BODY)
        assert "Webhooks" in _refusal(forbidden, 403, "forbidden")
    assert api.simulate_get(path).json["enabled"] is True


@pytest.fixture
def guarded(clock):
    """The app with the development switch off, as in production: a host resolves as the
    table says."""
    resolver = StaticResolver({"hooks.example.com": ["93.184.216.34"],
                               "inside.example.com": ["10.0.0.7"]})
    built = build_services(Settings(), clock=clock, resolver=resolver,
                           webhook_sender=RecordingSender(clock))
    partner = new_partner(built, scopes=WEBHOOKS_SCOPE)
    yield TestClient(create_app(built), headers=partner.bearer)
    built.close()


@pytest.mark.parametrize(
    "url",
    ["https://127.1/hook", "https://[::ffff:169.254.169.254]/", "https://inside.example.com/",
     "http://hooks.example.com/"],
)
def test_an_internal_or_plain_http_target_is_refused_on_creation_and_on_change(guarded, url):
    message = _refusal(guarded.simulate_post(SUBSCRIPTIONS, json={**BODY, "url": url}), 400,
                       "invalid_request")
    assert "url" in message
    assert guarded.simulate_get(SUBSCRIPTIONS).json == {"items": []}
    created = _created(guarded)
    _refusal(guarded.simulate_put(f"{SUBSCRIPTIONS}/{created['id']}", json={"url": url}),
             400, "invalid_request")
    assert guarded.simulate_get(f"{SUBSCRIPTIONS}/{created['id']}").json["url"] == HOOK


def test_a_refused_internal_target_says_no_more_than_target_not_allowed(guarded):
    message = _refusal(
        guarded.simulate_post(SUBSCRIPTIONS, json={**BODY, "url": "https://inside.example.com"}),
        400, "invalid_request",
    )
    assert message == "target not allowed: url must reach only publicly routable addresses"


def test_a_subscription_disabled_by_api_holds_its_retry_and_enabling_it_sends_it(
    api, services, sender
):
    path = f"{SUBSCRIPTIONS}/{_created(api)['id']}"
    sender.answer_with(503)
    delivery_id = api.simulate_post(f"{path}/test").json["id"]
    api.simulate_post(f"{path}/disable")
    run_due(services, advance=timedelta(hours=1))
    assert sender.delivery_ids == [delivery_id]
    enabled = api.simulate_post(f"{path}/enable")
    assert enabled.status_code == 200, enabled.text
    run_due(services)
    assert sender.delivery_ids == [delivery_id, delivery_id]
    [line] = api.simulate_get(f"{path}/deliveries").json["items"]
    assert (line["status"], line["attempts"]) == ("delivered", 2)

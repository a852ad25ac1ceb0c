"""Contract snapshots (SPEC §9): the OpenAPI document and one representative answer per
operation and status — status, headers and body — are compared with the files committed in
tests/contract_snapshots/, so a change to v1 cannot ship by accident. Every answer must also
be one the document describes, and every status the document lists (but a 500, which needs a
failing server) must have its representative: the document, the snapshots and the app can
only change together.

Update deliberately: ``ITMJ_UPDATE_SNAPSHOTS=1 scripts/test tests/snapshots``.
"""

import json
import re

import jsonschema
import pytest
from falcon.testing import TestClient

from itmj_adapters.testing import RecordingSender
from tests.http.support import served_document
from tests.http.test_http_openapi import METHODS, validator
from tests.snapshots.scenarios import CALLS, Call, World, build_world
from tests.snapshots.snapshot import assert_matches_snapshot, remove_stale

# The health endpoints name each backend's own probes; they are the same contract on both.
_MEMORY_ONLY = {"live", "ready"}
CASES = [
    *[(operation, "memory") for operation in CALLS],
    *[pytest.param(operation, "postgres", marks=pytest.mark.postgres)
      for operation in CALLS if operation not in _MEMORY_ONLY],
]
# Only an answer's length depends on nothing but its body, which is compared in full.
_UNCOMPARED_HEADERS = frozenset({"content-length"})
_SHOWN_ITEMS = 3
# Every call sends this id, so the echoed X-Request-Id and the envelope's requestId are the
# same in every run (a generated id would differ each time).
REQUEST_ID = "snapshot-request-1"
_EVENT_ID = re.compile(r"evt_[0-9a-f]{32}")
# More calls than any rate limit allows in its window.
_MOST_CALLS = 1000
# Made fresh each time, so shown by their shape: webhook secrets, delivery and event ids; and
# the seconds until a key's whole quota is back (RateLimit's ``t``): a shared store counts a
# busy key's leased places when the lease ends (``rate_limit_leases``), so on PostgreSQL they
# are back a second later than in memory, by design, while what is left (``r``) is the same.
_FRESH = [(re.compile(r"whsec_[A-Za-z0-9+/=_-]+"), "whsec_…"),
          (re.compile(r"dlv_[0-9a-f]{32}"), "dlv_…"), (re.compile(r"evt_[0-9a-f]{32}"), "evt_…"),
          (re.compile(r"(;r=\d+;t=)\d+"), r"\1…")]


@pytest.fixture
def services(make_services, clock):
    """Webhook deliveries answered at once, by a receiver that keeps them in memory."""
    return make_services(webhook_sender=RecordingSender(clock))


def _operations() -> dict[str, tuple[str, dict]]:
    root = served_document()
    return {
        operation["operationId"]: (path, operation)
        for path, item in root["paths"].items()
        for method, operation in item.items() if method in METHODS
    }


def test_the_openapi_document_matches_its_snapshot():
    assert_matches_snapshot("openapi.json", served_document())


def test_every_operation_has_its_calls_and_no_snapshot_is_left_over():
    # The document's own answer is the document, snapshotted whole above.
    operations = set(_operations()) - {"openapi"}
    assert set(CALLS) == operations
    assert remove_stale("responses", {f"{operation}.json" for operation in CALLS}) == []


@pytest.mark.parametrize(("operation", "backend"), CASES)
def test_each_answer_of_the_operation_matches_its_snapshot(operation, services, clock):
    world = build_world(services, clock)
    root = served_document()
    _path, described = _operations()[operation]
    answers = {}
    for call in CALLS[operation]:
        status, answer = _answer(world, call)
        assert status not in answers, f"two calls of {operation} answer {status}"
        _assert_documented(root, described, status, answer)
        answers[status] = _stable(answer)
    documented = set(described["responses"]) - {"500"}
    assert set(answers) == documented, "a documented status without its call, or the reverse"
    assert_matches_snapshot(f"responses/{operation}.json", dict(sorted(answers.items())))


def _answer(world: World, call: Call) -> tuple[str, dict]:
    client = TestClient(world.unhealthy_app if call.unhealthy else world.app)
    if call.over_limit:
        _use_up_the_limit(client, world, call.filler())
    result = _send(client, world, call)
    answer = {
        "request": call.describe(),
        "status": result.status_code,
        "headers": {name.lower(): value for name, value in sorted(result.headers.items())
                    if name.lower() not in _UNCOMPARED_HEADERS},
        "body": result.json if result.content else None,
    }
    return str(result.status_code), answer


def _stable(answer: dict) -> dict:
    text = json.dumps(answer)
    for fresh, shown in _FRESH:
        text = fresh.sub(shown, text)
    return json.loads(text)


def _send(client: TestClient, world: World, call: Call):
    headers = {"X-Request-Id": REQUEST_ID, **dict(call.headers)}
    if call.key is not None:
        headers["Authorization"] = f"Bearer {world.keys[call.key]}"
    if call.raw is not None:
        headers["Content-Type"], body = call.raw
        return client.simulate_request(call.method, world.target(call), headers=headers,
                                       body=body)
    return client.simulate_request(call.method, world.target(call), headers=headers,
                                   json=call.json)


def _use_up_the_limit(client: TestClient, world: World, filler: Call) -> None:
    for _ in range(_MOST_CALLS):
        if _send(client, world, filler).status_code == 429:
            return
    pytest.fail(f"no 429 after {_MOST_CALLS} calls like {filler}")


def _assert_documented(root: dict, described: dict, status: str, answer: dict) -> None:
    assert status in described["responses"], f"{status} is not documented"
    response = described["responses"][status]
    response = _resolve(root, response)
    media = response.get("content", {}).get("application/json")
    if media is None:
        assert answer["body"] is None
    else:
        assert answer["headers"]["content-type"] == "application/json"
        try:
            validator(root, media["schema"]).validate(answer["body"])
        except jsonschema.ValidationError as error:
            pytest.fail(f"the {status} body breaks its documented schema: {error.message}")
        if "x-error-codes" in response:
            assert answer["body"]["code"] in response["x-error-codes"]
        answer["body"] = _abridged(_fixed_event_ids(answer["body"]))
    for name, field in response.get("headers", {}).items():
        header = _resolve(root, field)
        value = answer["headers"].get(name.lower())
        if header.get("required"):
            assert value is not None, f"{name} is documented as always sent"
        if value is not None and header["schema"].get("type") == "string":
            assert validator(root, header["schema"]).is_valid(value), (name, value)


def _resolve(root: dict, node: dict) -> dict:
    """The component ``node`` refers to, or ``node`` itself."""
    if "$ref" not in node:
        return node
    _, kind, name = node["$ref"].removeprefix("#/").split("/")
    return root["components"][kind][name]


def _fixed_event_ids(body: object) -> object:
    """Event ids are random by design (``evt_`` and a UUID): shown as one fixed id."""
    if isinstance(body, dict):
        return {key: _fixed_event_ids(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_fixed_event_ids(value) for value in body]
    if isinstance(body, str) and _EVENT_ID.fullmatch(body):
        return "evt_" + "0" * 32
    return body


def _abridged(body: object) -> object:
    """Long lists (the countries) keep their first items: enough to show the shape."""
    if isinstance(body, list) and len(body) > _SHOWN_ITEMS:
        return [*body[:_SHOWN_ITEMS], f"… {len(body) - _SHOWN_ITEMS} more"]
    return body

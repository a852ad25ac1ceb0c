"""docs/partner-guide.md, held to the OpenAPI document the app serves and to the code.

The guide names an operation as inline code, `` `POST /api/v1/jobs/{jobId}/publish` ``, with
the document's own path; an error code as inline code in lower case with underscores,
`` `no_credits` ``. Every operation and code it names must be in the document, and every
operation and code of the document must be in the guide. Its tables of errors and endpoints
must give what the document gives, its tagged JSON examples must fit their schemas, its
figures must be the code's, and its signature-checking receiver must accept what the
platform sends, and nothing else.
"""

import json
import re
import shlex
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.json_style import camel
from itmj_adapters.settings import Settings
from itmj_adapters.webhook_sender import TOTAL_TIMEOUT_SECONDS
from itmj_domain.api_keys import SECRET_LENGTH, Scope
from itmj_domain.events import EVENT_TYPES
from itmj_domain.idempotency import MAX_KEY_LENGTH
from itmj_domain.jobs import DEFAULT_LISTING_DAYS, MAX_LISTING_DAYS
from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_domain.rate_limits import SPEC_POLICIES
from itmj_domain.search import MAX_CLAUSES, MAX_QUERY_LENGTH
from itmj_domain.search.parser import MAX_NESTING
from itmj_domain.services.cv_search import (
    MAX_ACTIVE_WITHIN_DAYS,
    MAX_COUNTRY_FILTERS,
    MAX_SEARCH_WINDOW,
)
from itmj_domain.services.event_log import DEFAULT_LIMIT as DEFAULT_EVENTS
from itmj_domain.services.event_log import MAX_LIMIT as MAX_EVENTS
from itmj_domain.services.event_log import RETENTION
from itmj_domain.services.webhook_delivery import MAX_IN_FLIGHT
from itmj_domain.unlocks import UNLOCK_WINDOW
from itmj_domain.webhooks import signing
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.retry_policy import RetryPolicy
from itmj_domain.webhooks.subscriptions import AUTO_DISABLE_AFTER, EventType
from itmj_http.app import create_app
from itmj_http.rate_limits import policy_field
from itmj_http.request_body import MAX_BODY_BYTES
from tests.adapters.receiver import Receiver
from tests.docs.markdown import Block, blocks, inline_code, prose, section, table_rows
from tests.http.support import served_document
from tests.use_cases.test_webhooks import active_job, candidate

GUIDE_PATH = Path(__file__).parents[2] / "docs" / "partner-guide.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
# One line, so that a figure the text wraps is still found.
FLAT_GUIDE = " ".join(GUIDE.split())

_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
_OPERATION = re.compile(rf"({'|'.join(m.upper() for m in _METHODS)}) (/\S*)")
_ERROR_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")
_CODE_MEMBER = re.compile(r'"code"\s*:\s*"([^"]*)"')
# A code after its status, as in "402 `no_credits`" (a code may be one word: `forbidden`).
_STATUS_AND_CODE = re.compile(r"\b[1-5][0-9]{2}\*{0,2} `([a-z_]+)`")
_WEBHOOK_TAG = "webhook"


def named_operations(markdown: str) -> set[tuple[str, str]]:
    """The operations named as inline code, without any query string."""
    named = set()
    for span in inline_code(markdown):
        operation = _OPERATION.fullmatch(span)
        if operation:
            named.add((operation.group(1), operation.group(2).split("?", 1)[0]))
    return named


def named_error_codes(markdown: str) -> set[str]:
    """Inline code in lower case with underscores, inline code after a status, and the
    codes the examples' bodies carry."""
    named = {span for span in inline_code(markdown) if _ERROR_CODE.fullmatch(span)}
    named.update(_STATUS_AND_CODE.findall(" ".join(prose(markdown).split())))
    for block in blocks(markdown):
        named.update(_CODE_MEMBER.findall(block.text))
    return named


def documented_operations(document: dict) -> dict[tuple[str, str], dict]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in _METHODS
    }


def _resolve(document: dict, node: dict) -> dict:
    if "$ref" not in node:
        return node
    for part in node["$ref"].removeprefix("#/").split("/"):
        document = document[part]
    return document


def documented_codes(document: dict) -> dict[str, set[int]]:
    """Each error code with the statuses any operation answers it with."""
    statuses: dict[str, set[int]] = defaultdict(set)
    for operation in documented_operations(document).values():
        for status, response in operation["responses"].items():
            for code in _resolve(document, response).get("x-error-codes", []):
                statuses[code].add(int(status))
    return dict(statuses)


def _policy(document: dict, operation: dict) -> str | None:
    """The rate limit policy the operation's 429 names, or None when it has no 429."""
    refused = operation["responses"].get("429")
    if refused is None:
        return None
    field = _resolve(document, refused["headers"]["RateLimit-Policy"])
    return field["schema"]["const"].split('"')[1]


def _codes_in_backticks(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


@pytest.fixture(scope="module")
def document() -> dict:
    return served_document()


def test_every_operation_the_guide_names_is_in_the_document(document):
    named = named_operations(GUIDE)
    assert named, "the guide names no operation as `METHOD /path`"
    unknown = named - set(documented_operations(document))
    assert not unknown, f"named in the guide, not in the OpenAPI document: {sorted(unknown)}"


def test_every_operation_of_the_document_is_named_in_the_guide(document):
    missing = set(documented_operations(document)) - named_operations(GUIDE)
    assert not missing, f"in the OpenAPI document, never named in the guide: {sorted(missing)}"


def test_every_error_code_the_guide_names_is_in_the_document(document):
    known = set(document["components"]["schemas"]["ErrorCode"]["enum"])
    unknown = named_error_codes(GUIDE) - known
    assert not unknown, f"codes the guide names that the document does not have: {unknown}"


def test_the_error_table_gives_every_code_the_statuses_the_document_gives_it(document):
    rows = list(table_rows(section(GUIDE, "Errors")))
    assert rows[0][:2] == ["Code", "Status"]
    table = {}
    for cells in rows[1:]:
        [code] = _codes_in_backticks(cells[0])
        table[code] = {int(status) for status in re.findall(r"\d{3}", cells[1])}
    assert table == documented_codes(document)
    enum = document["components"]["schemas"]["ErrorCode"]["enum"]
    assert sorted(table) == sorted(enum)


def test_the_endpoint_table_gives_each_operation_its_rate_limit_and_whether_it_needs_a_key(
    document,
):
    rows = list(table_rows(section(GUIDE, "Endpoints and what they cost")))
    assert rows[0] == ["Operation", "Scope", "Cost", "Rate limit"]
    operations = documented_operations(document)
    listed = set()
    for operation_cell, scope, _cost, limit in rows[1:]:
        [name] = _codes_in_backticks(operation_cell)
        method, path = name.split(" ", 1)
        operation = operations[(method, path)]
        listed.add((method, path))
        policy = _policy(document, operation)
        assert limit == ("none" if policy is None else f"`{policy}`"), name
        assert (scope == "none") == (operation.get("security") == []), name
    assert listed == set(operations)


def _examples() -> list[Block]:
    return [b for b in blocks(GUIDE) if b.language == "json" and b.tag not in (None, _WEBHOOK_TAG)]


@pytest.mark.parametrize("example", _examples(), ids=lambda b: f"{b.section}:{b.tag}")
def test_every_tagged_example_fits_its_schema(document, example: Block):
    schema = {"$ref": f"#/components/schemas/{example.tag}", "components": document["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(json.loads(example.text))


def test_the_guide_shows_examples_of_the_main_shapes():
    assert {b.tag for b in _examples()} >= {
        "Error", "JobPage", "JobCreate", "Job", "Application", "CandidateSearch",
        "CandidateSearchPage",
    }


def _webhook_examples() -> list[Block]:
    return [b for b in blocks(GUIDE) if b.language == "json" and b.tag == _WEBHOOK_TAG]


def test_webhook_examples_have_the_shape_the_platform_sends():
    assert _webhook_examples(), "the guide shows no webhook body"
    fields = {
        event_type.value: [camel(a.name) for a in attrs.fields(payload)]
        for payload, event_type in EVENT_TYPES.items()
    }
    for example in _webhook_examples():
        body = json.loads(example.text)
        assert list(body) == ["id", "event", "occurredAt", "sequence", "data"]
        assert body["id"].startswith("evt_")
        assert sorted(body["data"]) == sorted(fields[body["event"]])


def test_the_event_table_lists_every_event_with_its_data_fields():
    rows = list(table_rows(section(GUIDE, "Events")))
    assert rows[0][0] == "Event"
    table = {
        _codes_in_backticks(cells[0])[0]: _codes_in_backticks(cells[-1]) for cells in rows[1:]
    }
    assert table == {
        event_type.value: [camel(a.name) for a in attrs.fields(payload)]
        for payload, event_type in EVENT_TYPES.items()
    }


def _curl_calls() -> list[tuple[str, str]]:
    """(method, path) of every curl command in the guide's shell examples."""
    calls = []
    for block in blocks(GUIDE):
        if block.language != "sh":
            continue
        words = shlex.split(block.text.replace("\\\n", " "))
        if words[0] != "curl":
            continue
        method = words[words.index("-X") + 1] if "-X" in words else (
            "POST" if "-d" in words else "GET")
        [url] = [w for w in words if w.startswith("https://HOST/")]
        calls.append((method, url.removeprefix("https://HOST")))
    return calls


def test_every_curl_example_calls_a_documented_operation(document):
    assert _curl_calls()
    templates = {
        (method, re.sub(r"\{[^}]+\}", "[^/]+", path))
        for method, path in documented_operations(document)
    }
    for method, path in _curl_calls():
        assert any(
            method == m and re.fullmatch(pattern, path) for m, pattern in templates
        ), f"{method} {path}"


def test_the_first_call_is_the_one_partners_are_told_to_make():
    assert 'curl -H "Authorization: Bearer pk_live_…" https://HOST/api/v1/jobs' in GUIDE


def _delay(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    return f"{seconds // 3600}h" if seconds >= 3600 else f"{seconds // 60}m"


# The guide writes ranges with an en dash.
TO = "\N{EN DASH}"
_FACTS = {
    "key length": f"`pk_live_` followed by {SECRET_LENGTH}",
    "body limit": f"at most {MAX_BODY_BYTES // 2**20} MiB",
    "page size": f"`pageSize` (1{TO}{MAX_PAGE_SIZE}, default 50)",
    "listing default": f"listed for {DEFAULT_LISTING_DAYS} days",
    "listing maximum": f"at most {MAX_LISTING_DAYS} days out",
    "unlock window": f"{UNLOCK_WINDOW.days}-day unlock",
    "country filters": f"at most {MAX_COUNTRY_FILTERS})",
    "activity": f"(1{TO}{MAX_ACTIVE_WITHIN_DAYS:,})",
    "search window": f"pageSize` is at most {MAX_SEARCH_WINDOW:,}",
    "query limits": f"at most {MAX_QUERY_LENGTH:,} characters, {MAX_CLAUSES} clauses",
    "nesting": f"{MAX_NESTING} nested parentheses",
    "idempotency key": f"`Idempotency-Key: <1{TO}{MAX_KEY_LENGTH} characters>`",
    "retries": "tried again after " + " → ".join(_delay(d) for d in RetryPolicy().delays),
    "auto-disable": f"After {AUTO_DISABLE_AFTER} consecutive failed attempts",
    "events kept": f"events of the last {RETENTION.days} days",
    "events limit": f"(1{TO}{MAX_EVENTS}, default {DEFAULT_EVENTS})",
    "in flight": f"At most {MAX_IN_FLIGHT} deliveries per subscription",
    "timeout": f"within {TOTAL_TIMEOUT_SECONDS:g} seconds",
    "tolerance": f"({signing.TOLERANCE_SECONDS} seconds)",
    "snippet tolerance": f"TOLERANCE_SECONDS = {signing.TOLERANCE_SECONDS}",
    "secret": f"`{signing.SECRET_PREFIX}` and {len(signing.new_secret()) - 6} characters",
    **{f"policy {family.value}": policy_field(policy)
       for family, policy in SPEC_POLICIES.items()},
}


@pytest.mark.parametrize("fact", _FACTS.values(), ids=_FACTS.keys())
def test_the_guide_gives_the_figures_the_code_uses(fact):
    assert " ".join(fact.split()) in FLAT_GUIDE


def test_the_rate_limit_table_gives_every_policy_its_limit():
    rows = list(table_rows(section(GUIDE, "Rate limits")))
    table = {_codes_in_backticks(cells[0])[0]: cells[2] for cells in rows[1:]}
    assert table == {
        policy.name: f"{policy.limit} a minute" for policy in SPEC_POLICIES.values()
    }
    assert {p.period_seconds for p in SPEC_POLICIES.values()} == {60}


def test_every_event_a_partner_can_receive_is_named():
    named = set(inline_code(GUIDE))
    assert {event.value for event in EventType} <= named


# The receiver of "Verifying a signature", run as partners would run it.


def _receiver_source() -> str:
    [block] = [
        b for b in blocks(GUIDE) if b.section == "Verifying a signature" and b.language == "python"
    ]
    return block.text


@pytest.fixture
def receiver() -> dict[str, Any]:
    """The snippet's module namespace; ``__main__`` is not its name, so it serves nothing."""
    namespace: dict[str, Any] = {"__name__": "partner_receiver"}
    exec(compile(_receiver_source(), str(GUIDE_PATH), "exec"), namespace)
    return namespace


BODY = b'{"id":"evt_1","event":"job.expired","data":{"jobPostId":1}}'


def test_the_receiver_accepts_what_the_platform_signs(receiver):
    secret = signing.new_secret()
    now = int(time.time())
    header = signing.signature_header(secret, now, BODY)
    assert receiver["verify"](secret, header, BODY, now)
    assert receiver["verify"](secret, header, BODY)  # its own clock


@pytest.mark.parametrize("offset", [-300, 300])
def test_the_receiver_accepts_a_signature_five_minutes_off(receiver, offset):
    secret = signing.new_secret()
    header = signing.signature_header(secret, 1_800_000_000, BODY)
    assert receiver["verify"](secret, header, BODY, 1_800_000_000 + offset)


@pytest.mark.parametrize("offset", [-301, 301])
def test_the_receiver_refuses_a_signature_more_than_five_minutes_off(receiver, offset):
    secret = signing.new_secret()
    header = signing.signature_header(secret, 1_800_000_000, BODY)
    assert not receiver["verify"](secret, header, BODY, 1_800_000_000 + offset)


def test_the_receiver_refuses_another_secret_or_another_body(receiver):
    secret = signing.new_secret()
    header = signing.signature_header(secret, 1_800_000_000, BODY)
    assert not receiver["verify"](signing.new_secret(), header, BODY, 1_800_000_000)
    assert not receiver["verify"](secret, header, BODY + b" ", 1_800_000_000)
    assert not receiver["verify"](secret, header, json.dumps(json.loads(BODY)).encode(),
                                  1_800_000_000)


@pytest.mark.parametrize("header", [
    "", "garbage", "t=1800000000", "v1=00", "t=soon,v1=00", "t=1800000000,v1=é",
    "t=1800000000,v1=", ",,=,=",
])
def test_the_receiver_refuses_a_malformed_header_without_raising(receiver, header):
    assert not receiver["verify"](signing.new_secret(), header, BODY, 1_800_000_000)


def test_the_receiver_takes_a_real_delivery_once_and_refuses_a_stale_signature(receiver):
    """The platform delivers to the snippet's handler on loopback: it is handled, a
    redelivery under the same id is acknowledged and not handled again, and a signature
    from a clock six minutes ahead is refused, so that attempt fails and waits to retry."""
    clock = ManualClock(datetime.now(UTC))
    services = build_services(
        Settings(webhook_allow_private=True), clock=clock,
        password_hasher=Argon2PasswordHasher.cheap(),
    )
    handled: list[tuple[str, dict]] = []
    receiver["handle"] = lambda event, message: handled.append((event, message))
    server = HTTPServer(("127.0.0.1", 0), receiver["WebhookHandler"])
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        employer = services.accounts.create_employer("Acme")
        created = services.webhooks.subscribe(
            employer.id, f"http://127.0.0.1:{server.server_port}/itmj",
            frozenset({EventType.APPLICATION_SUBMITTED}),
        )
        receiver["SECRET"] = created.secret
        job = active_job(services, employer.id)
        application = services.applications.submit(job.id, candidate(services, clock))

        def delivery():
            [only] = services.webhooks.deliveries(
                created.subscription.id, None, PageRequest()
            ).items
            return only

        first = delivery()
        assert (first.status, first.last_status_code) == (DeliveryStatus.DELIVERED, 204)
        [(event, message)] = handled
        assert event == "application.submitted"
        assert message["data"]["applicationId"] == application.id

        services.webhooks.redeliver(first.id)
        again = delivery()
        assert (again.id, again.status, again.last_status_code) == (
            first.id, DeliveryStatus.DELIVERED, 204)
        assert len(handled) == 1

        clock.advance(timedelta(minutes=6))
        services.webhooks.redeliver(first.id)
        stale = delivery()
        assert (stale.status, stale.last_status_code) == (DeliveryStatus.PENDING, 401)
        assert len(handled) == 1
    finally:
        server.shutdown()
        server.server_close()
        services.close()


# The snippet of "Verifying with a Standard Webhooks library", on real deliveries.


@pytest.fixture
def standard_receiver() -> dict[str, Any]:
    [block] = [
        b for b in blocks(GUIDE)
        if b.section == "Verifying with a Standard Webhooks library" and b.language == "python"
    ]
    namespace: dict[str, Any] = {"__name__": "partner_standard_receiver"}
    exec(compile(block.text, str(GUIDE_PATH), "exec"), namespace)
    return namespace


def test_the_standard_webhooks_snippet_verifies_a_real_delivery_and_refuses_a_forged_one(
    standard_receiver,
):
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    services = build_services(
        Settings(webhook_allow_private=True), clock=clock,
        password_hasher=Argon2PasswordHasher.cheap(),
    )
    try:
        employer = services.accounts.create_employer("Acme")
        with Receiver() as receiver:
            created = services.webhooks.subscribe(
                employer.id, receiver.url, frozenset({EventType.JOB_EXPIRED})
            )
            services.webhooks.send_test(created.subscription.id)
            [received] = receiver.wait_for(1)
    finally:
        services.close()
    standard_receiver["SECRET"] = created.secret
    message = standard_receiver["verified"](received.headers, received.body)
    assert message["event"] == "webhook.test"
    assert standard_receiver["verified"](received.headers, received.body + b" ") is None
    standard_receiver["SECRET"] = signing.new_secret()
    assert standard_receiver["verified"](received.headers, received.body) is None


# The reconcile loop of "Re-reading events", run against the real app.


def _reconcile_source() -> str:
    [block] = [
        b for b in blocks(GUIDE) if b.section == "Re-reading events" and b.language == "python"
    ]
    return block.text


def test_the_reconcile_loop_hands_over_every_event_once_and_keeps_its_place():
    clock = ManualClock(datetime.now(UTC))
    services = build_services(
        Settings(webhook_allow_private=True), clock=clock,
        password_hasher=Argon2PasswordHasher.cheap(),
    )
    try:
        employer = services.accounts.create_employer("Acme", trusted_partner=True)
        key = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.JOB_POSTING}))
        api = TestClient(create_app(services))
        namespace: dict[str, Any] = {"__name__": "partner_reconcile"}
        exec(compile(_reconcile_source(), str(GUIDE_PATH), "exec"), namespace)
        def get_events(params: dict) -> dict:
            """The snippet's request, answered by the app, two events a page."""
            query = {**params, "limit": 2}
            answer = api.simulate_get(
                namespace["EVENTS"].removeprefix("https://HOST"), params=query,
                headers={"Authorization": f"Bearer {key.plaintext}"},
            )
            assert answer.status_code == 200, answer.text
            return answer.json

        job = active_job(services, employer.id)
        for _ in range(5):
            services.applications.submit(job.id, candidate(services, clock))
        handled: list[dict] = []
        reconcile = namespace["reconcile"]
        namespace["get_events"] = get_events
        cursor = reconcile(None, handled.append)
        assert [e["sequence"] for e in handled] == [1, 2, 3, 4, 5]
        assert reconcile(cursor, handled.append) == cursor
        assert len(handled) == 5
        services.applications.submit(job.id, candidate(services, clock))
        assert reconcile(cursor, handled.append) != cursor
        assert [e["sequence"] for e in handled] == [1, 2, 3, 4, 5, 6]
    finally:
        services.close()

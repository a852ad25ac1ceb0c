"""The OpenAPI 3.1 document of v1 (SPEC §9), served at /swagger/v1/swagger.json.

Schemas come from the code (``openapi_schemas``, and ``openapi_webhooks`` for the bodies of
webhook deliveries); this module says which operation answers what, and tags each by its
path (``_TAGS``) for generated clients. Tests check that every route of the app is
described, that the document is valid OpenAPI 3.1, that real answers fit it (schemathesis,
and the contract snapshots, whose every status must be documented and whose every documented
status must have one), and it is itself a committed snapshot: it changes only on purpose.
"""

import enum
import re
from collections.abc import Mapping
from typing import Any

import falcon

from itmj_domain.applications import ApplicationStatus
from itmj_domain.idempotency import MAX_KEY_LENGTH
from itmj_domain.jobs import TEXT_LIMITS, JobStatus
from itmj_domain.pagination import MAX_PAGE_SIZE
from itmj_domain.rate_limits import RateLimitPolicy
from itmj_domain.services.event_log import DEFAULT_LIMIT as DEFAULT_EVENTS
from itmj_domain.services.event_log import MAX_LIMIT as MAX_EVENTS
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_http import cursors, idempotency, openapi_webhooks
from itmj_http.auth import PENDING_CHALLENGE
from itmj_http.credit_resources import CHARGED, CREDITS_PATH, REMAINING
from itmj_http.event_resources import EVENTS_PATH
from itmj_http.json_converter import TIMESTAMP_PATTERN
from itmj_http.json_schema import Schema
from itmj_http.openapi_conditional import describe_conditional_requests
from itmj_http.openapi_examples import EXAMPLES
from itmj_http.openapi_schemas import ID, ref, schemas
from itmj_http.params import DEFAULT_PAGE_SIZE, MAX_PAGE
from itmj_http.rate_limits import policy_field
from itmj_http.request_body import MAX_BODY_BYTES
from itmj_http.responses import send_json
from itmj_http.webhook_resources import DELIVERIES_PATH, EVENT_TYPES_PATH, SUBSCRIPTIONS_PATH

OPENAPI_PATH = "/swagger/v1/swagger.json"
_INFO_DESCRIPTION = """\
The partner API of ITManagerJobs. Send an API key as `Authorization: Bearer pk_live_...` or
as `X-Api-Key: pk_live_...`. A missing, malformed, unknown, revoked, expired or unapproved key
is 401 with no body at all; a key without the endpoint's scope is 403. Every other 4xx has
the body `{"code": "...", "message": "..."}`: `code` is stable, `message` is for humans.
Bodies are `application/json` of at most 1 MiB; unknown fields and unknown query parameters
are refused; strings must be valid Unicode without NUL characters; timestamps are ISO 8601
with `Z` or an offset. A call that fails costs nothing and changes nothing. Every answer
carries `X-Request-Id`: the caller's own when it sent one of 1 to 128 visible ASCII characters,
else a new one; error bodies repeat it as `requestId`. Quote it to support."""


def _error(description: str, *codes: str, **headers: Schema) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        # The codes the status answers today, for readers and tests. The schema is the
        # envelope's own, whose code is open: a code added later (SPEC §11) must not break a
        # client generated today, so no closed list of codes is part of a schema.
        "x-error-codes": list(codes),
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        response["headers"] = headers
    return response


_RESPONSES: dict[str, dict[str, Any]] = {
    "InvalidRequest": _error("invalid_request: a malformed id, parameter or body; the message "
                             "names the field", "invalid_request"),
    "InvalidJobRequest": _error("invalid_request, or invalid_state when the job's status does "
                                "not allow the operation", "invalid_request", "invalid_state"),
    "InvalidSearch": _error("invalid_query: the query is malformed (the message gives the "
                            "0-based position and what was expected there) or too expensive "
                            "to evaluate (the message starts with \"query too expensive\"); "
                            "or invalid_request for the rest of the body. Nothing is charged.",
                            "invalid_request", "invalid_query"),
    "Unauthorized": {
        "description": "Missing, malformed, unknown, revoked, expired or unapproved key. "
                       "No body. A real key that waits for approval gets the second "
                       "challenge (only its holder can see it); every other refusal the "
                       "bare one.",
        "headers": {"WWW-Authenticate": {"schema": {
            "type": "string", "anyOf": [{"const": "Bearer"}, {"const": PENDING_CHALLENGE}],
        }}},
    },
    "NoCredits": _error("no_credits: nothing was charged and nothing changed", "no_credits"),
    "Forbidden": _error("forbidden: the key lacks the endpoint's scope", "forbidden"),
    "NotFound": _error("not_found: no such object for this employer (one of another "
                       "employer answers the same)", "not_found"),
    "PayloadTooLarge": _error(f"invalid_request: a body over {MAX_BODY_BYTES} bytes",
                              "invalid_request"),
    "UnsupportedMediaType": _error("invalid_request: a body not sent as application/json",
                                   "invalid_request"),
    "ServerError": _error("internal_error: transient, nothing was charged", "internal_error"),
    "InvalidWebhookRequest": _error("invalid_request (an internal target is \"target not "
                                    "allowed\"), or invalid_state when the subscription or "
                                    "delivery is not in a state that allows the operation",
                                    "invalid_request", "invalid_state"),
    "PreconditionFailed": _error("precondition_failed: If-Match names a version that is no "
                                 "longer the job's; nothing was changed or charged",
                                 "precondition_failed"),
    "SearchUnavailable": _error("search_unavailable: the search backend cannot be reached; "
                                "nothing was charged. Retry after the Retry-After seconds.",
                                "search_unavailable",
                                **{"Retry-After": {
                                    "description": "Seconds to wait before searching again.",
                                    "schema": {"type": "integer", "minimum": 1},
                                }}),
}
_STATUS = {
    "InvalidRequest": 400, "InvalidJobRequest": 400, "InvalidSearch": 400,
    "InvalidWebhookRequest": 400,
    "Unauthorized": 401, "NoCredits": 402, "Forbidden": 403, "NotFound": 404,
    "PreconditionFailed": 412, "PayloadTooLarge": 413, "UnsupportedMediaType": 415,
    "ServerError": 500,
    "SearchUnavailable": 503,
}
_BODY = ("PayloadTooLarge", "UnsupportedMediaType")
_IDEMPOTENCY_KEY = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "description": "Makes the write safe to retry: a retry with the same key and the same "
                   "request gets the first answer again and is charged nothing; the same key "
                   "with another request is 400 invalid_request. A key belongs to the API key "
                   "that sent it and is kept 24 hours; a request that failed leaves no record.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
               "examples": ["3f6c2a1e-8d4b-4f0a-9c57-2b1e6d9a7c40"]},
}


def _operation(
    operation_id: str,
    summary: str,
    status: int,
    schema: Schema,
    errors: tuple[str, ...],
    *,
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    links: dict[str, Any] | None = None,
    idempotent: bool = False,
    security: list | None = None,
) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": "Success",
        "content": {"application/json": {"schema": schema}},
    }
    example = EXAMPLES.get((operation_id, status))
    if example is not None:
        success["content"]["application/json"]["example"] = example
    if idempotent:
        headers = {**(headers or {}), idempotency.REPLAYED: _REPLAYED}
    if headers:
        success["headers"] = headers
    if links:
        success["links"] = links
    responses: dict[str, Any] = {str(status): success}
    for name in sorted(errors, key=lambda name: _STATUS[name]):
        responses[str(_STATUS[name])] = {"$ref": f"#/components/responses/{name}"}
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if description:
        operation["description"] = description
    if idempotent:
        parameters = [*(parameters or []), _IDEMPOTENCY_KEY]
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = responses
    if security is not None:
        operation["security"] = security
    return operation


def _json_body(operation_id: str, schema: str, *, required: bool = True) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": ref(schema)}
    example = EXAMPLES.get((operation_id, "request"))
    if example is not None:
        media["example"] = example
    return {"required": required, "content": {"application/json": media}}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _list_parameters(
    statuses: type[enum.Enum], *more: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        {"name": "page", "in": "query",
         "description": "Read by number; not with cursor",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "pageSize", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE}},
        {"name": "status", "in": "query", "schema": ref(statuses.__name__)},
        {"name": "cursor", "in": "query",
         "description": "The nextCursor of the page before: the page of the items that "
                        "follow it, which items created or closed meanwhile neither repeat "
                        "nor skip. Not with page; an altered cursor, or one of another list, "
                        "is 400 invalid_request.",
         "schema": {"type": "string", "minLength": cursors.LENGTH,
                    "maxLength": cursors.LENGTH, "pattern": "^[A-Za-z0-9_-]+$"}},
        {"name": "updatedSince", "in": "query",
         "description": "Only items whose updatedAt is at or after this time (ISO 8601 with "
                        "Z or an offset; encode + as %2B)",
         "schema": {"type": "string", "format": "date-time", "pattern": _TIMESTAMP},
         "example": "2026-06-01T00:00:00Z"},
        *more,
    ]


_TIMESTAMP = f"^{TIMESTAMP_PATTERN}$"
_REFERENCE = {
    "name": "reference", "in": "query",
    "description": "Only the jobs with exactly this reference (case-sensitive)",
    "schema": {"type": "string", "minLength": 1, "maxLength": TEXT_LIMITS["reference"]},
}
_NEXT_LINK = {"Link": {
    "description": 'When a next page exists: `</api/v1/...?...>; rel="next"`, root-relative, '
                   "with the request's other parameters; by page number when the request "
                   "named its page, else by cursor",
    "schema": {"type": "string"},
}}
_REPLAYED = {
    "description": "`true` on the answer to a retry: the first answer again, nothing done "
                   "or charged again",
    "schema": {"type": "string", "const": "true"},
}


_KEYED = ("InvalidRequest", "Unauthorized", "ServerError")
_SCOPED = (*_KEYED, "Forbidden")
_JOB_ID = _path_id("jobId")
# What a client can do next with the job it made: documentation, and the steps of
# schemathesis's stateful runs.
_JOB_LINKS = {
    operation: {"operationId": operation, "parameters": {"jobId": "$response.body#/id"}}
    for operation in ("getJob", "updateJob", "publishJob", "deactivateJob", "listApplications")
}
_LOCATION = {"Location": {"description": "The new job's path",
                          "schema": {"type": "string", "examples": ["/api/v1/jobs/1234"]}}}
_CHARGE_HEADERS = {
    CHARGED: {"description": "Credits this call cost: 1, or 0 when it was free (under a "
                             "contract, or a view within an unlock window). A retry answered "
                             "again under its Idempotency-Key repeats the first answer's.",
              "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": 1}},
    REMAINING: {"description": "The balance of the kind this call left, as its own "
                               "transaction wrote it. Left out when a contract covers the "
                               "kind (GET /api/v1/credits says until when).",
                "schema": {"type": "integer", "minimum": 0}},
}


_EVENTS_DESCRIPTION = """\
The same events as the webhooks send, in the same body, for any valid key of the employer,
free. Test events are not listed. Reconcile after an outage: page with `after` set to the last
`nextCursor` until `hasMore` is false, handle each event once by its `id` and order an
application's or a job's events by `sequence`; keep the last `nextCursor` and poll with it
later. An event committed after a page was read always has a higher `sequence`, so paging on
never misses one."""
_NEXT_EVENTS = {"Link": {
    "description": "When hasMore: the next page, as `<path?query>; rel=\"next\"`",
    "schema": {"type": "string", "pattern": '^</api/v1/events\\?[^>]*>; rel="next"$'},
}}
_EVENT_PARAMETERS = [
    {"name": "after", "in": "query", "description": "A nextCursor this API returned; "
     "without it, the oldest event of the last 30 days comes first",
     "schema": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+$"}},
    {"name": "type", "in": "query", "description": "Only events of this type",
     "schema": ref("EventType")},
    {"name": "limit", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_EVENTS,
                "default": DEFAULT_EVENTS}},
]


def _paths() -> dict[str, Any]:
    job = ref("Job")
    return {
        "/api/v1/jobs": {
            "get": _operation(
                "listJobs", "List the employer's jobs, newest first", 200, ref("JobPage"),
                (*_SCOPED,), parameters=_list_parameters(JobStatus, _REFERENCE),
                headers=_NEXT_LINK,
            ),
            "post": _operation(
                "createJob", "Create a Draft job", 201, job, (*_SCOPED, *_BODY),
                body=_json_body("createJob", "JobCreate"), headers=_LOCATION,
                links=_JOB_LINKS,
                idempotent=True,
            ),
        },
        "/api/v1/jobs/{jobId}": {
            "parameters": [_JOB_ID],
            "get": _operation("getJob", "One job with its description", 200, job,
                              (*_SCOPED, "NotFound")),
            "put": _operation(
                "updateJob", "Change the fields sent (Draft and Active jobs)", 200, job,
                ("InvalidJobRequest", *_SCOPED[1:], "NotFound", "PreconditionFailed", *_BODY),
                description="Content fields on Draft and Active jobs, and the expiryDate of "
                            "an Active job (free).",
                body=_json_body("updateJob", "JobChanges"),
            ),
            "delete": _operation("deactivateJob", "Deactivate the job; repeating it is harmless",
                                 200, job, (*_SCOPED, "NotFound", "PreconditionFailed")),
        },
        "/api/v1/jobs/{jobId}/publish": {
            "parameters": [_JOB_ID],
            "post": _operation(
                "publishJob", "Publish a Draft, or relist a closed job, for one JobPosting "
                              "credit", 200, job,
                ("InvalidJobRequest", *_SCOPED[1:], "NoCredits", "NotFound",
                 "PreconditionFailed", *_BODY),
                description="Draft → Active; sets postedDate and expiryDate. An Expired or "
                            "Inactive job is relisted the same way: Active again with new "
                            "dates, the same id and applications. An Active job is 400 "
                            "invalid_state. With no credit left it is 402 and the job stays "
                            "as it was.",
                body=_json_body("publishJob", "PublishRequest", required=False),
                headers=_CHARGE_HEADERS,
                idempotent=True,
            ),
        },
        "/api/v1/jobs/{jobId}/applications": {
            "parameters": [_JOB_ID],
            "get": _operation(
                "listApplications", "The job's applications, newest first", 200,
                ref("ApplicationPage"), (*_SCOPED, "NotFound"),
                parameters=_list_parameters(ApplicationStatus),
                headers=_NEXT_LINK,
            ),
        },
        "/api/v1/jobs/{jobId}/applications/{applicationId}": {
            "parameters": [_JOB_ID, _path_id("applicationId")],
            "get": _operation("getApplication", "One application to the job", 200,
                              ref("Application"), (*_SCOPED, "NotFound")),
        },
        "/api/v1/candidates/search": {
            "post": _operation(
                "searchCandidates", "Search candidates for one CvSearch credit; rows are masked",
                200, ref("CandidateSearchPage"),
                ("InvalidSearch", *_SCOPED[1:], "NoCredits", *_BODY, "SearchUnavailable"),
                description="Every search that answers 200 costs one CvSearch credit (free "
                            "under a contract), even when nothing matches; any error costs "
                            "nothing. Rows carry no contact detail.",
                body=_json_body("searchCandidates", "CandidateSearch"),
                headers=_CHARGE_HEADERS,
                idempotent=True,
            ),
        },
        "/api/v1/candidates/{candidateId}": {
            "parameters": [_path_id("candidateId")],
            "get": _operation(
                "getCandidate", "A candidate's full profile with contact details", 200,
                ref("CandidateProfile"), (*_SCOPED, "NoCredits", "NotFound"),
                description="The first view in a 30-day window costs one CvDownload credit "
                            "and unlocks the candidate for this employer; views within the "
                            "window are free. A hidden candidate is 404 like a missing one.",
                headers=_CHARGE_HEADERS,
            ),
        },
        "/api/v1/countries": {
            "get": _operation(
                "listCountries",
                "ISO 3166-1 countries by name; free for any valid key, whatever its scopes",
                200, {"type": "array", "items": ref("Country")}, _KEYED,
            ),
        },
        **_self_service_paths(),
        EVENTS_PATH: {
            "get": _operation(
                "listEvents", "The employer's events of the last 30 days, oldest first", 200,
                ref("EventPage"), _KEYED, description=_EVENTS_DESCRIPTION,
                parameters=_EVENT_PARAMETERS, headers=_NEXT_EVENTS,
            ),
        },
        "/healthz/live": {
            "get": _operation("live", "The process answers", 200, ref("Health"), (),
                              security=[]),
        },
        "/healthz/ready": {
            "get": {
                **_operation("ready", "Every dependency answers", 200, ref("Health"), (),
                             security=[]),
                "responses": {
                    "200": {"description": "Ready",
                            "content": {"application/json": {"schema": ref("Health")}}},
                    "503": {"description": "A dependency is failing",
                            "content": {"application/json": {"schema": ref("Health")}}},
                },
            },
        },
        OPENAPI_PATH: {
            "get": _operation("openapi", "This document", 200, ref("OpenApiDocument"), (),
                              security=[]),
        },
    }


_WEBHOOKS_SCOPED = (*_SCOPED, "NotFound")
_SUBSCRIPTION_ID = _path_id("subscriptionId")
_SUBSCRIPTION_LOCATION = {"Location": {
    "description": "The new subscription's path",
    "schema": {"type": "string", "examples": [f"{SUBSCRIPTIONS_PATH}/7"]},
}}


def _webhooks(operation_id: str, summary: str, status: int, schema: Schema,
              errors: tuple[str, ...] = _WEBHOOKS_SCOPED, **options: Any) -> dict[str, Any]:
    return _operation(operation_id, summary, status, schema, errors, **options)


def _action(operation_id: str, summary: str, status: int, schema: Schema,
            description: str, errors: tuple[str, ...] = _WEBHOOKS_SCOPED) -> dict[str, Any]:
    return {"parameters": [_SUBSCRIPTION_ID], "post": _webhooks(
        operation_id, summary, status, schema, errors,
        description=f"{description} Takes no body.",
    )}


def _no_content(operation: dict[str, Any]) -> dict[str, Any]:
    responses = operation["responses"]
    return {**operation, "responses": {**responses, "204": {"description": "Done"}}}


def _self_service_paths() -> dict[str, Any]:
    """Credits and Webhooks (SPEC §12): free, for the key's own employer."""
    subscription = ref("WebhookSubscription")
    with_secret = ref("WebhookSubscriptionWithSecret")
    changes = ("InvalidWebhookRequest", *_SCOPED[1:], "NotFound", *_BODY)
    one = f"{SUBSCRIPTIONS_PATH}/{{subscriptionId}}"
    return {
        CREDITS_PATH: {"get": _operation(
            "getCredits", "The balance of each credit kind and the contracts in force",
            200, ref("Credits"), _KEYED,
            description="Free, for any valid key whatever its scopes. Paid answers say "
                        f"what they cost and left in {CHARGED} and {REMAINING}.",
        )},
        SUBSCRIPTIONS_PATH: {
            "get": _webhooks("listWebhookSubscriptions", "The employer's subscriptions, "
                             "without their secrets", 200, ref("WebhookSubscriptionList"),
                             _SCOPED),
            "post": _webhooks(
                "createWebhookSubscription", "Subscribe an https URL to events", 201,
                with_secret, ("InvalidWebhookRequest", *_SCOPED[1:], *_BODY),
                description="The answer carries the signing secret, this once. Not "
                            "idempotent by key (the secret is kept nowhere to be answered "
                            "again): after a lost answer, list the subscriptions first.",
                body=_json_body("createWebhookSubscription", "WebhookSubscriptionCreate"),
                headers=_SUBSCRIPTION_LOCATION,
            ),
        },
        one: {
            "parameters": [_SUBSCRIPTION_ID],
            "get": _webhooks("getWebhookSubscription", "One subscription", 200, subscription),
            "put": _webhooks(
                "updateWebhookSubscription", "Change the URL or the events", 200,
                subscription, changes,
                description="Only the fields sent change. A new URL is checked as at "
                            "creation; deliveries not yet made go to it.",
                body=_json_body("updateWebhookSubscription", "WebhookSubscriptionChanges"),
            ),
            "delete": _no_content(_webhooks(
                "deleteWebhookSubscription", "Delete the subscription and its deliveries, "
                "held ones included", 204, {},
            )),
        },
        f"{one}/enable": _action(
            "enableWebhookSubscription", "Enable the subscription", 200, subscription,
            "Resets its failure count; deliveries held while it was off go out, oldest "
            "first.",
        ),
        f"{one}/disable": _action(
            "disableWebhookSubscription", "Disable the subscription", 200, subscription,
            "Events it wants are held, not dropped, until it is enabled again.",
        ),
        f"{one}/rotate-secret": _action(
            "rotateWebhookSecret", "Issue a new signing secret", 200, with_secret,
            "The answer carries the new secret, this once.",
            ("InvalidWebhookRequest", *_SCOPED[1:], "NotFound"),
        ),
        f"{one}/test": _action(
            "sendWebhookTest", "Send a signed webhook.test event to the subscription", 202,
            ref("WebhookDelivery"),
            "Queued, then signed and retried like any delivery; its outcome is in the "
            "delivery log. The subscription must be enabled (else 400 invalid_state).",
            ("InvalidWebhookRequest", *_SCOPED[1:], "NotFound"),
        ),
        f"{one}/deliveries": {
            "parameters": [_SUBSCRIPTION_ID],
            "get": _webhooks(
                "listWebhookDeliveries", "The subscription's delivery log, oldest first", 200,
                ref("WebhookDeliveryPage"),
                parameters=_list_parameters(DeliveryStatus)[:3],
            ),
        },
        f"{DELIVERIES_PATH}/{{deliveryId}}/redeliver": {
            "parameters": [{"name": "deliveryId", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,100}$",
                                       "examples": ["dlv_3f6c2a1e8d4b4f0a9c572b1e6d9a7c40"]}}],
            "post": _webhooks(
                "redeliverWebhook", "Send a delivered or dead delivery again, same id", 202,
                ref("WebhookDelivery"), ("InvalidWebhookRequest", *_SCOPED[1:], "NotFound"),
                description="From the first attempt again, with the same delivery id, so a "
                            "receiver that handled it already drops it. A pending delivery "
                            "is 400 invalid_state. Takes no body.",
            ),
        },
        EVENT_TYPES_PATH: {"get": _webhooks(
            "listWebhookEventTypes", "The event types and what each means", 200,
            ref("WebhookEventTypeList"), _SCOPED,
        )},
    }


# The tags, each a module of a generated client, in the order documentation shows them. An
# operation takes the tag of the longest prefix of its path; a path with none fails the
# build of the document, so a new endpoint's tag is one entry here.
_TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Jobs", "Job postings, with the JobPosting scope", ("/api/v1/jobs",)),
    ("Applications", "The applications to an employer's jobs, with the JobPosting scope",
     ("/api/v1/jobs/{jobId}/applications",)),
    ("Candidates", "CV search and candidate profiles, with the CvSearch scope",
     ("/api/v1/candidates/",)),
    ("Credits", "The balance of each credit kind and the contracts in force, for any key",
     (CREDITS_PATH,)),
    ("Webhooks", "Webhook subscriptions, test events, the delivery log and redelivery, with "
                 "the Webhooks scope", ("/api/v1/webhooks/",)),
    ("Events", "The employer's events of the last 30 days, as its webhooks carry them, for "
     "any valid key", (EVENTS_PATH,)),
    ("Reference", "What requests are written with: the countries, and this document",
     ("/api/v1/countries", OPENAPI_PATH)),
    ("Health", "Liveness and readiness, for load balancers; no key", ("/healthz/",)),
)


def _tag(path: str) -> str:
    matches = [(len(prefix), tag) for tag, _, prefixes in _TAGS for prefix in prefixes
               if path.startswith(prefix)]
    if not matches:
        raise KeyError(f"no tag for {path}: give it one in openapi._TAGS")
    return max(matches)[1]


def _tagged(paths: dict[str, Any]) -> dict[str, Any]:
    return {
        path: {method: {"tags": [_tag(path)], **operation} if method in _METHODS else operation
               for method, operation in item.items()}
        for path, item in paths.items()
    }


def document(
    rate_limits: Mapping[str, RateLimitPolicy], public_url: str | None = None
) -> dict[str, Any]:
    """The document; ``rate_limits`` gives the policy of each limited route, by the route's
    path template as the app spells it; ``public_url`` is where the API is served, when the
    operator said (else the document names the host that served it)."""
    paths = _tagged(describe_conditional_requests(_paths()))
    by_template = {_template(path): path for path in paths}
    headers: dict[str, Any] = {}
    for route, policy in rate_limits.items():
        headers.update(_rate_limit_fields(policy))
        item = paths[by_template[_template(route)]]
        for method in _METHODS & set(item):
            item[method]["responses"] = _limited(item[method]["responses"], policy)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "ITManagerJobs partner API", "version": "v1",
                 "description": _INFO_DESCRIPTION},
        "servers": [{"url": public_url or "/", "description": "The partner API"}],
        "security": [{"bearerKey": []}, {"headerKey": []}],
        "tags": [{"name": name, "description": description} for name, description, _ in _TAGS],
        "paths": paths,
        "webhooks": openapi_webhooks.webhooks(),
        "components": {
            "securitySchemes": {
                "bearerKey": {"type": "http", "scheme": "bearer",
                              "description": "Authorization: Bearer pk_live_..."},
                "headerKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                              "description": "X-Api-Key: pk_live_..."},
            },
            "schemas": {**schemas(), **openapi_webhooks.schemas()},
            "responses": _RESPONSES,
            "headers": dict(sorted(headers.items())),
        },
    }


_METHODS = {"get", "put", "post", "delete", "patch"}
# Plain names, with nothing a regular expression would read as more than itself.
_POLICY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# Refused before the limit is looked at: the key is unknown, or may not use the route.
_BEFORE_LIMITS = ("401", "403")


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _rate_limit_fields(policy: RateLimitPolicy) -> dict[str, Any]:
    """The IETF draft fields (draft-ietf-httpapi-ratelimit-headers) of a policy, as
    components; ``RateLimit`` also in the variant a 429 always sends."""
    if not _POLICY_NAME.fullmatch(policy.name):
        raise ValueError(f"a policy name the RateLimit pattern can hold as it is: {policy.name}")
    remaining = {
        "description": "r: requests left; t: seconds until the whole quota is back (on a "
                       "429, the same as Retry-After). Left out when the limiter cannot "
                       "count: requests are then served.",
        "schema": {"type": "string",
                   "pattern": f'^"{policy.name}";r=[0-9]+;t=[0-9]+$'},
    }
    return {
        f"RateLimitPolicy.{policy.name}": {
            "description": f"{policy.limit} requests in any {policy.period_seconds} seconds "
                           "per API key, shared by every route of the family",
            "required": True,
            "schema": {"type": "string", "const": policy_field(policy)},
        },
        f"RateLimit.{policy.name}": remaining,
        f"RateLimit.{policy.name}.refused": {**remaining, "required": True},
    }


def _limited(responses: dict[str, Any], policy: RateLimitPolicy) -> dict[str, Any]:
    """Every answer of a limited route after authentication carries the rate limit fields,
    and the route can answer 429."""
    def header(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/headers/{name}.{policy.name}"}

    fields = {"RateLimit-Policy": header("RateLimitPolicy"), "RateLimit": header("RateLimit")}
    limited: dict[str, Any] = {}
    for status, response in responses.items():
        if status in _BEFORE_LIMITS:
            limited[status] = response
            continue
        shared = response.get("$ref", "").rsplit("/", 1)[-1]
        inline = _RESPONSES.get(shared, response)
        limited[status] = {**inline, "headers": {**inline.get("headers", {}), **fields}}
    refused_headers: dict[str, Schema] = {
        "Retry-After": {"description": "Whole seconds to wait", "required": True,
                        "schema": {"type": "integer", "minimum": 1}},
        "RateLimit-Policy": header("RateLimitPolicy"),
        "RateLimit": {"$ref": f"#/components/headers/RateLimit.{policy.name}.refused"},
    }
    limited["429"] = _error(
        f"rate_limited: more than {policy.limit} requests in {policy.period_seconds} seconds "
        "with this API key. Nothing was done or charged; retry after Retry-After seconds.",
        "rate_limited",
        **refused_headers,
    )
    return dict(sorted(limited.items()))


class OpenApiResource:
    scope = None

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        send_json(resp, self._spec)


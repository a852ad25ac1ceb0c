"""The schemas of the OpenAPI document: every body the API reads or sends, in JSON Schema 2020-12.

Request bodies are derived from the attrs classes the converter structures, response bodies
from the domain attributes each JSON field is written from, in the order of the field tuples
the JSON shapes use; limits come from the domain's own constants. The tests then hold real
responses to these schemas.
"""

import enum
from typing import Any

import attrs

from itmj_adapters.json_style import camel
from itmj_domain.applications import (
    MAX_APPLICANT_EMAIL,
    MAX_APPLICANT_NAME,
    MAX_APPLICANT_PHONE,
    MAX_COVER_NOTE,
    MAX_CV_TEXT,
    Applicant,
    Application,
    ApplicationStatus,
)
from itmj_domain.candidates import Candidate
from itmj_domain.countries import MAX_COUNTRY_ID, MIN_COUNTRY_ID, Country
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import (
    CURRENCY_PATTERN,
    EMAIL_PATTERN,
    MAX_SALARY,
    TEXT_LIMITS,
    URL_PATTERN,
    WHITESPACE,
    ApplyMethod,
    EmploymentType,
    JobContent,
    JobPost,
    JobStatus,
    RemoteType,
    SalaryPeriod,
)
from itmj_domain.pagination import MAX_PAGE_SIZE
from itmj_domain.search import MAX_QUERY_LENGTH
from itmj_domain.services.cv_search import (
    MAX_ACTIVE_WITHIN_DAYS,
    MAX_COUNTRY_FILTERS,
    MAX_SEARCH_WINDOW,
    CandidateView,
    MaskedCandidate,
)
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from itmj_domain.webhooks.targets import MAX_URL_LENGTH
from itmj_http import cursors
from itmj_http.application_json import APPLICANT_FIELDS, APPLICATION_FIELDS
from itmj_http.candidate_json import (
    PROFILE_FIELDS,
    SEARCH_ITEM_FIELDS,
    SearchBody,
)
from itmj_http.credit_resources import BALANCE_FIELDS, CONTRACT_FIELDS
from itmj_http.errors import ERROR_CODES
from itmj_http.event_schemas import event_schemas
from itmj_http.job_json import JOB_FIELDS, LIST_ITEM_FIELDS, PublishRequest
from itmj_http.json_schema import (
    INT64,
    TIMESTAMP,
    Schema,
    anchored,
    attribute_schema,
    enum_class_schema,
    enum_schema,
    extensible_enum,
    nullable,
    object_properties,
    object_schema,
    ref,
    without,
)
from itmj_http.webhook_json import (
    CREATED_FIELDS,
    DELIVERY_FIELDS,
    EVENT_TYPE_FIELDS,
    LOGGED_DELIVERY_FIELDS,
    SUBSCRIPTION_FIELDS,
    SubscriptionBody,
    SubscriptionChangesBody,
)

ID: Schema = {**INT64, "minimum": 1}
COUNTRY_ID: Schema = {"type": "integer", "minimum": MIN_COUNTRY_ID, "maximum": MAX_COUNTRY_ID,
                      "description": "ISO 3166-1 numeric code (GET /api/v1/countries)"}
_NOT_BLANK = f"[^{WHITESPACE}]"
# The apply method each apply field belongs to: it is required with it and null otherwise.
_APPLY_FIELDS = {ApplyMethod.EMAIL_APPLY: "apply_email_address", ApplyMethod.URL_APPLY: "apply_url"}


def _content_constraints() -> dict[str, Schema]:
    constraints: dict[str, Schema] = {
        name: {"maxLength": limit} for name, limit in TEXT_LIMITS.items()
    }
    extra: dict[str, Schema] = {
        "title": {"pattern": _NOT_BLANK, "description": "Not blank"},
        "description": {"pattern": _NOT_BLANK, "description": "Not blank"},
        "reference": {"description": "The partner's own id for the job"},
        "apply_email_address": {"pattern": anchored(EMAIL_PATTERN),
                                "description": "Required with EmailApply, else null"},
        "apply_url": {"pattern": anchored(URL_PATTERN),
                      "description": "An http(s) URL; required with UrlApply, else null"},
        "salary_min": {"minimum": 0, "maximum": MAX_SALARY,
                       "description": "At most salaryMax"},
        "salary_max": {"minimum": 0, "maximum": MAX_SALARY},
        "salary_currency": {"pattern": anchored(CURRENCY_PATTERN),
                            "description": "ISO 4217, e.g. GBP"},
    }
    for name, schema in extra.items():
        constraints[name] = {**constraints.get(name, {}), **schema}
    return constraints


def _apply_rules() -> list[Schema]:
    rules = []
    for method, field in _APPLY_FIELDS.items():
        name = camel(field)
        rules.append({
            "if": {"properties": {"applyMethod": {"const": method.value}},
                   "required": ["applyMethod"]},
            "then": {"properties": {name: {"type": "string"}}, "required": [name]},
            "else": {"properties": {name: {"type": "null"}}},
        })
    return rules


def _shape(fields: tuple[str, ...], sources: dict[str, Schema], **extra: Any) -> Schema:
    """A response object: ``fields``, in that order, all present. Like every response object
    it is open: fields added later (SPEC §9) must not break a client generated today."""
    return {
        "type": "object",
        "properties": {name: without(sources[name], "default") for name in fields},
        "required": list(fields),
        **extra,
    }


def _page(
    items: str, page: str = "page", size: str = "pageSize", *, cursors: bool = False,
    **extra: Any,
) -> Schema:
    counts = {"type": "integer", "minimum": 0}
    properties: dict[str, Schema] = {
        "total": {**counts, "description": "Every match, not only this page"},
        page: {"type": "integer", "minimum": 1},
        size: {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "items": {"type": "array", "items": ref(items), **extra},
    }
    if cursors:
        properties[page] = {**properties[page], "description": (
            "The page number; a page read by cursor reports the one its first item falls "
            "on with this pageSize")}
        properties["nextCursor"] = _NEXT_CURSOR
    return {
        "type": "object",
        "properties": properties,
        "required": ["total", page, size, "items"],
    }


_NEXT_CURSOR: Schema = {
    "type": "string", "minLength": cursors.LENGTH, "maxLength": cursors.LENGTH,
    "pattern": "^[A-Za-z0-9_-]+$",
    "description": "Only when a next page exists: send it as `cursor` for that page (the "
                   "`Link` header says the same). Opaque; it never expires.",
}


def _with_expiry(changes: Schema) -> Schema:
    """A PUT may also move an Active job's expiry date (SPEC §12)."""
    expiry = without(attribute_schema(PublishRequest, "expiry_date"), "default")
    return {**changes, "properties": {**changes["properties"], "expiryDate": {
        **expiry, "type": "string",
        "description": "Active jobs only, free: later than now and at most 90 days from now. "
                       "A Draft is given its expiry date when published (invalid_state here).",
    }}}


def _job_sources() -> dict[str, Schema]:
    content = object_properties(JobContent, _content_constraints(), extensible=True)
    post = {camel(name): attribute_schema(JobPost, name, extensible=True)
            for name in ("status", "posted_date", "expiry_date", "created_at", "updated_at")}
    return {"id": ID, **content, **post}


def _application_sources() -> dict[str, Schema]:
    sources = {camel(name): attribute_schema(Application, name, extensible=True)
               for name in attrs.fields_dict(Application) if name != "applicant"}
    # Never null in JSON: an application not yet moved was last updated when it was made.
    return {
        **sources, "id": ID, "jobId": ID, "candidateId": ID, "updatedAt": TIMESTAMP,
        "applicant": {**ref("Applicant"), "description": (
            "What the applicant sent with this application, for this employer alone: free "
            "with JobPosting. The same person found by CV search keeps its own unlock and "
            "credit.")},
    }


def _applicant_sources() -> dict[str, Schema]:
    limits = {"name": MAX_APPLICANT_NAME, "email": MAX_APPLICANT_EMAIL,
              "phone": MAX_APPLICANT_PHONE, "cover_note": MAX_COVER_NOTE,
              "cv_text": MAX_CV_TEXT}
    described = {
        "cv_text": "The CV's text: pasted, or read from the PDF or DOCX uploaded; null when "
                   "none was sent (an application filed by platform staff)",
        "cover_note": "Null when none was sent",
    }
    return object_properties(Applicant, {
        name: {"maxLength": limit,
               **({"description": described[name]} if name in described else {})}
        for name, limit in limits.items()
    }, extensible=True)


def _candidate_sources() -> dict[str, Schema]:
    sources = object_properties(Candidate, {}, extensible=True)
    return {
        **sources,
        "id": ID,
        "countryId": {**COUNTRY_ID, "type": ["integer", "null"]},
        "preferredCountryIds": {"type": "array", "items": COUNTRY_ID, "uniqueItems": True},
    }


def _search_item_sources() -> dict[str, Schema]:
    sources = object_properties(MaskedCandidate, {}, extensible=True)
    return {
        **_candidate_sources(),
        **sources,
        "id": ID,
        "fullName": {**sources["maskedName"], "examples": ["P*** E***"],
                     "description": "Masked: the first letter of each part of the name"},
        "isUnlocked": {**sources["isUnlocked"],
                       "description": "This employer unlocked the candidate within 30 days"},
    }


def _profile_sources() -> dict[str, Schema]:
    return {
        **_candidate_sources(),
        "unlockedUntil": attribute_schema(
            CandidateView, "unlocked_until", extensible=True,
            description="End of this employer's 30-day unlock: views until then are free"),
    }


_SEARCH_CONSTRAINTS: dict[str, Schema] = {
    "query": {"maxLength": MAX_QUERY_LENGTH, "description": (
        "Elasticsearch query_string syntax: terms, quoted phrases, AND/OR/NOT, parentheses, "
        "* and ? wildcards, fuzzy~, ranges, /regex/, fields headline, summary, skills, city, "
        "country; default operator OR. A phrase holds at most 32 terms. A malformed query, or "
        "one too expensive to evaluate, is 400 invalid_query.")},
    "preferred_country_ids": {"items": COUNTRY_ID, "maxItems": MAX_COUNTRY_FILTERS,
                              "description": "Candidates who want to work in one of these"},
    "active_within_days": {"minimum": 1, "maximum": MAX_ACTIVE_WITHIN_DAYS,
                           "description": "Candidates active within that many days"},
    "page_number": {"minimum": 1, "maximum": MAX_SEARCH_WINDOW,
                    "description": f"pageNumber times pageSize is at most {MAX_SEARCH_WINDOW}"},
    "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE},
}


def schemas() -> dict[str, Schema]:
    job = _job_sources()
    apply_rules = _apply_rules()
    return {
        "Error": {
            "type": "object",
            "properties": {
                "code": {**extensible_enum(ref("ErrorCode")),
                         "description": "Stable and machine-readable; switch on it, and treat "
                                        "a code you do not know as its status says"},
                "message": {"type": "string", "description": "For humans"},
                "field": {"type": "string",
                          "description": "The request field at fault, when there is one: a "
                                         "body field, query parameter or path id, spelled "
                                         "as in the request"},
                "requestId": {"type": "string", "minLength": 1, "maxLength": 128,
                              "description": "The request's id, as in its X-Request-Id "
                                             "header: quote it to support"},
            },
            "required": ["code", "message"],
        },
        "Job": _shape(JOB_FIELDS, job, allOf=apply_rules),
        "JobListItem": _shape(LIST_ITEM_FIELDS, job, allOf=apply_rules),
        "JobPage": _page("JobListItem", cursors=True,
                         description="Newest first (createdAt, then id)"),
        "JobCreate": object_schema(JobContent, _content_constraints(), allOf=apply_rules),
        "JobChanges": _with_expiry(object_schema(
            JobContent, _content_constraints(), all_optional=True, minProperties=1,
            description="Only the fields sent change; null clears an optional field. The "
                        "job's content must still hold together afterwards (e.g. an "
                        "applyEmailAddress with EmailApply).",
        )),
        "PublishRequest": object_schema(PublishRequest, {"expiry_date": {
            "description": "Default 30 days from now; in the future and at most 90 days out",
        }}),
        "Application": _shape(APPLICATION_FIELDS, _application_sources()),
        "Applicant": _shape(APPLICANT_FIELDS, _applicant_sources()),
        "ApplicationPage": _page("Application", cursors=True,
                                 description="Newest first (appliedAt, then id)"),
        "CandidateSearch": object_schema(SearchBody, _SEARCH_CONSTRAINTS),
        "CandidateSearchItem": _shape(SEARCH_ITEM_FIELDS, _search_item_sources()),
        "CandidateSearchPage": _page(
            "CandidateSearchItem", "pageNumber", "pageSize",
            description="Most relevant first (BM25), ties by id",
        ),
        "CandidateProfile": _shape(PROFILE_FIELDS, _profile_sources()),
        "Country": _shape(("id", "name"), {
            "id": COUNTRY_ID,
            "name": {**attribute_schema(Country, "name"), "examples": ["United Kingdom"]},
        }),
        **_self_service_schemas(),
        **event_schemas(),
        "Health": {
            "type": "object",
            "properties": {
                "status": extensible_enum(ref("HealthStatus")),
                "checks": {"type": "object",
                           "additionalProperties": extensible_enum(ref("CheckStatus"))},
            },
            "required": ["status"],
        },
        "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"],
                            "description": "An OpenAPI 3.1 document: this one"},
        **_enums(),
    }


# Every enum the API reads or sends, each one component (one type in a generated client).
_ENUMS: tuple[type[enum.Enum], ...] = (
    JobStatus, EmploymentType, RemoteType, ApplyMethod, SalaryPeriod, ApplicationStatus,
    CreditKind, DeliveryStatus, EventType,
)


def _enums() -> dict[str, Schema]:
    return {
        **{cl.__name__: enum_class_schema(cl) for cl in _ENUMS},
        "ErrorCode": enum_schema(list(ERROR_CODES)),
        "HealthStatus": enum_schema(["ok", "degraded", "unavailable"]),
        "CheckStatus": enum_schema(["ok", "degraded", "failing"]),
        "SubscribableEventType": enum_schema(sorted(e.value for e in SUBSCRIBABLE)),
    }


def _self_service_schemas() -> dict[str, Schema]:
    """Credits and Webhooks (SPEC §12)."""
    kind = extensible_enum(ref("CreditKind"))
    credits: Schema = {
        "kind": kind,
        "balance": {"type": "integer", "minimum": 0,
                    "description": "Credits bought and not yet used"},
        "unlimited": {"type": "boolean",
                      "description": "A contract in force covers the kind: its uses cost "
                                     "nothing and leave the balance as it is"},
        "coveredUntil": {**nullable(TIMESTAMP),
                         "description": "When the last contract in force covering the kind "
                                        "ends; null when none covers it"},
        "id": ID,
        "kinds": {"type": "array", "items": kind, "minItems": 1},
        "validFrom": TIMESTAMP,
        "validUntil": TIMESTAMP,
    }
    return {
        "CreditBalance": _shape(BALANCE_FIELDS, credits),
        "Contract": _shape(CONTRACT_FIELDS, credits),
        "Credits": {
            "type": "object",
            "properties": {
                "balances": {"type": "array", "items": ref("CreditBalance"),
                             "description": "One per kind"},
                "contracts": {"type": "array", "items": ref("Contract"),
                              "description": "The contracts in force now"},
            },
            "required": ["balances", "contracts"],
        },
        **_webhook_schemas(),
    }


def _webhook_schemas() -> dict[str, Schema]:
    url: Schema = {"type": "string", "maxLength": MAX_URL_LENGTH, "pattern": "^https://",
                   "description": (
        "An https:// URL whose host resolves only to publicly routable addresses; an "
        "internal one is 400 invalid_request (\"target not allowed\")")}
    events: Schema = {"type": "array", "items": ref("SubscribableEventType"), "minItems": 1}
    event_type = extensible_enum(ref("EventType"))
    subscription: Schema = {
        "id": ID,
        "url": {"type": "string"},
        "events": {"type": "array", "items": event_type},
        "enabled": {"type": "boolean", "description": (
            "Off after 10 consecutive failed attempts, or when disabled; deliveries are "
            "held while it is off")},
        "consecutiveFailures": {"type": "integer", "minimum": 0},
        "createdAt": TIMESTAMP,
        "disabledAt": nullable(TIMESTAMP),
        "standardWebhooks": {"type": "boolean", "description": (
            "Whether deliveries carry the Standard Webhooks headers (webhook-id, "
            "webhook-timestamp, webhook-signature) beside X-Webhook-Signature: true for every "
            "secret issued since they are supported; false for a secret issued before, which "
            "signs X-Webhook-Signature alone until it is rotated")},
        "secret": {"type": "string", "description": (
            "The signing secret (SPEC §7): shown in this answer only, never again")},
    }
    delivery: Schema = {
        **{name: attribute_schema(Delivery, attribute) for name, attribute in (
            ("attempts", "attempts"), ("createdAt", "created_at"),
            ("lastAttemptAt", "last_attempt_at"), ("deliveredAt", "delivered_at"),
            ("lastError", "last_error"))},
        "id": {"type": "string", "examples": ["dlv_3f6c2a1e8d4b4f0a9c572b1e6d9a7c40"],
               "description": "Sent as X-Webhook-Delivery-Id with every attempt"},
        "subscriptionId": ID,
        "eventId": {"type": "string", "description": "The id in the delivered body"},
        "status": {**extensible_enum(ref("DeliveryStatus")),
                   "description": "dead: every retry failed; redeliver to try again"},
        "nextAttemptAt": {**nullable(TIMESTAMP),
                          "description": "When a pending delivery is tried next"},
        "lastStatusCode": {"type": ["integer", "null"], "minimum": 100, "maximum": 599,
                           "description": "null when the receiver never answered"},
        "eventType": event_type,
        "requestId": {"type": ["string", "null"],
                      "description": "The X-Request-Id of the request that caused the event"},
    }
    described: Schema = {
        "type": event_type,
        "subscribable": {"type": "boolean"},
        "description": {"type": "string"},
    }
    return {
        "WebhookSubscription": _shape(SUBSCRIPTION_FIELDS, subscription),
        "WebhookSubscriptionWithSecret": _shape(CREATED_FIELDS, subscription),
        "WebhookSubscriptionList": _items("WebhookSubscription"),
        "WebhookSubscriptionCreate": object_schema(
            SubscriptionBody, {"url": url, "events": events}
        ),
        "WebhookSubscriptionChanges": object_schema(
            SubscriptionChangesBody, {"url": url, "events": events},
            all_optional=True, minProperties=1,
            description="Only the fields sent change; neither may be null",
        ),
        "WebhookDelivery": _shape(DELIVERY_FIELDS, delivery),
        "WebhookDeliveryLogItem": _shape(LOGGED_DELIVERY_FIELDS, delivery),
        "WebhookDeliveryPage": _page("WebhookDeliveryLogItem", description="Oldest first"),
        "WebhookEventType": _shape(EVENT_TYPE_FIELDS, described),
        "WebhookEventTypeList": _items("WebhookEventType"),
    }


def _items(name: str) -> Schema:
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": ref(name)}},
        "required": ["items"],
    }

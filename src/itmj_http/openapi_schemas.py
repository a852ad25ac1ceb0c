"""The schemas of the OpenAPI document: every body the API reads or sends, in JSON Schema 2020-12.

Request bodies are derived from the attrs classes the converter structures, response bodies
from the domain attributes each JSON field is written from, in the order of the field tuples
the JSON shapes use; limits come from the domain's own constants. The tests then hold real
responses to these schemas.
"""

import enum
from typing import Any

from itmj_adapters.json_style import camel
from itmj_domain.applications import Application, ApplicationStatus
from itmj_domain.candidates import Candidate
from itmj_domain.countries import MAX_COUNTRY_ID, MIN_COUNTRY_ID, Country
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
from itmj_http.application_json import APPLICATION_FIELDS
from itmj_http.candidate_json import (
    PROFILE_FIELDS,
    SEARCH_ITEM_FIELDS,
    SearchBody,
)
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
    object_properties,
    object_schema,
    ref,
    without,
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


def _page(items: str, page: str = "page", size: str = "pageSize", **extra: Any) -> Schema:
    counts = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "properties": {
            "total": {**counts, "description": "Every match, not only this page"},
            page: {"type": "integer", "minimum": 1},
            size: {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "items": {"type": "array", "items": ref(items), **extra},
        },
        "required": ["total", page, size, "items"],
    }


def _job_sources() -> dict[str, Schema]:
    content = object_properties(JobContent, _content_constraints(), extensible=True)
    post = {camel(name): attribute_schema(JobPost, name, extensible=True)
            for name in ("status", "posted_date", "expiry_date", "created_at", "updated_at")}
    return {"id": ID, **content, **post}


def _application_sources() -> dict[str, Schema]:
    sources = object_properties(Application, {}, extensible=True)
    # Never null in JSON: an application not yet moved was last updated when it was made.
    return {**sources, "id": ID, "jobId": ID, "candidateId": ID, "updatedAt": TIMESTAMP}


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
                "requestId": {"type": "string", "minLength": 1, "maxLength": 128,
                              "description": "The request's id, as in its X-Request-Id "
                                             "header: quote it to support"},
            },
            "required": ["code", "message"],
        },
        "Job": _shape(JOB_FIELDS, job, allOf=apply_rules),
        "JobListItem": _shape(LIST_ITEM_FIELDS, job, allOf=apply_rules),
        "JobPage": _page("JobListItem", description="Newest first"),
        "JobCreate": object_schema(JobContent, _content_constraints(), allOf=apply_rules),
        "JobChanges": object_schema(
            JobContent, _content_constraints(), all_optional=True, minProperties=1,
            description="Only the fields sent change; null clears an optional field. The "
                        "job's content must still hold together afterwards (e.g. an "
                        "applyEmailAddress with EmailApply).",
        ),
        "PublishRequest": object_schema(PublishRequest, {"expiry_date": {
            "description": "Default 30 days from now; in the future and at most 90 days out",
        }}),
        "Application": _shape(APPLICATION_FIELDS, _application_sources()),
        "ApplicationPage": _page("Application", description="Newest first"),
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
)


def _enums() -> dict[str, Schema]:
    return {
        **{cl.__name__: enum_class_schema(cl) for cl in _ENUMS},
        "ErrorCode": enum_schema(list(ERROR_CODES)),
        "HealthStatus": enum_schema(["ok", "degraded", "unavailable"]),
        "CheckStatus": enum_schema(["ok", "degraded", "failing"]),
    }

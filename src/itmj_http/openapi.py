"""The OpenAPI 3 document of v1 (SPEC §9), served at /swagger/v1/swagger.json.

Field lists come from the same tables the JSON shapes use, so the document cannot name a
field the API does not send; tests check that every route of the app is described.
"""

import enum
from typing import Any

import attrs
import falcon

from itmj_domain.applications import ApplicationStatus
from itmj_domain.countries import MAX_COUNTRY_ID, MIN_COUNTRY_ID
from itmj_domain.jobs import (
    ApplyMethod,
    EmploymentType,
    JobContent,
    JobStatus,
    RemoteType,
    SalaryPeriod,
)
from itmj_domain.pagination import MAX_PAGE_SIZE
from itmj_domain.search import MAX_QUERY_LENGTH
from itmj_domain.services.cv_search import (
    DEFAULT_SEARCH_PAGE_SIZE,
    MAX_ACTIVE_WITHIN_DAYS,
    MAX_COUNTRY_FILTERS,
    MAX_SEARCH_WINDOW,
)
from itmj_http.application_json import APPLICATION_FIELDS
from itmj_http.candidate_json import PROFILE_FIELDS, SEARCH_BODY_FIELDS, SEARCH_ITEM_FIELDS
from itmj_http.job_json import JOB_FIELDS, LIST_ITEM_FIELDS
from itmj_http.json_converter import camel
from itmj_http.request_body import MAX_BODY_BYTES
from itmj_http.responses import send_json

OPENAPI_PATH = "/swagger/v1/swagger.json"

_TEXT = {"type": "string"}
_TIMESTAMP = {"type": "string", "format": "date-time", "example": "2026-06-01T00:00:00Z"}
_MONEY = {"type": "integer", "format": "int64", "minimum": 0}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _enum(members: type[enum.Enum]) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in members]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_REQUIRED_CONTENT = [
    camel(a.name) for a in attrs.fields(JobContent) if a.default is attrs.NOTHING
]
_CONTENT = {
    "title": _TEXT,
    "reference": _nullable({**_TEXT, "description": "The partner's own id for the job"}),
    "description": _TEXT,
    "city": _nullable(_TEXT),
    "country": _nullable(_TEXT),
    "employmentType": _enum(EmploymentType),
    "remoteType": _enum(RemoteType),
    "applyMethod": _enum(ApplyMethod),
    "applyEmailAddress": _nullable({**_TEXT, "format": "email",
                                    "description": "Required with EmailApply, else null"}),
    "applyUrl": _nullable({**_TEXT, "format": "uri",
                           "description": "Required with UrlApply, else null"}),
    "salaryMin": _nullable(_MONEY),
    "salaryMax": _nullable(_MONEY),
    "salaryCurrency": _nullable({**_TEXT, "pattern": "^[A-Z]{3}$", "example": "GBP"}),
    "salaryPeriod": _nullable(_enum(SalaryPeriod)),
}
_JOB = {
    "id": {"type": "integer", "format": "int64"},
    "status": _enum(JobStatus),
    **_CONTENT,
    "postedDate": _nullable(_TIMESTAMP),
    "expiryDate": _nullable(_TIMESTAMP),
    "createdAt": _TIMESTAMP,
    "updatedAt": _TIMESTAMP,
}


def _object(
    fields: tuple[str, ...] | list[str], required: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _JOB[name] for name in fields},
        "required": required,
        "additionalProperties": False,
        **extra,
    }


_COUNTRY_ID = {"type": "integer", "minimum": MIN_COUNTRY_ID, "maximum": MAX_COUNTRY_ID,
               "description": "ISO 3166-1 numeric code (GET /api/v1/countries)", "example": 826}
_CANDIDATE = {
    "id": {"type": "integer", "format": "int64"},
    "email": {**_TEXT, "format": "email"},
    "phone": _nullable(_TEXT),
    "headline": _TEXT,
    "summary": _TEXT,
    "skills": {"type": "array", "items": _TEXT},
    "city": _nullable(_TEXT),
    "countryId": _nullable(_COUNTRY_ID),
    "preferredCountryIds": {"type": "array", "items": _COUNTRY_ID},
    "lastActiveAt": _TIMESTAMP,
}
_SEARCH_ITEM = {
    **_CANDIDATE,
    "fullName": {**_TEXT, "example": "P*** E***",
                 "description": "Masked: the first letter of each part of the name"},
    "isUnlocked": {"type": "boolean",
                   "description": "This employer unlocked the candidate within 30 days"},
}
_PROFILE = {
    **_CANDIDATE,
    "fullName": _TEXT,
    "unlockedUntil": {**_TIMESTAMP, "description": "End of this employer's 30-day unlock: "
                                                   "views until then are free"},
}
_SEARCH_BODY = {
    "query": {**_TEXT, "maxLength": MAX_QUERY_LENGTH, "description": (
        "Elasticsearch query_string syntax: terms, quoted phrases, AND/OR/NOT, parentheses, "
        "* and ? wildcards, fuzzy~, ranges, /regex/, fields headline, summary, skills, city, "
        "country; default operator OR")},
    "preferredCountryIds": {"type": "array", "items": _COUNTRY_ID,
                            "maxItems": MAX_COUNTRY_FILTERS,
                            "description": "Candidates who want to work in one of these"},
    "activeWithinDays": {"type": "integer", "minimum": 1, "maximum": MAX_ACTIVE_WITHIN_DAYS,
                         "description": "Candidates active within that many days"},
    "pageNumber": {"type": "integer", "minimum": 1, "default": 1, "description": (
        f"pageNumber times pageSize is at most {MAX_SEARCH_WINDOW}")},
    "pageSize": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                 "default": DEFAULT_SEARCH_PAGE_SIZE},
}


def _pick(source: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: source[name] for name in fields},
        "required": list(fields),
        "additionalProperties": False,
    }


_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": [
                "invalid_request", "invalid_query", "invalid_state", "no_credits",
                "not_found", "forbidden", "rate_limited", "internal_error",
            ]},
            "message": _TEXT,
        },
        "required": ["code", "message"],
    },
    "Job": _object(JOB_FIELDS, list(JOB_FIELDS)),
    "JobListItem": _object(LIST_ITEM_FIELDS, list(LIST_ITEM_FIELDS)),
    "JobPage": {
        "type": "object",
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pageSize": {"type": "integer"},
            "items": {"type": "array", "items": _ref("JobListItem")},
        },
        "required": ["total", "page", "pageSize", "items"],
    },
    "JobCreate": _object(list(_CONTENT), _REQUIRED_CONTENT),
    "JobChanges": _object(
        list(_CONTENT), [], minProperties=1,
        description="Only the fields sent change; null clears an optional field.",
    ),
    "PublishRequest": {
        "type": "object",
        "properties": {"expiryDate": {
            **_TIMESTAMP,
            "description": "Default 30 days from now; in the future and at most 90 days out",
        }},
        "additionalProperties": False,
    },
    "Application": {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "jobId": {"type": "integer", "format": "int64"},
            "candidateId": {"type": "integer", "format": "int64"},
            "status": _enum(ApplicationStatus),
            "applicationType": _enum(ApplyMethod),
            "appliedAt": _TIMESTAMP,
            "updatedAt": _TIMESTAMP,
        },
        "required": list(APPLICATION_FIELDS),
        "additionalProperties": False,
    },
    "ApplicationPage": {
        "type": "object",
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pageSize": {"type": "integer"},
            "items": {"type": "array", "items": _ref("Application")},
        },
        "required": ["total", "page", "pageSize", "items"],
    },
    "CandidateSearch": {
        **_pick(_SEARCH_BODY, SEARCH_BODY_FIELDS),
        "required": ["query"],
        "example": {"query": '"Process Engineer" AND "HVAC"', "preferredCountryIds": [44],
                    "activeWithinDays": 90, "pageNumber": 1, "pageSize": 20},
    },
    "CandidateSearchItem": _pick(_SEARCH_ITEM, SEARCH_ITEM_FIELDS),
    "CandidateSearchPage": {
        "type": "object",
        "properties": {
            "total": {"type": "integer", "description": "Every match, not only this page"},
            "pageNumber": {"type": "integer"},
            "pageSize": {"type": "integer"},
            "items": {"type": "array", "items": _ref("CandidateSearchItem"),
                      "description": "Most relevant first (BM25), ties by id"},
        },
        "required": ["total", "pageNumber", "pageSize", "items"],
    },
    "CandidateProfile": _pick(_PROFILE, PROFILE_FIELDS),
    "Country": {
        "type": "object",
        "properties": {"id": _COUNTRY_ID, "name": {**_TEXT, "example": "United Kingdom"}},
        "required": ["id", "name"],
        "additionalProperties": False,
    },
    "Health": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "checks": {"type": "object", "additionalProperties": {
                "type": "string", "enum": ["ok", "failing"],
            }},
        },
        "required": ["status"],
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


_RESPONSES = {
    "BadRequest": _error("invalid_request, or invalid_state for an operation the job's "
                         "status does not allow"),
    "Unauthorized": {"description": "Missing, malformed, unknown, revoked, expired or "
                                    "unapproved key. No body."},
    "Forbidden": _error("forbidden: the key lacks the endpoint's scope"),
    "NoCredits": _error("no_credits: nothing was charged and nothing changed"),
    "NotFound": _error("not_found: no such job for this employer"),
    "InvalidSearch": _error("invalid_query: the query is malformed, the message gives the "
                            "position and what was expected there; or invalid_request for the "
                            "rest of the body. Nothing is charged."),
    "CandidateNotFound": _error("not_found: no such candidate, or one who is hidden"),
    "PayloadTooLarge": _error(f"invalid_request: body over {MAX_BODY_BYTES} bytes"),
    "UnsupportedMediaType": _error("invalid_request: body is not application/json"),
    "ServerError": _error("internal_error: transient, nothing was charged"),
}


_STATUS_OF = {
    "BadRequest": "400", "Unauthorized": "401", "NoCredits": "402", "Forbidden": "403",
    "NotFound": "404", "CandidateNotFound": "404", "InvalidSearch": "400",
    "PayloadTooLarge": "413", "UnsupportedMediaType": "415",
    "ServerError": "500",
}


def _json_body(schema: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(schema)}}}


def _answers(status: int, schema: str, *errors: str, **headers: Any) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "Success",
                          "content": {"application/json": {"schema": _ref(schema)}}}
    if headers:
        ok["headers"] = headers
    answers = {str(status): ok}
    for name in ("BadRequest", "Unauthorized", "Forbidden", "ServerError", *errors):
        answers[_STATUS_OF[name]] = {"$ref": f"#/components/responses/{name}"}
    return answers


_JOB_ID = {"name": "jobId", "in": "path", "required": True,
           "schema": {"type": "integer", "format": "int64", "minimum": 1}}
_WITH_BODY = ("PayloadTooLarge", "UnsupportedMediaType")
_PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "pageSize", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 50}},
]

_PATHS = {
    "/api/v1/jobs": {
        "get": {
            "summary": "List the employer's jobs, newest first",
            "operationId": "listJobs",
            "parameters": [
                *_PAGING, {"name": "status", "in": "query", "schema": _enum(JobStatus)},
            ],
            "responses": _answers(200, "JobPage"),
        },
        "post": {
            "summary": "Create a Draft job",
            "operationId": "createJob",
            "requestBody": _json_body("JobCreate"),
            "responses": _answers(201, "Job", *_WITH_BODY,
                                  Location={"schema": {"type": "string"}}),
        },
    },
    "/api/v1/jobs/{jobId}": {
        "parameters": [_JOB_ID],
        "get": {"summary": "One job with its description", "operationId": "getJob",
                "responses": _answers(200, "Job", "NotFound")},
        "put": {"summary": "Change the fields sent (Draft and Active jobs)",
                "operationId": "updateJob", "requestBody": _json_body("JobChanges"),
                "responses": _answers(200, "Job", "NotFound", *_WITH_BODY)},
        "delete": {"summary": "Deactivate the job; repeating it is harmless",
                   "operationId": "deactivateJob",
                   "responses": _answers(200, "Job", "NotFound")},
    },
    "/api/v1/jobs/{jobId}/publish": {
        "parameters": [_JOB_ID],
        "post": {"summary": "Publish a Draft for one JobPosting credit",
                 "operationId": "publishJob",
                 "requestBody": _json_body("PublishRequest", required=False),
                 "responses": _answers(200, "Job", "NoCredits", "NotFound", *_WITH_BODY)},
    },
    "/api/v1/jobs/{jobId}/applications": {
        "parameters": [_JOB_ID],
        "get": {
            "summary": "The job's applications, newest first",
            "operationId": "listApplications",
            "parameters": [
                *_PAGING, {"name": "status", "in": "query", "schema": _enum(ApplicationStatus)},
            ],
            "responses": _answers(200, "ApplicationPage", "NotFound"),
        },
    },
    "/api/v1/jobs/{jobId}/applications/{applicationId}": {
        "parameters": [_JOB_ID, {"name": "applicationId", "in": "path", "required": True,
                                 "schema": {"type": "integer", "format": "int64", "minimum": 1}}],
        "get": {"summary": "One application to the job", "operationId": "getApplication",
                "responses": _answers(200, "Application", "NotFound")},
    },
    "/api/v1/candidates/search": {
        "post": {
            "summary": "Search candidates for one CvSearch credit; rows are masked",
            "description": "Every search that answers 200 costs one CvSearch credit (free "
                           "under a contract); a malformed query or any other error costs "
                           "nothing. Rows carry no contact detail.",
            "operationId": "searchCandidates",
            "requestBody": _json_body("CandidateSearch"),
            "responses": _answers(200, "CandidateSearchPage", "InvalidSearch", "NoCredits",
                                  *_WITH_BODY),
        },
    },
    "/api/v1/candidates/{candidateId}": {
        "parameters": [{"name": "candidateId", "in": "path", "required": True,
                        "schema": {"type": "integer", "format": "int64", "minimum": 1}}],
        "get": {
            "summary": "A candidate's full profile with contact details",
            "description": "The first view in a 30-day window costs one CvDownload credit and "
                           "unlocks the candidate for this employer; views within the window "
                           "are free.",
            "operationId": "getCandidate",
            "responses": _answers(200, "CandidateProfile", "NoCredits", "CandidateNotFound"),
        },
    },
    "/api/v1/countries": {"get": {
        "summary": "ISO 3166-1 countries by name; free for any valid key, whatever its scopes",
        "operationId": "listCountries",
        "responses": {
            "200": {"description": "Every country, ordered by name (accents and case aside)",
                    "content": {"application/json": {"schema": {
                        "type": "array", "items": _ref("Country")}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "500": {"$ref": "#/components/responses/ServerError"},
        },
    }},
    "/healthz/live": {"get": {"summary": "The process answers", "operationId": "live",
                              "security": [], "responses": {"200": {"description": "Alive"}}}},
    "/healthz/ready": {"get": {
        "summary": "Every dependency answers", "operationId": "ready", "security": [],
        "responses": {
            "200": {"description": "Ready",
                    "content": {"application/json": {"schema": _ref("Health")}}},
            "503": {"description": "A dependency is failing",
                    "content": {"application/json": {"schema": _ref("Health")}}},
        },
    }},
    OPENAPI_PATH: {"get": {"summary": "This document", "operationId": "openapi",
                           "security": [], "responses": {"200": {"description": "OpenAPI 3"}}}},
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "ITManagerJobs partner API", "version": "v1"},
        "security": [{"bearerKey": []}, {"headerKey": []}],
        "paths": _PATHS,
        "components": {
            "securitySchemes": {
                "bearerKey": {"type": "http", "scheme": "bearer",
                              "description": "Authorization: Bearer pk_live_..."},
                "headerKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            },
            "schemas": _SCHEMAS,
            "responses": _RESPONSES,
        },
    }


class OpenApiResource:
    scope = None

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        send_json(resp, self._spec)

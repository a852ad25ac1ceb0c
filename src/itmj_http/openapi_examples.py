"""The SPEC's examples, as the OpenAPI document shows them, keyed by operation and by status
(or ``"request"`` for the body sent), and a body of each webhook event, as the event encoder
writes it. Tests hold each to the schema it illustrates."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from itmj_adapters.event_encoder import JsonEventEncoder
from itmj_domain.applications import ApplicationStatus
from itmj_domain.events import (
    ApplicationStatusChanged,
    ApplicationSubmitted,
    Event,
    JobExpired,
    Payload,
    WebhookTest,
)
from itmj_domain.jobs import ApplyMethod

_CREATE = {
    "title": "IT Manager",
    "reference": "ATS-1234",
    "description": "Run the service desk and the infrastructure team.",
    "city": "Leeds",
    "country": "United Kingdom",
    "employmentType": "FullTime",
    "remoteType": "HybridRemote",
    "applyMethod": "EmailApply",
    "applyEmailAddress": "jobs@acme.example",
}
_DRAFT = {
    "id": 1234,
    "status": "Draft",
    "title": _CREATE["title"],
    "reference": _CREATE["reference"],
    "description": _CREATE["description"],
    "city": _CREATE["city"],
    "country": _CREATE["country"],
    "employmentType": _CREATE["employmentType"],
    "remoteType": _CREATE["remoteType"],
    "applyMethod": _CREATE["applyMethod"],
    "applyEmailAddress": _CREATE["applyEmailAddress"],
    "applyUrl": None,
    "salaryMin": None,
    "salaryMax": None,
    "salaryCurrency": None,
    "salaryPeriod": None,
    "postedDate": None,
    "expiryDate": None,
    "createdAt": "2026-05-01T09:30:00Z",
    "updatedAt": "2026-05-01T09:30:00Z",
}
_ACTIVE = {
    **_DRAFT,
    "status": "Active",
    "postedDate": "2026-05-01T09:31:00Z",
    "expiryDate": "2026-06-01T00:00:00Z",
    "updatedAt": "2026-05-01T09:31:00Z",
}
_SUBSCRIBE = {"url": "https://ats.example.com/hooks",
              "events": ["application.status_changed", "application.submitted"]}

EXAMPLES: dict[tuple[str, int | str], Any] = {
    ("listJobs", 200): {"total": 0, "page": 1, "pageSize": 50, "items": []},
    ("createJob", "request"): _CREATE,
    ("createJob", 201): _DRAFT,
    ("publishJob", "request"): {"expiryDate": "2026-06-01T00:00:00Z"},
    ("publishJob", 200): _ACTIVE,
    ("searchCandidates", "request"): {
        "query": '"Process Engineer" AND "HVAC"',
        "preferredCountryIds": [44],
        "activeWithinDays": 90,
        "pageNumber": 1,
        "pageSize": 20,
    },
    ("searchCandidates", 200): {
        "total": 1,
        "pageNumber": 1,
        "pageSize": 20,
        "items": [{
            "id": 42,
            "fullName": "P*** E***",
            "headline": "Process Engineer",
            "skills": ["HVAC", "AutoCAD"],
            "city": "Dubai",
            "countryId": 784,
            "lastActiveAt": "2026-04-20T08:00:00Z",
            "isUnlocked": False,
        }],
    },
    ("getCredits", 200): {
        "balances": [
            {"kind": "JobPosting", "balance": 4, "unlimited": False, "coveredUntil": None},
            {"kind": "CvSearch", "balance": 0, "unlimited": True,
             "coveredUntil": "2026-12-31T00:00:00Z"},
            {"kind": "CvDownload", "balance": 10, "unlimited": False, "coveredUntil": None},
        ],
        "contracts": [{"id": 3, "kinds": ["CvSearch"], "validFrom": "2026-01-01T00:00:00Z",
                       "validUntil": "2026-12-31T00:00:00Z"}],
    },
    ("createWebhookSubscription", "request"): _SUBSCRIBE,
    ("createWebhookSubscription", 201): {
        "id": 7,
        **_SUBSCRIBE,
        "enabled": True,
        "consecutiveFailures": 0,
        "createdAt": "2026-05-01T09:30:00Z",
        "disabledAt": None,
        "standardWebhooks": True,
        "secret": "whsec_BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=",
    },
}

_EVENT_TIME = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
_PAYLOADS: dict[type, Payload] = {
    ApplicationSubmitted: ApplicationSubmitted(
        application_id=7, job_post_id=1234, job_title="IT Manager", candidate_id=42,
        applied_at=_EVENT_TIME, application_type=ApplyMethod.EMAIL_APPLY, reference="ATS-1234",
    ),
    ApplicationStatusChanged: ApplicationStatusChanged(
        application_id=7, previous_status=ApplicationStatus.NEW,
        new_status=ApplicationStatus.SCREENED, changed_at=_EVENT_TIME, job_post_id=1234,
        reference="ATS-1234",
    ),
    JobExpired: JobExpired(
        job_post_id=1234, expired_at=datetime(2026, 6, 1, tzinfo=UTC), reference="ATS-1234",
    ),
    WebhookTest: WebhookTest(subscription_id=3, sent_at=_EVENT_TIME),
}


def webhook_example(payload: type) -> Any:
    """A body of the event whose payload is ``payload``, exactly as a delivery sends it."""
    sample = _PAYLOADS[payload]
    event = Event("evt_5b1f0c2d9e8a4f7b8c6d3e2a1f0b9c8d", employer_id=1,
                  occurred_at=_EVENT_TIME + timedelta(milliseconds=123), payload=sample,
                  sequence=17)
    return json.loads(JsonEventEncoder().encode(event))

"""The SPEC's examples, as the OpenAPI document shows them, keyed by operation and by status
(or ``"request"`` for the body sent). Tests hold each to the schema it illustrates."""

from typing import Any

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
        "secret": "whsec_7G9k2mQx4Lr8Vt1Zp6Hc3Nw5Bd0Fy2Ks9Ja4Ue7Xo1Ri",
    },
}

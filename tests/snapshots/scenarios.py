"""One representative call per operation and status of the v1 contract, against a world made
the same way every time: a fixed clock, fresh ids (1, 2, … on every backend), the same
partners, jobs, candidates and application. Nothing in the app is told to answer anything."""

from datetime import UTC, datetime, timedelta

import attrs
import falcon

from itmj_adapters.composition import Services
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.search import SearchUnavailable
from itmj_domain.services.cv_search import CvSearch
from itmj_domain.webhooks.subscriptions import EventType
from itmj_http.app import create_app
from itmj_http.conditional import IF_MATCH, IF_NONE_MATCH
from itmj_http.job_json import JobJson
from itmj_http.json_converter import make_converter
from itmj_http.openapi_examples import EXAMPLES
from itmj_http.request_body import MAX_BODY_BYTES
from tests.use_cases.test_cv_search import load, profile

START = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
JOBS = "/api/v1/jobs"
SEARCH = "/api/v1/candidates/search"
CANDIDATES = "/api/v1/candidates"
CREDITS = "/api/v1/credits"
WEBHOOKS = "/api/v1/webhooks"
SUBSCRIPTIONS = f"{WEBHOOKS}/subscriptions"
EVENTS = "/api/v1/events"
ACTIVE_JOB, DRAFT_JOB, INACTIVE_JOB, BROKE_DRAFT_JOB = 1, 2, 3, 4
MATCHING_CANDIDATE, APPLICATION, MISSING = 1, 1, 999
SUBSCRIPTION, DISABLED_SUBSCRIPTION = 1, 2
# Replaced in a call's target by the id the world's delivery got (a fresh one each time).
DELIVERY = "{delivery}"
SUBSCRIPTION_BODY = EXAMPLES[("createWebhookSubscription", "request")]
CREATE_BODY = EXAMPLES[("createJob", "request")]
SEARCH_BODY = EXAMPLES[("searchCandidates", "request")]
TOO_LARGE = ("application/json", b'{"title": "' + b"x" * MAX_BODY_BYTES + b'"}')
NOT_JSON = ("text/plain", b"title=IT Manager")
# A version no job has: its write is refused as made on an older version.
_STALE_TAG = '"0000000000000000"'


@attrs.frozen
class Call:
    method: str
    target: str
    key: str | None
    json: object = None
    raw: tuple[str, bytes] | None = None
    unhealthy: bool = False
    # Made once the key has used up its family's rate limit (with calls that cost nothing).
    over_limit: bool = False
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> dict[str, object]:
        request: dict[str, object] = {"method": self.method, "target": self.target,
                                      "key": self.key}
        if self.json is not None:
            request["json"] = self.json
        if self.raw is not None:
            content_type, body = self.raw
            shown = body.decode() if len(body) <= 200 else f"<{len(body)} bytes>"
            request["body"] = {"contentType": content_type, "content": shown}
        if self.over_limit:
            request["after"] = "the key's rate limit is used up"
        if self.headers:
            request["headers"] = dict(self.headers)
        return request

    def filler(self) -> "Call":
        """A call of the same rate-limited family, by the same key, that costs nothing."""
        if self.target.startswith((CREDITS, WEBHOOKS)):
            return Call("GET", CREDITS, self.key)
        if self.target.startswith((JOBS, EVENTS)):
            return Call("GET", f"{JOBS}/{ACTIVE_JOB}", self.key)
        if self.target == SEARCH:
            return Call("POST", SEARCH, self.key, json={"query": "("})
        return Call("GET", f"{CANDIDATES}/{MISSING}", self.key)


@attrs.frozen
class World:
    app: falcon.App
    unhealthy_app: falcon.App
    keys: dict[str, str]
    delivery_id: str

    def target(self, call: Call) -> str:
        return call.target.replace(DELIVERY, self.delivery_id)


class _DownIndex:
    """A search backend that cannot be reached, as the Elasticsearch adapter reports one."""

    def search(self, *_args: object) -> None:
        raise SearchUnavailable("the search backend is unavailable; nothing was charged, "
                                "retry later")

    def upsert(self, *_args: object) -> None:
        raise SearchUnavailable("down")

    def remove(self, *_args: object) -> None:
        raise SearchUnavailable("down")


class _FailingProbe:
    name = "database"

    def check(self) -> None:
        raise ConnectionError("the database does not answer")


def build_world(services: Services, clock) -> World:
    """Acme (5 credits of each kind, a JobPosting key ``jobs``, a CvSearch key ``cv`` and a
    Webhooks key ``hooks``) with an Active job 1 that has application 1, a Draft job 2 and an
    Inactive job 3, webhook subscription 1 with a delivered test event and subscription 2,
    disabled; Broke Ltd (no credit, key ``broke`` with every scope) with a Draft job 4;
    candidate 1 matching the SPEC's search example, candidate 2 not."""
    clock.set(START)
    acme = services.accounts.create_employer("Acme Recruitment", trusted_partner=True)
    for kind in CreditKind:
        services.credits.grant(acme.id, kind, 5)
    broke = services.accounts.create_employer("Broke Ltd", trusted_partner=True)
    keys = {
        "jobs": services.accounts.mint_key(acme.id, "ATS", frozenset({Scope.JOB_POSTING})),
        "cv": services.accounts.mint_key(acme.id, "CV", frozenset({Scope.CV_SEARCH})),
        "broke": services.accounts.mint_key(broke.id, "ATS", frozenset(Scope)),
        "hooks": services.accounts.mint_key(acme.id, "Hooks", frozenset({Scope.WEBHOOKS})),
    }
    candidates = load(services, [
        profile("snapshot-1", "Senior Process Engineer", ["HVAC", "AutoCAD"],
                full_name="Priya Evans", city="Dubai", country_id=784,
                preferred_country_ids=frozenset({44, 784}),
                last_active_at=START - timedelta(days=9)),
        profile("snapshot-2", "Kubernetes platform lead", ["AWS", "Terraform"],
                full_name="Sam Lee", last_active_at=START - timedelta(days=2)),
    ])
    content = JobJson(make_converter()).content(CREATE_BODY)
    jobs = [services.jobs.create(employer.id, content) for employer in (acme, acme, acme, broke)]
    services.jobs.publish(acme.id, jobs[0].id)
    services.jobs.deactivate(acme.id, jobs[2].id)
    application = services.applications.submit(jobs[0].id, candidates[0])
    wanted = frozenset({EventType.JOB_EXPIRED})
    subscriptions = [
        services.webhooks.subscribe(acme.id, f"https://hooks.example.com/{n}", wanted)
        .subscription.id for n in (1, 2)
    ]
    delivery = services.webhooks.send_test(subscriptions[0], acme.id)
    services.webhooks.disable(subscriptions[1], acme.id)
    assert ([job.id for job in jobs], candidates, application.id, subscriptions) == (
        [ACTIVE_JOB, DRAFT_JOB, INACTIVE_JOB, BROKE_DRAFT_JOB], [MATCHING_CANDIDATE, 2],
        APPLICATION, [SUBSCRIPTION, DISABLED_SUBSCRIPTION],
    ), "the world's ids are no longer the fixed ones the calls name"
    unhealthy = attrs.evolve(
        services, probes=[*services.probes, _FailingProbe()],
        cv_search=CvSearch(services.uow, services.clock, _DownIndex()),
    )
    return World(create_app(services), create_app(unhealthy),
                 {name: minted.plaintext for name, minted in keys.items()}, delivery.id)


_JOB = f"{JOBS}/{ACTIVE_JOB}"
_APPLICATIONS = f"{_JOB}/applications"
_SUBSCRIPTION = f"{SUBSCRIPTIONS}/{SUBSCRIPTION}"
_MISSING_SUBSCRIPTION = f"{SUBSCRIPTIONS}/{MISSING}"
_REDELIVER = f"{WEBHOOKS}/deliveries/{DELIVERY}/redeliver"


def _subscription_action(action: str, status: int = 200) -> list[Call]:
    """The calls of a POST on a subscription that takes no body."""
    return [
        Call("POST", f"{_SUBSCRIPTION}/{action}", "hooks"),
        Call("POST", f"{SUBSCRIPTIONS}/first/{action}", "hooks"),
        Call("POST", f"{_SUBSCRIPTION}/{action}", None),
        Call("POST", f"{_SUBSCRIPTION}/{action}", "jobs"),
        Call("POST", f"{_MISSING_SUBSCRIPTION}/{action}", "hooks"),
        Call("POST", f"{_SUBSCRIPTION}/{action}", "hooks", over_limit=True),
    ]

CALLS: dict[str, list[Call]] = {
    "listJobs": [
        # Three jobs in pages of two: the first page's nextCursor and Link (SPEC §11, §12).
        Call("GET", f"{JOBS}?pageSize=2", "jobs"),
        Call("GET", f"{JOBS}?pageSize=0", "jobs"),
        Call("GET", JOBS, None),
        Call("GET", JOBS, "cv"),
        Call("GET", JOBS, "jobs", over_limit=True),
    ],
    "createJob": [
        Call("POST", JOBS, "jobs", json=CREATE_BODY),
        Call("POST", JOBS, "jobs", json={**CREATE_BODY, "title": None, "salaryMin": "lots"}),
        Call("POST", JOBS, None, json=CREATE_BODY),
        Call("POST", JOBS, "cv", json=CREATE_BODY),
        Call("POST", JOBS, "jobs", raw=TOO_LARGE),
        Call("POST", JOBS, "jobs", raw=NOT_JSON),
        Call("POST", JOBS, "jobs", json=CREATE_BODY, over_limit=True),
    ],
    "getJob": [
        Call("GET", _JOB, "jobs"),
        Call("GET", f"{JOBS}/abc", "jobs"),
        Call("GET", _JOB, None),
        Call("GET", _JOB, "cv"),
        Call("GET", f"{JOBS}/{MISSING}", "jobs"),
        Call("GET", _JOB, "jobs", headers=((IF_NONE_MATCH, "*"),)),
        Call("GET", _JOB, "jobs", over_limit=True),
    ],
    "updateJob": [
        Call("PUT", _JOB, "jobs", json={"city": "York", "salaryMin": 50_000,
                                        "salaryMax": 60_000, "salaryCurrency": "GBP",
                                        "salaryPeriod": "Year",
                                        "expiryDate": "2026-07-15T00:00:00Z"}),
        Call("PUT", f"{JOBS}/{INACTIVE_JOB}", "jobs", json={"city": "York"}),
        Call("PUT", _JOB, None, json={"city": "York"}),
        Call("PUT", _JOB, "cv", json={"city": "York"}),
        Call("PUT", f"{JOBS}/{MISSING}", "jobs", json={"city": "York"}),
        Call("PUT", _JOB, "jobs", raw=TOO_LARGE),
        Call("PUT", _JOB, "jobs", raw=NOT_JSON),
        Call("PUT", _JOB, "jobs", json={"city": "Hull"}, headers=((IF_MATCH, _STALE_TAG),)),
        Call("PUT", _JOB, "jobs", json={"city": "York"}, over_limit=True),
    ],
    "deactivateJob": [
        Call("DELETE", _JOB, "jobs"),
        Call("DELETE", f"{JOBS}/0", "jobs"),
        Call("DELETE", _JOB, None),
        Call("DELETE", _JOB, "cv"),
        Call("DELETE", f"{JOBS}/{MISSING}", "jobs"),
        Call("DELETE", _JOB, "jobs", headers=((IF_MATCH, _STALE_TAG),)),
        Call("DELETE", _JOB, "jobs", over_limit=True),
    ],
    "publishJob": [
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "jobs",
             json=EXAMPLES[("publishJob", "request")]),
        Call("POST", f"{_JOB}/publish", "jobs"),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", None),
        Call("POST", f"{JOBS}/{BROKE_DRAFT_JOB}/publish", "broke"),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "cv"),
        Call("POST", f"{JOBS}/{MISSING}/publish", "jobs"),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "jobs", raw=TOO_LARGE),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "jobs", raw=NOT_JSON),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "jobs", headers=((IF_MATCH, _STALE_TAG),)),
        Call("POST", f"{JOBS}/{DRAFT_JOB}/publish", "jobs", over_limit=True),
    ],
    "listApplications": [
        Call("GET", _APPLICATIONS, "jobs"),
        Call("GET", f"{_APPLICATIONS}?status=Maybe", "jobs"),
        Call("GET", _APPLICATIONS, None),
        Call("GET", _APPLICATIONS, "cv"),
        Call("GET", f"{JOBS}/{MISSING}/applications", "jobs"),
        Call("GET", _APPLICATIONS, "jobs", over_limit=True),
    ],
    "getApplication": [
        Call("GET", f"{_APPLICATIONS}/{APPLICATION}", "jobs"),
        Call("GET", f"{_APPLICATIONS}/first", "jobs"),
        Call("GET", f"{_APPLICATIONS}/{APPLICATION}", None),
        Call("GET", f"{_APPLICATIONS}/{APPLICATION}", "cv"),
        Call("GET", f"{_APPLICATIONS}/{MISSING}", "jobs"),
        Call("GET", f"{_APPLICATIONS}/{APPLICATION}", "jobs", over_limit=True),
    ],
    "searchCandidates": [
        Call("POST", SEARCH, "cv", json=SEARCH_BODY),
        Call("POST", SEARCH, "cv", json={"query": '"Process Engineer AND HVAC'}),
        Call("POST", SEARCH, None, json=SEARCH_BODY),
        Call("POST", SEARCH, "broke", json=SEARCH_BODY),
        Call("POST", SEARCH, "jobs", json=SEARCH_BODY),
        Call("POST", SEARCH, "cv", raw=TOO_LARGE),
        Call("POST", SEARCH, "cv", raw=NOT_JSON),
        Call("POST", SEARCH, "cv", json=SEARCH_BODY, unhealthy=True),
        Call("POST", SEARCH, "cv", json=SEARCH_BODY, over_limit=True),
    ],
    "getCandidate": [
        Call("GET", f"{CANDIDATES}/{MATCHING_CANDIDATE}", "cv"),
        Call("GET", f"{CANDIDATES}/-1", "cv"),
        Call("GET", f"{CANDIDATES}/{MATCHING_CANDIDATE}", None),
        Call("GET", f"{CANDIDATES}/{MATCHING_CANDIDATE}", "broke"),
        Call("GET", f"{CANDIDATES}/{MATCHING_CANDIDATE}", "jobs"),
        Call("GET", f"{CANDIDATES}/{MISSING}", "cv"),
        Call("GET", f"{CANDIDATES}/{MATCHING_CANDIDATE}", "cv", over_limit=True),
    ],
    "listCountries": [
        Call("GET", "/api/v1/countries", "jobs"),
        Call("GET", "/api/v1/countries?lang=fr", "cv"),
        Call("GET", "/api/v1/countries", None),
    ],
    "getCredits": [
        Call("GET", CREDITS, "cv"),
        Call("GET", f"{CREDITS}?kind=CvSearch", "jobs"),
        Call("GET", CREDITS, None),
        Call("GET", CREDITS, "hooks", over_limit=True),
    ],
    "listWebhookSubscriptions": [
        Call("GET", SUBSCRIPTIONS, "hooks"),
        Call("GET", f"{SUBSCRIPTIONS}?enabled=true", "hooks"),
        Call("GET", SUBSCRIPTIONS, None),
        Call("GET", SUBSCRIPTIONS, "cv"),
        Call("GET", SUBSCRIPTIONS, "hooks", over_limit=True),
    ],
    "createWebhookSubscription": [
        Call("POST", SUBSCRIPTIONS, "hooks", json=SUBSCRIPTION_BODY),
        Call("POST", SUBSCRIPTIONS, "hooks", json={**SUBSCRIPTION_BODY,
                                                   "url": "ftp://hooks.example.com"}),
        Call("POST", SUBSCRIPTIONS, None, json=SUBSCRIPTION_BODY),
        Call("POST", SUBSCRIPTIONS, "jobs", json=SUBSCRIPTION_BODY),
        Call("POST", SUBSCRIPTIONS, "hooks", raw=TOO_LARGE),
        Call("POST", SUBSCRIPTIONS, "hooks", raw=NOT_JSON),
        Call("POST", SUBSCRIPTIONS, "hooks", json=SUBSCRIPTION_BODY, over_limit=True),
    ],
    "getWebhookSubscription": [
        Call("GET", _SUBSCRIPTION, "hooks"),
        Call("GET", f"{SUBSCRIPTIONS}/0", "hooks"),
        Call("GET", _SUBSCRIPTION, None),
        Call("GET", _SUBSCRIPTION, "jobs"),
        Call("GET", _MISSING_SUBSCRIPTION, "hooks"),
        Call("GET", _SUBSCRIPTION, "hooks", over_limit=True),
    ],
    "updateWebhookSubscription": [
        Call("PUT", _SUBSCRIPTION, "hooks", json={"events": ["application.submitted"]}),
        Call("PUT", _SUBSCRIPTION, "hooks", json={"events": ["webhook.test"]}),
        Call("PUT", _SUBSCRIPTION, None, json={"events": ["job.expired"]}),
        Call("PUT", _SUBSCRIPTION, "jobs", json={"events": ["job.expired"]}),
        Call("PUT", _MISSING_SUBSCRIPTION, "hooks", json={"events": ["job.expired"]}),
        Call("PUT", _SUBSCRIPTION, "hooks", raw=TOO_LARGE),
        Call("PUT", _SUBSCRIPTION, "hooks", raw=NOT_JSON),
        Call("PUT", _SUBSCRIPTION, "hooks", json={"events": ["job.expired"]}, over_limit=True),
    ],
    "deleteWebhookSubscription": [
        Call("DELETE", _SUBSCRIPTION, "hooks"),
        Call("DELETE", f"{SUBSCRIPTIONS}/-1", "hooks"),
        Call("DELETE", _SUBSCRIPTION, None),
        Call("DELETE", _SUBSCRIPTION, "jobs"),
        Call("DELETE", _MISSING_SUBSCRIPTION, "hooks"),
        Call("DELETE", _SUBSCRIPTION, "hooks", over_limit=True),
    ],
    "enableWebhookSubscription": _subscription_action("enable"),
    "disableWebhookSubscription": _subscription_action("disable"),
    "rotateWebhookSecret": _subscription_action("rotate-secret"),
    "sendWebhookTest": [
        Call("POST", f"{_SUBSCRIPTION}/test", "hooks"),
        Call("POST", f"{SUBSCRIPTIONS}/{DISABLED_SUBSCRIPTION}/test", "hooks"),
        *_subscription_action("test")[2:],
    ],
    "listWebhookDeliveries": [
        Call("GET", f"{_SUBSCRIPTION}/deliveries", "hooks"),
        Call("GET", f"{_SUBSCRIPTION}/deliveries?status=lost", "hooks"),
        Call("GET", f"{_SUBSCRIPTION}/deliveries", None),
        Call("GET", f"{_SUBSCRIPTION}/deliveries", "jobs"),
        Call("GET", f"{_MISSING_SUBSCRIPTION}/deliveries", "hooks"),
        Call("GET", f"{_SUBSCRIPTION}/deliveries", "hooks", over_limit=True),
    ],
    "redeliverWebhook": [
        Call("POST", _REDELIVER, "hooks"),
        Call("POST", f"{WEBHOOKS}/deliveries/dlv.1/redeliver", "hooks"),
        Call("POST", _REDELIVER, None),
        Call("POST", _REDELIVER, "jobs"),
        Call("POST", f"{WEBHOOKS}/deliveries/dlv_missing/redeliver", "hooks"),
        Call("POST", _REDELIVER, "hooks", over_limit=True),
    ],
    "listWebhookEventTypes": [
        Call("GET", f"{WEBHOOKS}/event-types", "hooks"),
        Call("GET", f"{WEBHOOKS}/event-types?lang=fr", "hooks"),
        Call("GET", f"{WEBHOOKS}/event-types", None),
        Call("GET", f"{WEBHOOKS}/event-types", "cv"),
        Call("GET", f"{WEBHOOKS}/event-types", "hooks", over_limit=True),
    ],
    "listEvents": [
        Call("GET", f"{EVENTS}?limit=10", "cv"),
        Call("GET", f"{EVENTS}?type=job.created", "jobs"),
        Call("GET", EVENTS, None),
        Call("GET", EVENTS, "jobs", over_limit=True),
    ],
    "live": [Call("GET", "/healthz/live", None)],
    "ready": [
        Call("GET", "/healthz/ready", None),
        Call("GET", "/healthz/ready", None, unhealthy=True),
    ],
}

"""No secret in the log (issue 14, Logs): a full journey through the real app, portal and API,
with every logger at DEBUG and each record written by both of the project's formatters; no
line may hold a key, a webhook secret, a password, a session id, a CSRF token, a reset or
invitation token, or a candidate's email or phone.

The journey touches every kind of answer: pages and redirects, 201s, a 401 with a wrong key,
a 4xx with an error body, a 429, a 500 (a broken store, as a deployment meets one), a webhook
created, rotated and delivered to a real receiver, and a candidate searched and unlocked.
"""

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import unquote

import attrs
import pytest
from falcon.testing import Result, TestClient

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services
from itmj_adapters.logs import JsonFormatter, TextFormatter
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.services.job_posting import JobPosting
from itmj_http.app import create_app
from tests.adapters.receiver import Receiver
from tests.http.support import JOB_BODY, JOBS, new_partner
from tests.http.test_http_failures import UnreachableDatabase
from tests.portal.support import PASSWORD, FormBrowser, loopback_services, token_in
from tests.use_cases.test_cv_search import load, profile

SEARCH = "/api/v1/candidates/search"
NEW_PASSWORD = "a brand new passphrase"
WRONG_PASSWORD = "not the password at all"
INVITED_PASSWORD = "grace's own passphrase"
SHORT_PASSWORD = "short"
CANDIDATE_EMAIL = "zed.quux@private.example"
CANDIDATE_PHONE = "+44 7700 900123"
_KEY = re.compile(r'<code id="new-key">(pk_live_[0-9A-Za-z]+)</code>')
_WEBHOOK_SECRET = re.compile(r'id="webhook-secret">(whsec_[^<]+)<')


class Capture(logging.Handler):
    """Every record, as each of the project's formatters writes it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.formatters = (JsonFormatter(), TextFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> Iterator[str]:
        for record in self.records:
            for formatter in self.formatters:
                yield formatter.format(record)


@pytest.fixture
def captured() -> Iterator[Capture]:
    root = logging.getLogger()
    handler, level = Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def leaks(lines: Iterator[str], secrets: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(what, line) for each line holding one of the secrets, as written or URL-quoted."""
    found = []
    for line in lines:
        for what, values in secrets.items():
            if any(value in line or value in unquote(line) for value in values):
                found.append((what, line))
    return found


@pytest.fixture
def journey_services(backend, request, clock, notifier) -> Iterator[Services]:
    yield from loopback_services(backend, request, clock, notifier)


class Browser(FormBrowser):
    """Keeps every session id and form token it was given, to look for them in the log."""

    def __init__(self, client: TestClient, seen: dict[str, set[str]]) -> None:
        super().__init__(client)
        self.seen = seen

    def get(self, path: str) -> Result:
        page = super().get(path)
        self._note()
        return page

    def _keep(self, result: Result) -> Result:
        kept = super()._keep(result)
        self._note()
        return kept

    def _note(self) -> None:
        if self.session_id:
            self.seen["session id"].add(self.session_id)
        if self.token:
            self.seen["CSRF token"].add(self.token)


def follow(browser: FormBrowser, result: Result) -> Result:
    assert result.status_code == 303, result.text
    return browser.get(result.headers["location"])


class BrokenTeam:
    """A team store that fails whatever it is asked, as a lost database would."""

    def __getattr__(self, name: str):
        def fail(*_args, **_kwargs):
            raise ConnectionError("the team store is down")
        return fail


@attrs.define
class Journey:
    services: Services
    notifier: RecordingNotifier
    clock: ManualClock
    client: TestClient = attrs.field(init=False)
    secrets: dict[str, set[str]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.client = TestClient(create_app(self.services))
        self.secrets = {
            "password": {PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, INVITED_PASSWORD,
                         SHORT_PASSWORD},
            "session id": set(), "CSRF token": set(), "reset token": set(),
            "invitation token": set(), "API key": set(), "webhook secret": set(),
            "candidate contact": {CANDIDATE_EMAIL, CANDIDATE_PHONE},
        }

    def account(self) -> Browser:
        """Sign up, a wrong password, forgot, reset, sign in again."""
        ada = Browser(self.client, self.secrets)
        assert ada.sign_up().status_code == 303
        assert ada.sign_in("ada@acme.example", WRONG_PASSWORD).status_code == 400
        assert ada.submit("/account/password/forgot", "/account/password/forgot",
                          {"email": "ada@acme.example"}).status_code == 303
        reset = token_in(self.notifier.sent[-1].body)
        self.secrets["reset token"].add(reset)
        ada.get(f"/account/password/reset?token={reset}")
        assert ada.post("/account/password/reset",
                        {"token": reset, "password": NEW_PASSWORD}).status_code == 303
        assert ada.sign_in("ada@acme.example", NEW_PASSWORD).status_code == 303
        ada.get("/employer/")
        return ada

    def invitation(self, ada: Browser) -> None:
        """Followed to the end; then its page with the store down, a 500 on a path that
        holds the token."""
        follow(ada, ada.post("/employer/team/invitations",
                             {"email": "grace@example.com", "role": "Recruiter"}))
        [mail] = [m for m in self.notifier.sent if m.to == "grace@example.com"]
        link = re.search(r"http://\S+", mail.body)
        assert link
        invitation = link.group(0).removeprefix("http://falconframework.org")
        self.secrets["invitation token"].add(unquote(invitation.rsplit("/", 1)[1]))
        grace = Browser(self.client, self.secrets)
        grace.get(invitation)
        assert grace.post(invitation, {"name": "Grace", "password": SHORT_PASSWORD}
                          ).status_code == 400
        follow(grace, grace.post(invitation, {"name": "Grace", "password": INVITED_PASSWORD}))
        broken = attrs.evolve(self.services, team=BrokenTeam())
        assert Browser(TestClient(create_app(broken)), self.secrets
                       ).get(invitation).status_code == 500

    def api(self, ada: Browser) -> int:
        """A key minted on the keys page, approved, and used: 201, 200, a 4xx with an error
        body, a 401 with a wrong key, a 500 with the database down. The employer's id."""
        ada.get("/employer/keys")
        created = follow(ada, ada.post("/employer/keys", {"name": "ATS",
                                                          "scopes": ["JobPosting"],
                                                          "expires_on": ""}))
        shown = _KEY.search(created.text)
        assert shown, created.text
        key = shown.group(1)
        self.secrets["API key"].add(key)
        [pending] = self.services.accounts.pending_keys()
        employer_id = self.services.accounts.approve_key(pending.key.id).employer_id
        self.services.credits.grant(employer_id, CreditKind.JOB_POSTING, 5)
        bearer = {"Authorization": f"Bearer {key}"}
        api = TestClient(self.client.app, headers=bearer)
        job = api.simulate_post(JOBS, json=JOB_BODY)
        assert job.status_code == 201, job.text
        assert api.simulate_get(f"{JOBS}/{job.json['id']}").status_code == 200
        assert api.simulate_post(f"{JOBS}/{job.json['id']}/publish").status_code == 200
        bad = api.simulate_post(JOBS, json={**JOB_BODY, "title": ""})
        assert 400 <= bad.status_code < 500 and bad.json["code"]
        wrong = f"{key[:14]}{'x' * (len(key) - 14)}"
        self.secrets["API key"].add(wrong)
        assert TestClient(self.client.app, headers={"Authorization": f"Bearer {wrong}"}
                          ).simulate_get(JOBS).status_code == 401
        down = attrs.evolve(self.services,
                            jobs=JobPosting(UnreachableDatabase(), self.services.clock))
        assert TestClient(create_app(down), headers=bearer
                          ).simulate_post(JOBS, json=JOB_BODY).status_code == 500
        return employer_id

    def webhook(self, ada: Browser, employer_id: int) -> None:
        """Created (its secret shown once), rotated, and a test event delivered."""
        with Receiver(status=200) as receiver:
            made = follow(ada, ada.post("/employer/webhooks", {
                "url": receiver.url + "/hook", "events": ["application.status_changed"]}))
            [subscription] = self.services.webhooks.list(employer_id)
            rotated = follow(ada, ada.post(f"/employer/webhooks/{subscription.id}/rotate", {}))
            for page in (made, rotated):
                secret = _WEBHOOK_SECRET.search(page.text)
                assert secret, page.text
                self.secrets["webhook secret"].add(secret.group(1))
            follow(ada, ada.post(f"/employer/webhooks/{subscription.id}/test", {}))
            self.services.webhook_delivery.relay()
        assert receiver.received

    def candidates(self) -> None:
        """A candidate searched and unlocked with a CV search key, then searches up to a
        429."""
        [candidate_id] = load(self.services, [profile(
            "secret", "Kubernetes engineer", ["Kubernetes"], email=CANDIDATE_EMAIL,
            phone=CANDIDATE_PHONE,
        )])
        searcher = new_partner(self.services, scopes=frozenset({Scope.CV_SEARCH}))
        self.services.credits.grant(searcher.employer_id, CreditKind.CV_SEARCH, 100)
        self.services.credits.grant(searcher.employer_id, CreditKind.CV_DOWNLOAD, 1)
        self.secrets["API key"].add(searcher.key)
        cv = TestClient(self.client.app, headers=searcher.bearer)
        found = cv.simulate_post(SEARCH, json={"query": "kubernetes"})
        assert [row["id"] for row in found.json["items"]] == [candidate_id]
        unlocked = cv.simulate_get(f"/api/v1/candidates/{candidate_id}")
        assert unlocked.json["email"] == CANDIDATE_EMAIL
        statuses = []
        for _ in range(40):
            statuses.append(
                cv.simulate_post(SEARCH, json={"query": CANDIDATE_EMAIL}).status_code
            )
            self.clock.advance(timedelta(milliseconds=100))
        assert 429 in statuses


def test_a_full_journey_logs_no_secret(journey_services, notifier, clock, captured):
    journey = Journey(journey_services, notifier, clock)
    ada = journey.account()
    journey.invitation(ada)
    employer_id = journey.api(ada)
    journey.webhook(ada, employer_id)
    journey.candidates()

    # Every part logged, and the scan had every kind of secret and answer to look through.
    names = {record.name for record in captured.records}
    assert {"itmj.access", "itmj.webhooks", "itmj_http.errors"} <= names, names
    statuses_logged = {getattr(r, "status", None) for r in captured.records}
    assert {200, 201, 303, 400, 401, 429, 500} <= statuses_logged
    assert all(journey.secrets.values()), journey.secrets
    assert leaks(captured.lines(), journey.secrets) == []


def test_the_scan_finds_a_secret_however_it_is_logged(captured):
    log = logging.getLogger("itmj.test")
    log.info("plain", extra={"key": "pk_live_abc"})
    log.info("in the message %s", "/account/invitations/inv_a%2Bb")
    try:
        raise ValueError("whsec_xyz")
    except ValueError:
        log.exception("failed")
    found = leaks(captured.lines(), {
        "API key": {"pk_live_abc"}, "invitation token": {"inv_a+b"},
        "webhook secret": {"whsec_xyz"},
    })
    assert sorted({what for what, _ in found}) == [
        "API key", "invitation token", "webhook secret"
    ]
    assert len(found) == 6  # each in both formats

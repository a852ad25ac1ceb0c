"""A small browser over ``falcon.testing``: it keeps the session cookie and sends each form
back with the CSRF token of the page it came from, as a real browser would."""

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from falcon.testing import Result, TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.settings import Mode, Settings
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.accounts import Role
from itmj_domain.services.portal_accounts import SignedUp
from tests.secret_keys import TEST_KEYS

COOKIE = "itmj_session"
PASSWORD = "correct horse battery"
# Where the requests of use cases called directly come from (TEST-NET-3: no real address).
HERE = "203.0.113.7"
RESET_PAGE = "http://falconframework.org/account/password/reset"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def loopback_services(
    backend: str, request: pytest.FixtureRequest, clock: ManualClock,
    notifier: RecordingNotifier,
) -> Iterator[Services]:
    """The real services in development mode on the test's backend, where webhooks may target
    loopback (the test receivers listen there); closed when the test ends."""
    database_url = request.getfixturevalue("clean_database") if backend == "postgres" else None
    built = build_services(
        Settings(mode=Mode.DEVELOPMENT, webhook_allow_private=True, database_url=database_url,
                 db_pool_size=4, secret_keys=TEST_KEYS),
        clock=clock, notifier=notifier, password_hasher=Argon2PasswordHasher.cheap(),
    )
    yield built
    built.close()


def csrf_token(page: Result) -> str:
    match = _TOKEN.search(page.text)
    assert match, page.text
    return match.group(1)


class FormBrowser:
    """``address`` is where its requests come from (the test client's default when None).
    It keeps every cookie it is given, for every path (the app's cookies other than the
    session's are each for one page)."""

    def __init__(self, client: TestClient, cookie: str = COOKIE,
                 address: str | None = None) -> None:
        self.client = client
        self.cookie_name = cookie
        self.address = address
        self.session_id: str | None = None
        self.others: dict[str, str] = {}
        self.token: str | None = None

    def get(self, path: str) -> Result:
        page = self._keep(self.client.simulate_get(path, cookies=self._cookies(),
                                                   remote_addr=self.address))
        match = _TOKEN.search(page.text)
        if match:
            self.token = match.group(1)
        return page

    def post(self, path: str, fields: dict[str, str | list[str]], *,
             token: str | None = None) -> Result:
        """Send a form with the last page's token, or ``token`` when given ("" for none)."""
        sent = dict(fields)
        token = self.token if token is None else token
        if token:
            sent["csrf_token"] = token
        return self._keep(self.client.simulate_post(
            path, body=urlencode(sent, doseq=True), cookies=self._cookies(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            remote_addr=self.address,
        ))

    def submit(self, form_page: str, action: str, fields: dict[str, str | list[str]]
               ) -> Result:
        """Open ``form_page``, then send ``fields`` to ``action`` with its token."""
        self.get(form_page)
        return self.post(action, fields)

    def sign_up(self, email: str = "ada@acme.example", employer: str = "Acme") -> Result:
        return self.submit("/account/signup", "/account/signup", {
            "employer_name": employer, "admin_name": "Ada Lovelace", "email": email,
            "password": PASSWORD,
        })

    def sign_in(self, email: str, password: str = PASSWORD, path: str = "/account/signin"
                ) -> Result:
        return self.submit(path, path, {"email": email, "password": password})

    def _cookies(self) -> dict[str, str]:
        session = {} if self.session_id is None else {self.cookie_name: self.session_id}
        return {**self.others, **session}

    def _keep(self, result: Result) -> Result:
        for name, cookie in result.cookies.items():
            if name == self.cookie_name:
                self.session_id = cookie.value or None
            elif cookie.value:
                self.others[name] = cookie.value
            else:
                self.others.pop(name, None)
        return result


def signed_up(services: Services, email: str = "ada@acme.example") -> SignedUp:
    return services.portal_accounts.sign_up("Acme", "Ada Lovelace", email, PASSWORD, HERE)


def add_recruiter(services: Services, employer_id: int, email: str) -> None:
    """A recruiter with the usual password, set through a reset link as a person would."""
    services.accounts.add_user(employer_id, email, Role.RECRUITER)
    services.portal_accounts.request_password_reset(email, HERE, RESET_PAGE)
    assert isinstance(services.notifier, RecordingNotifier)
    link = services.notifier.sent[-1].body
    services.portal_accounts.reset_password(token_in(link), PASSWORD, HERE)


def token_in(body: str) -> str:
    """The token of the reset link in an email."""
    match = re.search(r"\?token=(\S+)", body)
    assert match, body
    return match.group(1)

"""Who may open what: the guards other pages use, on the real middleware, and the 403 page
that says why."""

import falcon
import pytest
from falcon.testing import TestClient

from itmj_http.app import create_app
from itmj_http.portal.guards import employer_admin, employer_user, staff_member
from itmj_http.portal.middleware import PortalResource
from tests.portal.support import HERE, PASSWORD, FormBrowser, add_recruiter, signed_up


class _Probe(PortalResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "opened"

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "posted"


@employer_user
class _AnyUser(_Probe):
    pass


@employer_admin
class _AdminOnly(_Probe):
    pass


@staff_member
class _StaffOnly(_Probe):
    pass


@pytest.fixture
def app_with_probes(portal_services) -> TestClient:
    app = create_app(portal_services)
    app.add_route("/employer/probe/any", _AnyUser())
    app.add_route("/employer/probe/admin", _AdminOnly())
    app.add_route("/platform/probe", _StaffOnly())
    return TestClient(app)


@pytest.fixture
def people(portal_services):
    admin = signed_up(portal_services)
    add_recruiter(portal_services, admin.employer.id, "rita@acme.example")
    _, token = portal_services.portal_accounts.add_staff("grace@platform.example")
    portal_services.portal_accounts.reset_password(token, PASSWORD, HERE)


def _as(client: TestClient, email: str | None, staff: bool = False) -> FormBrowser:
    browser = FormBrowser(client)
    if email is not None:
        signed_in = browser.sign_in(email, path="/platform/signin" if staff else
                                    "/account/signin")
        assert signed_in.status_code == 303, signed_in.text
    return browser


OPENED, FORBIDDEN = 200, 403
CASES = [
    # who,                          any user, admin only, staff only
    (("ada@acme.example", False), (OPENED, OPENED, FORBIDDEN)),
    (("rita@acme.example", False), (OPENED, FORBIDDEN, FORBIDDEN)),
    (("grace@platform.example", True), (FORBIDDEN, FORBIDDEN, OPENED)),
]


@pytest.mark.parametrize(("who", "expected"), CASES, ids=["admin", "recruiter", "staff"])
def test_each_role_opens_exactly_its_pages(app_with_probes, people, who, expected):
    browser = _as(app_with_probes, *who)
    paths = ["/employer/probe/any", "/employer/probe/admin", "/platform/probe"]
    assert [browser.get(path).status_code for path in paths] == list(expected)


def test_a_recruiter_gets_a_403_page_that_says_why(app_with_probes, people):
    page = _as(app_with_probes, "rita@acme.example").get("/employer/probe/admin")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "Only an employer admin can open this page" in page.text
    assert "opened" not in page.text


def test_a_forbidden_post_does_nothing_even_with_a_good_token(app_with_probes, people):
    browser = _as(app_with_probes, "rita@acme.example")
    browser.get("/employer/")
    refused = browser.post("/employer/probe/admin", {})
    assert refused.status_code == 403
    assert "posted" not in refused.text


@pytest.mark.parametrize(("path", "sign_in"), [
    ("/employer/probe/admin", "/account/signin?next=%2Femployer%2Fprobe%2Fadmin"),
    ("/platform/probe", "/platform/signin?next=%2Fplatform%2Fprobe"),
])
def test_nobody_signed_in_is_sent_to_sign_in_and_back(app_with_probes, people, path, sign_in):
    browser = FormBrowser(app_with_probes)
    sent = browser.get(path)
    assert sent.status_code == 303
    assert sent.headers["location"] == sign_in
    form = browser.get(sign_in)
    assert f'name="next" value="{path}"' in form.text


def test_the_platform_console_refuses_employer_users(client, people):
    page = _as(client, "ada@acme.example").get("/platform/")
    assert page.status_code == 403
    assert "The platform console is for ITManagerJobs staff only" in page.text

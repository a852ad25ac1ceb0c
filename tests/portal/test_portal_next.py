"""Where sign-in sends a visitor afterwards: only a path on this site, and never a character
that would break the Location header (a 500) or split it."""

import pytest

from itmj_http.portal.guards import safe_next
from tests.portal.support import PASSWORD, FormBrowser, signed_up

HOME = "/employer/"


@pytest.mark.parametrize("target", [
    "/",
    "/employer/keys",
    "/employer/keys?x=1",
    "/employer/jobs?status=Active&page=2#top",
    "/employer/jobs?q=Z%C3%BCrich",
    "/employer/jobs/7/applications",
    "/javascript:alert(1)",
])
def test_a_path_on_this_site_is_kept(target):
    assert safe_next(target, HOME) == target


@pytest.mark.parametrize("target", [
    "",
    "employer/keys",
    "//evil.example",
    "//evil.example/employer/",
    "/\\evil.example",
    "/employer\\..\\",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " /employer/",
    "/employer/ keys",
    "/employer/\r\nSet-Cookie: x=1",
    "/employer/\nLocation: https://evil.example",
    "/employer/\x00",
    "/employer/\x7f",
    "/employer/\u0085",
    "/employer/\u2028",
    "/emplöyer/",
    "/%0d%0aSet-Cookie:x",
    "/employer/%0AX-Evil:1",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%2fevil.example",
])
def test_anything_else_falls_back_to_the_overview(target):
    assert safe_next(target, HOME) == HOME


@pytest.mark.parametrize("asked", [
    "/employer/\r\nSet-Cookie: itmj_session=planted",
    "/\r\n",
    "/employer/\n",
])
def test_a_line_break_in_next_ends_at_the_overview_not_in_a_header(visitor, portal_services,
                                                                    asked):
    signed_up(portal_services)
    form = visitor.get(f"/account/signin?next={asked}")
    assert form.status_code == 200
    assert 'name="next" value="/employer/"' in form.text
    done = visitor.post("/account/signin", {"email": "ada@acme.example", "password": PASSWORD,
                                            "next": asked})
    assert done.status_code == 303
    assert done.headers["location"] == HOME
    assert "planted" not in str(done.headers)


def test_a_line_break_in_a_staff_next_ends_at_the_console(client, portal_services):
    _, token = portal_services.portal_accounts.add_staff("grace@platform.example")
    portal_services.portal_accounts.reset_password(token, PASSWORD, "203.0.113.7")
    staff = FormBrowser(client)
    staff.get("/platform/signin")
    done = staff.post("/platform/signin", {"email": "grace@platform.example",
                                           "password": PASSWORD, "next": "/platform/\r\nX: 1"})
    assert (done.status_code, done.headers["location"]) == (303, "/platform/")

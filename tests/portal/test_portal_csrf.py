"""Every portal form needs the CSRF token of its session; a POST without it is refused
before anything happens."""

import pytest

from tests.portal.support import PASSWORD, FormBrowser, csrf_token, signed_up

# Where sign-in attempts come from (TEST-NET-3: no real address).
HERE = "203.0.113.7"

SIGN_UP = {"employer_name": "Acme", "admin_name": "Ada", "email": "ada@acme.example",
           "password": PASSWORD}


def _no_employer(services) -> bool:
    with services.uow(read_only=True) as uow:
        return uow.employers.get(1) is None


@pytest.mark.parametrize("token", ["", "forged-token-value"])
def test_a_sign_up_without_the_sessions_token_is_refused_and_creates_nothing(
        visitor, portal_services, token):
    visitor.get("/account/signup")
    refused = visitor.post("/account/signup", SIGN_UP, token=token)
    assert refused.status_code == 403
    assert "This form has expired or did not come from this site" in refused.text
    assert _no_employer(portal_services)
    assert portal_services.portal_accounts.sign_in("ada@acme.example", PASSWORD, HERE) is None


def test_a_token_from_another_session_is_refused(visitor, client, portal_services):
    other = FormBrowser(client)
    other.get("/account/signup")
    visitor.get("/account/signup")
    refused = visitor.post("/account/signup", SIGN_UP, token=other.token)
    assert refused.status_code == 403
    assert _no_employer(portal_services)


def test_a_form_without_any_session_is_refused(client, portal_services):
    page = client.simulate_get("/account/signup")
    sent = FormBrowser(client)
    refused = sent.post("/account/signup", SIGN_UP, token=csrf_token(page))
    assert refused.status_code == 403
    assert _no_employer(portal_services)


def test_sign_out_without_the_token_leaves_the_session_signed_in(visitor, portal_services):
    signed_up(portal_services)
    visitor.sign_in("ada@acme.example")
    assert visitor.post("/account/signout", {}, token="").status_code == 403
    assert visitor.get("/employer/").status_code == 200


def test_the_same_form_with_its_token_goes_through(visitor, portal_services):
    visitor.get("/account/signup")
    done = visitor.post("/account/signup", SIGN_UP)
    assert done.status_code == 303
    assert not _no_employer(portal_services)


def test_signing_in_changes_the_token_so_one_seen_before_is_worthless(visitor, portal_services):
    signed_up(portal_services)
    visitor.get("/account/signin")
    before = visitor.token
    visitor.post("/account/signin", {"email": "ada@acme.example", "password": PASSWORD})
    assert visitor.post("/account/signout", {}, token=before).status_code == 403

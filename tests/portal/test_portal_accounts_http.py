"""Sign up, sign in, sign out and password reset through the pages."""

import re

import pytest

from tests.portal.support import PASSWORD, FormBrowser, signed_up


def test_sign_up_signs_the_new_admin_in_and_welcomes_them(visitor, portal_services):
    done = visitor.sign_up()
    assert done.status_code == 303
    assert done.headers["location"] == "/employer/"
    overview = visitor.get("/employer/")
    assert "Welcome to ITManagerJobs, Ada Lovelace. Acme is ready." in overview.text
    assert "<h1>Acme</h1>" in overview.text
    assert "Welcome" not in visitor.get("/employer/").text


def test_a_bad_sign_up_shows_the_form_again_with_the_reason_and_the_values(visitor):
    page = visitor.submit("/account/signup", "/account/signup", {
        "employer_name": "Acme <Ltd>", "admin_name": "Ada", "email": "ada@acme.example",
        "password": "short",
    })
    assert page.status_code == 400
    assert "Password must be at least 10 characters." in page.text
    assert 'value="Acme &lt;Ltd&gt;"' in page.text
    assert "short" not in page.text


def test_a_taken_email_is_said_under_the_email_field(visitor, portal_services):
    signed_up(portal_services)
    page = visitor.sign_up(email="ADA@acme.example", employer="Other")
    assert page.status_code == 400
    assert 'id="email-error">An account with this email already exists.' in page.text


def test_a_wrong_password_gets_one_answer_for_every_cause(visitor, portal_services):
    signed_up(portal_services)
    wrong = visitor.sign_in("ada@acme.example", "not the password")
    unknown = visitor.sign_in("nobody@acme.example")
    for page in (wrong, unknown):
        assert page.status_code == 400
        assert "That email and password do not match an account." in page.text
    assert visitor.get("/employer/").status_code == 303


@pytest.mark.parametrize(("asked", "landed"), [
    ("/employer/", "/employer/"),
    ("//evil.example/phish", "/employer/"),
    ("https://evil.example/", "/employer/"),
    ("/\\evil.example", "/employer/"),
])
def test_sign_in_returns_only_to_a_page_of_this_site(visitor, portal_services, asked, landed):
    signed_up(portal_services)
    visitor.get("/account/signin")
    done = visitor.post("/account/signin", {"email": "ada@acme.example", "password": PASSWORD,
                                            "next": asked})
    assert done.headers["location"] == landed


def test_a_staff_sign_in_does_not_take_employer_passwords(client, portal_services):
    signed_up(portal_services)
    page = FormBrowser(client).sign_in("ada@acme.example", path="/platform/signin")
    assert page.status_code == 400


def test_forgot_password_emails_a_link_that_sets_a_new_password_once(
        visitor, client, portal_services, notifier):
    signed_up(portal_services)
    asked = visitor.submit("/account/password/forgot", "/account/password/forgot",
                           {"email": "ada@acme.example"})
    assert asked.headers["location"] == "/account/signin"
    assert "a link to choose a new password is on its way" in visitor.get("/account/signin").text
    (email,) = notifier.sent
    link = re.search(r"http\S+", email.body).group(0)
    path = link.removeprefix("http://falconframework.org")
    assert path.startswith("/account/password/reset?token=")
    token = path.split("token=", 1)[1]

    other = FormBrowser(client)
    form = other.get(path)
    assert f'name="token" value="{token}"' in form.text
    done = other.post("/account/password/reset", {"token": token, "password": "new passphrase"})
    assert done.headers["location"] == "/account/signin"
    assert other.sign_in("ada@acme.example", "new passphrase").status_code == 303
    assert FormBrowser(client).sign_in("ada@acme.example").status_code == 400

    again = FormBrowser(client)
    again.get(path)
    reused = again.post("/account/password/reset", {"token": token, "password": "third phrase"})
    assert reused.status_code == 400
    assert "This link is invalid, already used or expired" in reused.text


def test_forgot_password_answers_the_same_for_an_unknown_email(visitor, notifier):
    asked = visitor.submit("/account/password/forgot", "/account/password/forgot",
                           {"email": "nobody@acme.example"})
    assert asked.headers["location"] == "/account/signin"
    assert notifier.sent == []


def test_an_unknown_portal_page_is_an_html_404(visitor):
    page = visitor.get("/employer/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text


def test_the_start_page_sends_visitors_to_their_portal(visitor, portal_services):
    assert visitor.get("/").headers["location"] == "/employer/"
    assert visitor.get("/employer/").headers["location"] == (
        "/account/signin?next=%2Femployer%2F"
    )

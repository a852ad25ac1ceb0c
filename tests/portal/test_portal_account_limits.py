"""Sign-up and password resets through the pages: limited per address (and a reset request
per email too), a refusal is a 429 page saying when to try again; the emailed link points at
the reset page, under ITMJ_PUBLIC_URL when it is set."""

from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app
from tests.portal.support import PASSWORD, FormBrowser, signed_up, token_in

FORGOT = "/account/password/forgot"


def _post(client, path: str, fields: dict[str, str], address: str = "198.51.100.1"):
    """Open the form at ``path`` and send ``fields``, from ``address``."""
    return FormBrowser(client, address=address).submit(path, path, fields)


def test_an_email_gets_three_reset_mails_an_hour_and_the_fourth_request_is_told_to_wait(
        client, portal_services, notifier):
    signed_up(portal_services)
    for email in ("ada@acme.example", "nobody@acme.example"):
        for n in range(3):
            done = _post(client, FORGOT, {"email": email}, address=f"198.51.100.{n}")
            assert done.headers["location"] == "/account/signin"
        refused = _post(client, FORGOT, {"email": email}, address="198.51.100.9")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "3600"
        assert "Too many password reset requests; try again in 60 minutes." in refused.text
        assert f'value="{email}"' in refused.text
    assert len(notifier.sent) == 3


def test_an_address_gets_twenty_reset_requests_an_hour(client):
    for n in range(20):
        assert _post(client, FORGOT, {"email": f"guess{n}@acme.example"}).status_code == 303
    assert _post(client, FORGOT, {"email": "ada@acme.example"}).status_code == 429
    assert _post(client, FORGOT, {"email": "ada@acme.example"},
                 address="198.51.100.2").status_code == 303


def test_a_reset_request_for_something_not_an_email_says_so(client, notifier):
    page = _post(client, FORGOT, {"email": "ada at acme"})
    assert page.status_code == 400
    assert "Email must be an email address." in page.text
    assert notifier.sent == []


def test_choosing_a_password_through_links_is_limited_per_address(client, portal_services,
                                                                   notifier):
    signed_up(portal_services)
    _post(client, FORGOT, {"email": "ada@acme.example"})
    token = token_in(notifier.sent[0].body)
    for n in range(20):
        guess = _post(client, "/account/password/reset",
                      {"token": f"guess{n}", "password": "a new passphrase"})
        assert guess.status_code == 400
    refused = _post(client, "/account/password/reset",
                    {"token": token, "password": "a new passphrase"})
    assert refused.status_code == 429
    assert "Too many password resets; try again in" in refused.text
    done = _post(client, "/account/password/reset",
                 {"token": token, "password": "a new passphrase"}, address="198.51.100.2")
    assert done.headers["location"] == "/account/signin"


def test_an_address_signs_up_ten_times_an_hour(client):
    def sign_up(n: int, address: str = "198.51.100.1"):
        return _post(client, "/account/signup", {
            "employer_name": f"Company {n}", "admin_name": "Ada", "password": PASSWORD,
            "email": f"ada{n}@acme.example",
        }, address=address)

    for n in range(10):
        assert sign_up(n).status_code == 303
    refused = sign_up(10)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "3600"
    assert "Too many sign-ups; try again in 60 minutes." in refused.text
    assert 'value="Company 10"' in refused.text
    assert sign_up(10, address="198.51.100.2").status_code == 303


def test_the_emailed_link_is_under_the_public_url_when_it_is_set(clock, notifier):
    built = build_services(
        Settings(mode=Mode.DEVELOPMENT, public_url="https://portal.example"), clock=clock,
        notifier=notifier, password_hasher=Argon2PasswordHasher.cheap(),
    )
    try:
        signed_up(built)
        _post(TestClient(create_app(built)), FORGOT, {"email": "ada@acme.example"})
    finally:
        built.close()
    token = token_in(notifier.sent[0].body)
    assert f"https://portal.example/account/password/reset?token={token}\n" in (
        notifier.sent[0].body
    )


def _production(clock, notifier, public_url: str | None):
    return build_services(
        Settings(public_url=public_url), clock=clock, notifier=notifier,
        password_hasher=Argon2PasswordHasher.cheap(),
    )


def _forged_host_reset(built) -> object:
    """A reset request whose Host header names a site the requester owns."""
    browser = FormBrowser(TestClient(create_app(built)), cookie="__Host-itmj_session")
    browser.get(FORGOT)
    return browser.client.simulate_post(
        FORGOT, body=f"email=ada%40acme.example&csrf_token={browser.token}",
        cookies=browser._cookies(), host="evil.example",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_in_production_a_link_never_follows_the_host_header(clock, notifier):
    built = _production(clock, notifier, "https://portal.example")
    try:
        signed_up(built)
        assert _forged_host_reset(built).status_code == 303
    finally:
        built.close()
    [mail] = notifier.sent
    assert "https://portal.example/account/password/reset?token=" in mail.body
    assert "evil.example" not in mail.body


def test_in_production_without_a_public_url_no_link_is_mailed(clock, notifier, caplog):
    built = _production(clock, notifier, None)
    try:
        signed_up(built)
        refused = _forged_host_reset(built)
    finally:
        built.close()
    assert refused.status_code == 503
    assert notifier.sent == []
    assert "ITMJ_PUBLIC_URL is not set" in caplog.text

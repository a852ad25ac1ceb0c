"""Sign-in attempts are limited per account and per address; a refused attempt checks no
password and answers 429 with Retry-After."""

from datetime import timedelta

from tests.portal.support import HERE, PASSWORD, FormBrowser, signed_up


def _attempt(client, email: str, password: str, address: str = "198.51.100.1",
             path: str = "/account/signin"):
    visitor = FormBrowser(client)
    visitor.get(path)
    return visitor.client.simulate_post(
        path, body=f"csrf_token={visitor.token}&email={email}&password={password}",
        cookies={"itmj_session": visitor.session_id}, remote_addr=address,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_ten_wrong_passwords_lock_the_account_for_fifteen_minutes(client, portal_services,
                                                                   clock):
    signed_up(portal_services)
    for _ in range(10):
        assert _attempt(client, "ada@acme.example", "wrong guess").status_code == 400
    locked = _attempt(client, "ada@acme.example", PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert "Too many sign-in attempts; try again in 15 minutes." in locked.text
    from_elsewhere = _attempt(client, "ADA@acme.example", PASSWORD, address="198.51.100.99")
    assert from_elsewhere.status_code == 429
    clock.advance(timedelta(minutes=15))
    assert _attempt(client, "ada@acme.example", PASSWORD).status_code == 303


def test_one_address_trying_many_accounts_is_stopped(client, portal_services):
    signed_up(portal_services)
    for n in range(100):
        assert _attempt(client, f"guess{n}@acme.example", "wrong guess").status_code == 400
    assert _attempt(client, "ada@acme.example", PASSWORD).status_code == 429
    assert _attempt(client, "ada@acme.example", PASSWORD,
                    address="198.51.100.2").status_code == 303


def test_staff_sign_in_is_limited_apart_from_employer_sign_in(client, portal_services):
    _, token = portal_services.portal_accounts.add_staff("ada@acme.example")
    portal_services.portal_accounts.reset_password(token, PASSWORD, HERE)
    for _ in range(10):
        _attempt(client, "ada@acme.example", "wrong guess")
    assert _attempt(client, "ada@acme.example", PASSWORD,
                    path="/platform/signin").status_code == 303

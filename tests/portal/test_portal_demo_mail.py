"""The demo's mail: in demo mode, the emails the process sent are listed on ``/demo/mail``
with clickable links and written whole to the log; in any other mode the page is 404."""

import logging

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.demo_mailbox import DemoMailbox
from itmj_adapters.recording_notifier import RecordingNotifier
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app


def _built(mode: Mode, **overrides):
    return build_services(Settings(mode=mode), password_hasher=Argon2PasswordHasher.cheap(),
                          **overrides)


def test_demo_mode_keeps_and_lists_the_mail_newest_first_with_clickable_links(caplog):
    with _built(Mode.DEMO) as services:
        assert isinstance(services.notifier, DemoMailbox)
        client = TestClient(create_app(services))
        with caplog.at_level(logging.INFO, logger="itmj.demo.mail"):
            services.notifier.send("first@example.com", "First", "Nothing to click.")
            services.notifier.send("rita@example.com", "Join Acme",
                                   "Open http://127.0.0.1:8000/account/invitation?token=abc&x=1 "
                                   "to join.")

        page = client.simulate_get("/demo/mail")

    assert page.status_code == 200
    assert page.text.index("rita@example.com") < page.text.index("first@example.com")
    assert ('<a href="http://127.0.0.1:8000/account/invitation?token=abc&amp;x=1">'
            in page.text)
    assert "Join Acme" in page.text
    logged = [record.getMessage() for record in caplog.records
              if record.name == "itmj.demo.mail"]
    assert len(logged) == 2
    assert "To: rita@example.com" in logged[1]
    assert "http://127.0.0.1:8000/account/invitation?token=abc&x=1" in logged[1]


def test_the_demo_page_says_when_nothing_was_sent_yet():
    with _built(Mode.DEMO) as services:
        page = TestClient(create_app(services)).simulate_get("/demo/mail")
    assert page.status_code == 200
    assert "No email sent yet" in page.text


def test_the_demo_page_points_at_smtp_when_the_demo_sends_real_mail():
    with _built(Mode.DEMO, notifier=object.__new__(_Smtp)) as services:
        page = TestClient(create_app(services)).simulate_get("/demo/mail")
    assert page.status_code == 200
    assert "ITMJ_SMTP_URL" in page.text


class _Smtp:
    def send(self, to: str, subject: str, body: str) -> None:
        raise AssertionError("not sent in this test")


@pytest.mark.parametrize("mode", [Mode.DEVELOPMENT, Mode.PRODUCTION])
def test_other_modes_have_no_demo_page_and_log_no_mail(mode, caplog):
    with _built(mode) as services:
        assert type(services.notifier) is RecordingNotifier
        with caplog.at_level(logging.INFO):
            services.notifier.send("rita@example.com", "Join Acme", "secret link")
        page = TestClient(create_app(services)).simulate_get("/demo/mail")
    assert page.status_code == 404
    assert "secret link" not in caplog.text

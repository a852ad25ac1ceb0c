"""The SMTP adapter against a real SMTP server on loopback."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from itmj_adapters.smtp_notifier import SmtpNotifier


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_it_delivers_a_plain_text_email(smtp_server):
    inbox, port = smtp_server
    notifier = SmtpNotifier(f"smtp://127.0.0.1:{port}/?from=keys@itmj.example")
    notifier.send("ada@acme.example", "Your API key is approved", "It works now.")
    [message] = inbox.messages
    assert message["To"] == "ada@acme.example"
    assert message["From"] == "keys@itmj.example"
    assert message["Subject"] == "Your API key is approved"
    assert message.get_payload().strip() == "It works now."


@pytest.mark.parametrize("url", ["http://mail", "smtp://", "mail.example.com"])
def test_it_refuses_urls_that_are_not_smtp(url):
    with pytest.raises(ValueError, match="ITMJ_SMTP_URL"):
        SmtpNotifier(url)

"""Browser tests: Debian's Chromium, driven by Playwright, against the real app served on
127.0.0.1 by a WSGI server thread (so a test can read the emails the platform sent).

Chromium must be installed (``scripts/browser-up`` installs it, and ``scripts/test`` runs
that): these tests fail without it, they never skip. One browser serves the whole session;
each test gets a fresh context (cookies and all) from pytest-playwright.
"""

import shutil
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import attrs
import pytest

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import Services, build_services
from itmj_adapters.demo_mailbox import DemoMailbox
from itmj_adapters.settings import Mode, Settings
from itmj_adapters.testing import RecordingNotifier
from itmj_http.app import create_app

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed: run scripts/browser-up (scripts/test does)"
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Requests are not worth a line each in the test output."""


@attrs.frozen
class ServedPortal:
    url: str
    services: Services
    notifier: RecordingNotifier


@contextmanager
def serving(mode: Mode) -> Iterator[ServedPortal]:
    """The real app on the in-memory backend in ``mode`` (demo or development: plain-HTTP
    cookies), with the real clock, served on a loopback port until the block ends; webhook
    targets may be on loopback, where receivers listen. Without rate limits: every journey
    signs up anew from the one address, more often than an address may in an hour (the
    limits have tests of their own)."""
    # What ``itmj serve --demo`` builds in demo mode: an outbox that also feeds /demo/mail.
    notifier = DemoMailbox() if mode is Mode.DEMO else RecordingNotifier()
    services = build_services(
        Settings(mode=mode, webhook_allow_private=True, rate_limits=False), notifier=notifier,
        password_hasher=Argon2PasswordHasher.cheap(),
    )
    server = make_server("127.0.0.1", 0, create_app(services), server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="portal-under-test",
                              daemon=True)
    thread.start()
    try:
        yield ServedPortal(f"http://127.0.0.1:{server.server_port}", services, notifier)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        services.close()


@pytest.fixture(scope="session")
def served_portal() -> Iterator[ServedPortal]:
    """The app in demo mode, shared by the session's journeys (each signs up anew)."""
    with serving(Mode.DEMO) as served:
        yield served


@pytest.fixture(scope="session")
def base_url(served_portal: ServedPortal) -> str:
    return served_portal.url

"""The sender never sends a packet to a target it may not call, and connects to the address
it vetted, not to whatever the name resolves to by then."""

import socket
import ssl
import subprocess
import threading

import pytest

from itmj_adapters.host_resolver import SystemResolver
from itmj_adapters.memory.host_resolver import StaticResolver
from itmj_adapters.webhook_sender import WebhookSender
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED, TargetPolicy
from tests.adapters.receiver import Receiver

PARTNER = "hooks.partner.example"


@pytest.fixture
def listener():
    """A plain TCP listener on loopback that counts the connections it is offered."""
    server = socket.create_server(("127.0.0.1", 0), backlog=16)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::ffff:127.0.0.1]",
     "localhost", PARTNER],
)
def test_a_refused_target_receives_no_connection_at_all(listener, host):
    """The development switch is off; the partner's name resolves to loopback by a table,
    every other host by the machine's resolver."""
    port = listener.getsockname()[1]
    resolver = StaticResolver({PARTNER: ["127.0.0.1"]}) if host == PARTNER else SystemResolver()
    for scheme in ("https", "http"):
        outcome = WebhookSender(TargetPolicy(), resolver).send(
            f"{scheme}://{host}:{port}/hook", {}, b"{}"
        )
        assert (outcome.status_code, outcome.error) == (None, TARGET_NOT_ALLOWED)
    assert _connections(listener) == 0


def test_a_name_that_rebinds_inside_after_registration_is_not_followed(listener):
    port = listener.getsockname()[1]
    resolver = StaticResolver({PARTNER: ["93.184.216.34"]})
    policy = TargetPolicy()
    policy.check_resolved(resolver.addresses(PARTNER, port))
    resolver.table[PARTNER] = ["10.0.0.7", "127.0.0.1"]
    outcome = WebhookSender(policy, resolver).send(f"https://{PARTNER}:{port}/", {}, b"{}")
    assert outcome.error == TARGET_NOT_ALLOWED
    assert _connections(listener) == 0


def test_it_connects_to_the_vetted_address_and_names_the_host_it_was_given():
    resolver = StaticResolver({PARTNER: ["127.0.0.1"]})
    with Receiver(status=204) as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        outcome = WebhookSender(TargetPolicy(allow_private=True), resolver).send(
            f"http://{PARTNER}:{port}/hook", {}, b"{}"
        )
    assert outcome.succeeded
    [received] = receiver.received
    assert received.headers["Host"] == f"{PARTNER}:{port}"


def test_a_target_stored_before_the_rules_tightened_is_refused_without_detail(listener):
    port = listener.getsockname()[1]
    outcome = WebhookSender(TargetPolicy(), SystemResolver()).send(
        f"http://93.184.216.34:{port}/", {}, b"{}"
    )
    assert outcome.error == TARGET_NOT_ALLOWED


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for the partner's name: not trusted, so TLS must fail."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={PARTNER}", "-addext", f"subjectAltName=DNS:{PARTNER}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def test_tls_is_verified_against_the_url_host_sent_as_sni(certificate):
    names: list[str | None] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def handshake() -> None:
        conn, _ = server.accept()
        try:
            context.wrap_socket(conn, server_side=True).close()
        except (ssl.SSLError, OSError):
            conn.close()

    thread = threading.Thread(target=handshake, daemon=True)
    thread.start()
    resolver = StaticResolver({PARTNER: ["127.0.0.1"]})
    outcome = WebhookSender(TargetPolicy(allow_private=True), resolver).send(
        f"https://{PARTNER}:{port}/", {}, b"{}"
    )
    thread.join(5)
    server.close()
    assert names == [PARTNER]
    assert outcome.error is not None
    assert outcome.error.startswith("TLS error: certificate verify failed")

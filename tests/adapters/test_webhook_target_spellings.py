"""Every spelling of an internal address that the machine's resolver accepts is refused at
registration, and the policy reads each literal exactly as the resolver does."""

import ipaddress
import socket

import pytest

from itmj_adapters.composition import build_services
from itmj_adapters.host_resolver import SystemResolver
from itmj_adapters.memory.host_resolver import StaticResolver
from itmj_adapters.settings import Settings
from itmj_domain.errors import InvalidInput
from itmj_domain.webhooks.addresses import literal_address
from itmj_domain.webhooks.subscriptions import EventType
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED
from tests.refusals import refused

INTERNAL = [
    # IPv4 loopback, dotted, short, decimal, hexadecimal, octal and mixed
    "127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0X7F000001", "017700000001",
    "0177.0.0.1", "0177.1", "0x7f.1", "0x7f.0.0.1", "0x7f.0x0.0x0.0x1", "127.000.000.001",
    "00000000000177.1", "127.0.0.0x1", "0x00007f.1", "127.255.255.254",
    # this network, private, shared, link-local and metadata, benchmarking, multicast, reserved
    "0", "0.0.0.0", "0x0", "10.0.0.1", "012.1", "167772161", "172.16.0.1", "172.31.255.255",
    "192.168.1.1", "3232235777", "100.64.0.1", "100.100.100.200", "169.254.169.254",
    "0xa9fea9fe", "2852039166", "0251.0376.0251.0376", "169.254.43518", "198.18.0.1",
    "192.0.0.8", "192.0.2.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "4294967295",
    # IPv6 loopback, unspecified, unique local, link-local, site-local, multicast, discard
    "[::1]", "[::]", "[0:0:0:0:0:0:0:1]", "[fd00::1]", "[fd00:ec2::254]", "[fc00::1]",
    "[fe80::1]", "[fec0::1]", "[ff02::1]", "[100::1]", "[2001:db8::1]",
    # IPv4 inside IPv6: mapped, compatible, translated, NAT64, 6to4, Teredo
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:a9fe:a9fe]", "[::ffff:10.0.0.1]",
    "[::7f00:1]", "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::a9fe:a9fe]",
    "[64:ff9b::127.0.0.1]", "[64:ff9b:1::a00:1]", "[2002:7f00:1::]", "[2002:a9fe:a9fe::1]",
    "[2002:c0a8:101::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
]
PUBLIC = [
    "93.184.216.34", "1572395042", "0x5db8d822", "0135.0270.0330.042", "93.12113954",
    "8.8.8.8", "134744072", "[2606:2800:220:1:248:1893:25c8:1946]", "[::ffff:93.184.216.34]",
    "[64:ff9b::5db8:d822]", "[2002:5db8:d822::1]",
]


def _resolver_reads(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """What getaddrinfo makes of ``host`` as a literal, before it would ask DNS."""
    try:
        found = socket.getaddrinfo(host.strip("[]"), 443, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        return None
    return ipaddress.ip_address(found[0][4][0])


@pytest.mark.parametrize("host", [*INTERNAL, *PUBLIC, "127.0.0.1.", "1.2.3.256", "08.1.1.1",
                                  "0x", "+127.0.0.1", "1.2.3.4.5", "4294967296", "example.com"])
def test_a_literal_is_read_as_the_resolver_reads_it(host):
    assert literal_address(host.strip("[]")) == _resolver_reads(host)


def test_the_table_covers_every_kind_of_spelling():
    assert len(INTERNAL) >= 40


@pytest.fixture
def webhooks():
    """The use case as production wires it: no development switch, the machine's resolver."""
    services = build_services(Settings(), resolver=SystemResolver())
    employer = services.accounts.create_employer("Acme")
    yield lambda url: services.webhooks.subscribe(
        employer.id, url, frozenset({EventType.JOB_EXPIRED})
    )
    services.close()


@pytest.mark.parametrize("host", INTERNAL)
def test_an_internal_address_in_any_spelling_is_refused_at_registration(webhooks, host):
    for url in (f"https://{host}/hook", f"https://{host}:8443/hook"):
        with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
            webhooks(url)


@pytest.mark.parametrize("host", PUBLIC)
def test_a_public_address_in_any_spelling_is_accepted(webhooks, host):
    assert webhooks(f"https://{host}/hook").subscription.url == f"https://{host}/hook"


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "localhost."])
def test_a_name_that_resolves_inside_is_refused_at_registration(webhooks, host):
    with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
        webhooks(f"https://{host}/hook")


def test_a_name_is_refused_when_any_of_its_addresses_is_internal():
    services = build_services(Settings(), resolver=StaticResolver({
        "mixed.partner.example": ["93.184.216.34", "10.1.2.3"],
        "public.partner.example": ["93.184.216.34", "2606:2800:220:1::1"],
    }))
    employer = services.accounts.create_employer("Acme")
    events = frozenset({EventType.JOB_EXPIRED})
    with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
        services.webhooks.subscribe(employer.id, "https://mixed.partner.example/", events)
    created = services.webhooks.subscribe(employer.id, "https://public.partner.example/", events)
    assert created.subscription.url == "https://public.partner.example/"
    services.close()


def test_a_name_that_does_not_resolve_yet_is_left_to_delivery():
    services = build_services(Settings(), resolver=StaticResolver())
    employer = services.accounts.create_employer("Acme")
    created = services.webhooks.subscribe(
        employer.id, "https://not-yet.partner.example/", frozenset({EventType.JOB_EXPIRED})
    )
    assert created.subscription.url == "https://not-yet.partner.example/"
    services.close()


def test_rotating_the_secret_of_a_target_that_now_resolves_inside_is_refused():
    resolver = StaticResolver({"hooks.partner.example": ["93.184.216.34"]})
    services = build_services(Settings(), resolver=resolver)
    employer = services.accounts.create_employer("Acme")
    created = services.webhooks.subscribe(
        employer.id, "https://hooks.partner.example/", frozenset({EventType.JOB_EXPIRED})
    )
    resolver.table["hooks.partner.example"] = ["127.0.0.1"]
    with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
        services.webhooks.rotate_secret(created.subscription.id, employer.id)
    assert services.webhooks.get(created.subscription.id).secret == created.secret
    services.close()

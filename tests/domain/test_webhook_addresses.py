"""How a URL's host spells an address, as glibc's numeric parser reads it, and which
addresses are globally routable. (tests/adapters checks the same spellings against the
machine's resolver itself.)"""

import ipaddress

import pytest

from itmj_domain.errors import InvalidInput
from itmj_domain.webhooks.addresses import globally_routable, literal_address
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED, TargetPolicy
from tests.refusals import refused


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"),
        ("1.2.3", "1.2.0.3"), ("1.2", "1.0.0.2"), ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"), ("0X7F.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"), ("00", "0.0.0.0"), ("0x0", "0.0.0.0"), ("4294967295", "255.255.255.255"),
        ("255.16777215", "255.255.255.255"), ("255.255.65535", "255.255.255.255"),
        ("::1", "::1"), ("fe80::1%eth0", "fe80::1"), ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_a_literal_is_read_in_every_spelling(host, address):
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host",
    ["", "0x", "08", "09.1.1.1", "1.2.3.256", "1.256.3", "256.1", "1.16777216", "1.2.65536",
     "4294967296", "1.2.3.4.5", "1..2", "127.0.0.1.", "+1", "-1", " 1", "1 ", "1e2",
     "example.com", "0x1g", ":::1", "fe80::1::2%x"],
)
def test_anything_else_is_a_name(host):
    assert literal_address(host) is None


@pytest.mark.parametrize(
    ("address", "routable"),
    [
        ("93.184.216.34", True), ("1.1.1.1", True), ("100.63.255.255", True),
        ("100.128.0.0", True), ("172.15.255.255", True), ("172.32.0.0", True),
        ("9.255.255.255", True), ("11.0.0.0", True), ("223.255.255.255", True),
        ("0.255.255.255", False), ("100.64.0.0", False), ("100.127.255.255", False),
        ("127.255.255.255", False), ("169.254.0.0", False), ("172.16.0.0", False),
        ("172.31.255.255", False), ("192.0.0.255", False), ("192.0.2.255", False),
        ("192.88.99.1", False), ("192.168.255.255", False), ("198.19.255.255", False),
        ("198.51.100.7", False), ("203.0.113.7", False), ("224.0.0.0", False),
        ("239.255.255.255", False), ("240.0.0.0", False),
        ("2606:4700::1111", True), ("2a00:1450::1", True),
        ("::", False), ("::1", False), ("::7f00:1", False), ("::5db8:d822", False),
        ("::ffff:0:5db8:d822", False), ("::ffff:5db8:d822", True), ("::ffff:a00:1", False),
        ("64:ff9b::5db8:d822", True), ("64:ff9b::a00:1", False), ("64:ff9b:1::1", False),
        ("2002:5db8:d822::", True), ("2002:a00:1::", False), ("2001::1", False),
        ("2001:db8::1", False), ("3fff::1", False), ("5f00::1", False), ("100::1", False),
        ("fc00::1", False), ("fdff::1", False), ("fe80::1", False), ("febf::1", False),
        ("fec0::1", False), ("ff02::1", False),
    ],
)
def test_globally_routable_follows_the_special_purpose_registries(address, routable):
    assert globally_routable(ipaddress.ip_address(address)) is routable


@pytest.mark.parametrize(
    ("url", "host", "port", "address"),
    [
        ("https://Hooks.Partner.example/in", "hooks.partner.example", 443, None),
        ("https://hooks.partner.example.:8443/in", "hooks.partner.example", 8443, None),
        ("https://a_b.example/", "a_b.example", 443, None),
        ("https://93.184.216.34/", "93.184.216.34", 443, "93.184.216.34"),
        ("https://0x5db8d822:444/", "0x5db8d822", 444, "93.184.216.34"),
        ("https://[2606:4700::1111]/", "2606:4700::1111", 443, "2606:4700::1111"),
    ],
)
def test_a_target_names_its_host_port_and_address(url, host, port, address):
    target = TargetPolicy().target(url)
    assert (target.url, target.host, target.port) == (url, host, port)
    assert target.address == (None if address is None else ipaddress.ip_address(address))


def test_a_plain_http_target_is_on_port_80_in_development():
    assert TargetPolicy(allow_private=True).target("http://127.0.0.1/").port == 80


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1./", "https://1.2.3.256/", "https://exa mple.com/",
     "https://example.com\\@127.0.0.1/", "https://example.com\t/", "https://bad_.-x/",
     "https://-bad.example/", "https://" + "a" * 64 + ".example/",
     "https://" + "a." * 127 + "example/", "https://example.com:99999/", "https://@example.com/",
     "https://ex\u00e4mple.com/", "https://example.com/\x7f"],
)
def test_a_host_no_resolver_reads_alike_is_refused(url):
    with refused(InvalidInput, field="url"):
        TargetPolicy().target(url)


def test_a_name_of_253_characters_is_a_name():
    name = ".".join(["a" * 63] * 3 + ["b" * 61])
    assert len(name) == 253
    assert TargetPolicy().target(f"https://{name}/").host == name


@pytest.mark.parametrize("url", ["https://127.0.0.1/", "https://[::1]/", "https://0177.1/"])
def test_an_internal_literal_is_not_allowed_but_in_development(url):
    with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
        TargetPolicy().target(url)
    assert TargetPolicy(allow_private=True).target(url).url == url


def test_a_name_is_judged_by_every_address_it_resolves_to():
    policy = TargetPolicy()
    policy.check_resolved([])
    policy.check_resolved(["93.184.216.34", "2606:4700::1111"])
    for addresses in (["93.184.216.34", "10.0.0.1"], ["::1"], ["not an address"]):
        with refused(InvalidInput, field="url", match=TARGET_NOT_ALLOWED):
            policy.check_resolved(addresses)
    TargetPolicy(allow_private=True).check_resolved(["127.0.0.1"])

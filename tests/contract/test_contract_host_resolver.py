"""The HostResolver contract: the machine's resolver and the table the tests use answer
alike for literals, for a name they know and for one they do not."""

import ipaddress

import pytest

from itmj_adapters.host_resolver import SystemResolver
from itmj_adapters.memory.host_resolver import StaticResolver
from itmj_domain.ports import HostResolver


@pytest.fixture(params=["system", "static"])
def resolver(request: pytest.FixtureRequest) -> HostResolver:
    """Each knows ``localhost`` as loopback: the system from /etc/hosts, the table as told."""
    if request.param == "system":
        return SystemResolver()
    return StaticResolver({"localhost": ["127.0.0.1"]})


@pytest.mark.parametrize(
    ("host", "address"),
    [("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
     ("2130706433", "127.0.0.1"), ("[::1]", "::1"), ("::ffff:7f00:1", "::ffff:127.0.0.1"),
     ("93.184.216.34", "93.184.216.34")],
)
def test_a_literal_resolves_to_the_address_it_spells(resolver, host, address):
    found = resolver.addresses(host, 443)
    assert [ipaddress.ip_address(a) for a in found] == [ipaddress.ip_address(address)]


def test_a_known_name_resolves_to_its_addresses(resolver):
    assert "127.0.0.1" in resolver.addresses("localhost", 443)


@pytest.mark.parametrize("host", ["no-such-host.invalid", "127.0.0.1.", "1.2.3.256"])
def test_a_name_that_does_not_resolve_has_no_address(resolver, host):
    assert list(resolver.addresses(host, 443)) == []

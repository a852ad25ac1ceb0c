"""Which network addresses a webhook may reach, and how a URL's host can spell one.

A resolver reads far more than the dotted quad. glibc's numeric parser (the one
``getaddrinfo`` tries before DNS) takes one to four parts, each decimal, octal (a leading
``0``) or hexadecimal (``0x``), the last part filling the bytes left: ``2130706433``,
``0x7f000001``, ``0177.1`` and ``127.1`` are all 127.0.0.1. IPv6 can carry an IPv4 address
inside it (mapped, compatible, NAT64, 6to4, Teredo), which reaches that IPv4 address through
a translator or tunnel. Both are judged here by the address they reach in the end.

"Globally routable" follows IANA's special-purpose registries, written out rather than taken
from ``ipaddress.is_global``, whose tables change between Python versions and let IPv4-
compatible addresses (``::7f00:1``) through.
"""

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NOT_GLOBAL_V4 = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",  # this network
    "10.0.0.0/8",  # private
    "100.64.0.0/10",  # carrier-grade NAT, and some clouds' metadata (100.100.100.200)
    "127.0.0.0/8",  # loopback
    "169.254.0.0/16",  # link-local, and the usual metadata address 169.254.169.254
    "172.16.0.0/12",  # private
    "192.0.0.0/24",  # IETF protocol assignments
    "192.0.2.0/24",  # documentation
    "192.88.99.0/24",  # 6to4 relay anycast
    "192.168.0.0/16",  # private
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # documentation
    "203.0.113.0/24",  # documentation
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and the limited broadcast address
))
_NOT_GLOBAL_V6 = tuple(ipaddress.ip_network(n) for n in (
    "::/96",  # unspecified, loopback and the deprecated IPv4-compatible addresses
    "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
    "64:ff9b:1::/48",  # local-use NAT64
    "100::/64",  # discard-only
    "2001::/23",  # IETF protocol assignments, Teredo among them
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation
    "5f00::/16",  # segment routing
    "fc00::/7",  # unique local, and metadata such as fd00:ec2::254
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local (deprecated)
    "ff00::/8",  # multicast
))
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")

# The limit of the last part when a quad is written in fewer parts: 127.1 fills three bytes.
_PART_LIMITS = {1: 0xFFFFFFFF, 2: 0xFFFFFF, 3: 0xFFFF, 4: 0xFF}
_HEX, _OCTAL, _DECIMAL = r"0[xX][0-9a-fA-F]+", r"0[0-7]*", r"[1-9][0-9]*"
_PART = re.compile(f"({_HEX})|({_OCTAL})|({_DECIMAL})")


def globally_routable(address: IPAddress) -> bool:
    """Whether the address, or the IPv4 address it carries, is reachable on the internet."""
    if isinstance(address, ipaddress.IPv4Address):
        return not any(address in network for network in _NOT_GLOBAL_V4)
    carried = _carried_ipv4(address)
    if carried is not None:
        return globally_routable(carried)
    return not any(address in network for network in _NOT_GLOBAL_V6)


def literal_address(host: str) -> IPAddress | None:
    """The address a resolver reads ``host`` as without asking DNS, or None for a name.

    ``host`` is a URL's host without brackets, as ``urlsplit`` gives it; an IPv6 zone
    (``fe80::1%eth0``) names a local interface and is dropped, the address is what counts.
    """
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    return _inet_aton(host)


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one reaches through a translator or tunnel, if any."""
    if address in _MAPPED or address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    return None


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    parts = host.split(".")
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        match = _PART.fullmatch(part)
        if match is None:
            return None
        hexadecimal, octal, _ = match.groups()
        numbers.append(int(part, 16 if hexadecimal else 8 if octal else 10))
    *leading, last = numbers
    if any(n > 0xFF for n in leading) or last > _PART_LIMITS[len(numbers)]:
        return None
    value = last
    for position, number in enumerate(leading):
        value |= number << (24 - 8 * position)
    return ipaddress.IPv4Address(value)

"""Which webhook targets may be called.

Targets must be HTTPS and must not resolve to loopback, private, link-local, reserved or
cloud-metadata addresses. The address rule is applied by the delivering adapter to the
address it actually connects to (a DNS answer can change between check and use); both rules
can be lifted for development and tests.
"""

import ipaddress
from urllib.parse import urlsplit

import attrs

from itmj_domain.errors import InvalidInput

MAX_URL_LENGTH = 2048
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


@attrs.frozen
class TargetPolicy:
    allow_private: bool = False

    def check_url(self, url: str) -> str:
        if len(url) > MAX_URL_LENGTH:
            raise InvalidInput(f"url must be at most {MAX_URL_LENGTH} characters", field="url")
        parts = urlsplit(url)
        allowed = ("https", "http") if self.allow_private else ("https",)
        if parts.scheme not in allowed or not parts.hostname:
            raise InvalidInput("url must be an https:// URL with a host", field="url")
        if parts.username or parts.password:
            raise InvalidInput("url must not carry credentials", field="url")
        return url

    def address_allowed(self, address: str) -> bool:
        if self.allow_private:
            return True
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return ip.is_global and ip not in _METADATA and not ip.is_multicast

"""Which webhook targets may be called (SPEC §7, and §11 "Targets").

A target is an HTTPS URL. Outside development, every address it reaches must be globally
routable: a host written as an address is judged as written, in whatever spelling a resolver
accepts; a host name is judged by what it resolves to, at registration (every address it has
then) and again at each connection, where the delivering adapter connects only to an address
that passed, so a DNS answer that changes after the check cannot redirect it inside.

Whoever registers a target learns no more than ``target not allowed``: the delivery log never
tells an internal port that is open from one that is closed, since nothing is sent to either.
Both rules are lifted for development and tests (``allow_private``), where receivers listen on
loopback over plain HTTP.
"""

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import attrs

from itmj_domain.errors import InvalidInput
from itmj_domain.webhooks.addresses import IPAddress, globally_routable, literal_address

MAX_URL_LENGTH = 2048
TARGET_NOT_ALLOWED = "target not allowed"
_DEFAULT_PORTS = {"https": 443, "http": 80}
# Letters, digits, '-' and '_' (some real hosts have one), at most 63 to a label; a final
# label of digits only is no name (so '127.0.0.1.' is neither an address nor a name).
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_MAX_NAME_LENGTH = 253


@attrs.frozen
class Target:
    url: str
    # Lower case, without brackets or a final dot: the name checked in the TLS certificate
    # and sent as SNI.
    host: str
    port: int
    # The address the host spells, when it is one rather than a name.
    address: IPAddress | None


@attrs.frozen
class TargetPolicy:
    allow_private: bool = False

    def target(self, url: str) -> Target:
        """The target a URL names, refused (``InvalidInput`` on ``url``) when it is not one
        that may be called: wrong scheme, credentials, no valid host, or a literal address
        that is not globally routable."""
        if len(url) > MAX_URL_LENGTH:
            raise InvalidInput(f"url must be at most {MAX_URL_LENGTH} characters", field="url")
        # Parsers disagree about spaces, control characters and backslashes (urlsplit drops
        # tabs and newlines, others keep them): with none of them, every parser reads one host.
        if not (url.isascii() and url.isprintable()) or " " in url or "\\" in url:
            raise InvalidInput(
                "url must be written in visible ASCII without spaces or backslashes "
                "(percent-encode the rest; an international host name in its xn-- form)",
                field="url",
            )
        parts = urlsplit(url)
        allowed = ("https", "http") if self.allow_private else ("https",)
        if parts.scheme not in allowed or not parts.hostname:
            raise InvalidInput("url must be an https:// URL with a host", field="url")
        if parts.username is not None or parts.password is not None:
            raise InvalidInput("url must not carry credentials", field="url")
        try:
            port = parts.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise InvalidInput("url has an invalid port", field="url") from None
        host = parts.hostname
        address = literal_address(host)
        if address is None and not _is_name(host):
            raise InvalidInput(f"url has an invalid host: {host!r}", field="url")
        if address is not None and not self.address_allowed(str(address)):
            raise _not_allowed()
        # A fully qualified name's final dot is not sent (SNI, certificates and the
        # resolver the connection uses all go without it).
        return Target(url, host.removesuffix("."), port, address)

    def check_url(self, url: str) -> str:
        return self.target(url).url

    def check_resolved(self, addresses: Sequence[str]) -> None:
        """Refuse a host name unless every address it resolves to may be called. A name
        that resolves to nothing yet is left to delivery, which retries until it does."""
        if not all(self.address_allowed(address) for address in addresses):
            raise _not_allowed()

    def address_allowed(self, address: str) -> bool:
        if self.allow_private:
            return True
        ip = literal_address(address)
        return ip is not None and globally_routable(ip)


def _is_name(host: str) -> bool:
    name = host.removesuffix(".")
    labels = name.split(".")
    return (
        len(name) <= _MAX_NAME_LENGTH
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def _not_allowed() -> InvalidInput:
    return InvalidInput(
        f"{TARGET_NOT_ALLOWED}: url must reach only publicly routable addresses", field="url"
    )

"""POSTs webhook deliveries to partners' targets.

Connections are pooled per host (keep-alive) so a worker sustains hundreds of deliveries a
second. Each new connection resolves the host itself, keeps only the addresses
``TargetPolicy`` allows and connects to one of those, never to the name: a DNS answer that
changes between the check and the connect cannot send it inside, and when no address passes
no packet leaves at all. TLS still verifies the certificate against, and sends SNI for, the
host name of the URL.

What the delivery log records of a failure is a short reason of our own (timed out, TLS
error, connection refused): never an exception's repr, and of a refused target only
``target not allowed``.
"""

import functools
import socket
import ssl
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    HTTPError,
    ProtocolError,
    SSLError,
    TimeoutError,
)
from urllib3.util import connection, parse_url

from itmj_domain.errors import InvalidInput
from itmj_domain.ports import HostResolver, OutboundRequest
from itmj_domain.webhooks.deliveries import TIMED_OUT, AttemptOutcome
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED, TargetPolicy

TOTAL_TIMEOUT_SECONDS = 10.0
# Names the sender to partners' firewalls and logs (SPEC §11), not the HTTP library.
USER_AGENT = "ITManagerJobs-Webhooks/1"
MAX_HOSTS = 256
# URLs whose verdict is kept: a sender's policy never changes, so neither does a URL's.
CHECKED_URLS = 4096
UNRESOLVED = "host name could not be resolved"


class _NotConnected(HTTPError):
    """No connection was opened; the message is the reason the delivery log shows."""


def _vetting(
    connection_class: type[HTTPConnection], policy: TargetPolicy, resolver: HostResolver
) -> type:
    def _new_conn(self: HTTPConnection) -> socket.socket:
        addresses = resolver.addresses(self.host, self.port)
        if not addresses:
            raise _NotConnected(UNRESOLVED)
        vetted = [address for address in addresses if policy.address_allowed(address)]
        if not vetted:
            raise _NotConnected(TARGET_NOT_ALLOWED)
        failure = OSError()
        for address in vetted:
            try:
                return connection.create_connection(
                    (address, self.port), self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except OSError as error:
                failure = error
        if isinstance(failure, socket.timeout):
            raise _NotConnected("connection timed out")
        raise _NotConnected(f"connection failed: {failure.strerror or 'unknown error'}")

    return type("VettedConnection", (connection_class,), {"_new_conn": _new_conn})


def _pool(pool_class: type, connection_class: type) -> type:
    return type(f"Vetted{pool_class.__name__}", (pool_class,), {"ConnectionCls": connection_class})


class WebhookSender:
    def __init__(
        self,
        policy: TargetPolicy,
        resolver: HostResolver,
        per_host_connections: int = 50,
        timeout_seconds: float = TOTAL_TIMEOUT_SECONDS,
    ) -> None:
        self._policy = policy
        self._allowed = functools.lru_cache(maxsize=CHECKED_URLS)(self._check)
        self._parsed = functools.lru_cache(maxsize=CHECKED_URLS)(parse_url)
        self._threads = ThreadPoolExecutor(per_host_connections, thread_name_prefix="webhook")
        self._pool = urllib3.PoolManager(
            num_pools=MAX_HOSTS,
            maxsize=per_host_connections,
            retries=False,
            timeout=urllib3.Timeout(total=timeout_seconds),
        )
        self._pool.pool_classes_by_scheme = {
            "http": _pool(HTTPConnectionPool, _vetting(HTTPConnection, policy, resolver)),
            "https": _pool(HTTPSConnectionPool, _vetting(HTTPSConnection, policy, resolver)),
        }

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> AttemptOutcome:
        if not self._allowed(url):
            # Registered before the rules tightened, or with the development switch on.
            return AttemptOutcome(None, TARGET_NOT_ALLOWED)
        # Straight to the host's pool, as the pool manager would pass it on for a request that
        # follows no redirect, without its per-request parsing and header merging.
        target = self._parsed(url)
        try:
            response = self._pool.connection_from_host(
                target.host, port=target.port, scheme=target.scheme
            ).urlopen(
                "POST",
                target.request_uri,
                body=body,
                headers={
                    "Content-Type": "application/json", "User-Agent": USER_AGENT, **headers
                },
                redirect=False,
                assert_same_host=False,
                preload_content=True,
            )
        except HTTPError as error:
            return AttemptOutcome(None, _reason(error))
        return AttemptOutcome(response.status)

    def _check(self, url: str) -> bool:
        try:
            self._policy.target(url)
        except InvalidInput:
            return False
        return True

    def send_many(self, requests: Sequence[OutboundRequest]) -> list[AttemptOutcome]:
        if len(requests) == 1:
            return [self.send(requests[0].url, requests[0].headers, requests[0].body)]
        return list(self._threads.map(lambda r: self.send(r.url, r.headers, r.body), requests))

    def close(self) -> None:
        self._threads.shutdown()
        self._pool.clear()


def _reason(error: HTTPError) -> str:
    if isinstance(error, _NotConnected):
        return str(error)
    if isinstance(error, TimeoutError):
        return TIMED_OUT
    if isinstance(error, SSLError):
        return f"TLS error: {_tls_reason(error)}"
    if isinstance(error, ProtocolError):
        return "connection closed before a complete response"
    return "request failed"


def _tls_reason(error: SSLError) -> str:
    cause = next((arg for arg in error.args if isinstance(arg, ssl.SSLError)), None)
    if isinstance(cause, ssl.SSLCertVerificationError) and cause.verify_message:
        return f"certificate verify failed: {cause.verify_message}"
    if cause is not None and cause.reason:
        return str(cause.reason).lower().replace("_", " ")
    return "handshake failed"

"""POSTs webhook deliveries to partners' targets.

Connections are pooled per host (keep-alive) so a worker sustains hundreds of deliveries a
second. The address rule of ``TargetPolicy`` is checked against the peer each new socket is
actually connected to, before a byte is sent: checking the DNS answer beforehand would let a
target re-resolve to an internal address between the check and the connect.
"""

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError, NewConnectionError

from itmj_domain.errors import InvalidInput
from itmj_domain.ports import OutboundRequest
from itmj_domain.webhooks.deliveries import AttemptOutcome
from itmj_domain.webhooks.targets import TargetPolicy

TOTAL_TIMEOUT_SECONDS = 10.0
MAX_HOSTS = 256


def _guarded(connection_class: type[HTTPConnection], policy: TargetPolicy) -> type:
    class GuardedConnection(connection_class):
        def _new_conn(self):
            sock = super()._new_conn()
            address = sock.getpeername()[0]
            if not policy.address_allowed(address):
                sock.close()
                raise NewConnectionError(self, f"target address {address} is not allowed")
            return sock

    return GuardedConnection


def _pool(pool_class: type, connection_class: type) -> type:
    return type(f"Guarded{pool_class.__name__}", (pool_class,), {"ConnectionCls": connection_class})


class WebhookSender:
    def __init__(
        self,
        policy: TargetPolicy,
        per_host_connections: int = 50,
        timeout_seconds: float = TOTAL_TIMEOUT_SECONDS,
    ) -> None:
        self._policy = policy
        self._threads = ThreadPoolExecutor(per_host_connections, thread_name_prefix="webhook")
        self._pool = urllib3.PoolManager(
            num_pools=MAX_HOSTS,
            maxsize=per_host_connections,
            retries=False,
            timeout=urllib3.Timeout(total=timeout_seconds),
        )
        self._pool.pool_classes_by_scheme = {
            "http": _pool(HTTPConnectionPool, _guarded(HTTPConnection, policy)),
            "https": _pool(HTTPSConnectionPool, _guarded(HTTPSConnection, policy)),
        }

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> AttemptOutcome:
        try:
            self._policy.check_url(url)
            response = self._pool.request(
                "POST",
                url,
                body=body,
                headers={"Content-Type": "application/json", **headers},
                redirect=False,
                preload_content=True,
            )
        except HTTPError as error:
            return AttemptOutcome(None, _reason(error))
        except InvalidInput as error:
            return AttemptOutcome(None, error.message)
        return AttemptOutcome(response.status)

    def send_many(self, requests: Sequence[OutboundRequest]) -> list[AttemptOutcome]:
        if len(requests) == 1:
            return [self.send(requests[0].url, requests[0].headers, requests[0].body)]
        return list(self._threads.map(lambda r: self.send(r.url, r.headers, r.body), requests))

    def close(self) -> None:
        self._threads.shutdown()
        self._pool.clear()


def _reason(error: HTTPError) -> str:
    reason = getattr(error, "reason", None)
    return str(reason or error)

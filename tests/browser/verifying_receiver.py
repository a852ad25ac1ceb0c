"""A partner's webhook endpoint on loopback: it checks each delivery's signature as SPEC §10
tells partners to, answers 204 when it holds and 401 when it does not, and keeps what came."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

from tests.use_cases.test_webhooks import partner_verifies


@attrs.frozen
class Checked:
    event: str
    delivery_id: str
    verified: bool
    body: dict[str, Any]


class VerifyingReceiver:
    """``secret`` is set once the portal has shown it; until then nothing verifies."""

    def __init__(self) -> None:
        self.secret: str | None = None
        self.checked: list[Checked] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                verified = receiver.secret is not None and partner_verifies(
                    receiver.secret, self.headers.get("X-Webhook-Signature", ""), raw,
                    int(time.time()),
                )
                with receiver._arrived:
                    receiver.checked.append(Checked(
                        self.headers.get("X-Webhook-Event", ""),
                        self.headers.get("X-Webhook-Delivery-Id", ""), verified, json.loads(raw),
                    ))
                    receiver._arrived.notify_all()
                self.send_response(204 if verified else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/itmj-webhooks"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Checked]:
        """The first ``count`` deliveries, once they have come. Delivery runs in the request
        that caused it, so they have normally come before the page answered; the wait only
        covers a scheduler thread that got there first."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.checked) >= count, timeout)
            return list(self.checked[:count])

    def __enter__(self) -> "VerifyingReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

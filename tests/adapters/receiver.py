"""A real HTTP receiver on loopback that records what it is sent."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs


@attrs.frozen
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers each POST with ``answer`` — ``status`` unless a subclass decides otherwise —
    after ``delay`` seconds, and keeps what came."""

    def __init__(self, status: int = 200, delay: float = 0.0, location: str | None = None):
        self.status = status
        self.delay = delay
        self.location = location
        self.received: list[Received] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                expected = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(expected)
                if len(body) < expected:
                    return  # the sender died mid-request: nothing was delivered
                received = Received(self.path, dict(self.headers), body)
                with receiver._arrived:
                    receiver.received.append(received)
                    receiver._arrived.notify_all()
                time.sleep(receiver.delay)
                self.send_response(receiver.answer(received))
                if receiver.location:
                    self.send_header("Location", receiver.location)
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
        return f"http://{host}:{port}"

    def answer(self, _received: Received) -> int:
        return self.status

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The first ``count`` requests, once they have come (or as many as came in time)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received[:count])

    def __enter__(self) -> "Receiver":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

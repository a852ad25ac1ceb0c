"""A loopback webhook receiver for bench/webhooks: verifies every signature as SPEC §10
says, and writes one line per delivery to stdout: receipt time, application id, delivery id."""

import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[2].encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        received = time.time()
        fields = dict(part.split("=", 1) for part in self.headers["X-Webhook-Signature"].split(","))
        expected = hmac.new(SECRET, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) <= 300
        self.send_response(204 if valid else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()
        data = json.loads(body)["data"]
        sys.stdout.write(
            f"{received:.6f} {data['applicationId']} {self.headers['X-Webhook-Delivery-Id']} "
            f"{int(valid)}\n"
        )
        sys.stdout.flush()

    def log_message(self, *args) -> None:
        return


server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.daemon_threads = True
server.serve_forever()

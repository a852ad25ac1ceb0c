"""A loopback webhook receiver for bench/webhooks: checks every signature as SPEC §10 says
and writes one line per delivery to stdout: receipt time, application id, delivery id, and
whether the signature held.

Arguments: the port, then the secret of each subscription; subscription ``n`` (from 0) posts
to ``/hook/n`` and is checked with the ``n``-th secret.

A small asyncio HTTP/1.1 server rather than http.server's thread per connection: the
receiver shares the machine's two cores with the worker it measures, so it must be cheap.
"""

import asyncio
import hashlib
import hmac
import json
import sys
import time

SECRETS = [secret.encode() for secret in sys.argv[2:]]
TOLERANCE_SECONDS = 300
RESPONSE = {True: b"HTTP/1.1 204 No Content\r\n\r\n",
            False: b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"}


def verified(path: str, headers: dict[str, str], body: bytes) -> bool:
    secret = SECRETS[int(path.rpartition("/")[2])]
    fields = dict(part.split("=", 1) for part in headers["x-webhook-signature"].split(","))
    expected = hmac.new(secret, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) <= TOLERANCE_SECONDS
    return fresh and hmac.compare_digest(expected, fields["v1"])


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while head := await reader.readuntil(b"\r\n\r\n"):
            request_line, *lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in lines if line)}
            body = await reader.readexactly(int(headers["content-length"]))
            received = time.time()
            valid = verified(request_line.split()[1], headers, body)
            writer.write(RESPONSE[valid])
            data = json.loads(body)["data"]
            sys.stdout.write(f"{received:.6f} {data['applicationId']} "
                             f"{headers['x-webhook-delivery-id']} {int(valid)}\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        sys.stdout.flush()
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[1]), backlog=512)
    async with server:
        while True:
            await asyncio.sleep(0.05)
            sys.stdout.flush()


asyncio.run(main())

"""The floor under the real app on PostgreSQL: the bare app (``bare_app``) plus the one database
round trip that SPEC §3 forces on every authenticated read, and nothing else.

A key is looked up on every request (no cached key state may let a revoked key through), so
the least an authenticated ``GET /api/v1/jobs/{id}`` can cost is the bare app's answer plus
one statement that finds the key and reads the job. This app makes exactly that statement,
through the application's own pool and repository (``PostgresApiKeys.find_by_hash_with_job``,
one hot statement answered in binary) on a pooled connection each thread keeps (not even a
pool's checkout), and answers with the same fixed JSON as the bare app: no middleware, no rate
limit, no request id, no access line, no serialisation. What the
real app costs above it is what the application itself adds; what it costs above the bare app
is the bound no application code can go below.

    python bench/floor_app.py --bind 127.0.0.1:8002 --workers 2 --threads 1 --body job.json \
        --database-url postgresql://postgres@127.0.0.1:5432/itmj_bench
"""

import hashlib
import threading

import falcon
from bare_app import arguments, serve

from itmj_adapters.postgres.accounts import PostgresApiKeys
from itmj_adapters.postgres.connection import PooledConnection, conninfo
from itmj_adapters.postgres.session import Session


class KeyedJob:
    def __init__(self, body: bytes, database_url: str) -> None:
        self._body = body
        self._database_url = database_url
        self._threads = threading.local()

    def _api_keys(self) -> PostgresApiKeys:
        # Connected in the worker's thread on its first request: a connection does not
        # survive a fork.
        api_keys = getattr(self._threads, "api_keys", None)
        if api_keys is None:
            connection = PooledConnection.connect(conninfo(self._database_url), autocommit=True)
            session = Session(connection, read_only=True)
            api_keys = self._threads.api_keys = PostgresApiKeys(session)
        return api_keys

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        token = (req.get_header("Authorization") or "").partition(" ")[2]
        key_hash = hashlib.sha256(token.encode()).hexdigest()
        key, job = self._api_keys().find_by_hash_with_job(key_hash, int(job_id))
        if key is None or job is None:
            raise falcon.HTTPNotFound()
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._body


def create_app(body: bytes, database_url: str) -> falcon.App:
    app = falcon.App()
    app.add_route("/api/v1/jobs/{job_id}", KeyedJob(body, database_url))
    return app


def main() -> None:
    parser = arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the real app's database")
    args = parser.parse_args()
    serve(create_app(args.body.read_bytes(), args.database_url), args)


if __name__ == "__main__":
    main()

"""The benchmark's baseline: a bare Falcon app that answers GET /api/v1/jobs/{id} with a fixed
JSON body — no authentication, no storage — served by the same embedded gunicorn with the
same settings as ``itmj serve``, so that the two runs differ only in the app.

    python bench/bare_app.py --bind 127.0.0.1:8001 --workers 1 --threads 4 --body job.json
"""

import argparse
from pathlib import Path

import falcon

from itmj_cli import gunicorn_server


class FixedJob:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def on_get(self, _req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._body


def create_app(body: bytes) -> falcon.App:
    app = falcon.App()
    app.add_route("/api/v1/jobs/{job_id}", FixedJob(body))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="the JSON to answer with")
    args = parser.parse_args()
    app = create_app(args.body.read_bytes())
    settings = gunicorn_server.options(args.bind, args.workers, args.threads)
    gunicorn_server.EmbeddedGunicorn(lambda: app, settings).run()


if __name__ == "__main__":
    main()

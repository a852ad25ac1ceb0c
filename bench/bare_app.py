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


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every baseline app takes: where it listens, its gunicorn shape and the
    JSON it answers with."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bind", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="the JSON to answer with")
    return parser


def serve(app: falcon.App, args: argparse.Namespace) -> None:
    """Serve ``app`` under the embedded gunicorn, with ``itmj serve``'s settings."""
    settings = gunicorn_server.options(args.bind, args.workers, args.threads)
    gunicorn_server.EmbeddedGunicorn(lambda: app, settings).run()


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0]).parse_args()
    serve(create_app(args.body.read_bytes()), args)


if __name__ == "__main__":
    main()

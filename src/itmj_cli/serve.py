"""``itmj serve``: the partner API under gunicorn, on the configured backend.

In memory (no ITMJ_DATABASE_URL) the data lives in one process: the services, and the demo
seed, are built in the gunicorn master before it forks its single worker, which inherits
them. On PostgreSQL every worker builds its own services after the fork, because a psycopg
pool's connections and threads do not survive one; the master checks the database, seeds the
demo and, unless Elasticsearch holds the index, fills the search index once, which the
workers inherit and share, each then following the changes made since.
"""

import argparse
import gc
import os
import shutil
import tempfile
import threading

import attrs

from itmj_adapters import heap, logs
from itmj_adapters.composition import Services, build_services
from itmj_adapters.extras import requires
from itmj_adapters.following_index import IndexSnapshot
from itmj_adapters.settings import Mode, Settings
from itmj_cli import demo, services
from itmj_cli.arguments import bind_address, positive_int
from itmj_cli.output import CommandError, UsageError, print_json
from itmj_jobs.scheduler import Scheduler

DEFAULT_BIND = "127.0.0.1:8000"
# Four threads share a worker's pool (ITMJ_DB_POOL_SIZE, 10 by default) with room to spare.
DEFAULT_THREADS = 4


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve the partner API with gunicorn")
    serve.add_argument("--bind", type=bind_address, default=DEFAULT_BIND, help="HOST:PORT")
    serve.add_argument(
        "--workers", type=positive_int,
        help="worker processes (PostgreSQL only; default: one per CPU)",
    )
    serve.add_argument(
        "--threads", type=positive_int, default=DEFAULT_THREADS, help="threads per worker"
    )
    serve.add_argument(
        "--demo", action="store_true",
        help="seed a demo employer and print its keys first; credit orders confirm at once",
    )
    serve.set_defaults(run=serve_api)


def serve_api(args: argparse.Namespace, settings: Settings) -> None:
    settings = serving_settings(settings, args.bind, args.demo)
    if settings.metrics:
        _metrics_directory()
    if settings.database_url is None and args.workers not in (None, 1):
        raise UsageError(
            "itmj serve: --workers needs ITMJ_DATABASE_URL: the in-memory backend lives in "
            "one process"
        )
    # Imported here so that every other command starts without loading the web stack.
    with requires("http"):
        from itmj_cli import gunicorn_server
        from itmj_http.app import create_app
    try:
        gunicorn_server.check_free(args.bind)
    except OSError as refused:
        raise CommandError(f"cannot listen at {args.bind}: {refused.strerror}") from None

    if settings.database_url is None:
        # Opened first, so the operator reads what building in memory has to say (that
        # webhook secrets are encrypted under a key made for this process alone).
        logs.configure(settings)
        built = build_services(settings)
        if args.demo:
            print_json(demo.seed(built).as_json(settings.public_url or ""))
        app = create_app(built)

        def load_app():
            # The worker inherits the app built here; threads do not survive the fork, so
            # the periodic work starts in the worker.
            _run_periodic_work(built, settings)
            return app

        server_options = gunicorn_server.options(args.bind, 1, args.threads)
    else:
        with services.opened(settings) as built:
            for probe in built.probes:
                probe.check()
            if args.demo:
                print_json(demo.seed(built).as_json(settings.public_url or ""))
            snapshot = None if built.index_snapshot is None else built.index_snapshot()
        # The workers share the index's pages for as long as nothing writes them: a
        # collector pass would, to every object's header, so what exists now is set aside.
        gc.freeze()
        heap.release_free_pages()
        worker = _WorkerServices(settings, create_app, snapshot)
        load_app = worker.load
        server_options = gunicorn_server.options(
            args.bind, args.workers or os.cpu_count() or 1, args.threads
        ) | {"worker_exit": worker.close, "child_exit": _child_exit}
        logs.configure(settings)
    master = os.getpid()
    try:
        gunicorn_server.EmbeddedGunicorn(load_app, server_options).run()
    except SystemExit as stopped:
        # A worker that could not start said why in one line and left with gunicorn's code,
        # which halts the master; the command then fails as any other does (1). In the
        # worker itself (a forked child, on its way out of this frame) the code must stay.
        if os.getpid() == master and stopped.code not in (None, 0):
            raise SystemExit(1) from None
        raise


def serving_settings(settings: Settings, bind: str, demo: bool) -> Settings:
    """``--demo`` serves in demo mode (plain-HTTP cookies; credit orders confirm at once), and
    links in emails point at the address served unless ITMJ_PUBLIC_URL says otherwise."""
    if demo:
        settings = attrs.evolve(settings, mode=Mode.DEMO)
    if settings.public_url is None:
        settings = attrs.evolve(settings, public_url=f"http://{bind}")
    return settings


def _run_periodic_work(built: Services, settings: Settings) -> None:
    """Without a queue (no ITMJ_REDIS_URL) there is no ``itmj worker`` or ``itmj scheduler``:
    the serving process itself sweeps the outbox and due retries and expires jobs, in a
    daemon thread. Several workers doing so is safe, only redundant: relays skip each
    other's events, expiry skips locked jobs, and leases keep deliveries single."""
    if settings.redis_url:
        return
    threading.Thread(
        target=Scheduler(built, built.leader_lock).run, args=(threading.Event(),),
        name="itmj-periodic", daemon=True,
    ).start()


class _WorkerServices:
    """The services of one worker: built after the fork, from the index the master filled,
    and closed when the worker exits."""

    def __init__(
        self, settings: Settings, create_app, snapshot: IndexSnapshot | None
    ) -> None:
        self._settings = settings
        self._create_app = create_app
        self._snapshot = snapshot
        self._services = None

    def load(self):
        from itmj_http.startup import built_or_exit

        # The master checked the database before forking; should it have gone since, the
        # worker stops the server with the one line rather than crash-loop.
        self._services = built_or_exit(
            lambda: build_services(self._settings, index_snapshot=self._snapshot)
        )
        self._services.warm_up()
        _run_periodic_work(self._services, self._settings)
        return self._create_app(self._services)

    def close(self, _server: object, _worker: object) -> None:
        if self._services is not None:
            self._services.close()


def _metrics_directory() -> None:
    """Prometheus's multiprocess mode: every worker writes its samples under one directory,
    fresh for each run (ITMJ_METRICS_DIR, wiped first; else a new temporary one). Set before
    anything imports prometheus-client, which reads it at import."""
    directory = os.environ.get("ITMJ_METRICS_DIR") or tempfile.mkdtemp(prefix="itmj-metrics-")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory


def _child_exit(_server: object, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from itmj_adapters.prometheus_metrics import mark_process_dead

        mark_process_dead(worker.pid)

"""``itmj worker`` and ``itmj scheduler``: the processes of background work.

Both need ``ITMJ_REDIS_URL`` (the queue) and ``ITMJ_DATABASE_URL`` (the outbox and the
deliveries, which every process must share).
"""

import argparse
import contextlib
import signal
import threading
from collections.abc import Iterator

from itmj_adapters import logs
from itmj_adapters.composition import Services
from itmj_adapters.extras import requires
from itmj_adapters.metrics import serve_page
from itmj_adapters.settings import Settings
from itmj_cli import services
from itmj_cli.arguments import positive_float
from itmj_cli.output import CommandError
from itmj_jobs import runtime
from itmj_jobs.scheduler import Scheduler


def register(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="run an RQ worker for webhook deliveries")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.add_argument("--name", help="the worker's name in RQ")
    worker.set_defaults(run=run_worker_command)

    scheduler = commands.add_parser(
        "scheduler", help="run the periodic sweeps and job expiry (one leads at a time)"
    )
    scheduler.add_argument("--sweep-every", type=positive_float, default=1.0,
                           help="seconds between outbox and delivery sweeps (default 1)")
    scheduler.add_argument("--expire-every", type=positive_float, default=60.0,
                           help="seconds between job expiry runs (default 60)")
    scheduler.set_defaults(run=run_scheduler_command)


def _require_shared_stores(settings: Settings) -> str:
    """The queue's URL, once both the queue and the database are shared stores."""
    if not settings.redis_url or not settings.database_url:
        raise CommandError("set ITMJ_REDIS_URL and ITMJ_DATABASE_URL: background work needs "
                           "the queue and a database shared by every process")
    return settings.redis_url


def run_worker_command(args: argparse.Namespace, settings: Settings) -> None:
    redis_url = _require_shared_stores(settings)
    logs.configure(settings)
    with services.opened(settings) as built, _metrics_page(settings, built):
        runtime.install(built)
        with requires("redis"):
            from itmj_adapters.rq_worker import run_worker
        run_worker(redis_url, burst=args.burst, name=args.name,
                   on_stop=runtime.stop_requested.set)


def run_scheduler_command(args: argparse.Namespace, settings: Settings) -> None:
    _require_shared_stores(settings)
    logs.configure(settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with services.opened(settings) as built, _metrics_page(settings, built):
        Scheduler(
            built, built.leader_lock,
            sweep_every=args.sweep_every, expire_every=args.expire_every,
        ).run(stop)


@contextlib.contextmanager
def _metrics_page(settings: Settings, built: Services) -> Iterator[None]:
    """This process's metrics at ``GET /metrics`` on ITMJ_METRICS_PORT, when ITMJ_METRICS=1."""
    if built.served_metrics is None or settings.metrics_port is None:
        yield
        return
    host, port = settings.metrics_port
    try:
        server = serve_page(built.served_metrics, host, port)
    except OSError as error:
        raise CommandError(f"ITMJ_METRICS_PORT: cannot listen on {host}:{port}: "
                           f"{error.strerror or error}") from None
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()

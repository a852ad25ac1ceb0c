"""Gunicorn embedded in the command, so that serving needs no separate configuration file.

``options`` is the one place the server settings live; the HTTP benchmark serves its bare
baseline app through the same function so that both runs differ only in the app.
"""

import socket
from collections.abc import Callable, Mapping
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

# gthread, on purpose: the sync worker handles one request per process and closes every
# connection (no keep-alive), so a pool per process would sit idle and each call would pay a
# TCP handshake; gevent/eventlet would need a green psycopg. A gthread worker keeps
# connections alive and runs several threads that share the process's one psycopg pool.
WORKER_CLASS = "gthread"
KEEPALIVE_SECONDS = 5
# Settings that older gunicorn releases (pyproject allows ≥ 23) do not know and can go without.
NEWER_SETTINGS = frozenset({"control_socket_disable"})


def options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "threads": threads,
        "keepalive": KEEPALIVE_SECONDS,
        "graceful_timeout": 10,
        # The app writes its own access line per request (itmj_http.request_ids), and
        # gunicorn's own lines go through the process's log, in its format.
        "accesslog": None,
        "errorlog": "-",
        "logger_class": SharedLog,
        "loglevel": "info",
        "proc_name": "itmj",
        # 0 lifts gunicorn's 4 KiB request-line limit (to 1 MiB), so that a long URL reaches
        # the app and gets its 400 in the JSON envelope of SPEC §4, not gunicorn's HTML 414.
        "limit_request_line": 0,
        # Gunicorn ≥ 25.1 opens a control socket at one fixed path per user by default: two
        # servers on one machine (tests, the benchmark) would fight over it.
        "control_socket_disable": True,
        # Each worker listens on a socket of its own, and the kernel spreads new connections
        # across them evenly. On one shared socket the worker that wakes first accepts all it
        # can: the kept-alive connections of one client (a partner's pool, a proxy's upstream)
        # piled onto one worker in three runs of four, which then served alone while the
        # others idled (1,800 req/s against 3,300 spread). The cost: a worker that restarts
        # listens before its app is loaded, so the connections the kernel gives it meanwhile
        # wait for that load, and those still queued when a worker exits are reset.
        "reuse_port": REUSE_PORT,
    }


REUSE_PORT = hasattr(socket, "SO_REUSEPORT")


def check_free(bind: str) -> None:
    """Raises OSError (EADDRINUSE) when a server already listens at ``bind``.

    Sockets that all set SO_REUSEPORT share a port without complaint, so a second server
    started on the same address would take half of the first one's connections; a socket
    bound without that option is refused instead, which is what a duplicate server must be.
    """
    address = util.parse_address(bind)
    if not isinstance(address, tuple):
        # A Unix socket (gunicorn's ``unix:PATH``) is never shared: binding its path fails.
        return
    host, port = address
    family = socket.AF_INET6 if util.is_ipv6(host) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR, as gunicorn's own sockets: connections of a server that just stopped,
        # still in TIME_WAIT, do not count as a server.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class SharedLog(Logger):
    """Gunicorn's logger, with its lines handed to the root logger (``itmj_adapters.logs``
    formats them: JSON or text, like every other line) instead of its own handlers."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.propagate = True


class EmbeddedGunicorn(BaseApplication):
    """Runs a WSGI app that ``load_app`` builds; gunicorn calls it in each worker after the
    fork, so whatever it builds belongs to that worker."""

    def __init__(self, load_app: Callable[[], Callable], settings: Mapping[str, Any]) -> None:
        self._load_app = load_app
        self._settings = settings
        super().__init__(prog="itmj serve")

    def load_config(self) -> None:
        for name, value in self._settings.items():
            if name in self.cfg.settings or name not in NEWER_SETTINGS:
                self.cfg.set(name, value)

    def load(self) -> Callable:
        return self._load_app()
